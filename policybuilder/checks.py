"""System checks of our own (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

from policybuilder.startup import serving_problem


@register(Tags.security, deploy=True)
def shared_rate_limits(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Rate limits in one process's memory let each worker count on its own."""
    problem = serving_problem()
    return [Error(problem, id="policybuilder.E001")] if problem else []


@register(Tags.security, deploy=True)
def scanner_stays_off_loopback(app_configs: Any, **kwargs: Any) -> list[Error]:
    """The site scanner may visit this machine's own addresses only in tests and development."""
    if settings.SCAN_ALLOW_LOOPBACK and not settings.DEBUG:
        return [
            Error(
                "SCAN_ALLOW_LOOPBACK is on: the site scanner could reach services on this machine.",
                hint="Unset SCAN_ALLOW_LOOPBACK in production; it is for tests and local development.",
                id="policybuilder.E002",
            )
        ]
    return []
