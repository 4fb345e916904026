"""System checks of our own (``manage.py check --deploy``)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, Tags, register

from policybuilder.startup import serving_problem


@register(Tags.security, deploy=True)
def shared_rate_limits(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Rate limits in one process's memory let each worker count on its own."""
    problem = serving_problem()
    return [Error(problem, id="policybuilder.E001")] if problem else []
