"""Public pages: the example policies, health checks and the site's icon.

Views only translate HTTP to calls into the domain modules.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_safe
from django_ratelimit.core import is_ratelimited
from django_ratelimit.exceptions import Ratelimited

from policybuilder import examples
from policybuilder.answers import AnswersError, validate_answers
from policybuilder.assembly import AssemblyError, assemble
from policybuilder.document import PolicyDocument
from policybuilder.downloads import Caching, download_filename, download_response
from policybuilder.library.selectors import load_library
from policybuilder.renderers import FORMATS, LAYOUT_VERSION, render_cached
from policybuilder.renderers.html import render_fragment


def _example_document(slug: str) -> PolicyDocument:
    try:
        raw = examples.load_example(slug)
    except KeyError:
        raise Http404("No such example") from None
    library = load_library()
    try:
        answers = validate_answers(raw, catalogue_keys=library.catalogue_keys())
    except AnswersError as exc:  # the example names a service that is no longer in the catalogue
        raise AssemblyError(f"example:{slug}", str(exc)) from exc
    return assemble(library, answers)


@require_GET
def example(request: HttpRequest, slug: str) -> HttpResponse:
    document = _example_document(slug)
    return render(
        request,
        "example.html",
        {
            "document": document,
            "policy_html": render_fragment(document),
            "slug": slug,
            "formats": FORMATS.values(),
        },
    )


@require_GET
def example_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    document = _example_document(slug)
    output = FORMATS[fmt]
    if output.binary:  # PDF and Word: the costly renders
        enforce_pdf_limit(request)
    return download_response(
        request,
        render_cached(document, fmt),
        content_type=output.content_type,
        filename=download_filename(
            document.organization_name, document.effective_date.isoformat(), output.extension
        ),
        caching=Caching.REVALIDATE,
        etag=f"{fmt}-{LAYOUT_VERSION}-{document.content_hash}",
    )


def limit(name: str):
    """The configured rate for one rate-limited action (see settings.RATELIMITS)."""
    return lambda group, request: settings.RATELIMITS[name]


def enforce_pdf_limit(request: HttpRequest) -> None:
    """PDF and Word files cost the most to make: limit how many one address may render (one
    limit for both, ``RATELIMIT_PDF``)."""
    if is_ratelimited(request, group="pdf", key="ip", rate=limit("pdf"), increment=True):
        raise Ratelimited()


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400s (a form over its size or field limits, a malformed request) as a page that says why."""
    if isinstance(exception, RequestDataTooBig):
        reason = f"it is larger than the limit of {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024} KiB"
    elif isinstance(exception, TooManyFieldsSent):
        reason = f"it has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields"
    elif isinstance(exception, TooManyFilesSent):
        reason = "it has too many files"
    else:
        reason = "the request was malformed"
    return render(request, "request_refused.html", {"reason": reason}, status=400)


def rate_limited(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "rate_limited.html", status=429)


@require_GET
def health(request: HttpRequest) -> HttpResponse:
    """Ready: the database answers.  For load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 (any database failure means not ready)
        return JsonResponse({"status": "unavailable", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def alive(request: HttpRequest) -> HttpResponse:
    """Alive: the process answers, nothing else checked (also the benchmark's baseline)."""
    return HttpResponse("ok", content_type="text/plain")


@cache
def _favicon() -> bytes:
    return (settings.BASE_DIR / "static" / "img" / "favicon.ico").read_bytes()


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """``/favicon.ico``, where browsers look for an icon a page does not link.

    Our pages, the admin's and the embed page link the static files; Django's plain error pages,
    the health checks and bookmarks still ask here. One address for good, so a week's caching
    rather than the static files' forever.
    """
    response = HttpResponse(_favicon(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response
