from django.apps import AppConfig


class ScansConfig(AppConfig):
    name = "policybuilder.scans"
    label = "scans"
    verbose_name = "Site scans"
    default_auto_field = "django.db.models.BigAutoField"
