"""Renderers: one module per output format, each a function from a document to bytes.

``FORMATS`` is the registry the command line and (later) the views use, so a
new format is added in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policybuilder.document import PolicyDocument
from policybuilder.renderers import html, markdown, pdf, text


@dataclass(frozen=True)
class Format:
    name: str
    label: str
    extension: str
    content_type: str
    render: Callable[[PolicyDocument], bytes]
    binary: bool = False


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("html", "HTML", "html", "text/html; charset=utf-8", html.render),
        Format("pdf", "PDF", "pdf", "application/pdf", pdf.render, binary=True),
        Format("md", "Markdown", "md", "text/markdown; charset=utf-8", markdown.render),
        Format("txt", "Plain text", "txt", "text/plain; charset=utf-8", text.render),
    )
}


def render(document: PolicyDocument, format_name: str) -> bytes:
    return FORMATS[format_name].render(document)
