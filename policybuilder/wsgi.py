"""WSGI entry point (gunicorn policybuilder.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")
application = get_wsgi_application()
