from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Only the management commands ``bench`` and ``soak``; no models, no URLs."""

    name = "policybuilder.devtools"
    label = "devtools"
    verbose_name = "Developer tools"
