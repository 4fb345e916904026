from django.apps import AppConfig


class DraftsConfig(AppConfig):
    name = "policybuilder.drafts"
    label = "drafts"
    verbose_name = "Drafts"
    default_auto_field = "django.db.models.BigAutoField"
