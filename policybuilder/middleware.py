"""Small middleware of our own."""

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from policybuilder.answers import MAX_FILE_BYTES
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


class RequestSizeMiddleware:
    """Refuses a request body over its limit before anything reads it.

    Django checks ``DATA_UPLOAD_MAX_MEMORY_SIZE`` only as it parses a form, and
    spools a file upload to disk first: a 200 MB post was written out before the
    256 KiB answers-file limit refused it. The declared length is checked here
    instead, and a body without one (chunked) is refused, so a large post costs
    nothing. The page names the limit.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("POST", "PUT", "PATCH"):
            limit = body_limit(request.path)
            try:
                length = int(request.META.get("CONTENT_LENGTH") or -1)
            except ValueError:
                length = -1
            if length < 0 and request.META.get("HTTP_TRANSFER_ENCODING"):
                return request_too_large(request, limit, status=411)
            if length > limit:
                return request_too_large(request, limit, status=413)
        return self.get_response(request)


def body_limit(path: str) -> int:
    """The largest body a path accepts: an answers file (with the form around it), or a form."""
    if path == reverse("draft-upload"):
        return MAX_FILE_BYTES + 16 * 1024
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def request_too_large(request: HttpRequest, limit: int, *, status: int) -> HttpResponse:
    reason = f"it is larger than the limit of {limit // 1024} KiB"
    return render(request, "request_refused.html", {"reason": reason}, status=status)
