"""Markdown output: the clause Markdown, with a title, contents and anchors."""

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
    lines += [f"{n}. [{section.title}](#{section.anchor})" for n, section in enumerate(document.sections, 1)]
    for section in document.sections:
        lines += [
            "",
            f'<a id="{section.anchor}"></a>',
            "",
            f"## {section.title}",
            "",
            section.markdown.strip(),
            "",
            "[Back to top](#contents)",
        ]
    return ("\n".join(lines) + "\n").encode("utf-8")
