"""Standalone HTML: one file with its styles inline and no external requests."""

from __future__ import annotations

from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from policybuilder.document import PolicyDocument


def read_static(path: str) -> str:
    """The text of one of the app's own static files."""
    found = finders.find(path)
    if not found:
        raise FileNotFoundError(f"static file {path} is missing")
    with open(found, encoding="utf-8") as handle:
        return handle.read()


def render_fragment(document: PolicyDocument, *, embedded: bool = False) -> str:
    """The policy's body (title, contents, sections).

    ``embedded`` demotes the title to a second-level heading for pages that
    have their own (the wizard's preview), so each page keeps one ``h1``.
    """
    return render_to_string("policy/fragment.html", {"document": document, "embedded": embedded})


def render(document: PolicyDocument) -> bytes:
    html = render_to_string(
        "policy/standalone.html",
        {
            "document": document,
            "fragment": render_fragment(document),
            "css": read_static("policy/policy.css"),
        },
    )
    return html.encode("utf-8")
