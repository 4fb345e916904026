"""Starting a process: a mistake in the environment is one clear line and exit status 1.

People who deploy read the first line of what a failed start prints; a
traceback through Django's settings machinery hides the variable that is wrong.
``manage.py``, ``wsgi.py`` and gunicorn's configuration all end up here. This
module must not import the settings itself: it is what reports that they fail.
"""

from __future__ import annotations

import sys
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured


def exit_for_configuration_error(error: ImproperlyConfigured) -> NoReturn:
    """Print ``Configuration error: <message>`` on one line to standard error and exit 1."""
    message = " ".join(str(error).split())
    print(f"Configuration error: {message}", file=sys.stderr, flush=True)
    raise SystemExit(1)


def load_settings_or_exit() -> None:
    """Read the settings now, so that a process with a bad environment stops before it serves."""
    from django.conf import settings  # noqa: PLC0415

    try:
        settings.INSTALLED_APPS  # noqa: B018  (the first setting read imports the module)
    except ImproperlyConfigured as error:
        exit_for_configuration_error(error)


def serving_problem() -> str | None:
    """What makes these settings unfit to serve requests, or None (checked before a server starts)."""
    from django.conf import settings  # noqa: PLC0415

    if not settings.DEBUG and not settings.REDIS_URL and not settings.RATELIMIT_LOCAL_ONLY:
        return (
            "REDIS_URL is not set. Without a shared cache each worker keeps its own rate limits "
            "(a limit of 30 lets through 30 per worker). Set REDIS_URL, or RATELIMIT_LOCAL_ONLY=1 "
            "if one process is all you run."
        )
    return None


def check_serving_or_exit() -> None:
    """Load the settings and refuse to serve with one line when they are unfit (gunicorn, WSGI)."""
    load_settings_or_exit()
    problem = serving_problem()
    if problem:
        exit_for_configuration_error(ImproperlyConfigured(problem))
