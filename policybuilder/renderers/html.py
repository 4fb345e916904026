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


def render_fragment(document: PolicyDocument) -> str:
    """The policy's body (contents and sections), for embedding in the app's own pages."""
    return render_to_string("policy/fragment.html", {"document": document})


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
