"""Small middleware of our own."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


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
