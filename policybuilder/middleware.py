"""Small middleware of our own."""

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from policybuilder.assembly import AssemblyError

logger = logging.getLogger(__name__)


class AdminStyleAttributesMiddleware:
    """Lets the Django admin keep the few inline style attributes its templates use.

    Everywhere else the Content-Security-Policy allows only our own style
    sheets; scripts stay locked down in the admin too.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith("/admin/"):
            updates = {**getattr(response, "_csp_update", {}), "style-src": ["'unsafe-inline'"]}
            response._csp_update = updates  # type: ignore[attr-defined]  # read by django-csp
        return response


class LibraryErrorMiddleware:
    """A clause library that fails to assemble (edited in the database directly, or a trap no
    check could see) gives every page the friendly "library has an error" page, and a log entry:
    never a server error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, AssemblyError):
            return None
        logger.error("Clause library failed to assemble for %s", request.path, exc_info=exception)
        return render(request, "drafts/library_error.html", status=503)
