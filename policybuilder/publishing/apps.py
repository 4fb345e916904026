from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "policybuilder.publishing"
    label = "publishing"
    verbose_name = "Published policies"
    default_auto_field = "django.db.models.BigAutoField"
