"""Renderers: one module per output format, each a function from a document to bytes.

``FORMATS`` is the registry the command line and the views use, so a
new format is added in one place.
"""

from __future__ import annotations

import contextlib
import hashlib
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from django.core.cache import caches

from policybuilder.document import PolicyDocument
from policybuilder.renderers import docx, html, markdown, pdf, text


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    content_type: str
    render: Callable[[PolicyDocument], bytes]
    binary: bool = False


DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "HTML", "html", "text/html; charset=utf-8", html.render),
        Format("pdf", "PDF", "pdf", "application/pdf", pdf.render, binary=True),
        Format("docx", "Word", "docx", DOCX_CONTENT_TYPE, docx.render, binary=True),
        Format("md", "Markdown", "md", "text/markdown; charset=utf-8", markdown.render),
        Format("txt", "Plain text", "txt", "text/plain; charset=utf-8", text.render),
    )
}


def render(document: PolicyDocument, format_name: str) -> bytes:
    return FORMATS[format_name].render(document)


def _layout_version() -> str:
    """A hash of everything besides the document that shapes rendered output."""
    digest = hashlib.sha256()
    for path in sorted(LAYOUT_FILES):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


_ROOT = Path(__file__).resolve().parent.parent.parent
LAYOUT_FILES = [
    _ROOT / "templates" / "policy" / name
    for name in ("fragment.html", "print.html", "standalone.html", "_head.html")
] + [_ROOT / "static" / "policy" / name for name in ("policy.css", "print.css")]
# The Word file's layout is its renderer's code.
LAYOUT_FILES.append(Path(docx.__file__))
LAYOUT_VERSION = _layout_version()


def render_cached(document: PolicyDocument, format_name: str, *, wait: bool = False) -> bytes:
    """Rendered bytes from the cache when the same document was rendered before.

    The key is the document's content hash (plus the layout's), so an
    unchanged policy is served without WeasyPrint, and any change misses.
    The "renders" cache is shared with the task worker (files on one machine, Redis across
    several), so a PDF the worker rendered ahead is served from here. With ``wait``, a render the
    worker has under way (``rendering``) is waited for rather than done a second time beside it.
    """
    key = render_key(document, format_name)
    renders = caches["renders"]
    data = renders.get(key)
    if data is None and wait:
        deadline = time.monotonic() + RENDERING_SECONDS
        while data is None and renders.has_key(_RENDERING + key) and time.monotonic() < deadline:
            time.sleep(0.05)
            data = renders.get(key)
    if data is None:
        data = render(document, format_name)
        renders.set(key, data, timeout=24 * 3600)
    return data


# A render under way is marked in the shared cache for as long as it may take; a marker left by a
# worker that died mid-render lapses after that.
RENDERING_SECONDS = 20
_RENDERING = "rendering:"


@contextlib.contextmanager
def rendering(document: PolicyDocument, format_name: str) -> Iterator[None]:
    """Mark a render in progress while the block runs (the task worker's render ahead), so that a
    download arriving meanwhile waits for it (``render_cached(wait=True)``)."""
    marker = _RENDERING + render_key(document, format_name)
    caches["renders"].set(marker, 1, timeout=RENDERING_SECONDS)
    try:
        yield
    finally:
        caches["renders"].delete(marker)


def render_key(document: PolicyDocument, format_name: str) -> str:
    return f"policy:{format_name}:{LAYOUT_VERSION}:{document.content_hash}"


def is_cached(document: PolicyDocument, format_name: str) -> bool:
    return caches["renders"].has_key(render_key(document, format_name))
