"""Plain-text output: numbered, underlined headings and paragraphs wrapped at 78 columns.

The clause Markdown is parsed (not pattern-matched) so that escapes vanish,
links become "text <address>" and lists keep a hanging indent.
"""

from __future__ import annotations

import textwrap

from markdown_it.token import Token

from policybuilder.document import PolicyDocument
from policybuilder.markdown import parse

WIDTH = 78


def render(document: PolicyDocument) -> bytes:
    title = document.full_title
    out = [title, "=" * min(len(title), WIDTH), "", f"Effective date: {document.effective_date_text()}", ""]
    out += ["Contents", ""]
    out += [f"  {n}. {section.title}" for n, section in enumerate(document.parts, 1)]
    for n, section in enumerate(document.parts, 1):
        heading = f"{n}. {section.title}"
        out += ["", "", heading, "-" * len(heading), ""]
        out += markdown_to_text(section.markdown)
    return ("\n".join(out).rstrip() + "\n").encode("utf-8")


def inline_text(token: Token) -> str:
    """The visible text of an inline token; links keep their address."""
    parts: list[str] = []
    open_links: list[tuple[str, int]] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type == "softbreak":
            parts.append(" ")
        elif child.type == "hardbreak":
            parts.append("\n")
        elif child.type == "link_open":
            open_links.append((str(child.attrs.get("href", "")), len(parts)))
        elif child.type == "link_close" and open_links:
            href, start = open_links.pop()
            text = "".join(parts[start:])
            del parts[start:]
            address = href.removeprefix("mailto:")
            # A link within the policy ("More: Contact us") reads as a cross-reference on paper.
            parts.append(text if text == address or href.startswith("#") else f"{text} <{address}>")
    return "".join(parts)


def markdown_to_text(source: str) -> list[str]:
    lines: list[str] = []
    bullet_stack: list[str] = []
    counters: list[int] = []
    table: _Table | None = None
    for token in parse(source):
        if token.type == "table_open":
            table = _Table()
            continue
        if table is not None:
            if token.type == "table_close":
                lines += table.lines() + [""]
                table = None
            else:
                table.take(token)
            continue
        if token.type == "bullet_list_open":
            bullet_stack.append("-")
            counters.append(0)
        elif token.type == "ordered_list_open":
            bullet_stack.append("1")
            counters.append(0)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            bullet_stack.pop()
            counters.pop()
            lines.append("")
        elif token.type == "list_item_open":
            counters[-1] += 1
        elif token.type == "heading_open":
            pass
        elif token.type == "inline":
            text = inline_text(token)
            if bullet_stack:
                marker = "- " if bullet_stack[-1] == "-" else f"{counters[-1]}. "
                indent = "  " * (len(bullet_stack) - 1)
                lines += _wrap(text, indent + marker, indent + " " * len(marker))
            else:
                lines += _wrap(text, "", "")
                lines.append("")
    while lines and lines[-1] == "":
        lines.pop()
    # Collapse runs of blank lines left by nested blocks.
    result: list[str] = []
    for line in lines:
        if line == "" and result and result[-1] == "":
            continue
        result.append(line)
    return result


def _wrap(text: str, first: str, rest: str) -> list[str]:
    wrapped: list[str] = []
    for index, paragraph_line in enumerate(text.split("\n")):
        wrapped += textwrap.wrap(
            paragraph_line,
            WIDTH,
            initial_indent=first if index == 0 else rest,
            subsequent_indent=rest,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [first.rstrip()]
    return wrapped


class _Table:
    """A table on paper: each row a block, its first cell as the block's title and the others as
    "Heading: value" lines (five columns do not fit 78 characters side by side)."""

    def __init__(self) -> None:
        self.headings: list[str] = []
        self.rows: list[list[str]] = []
        self._in_head = False

    def take(self, token: Token) -> None:
        if token.type == "thead_open":
            self._in_head = True
        elif token.type == "thead_close":
            self._in_head = False
        elif token.type == "tr_open" and not self._in_head:
            self.rows.append([])
        elif token.type == "inline":
            (self.headings if self._in_head else self.rows[-1]).append(inline_text(token))

    def lines(self) -> list[str]:
        out: list[str] = []
        for row in self.rows:
            if not row:
                continue
            out += _wrap(row[0], "", "  ")
            for heading, cell in zip(self.headings[1:], row[1:], strict=False):
                out += _wrap(f"{heading}: {cell}", "  ", "    ")
            out.append("")
        return out[:-1]
