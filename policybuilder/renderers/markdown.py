"""Markdown output: the clause Markdown, with a title, contents and anchors.

Every title is escaped: section titles are written by staff, and nothing they
type may become Markdown or HTML in the download.
"""

from __future__ import annotations

from policybuilder.document import PolicyDocument
from policybuilder.markdown import escape


def render(document: PolicyDocument) -> bytes:
    lines = [
        f"# {escape(document.full_title)}",
        "",
        f"*Effective date: {document.effective_date_text()}*",
        "",
        "## Contents",
        "",
    ]
    lines += [
        f"{n}. [{escape(section.title, link_text=True)}](#{section.anchor})"
        for n, section in enumerate(document.parts, 1)
    ]
    for section in document.parts:
        lines += [
            "",
            f'<a id="{section.anchor}"></a>',
            "",
            f"## {escape(section.title)}",
            "",
            section.markdown.strip(),
            "",
            "[Back to top](#contents)",
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")
