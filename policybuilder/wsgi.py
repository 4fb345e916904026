"""WSGI entry point (gunicorn policybuilder.wsgi).

A configuration error (a missing SECRET_KEY, a bad DATABASE_URL, ...) stops the
server with one line naming the variable and exit status 1, not a traceback.
"""

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

from policybuilder.startup import check_serving_or_exit, exit_for_configuration_error

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")
check_serving_or_exit()
try:
    application = get_wsgi_application()
except ImproperlyConfigured as error:
    exit_for_configuration_error(error)
