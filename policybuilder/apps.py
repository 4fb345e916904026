from django.apps import AppConfig


class PolicyBuilderConfig(AppConfig):
    """The project package itself: management commands and the public pages."""

    name = "policybuilder"
    verbose_name = "Policy Builder"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from policybuilder import checks  # noqa: F401, PLC0415 (registers the system checks)
