#!/usr/bin/env python
"""Django's command-line utility for Policy Builder."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "policybuilder.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    from policybuilder.startup import exit_for_configuration_error

    try:
        execute_from_command_line(sys.argv)
    except ImproperlyConfigured as error:  # e.g. SECRET_KEY missing: one line naming it, no traceback
        exit_for_configuration_error(error)


if __name__ == "__main__":
    main()
