from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "policybuilder.library"
    label = "library"
    verbose_name = "Clause library"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from policybuilder.library import revisions  # noqa: F401  (connects the signals)
