"""Readable differences between two texts, as safe HTML (history of clauses, policy versions)."""

from __future__ import annotations

import difflib
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")


def _words(line: str) -> list[str]:
    return _TOKENS.findall(line)


def diff_html(old: str, new: str) -> SafeString:
    """Line by line; inside a changed line, removed words in <del> and added words in <ins>.

    Everything from the texts is escaped; only our own tags are markup.
    """
    out: list[str] = []
    old_lines, new_lines = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            out += [f'<div class="diff-same">{escape(line) or "&nbsp;"}</div>' for line in old_lines[a1:a2]]
        elif op == "replace" and a2 - a1 == b2 - b1:
            for old_line, new_line in zip(old_lines[a1:a2], new_lines[b1:b2], strict=True):
                out.append(f'<div class="diff-changed">{_word_diff(old_line, new_line)}</div>')
        else:
            out += [f'<div class="diff-removed"><del>{escape(line)}</del></div>' for line in old_lines[a1:a2]]
            out += [f'<div class="diff-added"><ins>{escape(line)}</ins></div>' for line in new_lines[b1:b2]]
    return mark_safe("\n".join(out))  # noqa: S308 (every piece of text above is escaped)


def _word_diff(old: str, new: str) -> str:
    a, b = _words(old), _words(new)
    parts: list[str] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(a[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(a[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(b[b1:b2]))}</ins>")
    return "".join(parts)
