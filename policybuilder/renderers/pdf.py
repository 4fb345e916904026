"""PDF output with WeasyPrint: contents with page numbers, "Page X of Y", tagged PDF/UA.

This is where a PDF is made.  WeasyPrint fetches every URL the HTML names
(stylesheets, images, ``rel=attachment`` links) through the fetcher below,
which reads only the app's own static files: no network, no other files.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import mimetypes
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse, path2url

from policybuilder.document import PolicyDocument
from policybuilder.renderers.html import render_fragment

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"


class FetchRefused(ValueError):
    """A URL the PDF renderer will not fetch (WeasyPrint skips the resource)."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``file://`` URLs inside one directory and refuses everything else."""

    def __init__(self, root: Path = STATIC_DIR, **kwargs) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, **kwargs)
        self.root = root.resolve()
        self.refused: list[str] = []

    def resolve(self, url: str) -> Path:
        """The file a URL names, or ``FetchRefused``."""
        parts = urlsplit(url)
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"only the app's static files may be fetched, not {url!r}")
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if not path.is_relative_to(self.root) or not path.is_file():
            raise FetchRefused(f"{url!r} is not one of the app's static files")
        return path

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        try:
            path = self.resolve(url)
        except FetchRefused:
            self.refused.append(url)
            logger.warning("PDF renderer refused to fetch %s", url)
            raise
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path2url(str(path)), body=path.read_bytes(), headers={"Content-Type": content_type}
        )


def render_print_html(document: PolicyDocument) -> str:
    return render_to_string(
        "policy/print.html", {"document": document, "fragment": render_fragment(document)}
    )


_local = threading.local()


def _font_config() -> FontConfiguration:
    """One font configuration per thread, reused across renders.

    A fresh one (WeasyPrint's default) starts with empty Pango font caches
    every time; reusing it saves font look-ups and glyph metrics. Per thread
    because Pango's font map is not meant to be shared between threads.
    """
    if not hasattr(_local, "font_config"):
        _local.font_config = FontConfiguration()
    return _local.font_config


@contextlib.contextmanager
def _without_gc_pauses() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while WeasyPrint lays out.

    Layout builds hundreds of thousands of long-lived boxes, which the
    collector would scan again and again (about a sixth of the render time,
    measured). Reference counting still frees memory as usual; the cycles
    left behind are collected at the next collection after the render.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def render(document: PolicyDocument, *, fetcher: StaticFilesFetcher | None = None) -> bytes:
    html = HTML(
        string=render_print_html(document),
        base_url=path2url(str(STATIC_DIR) + "/"),
        url_fetcher=fetcher or StaticFilesFetcher(),
    )
    with _without_gc_pauses():
        return html.write_pdf(
            pdf_variant="pdf/ua-1", pdf_tags=True, uncompressed_pdf=False, font_config=_font_config()
        )
