"""File downloads: one place that decides a download's name, type and caching.

Three kinds of download exist, and they differ only in how long a copy may be
kept, which is why the caching is a parameter rather than left to each view:

- a draft's files are private (the link is the only key to the draft) and
  change with every save, so nothing may store them;
- a published version's files never change for their URL (a version is
  frozen when it is published), so any cache may keep them; only for a day,
  though, so that a version staff delete does not live on in caches for long;
- an example's files are public but follow the clause library, which staff
  edit at any time, so caches may store them but must ask again every time;
  the ETag (the rendered document's content hash) makes asking cheap.
"""

from __future__ import annotations

import enum

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers, get_conditional_response, patch_cache_control
from django.utils.http import content_disposition_header
from django.utils.text import slugify

PUBLISHED_MAX_AGE = 24 * 3600


class Caching(enum.Enum):
    PRIVATE = "private"  # drafts: never stored anywhere
    FROZEN = "frozen"  # published versions: the bytes never change for the URL
    REVALIDATE = "revalidate"  # examples: public, but checked with the server on every use


def download_filename(organization_name: str, effective_date: str, extension: str) -> str:
    """`<organisation>-privacy-policy-<date>.<ext>`, safe for any file system."""
    name = slugify(organization_name) or "policy"
    return f"{name}-privacy-policy-{effective_date}.{extension}"


def download_response(
    request: HttpRequest,
    content: bytes,
    *,
    content_type: str,
    filename: str,
    caching: Caching,
    etag: str = "",
) -> HttpResponse:
    """The response for a file to save (``Content-Disposition: attachment``), cached as ``caching`` says.

    ``etag`` (a content hash) is sent as a weak ETag: the same document
    always reads the same, though a PDF made twice need not be byte for byte
    equal. A request whose ``If-None-Match`` matches it gets a 304 without
    the body.
    """
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename) or ""
    return with_caching(request, response, caching=caching, etag=etag)


def with_caching(
    request: HttpRequest, response: HttpResponse, *, caching: Caching, etag: str = ""
) -> HttpResponse:
    """``response`` with the cache headers of ``caching``; a 304 instead when ``etag`` matches the request.

    Also for what is read rather than saved, such as a published version as JSON.
    """
    if etag:
        response["ETag"] = f'W/"{etag}"'
    if caching is Caching.PRIVATE:
        add_never_cache_headers(response)  # no-store, private (and no-cache for old caches)
    elif caching is Caching.FROZEN:
        patch_cache_control(response, public=True, max_age=PUBLISHED_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, no_cache=True)
    if etag and request.method in ("GET", "HEAD"):
        conditional = get_conditional_response(request, etag=response["ETag"], response=response)
        return conditional if isinstance(conditional, HttpResponse) else response
    return response
