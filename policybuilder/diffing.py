"""Readable differences between two texts.

``diff_html``: line by line, as safe HTML (the admin's history of clauses). ``sentence_diff``:
sentence by sentence, as data a template shows (the public comparison of policy versions).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from policybuilder.readability import split_sentences

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


# --- Sentence by sentence, as data (the public diff between policy versions) -----------------

# A run of unchanged sentences longer than this is folded away ("12 sentences unchanged").
SHOWN_UNCHANGED = 2
# Below this similarity a changed sentence is a different sentence: no words are marked in it.
MARK_WORDS_ABOVE = 0.5


@dataclass(frozen=True)
class Span:
    """A piece of a sentence; ``marked`` pieces are the words that changed."""

    text: str
    marked: bool = False


@dataclass(frozen=True)
class SentenceChange:
    """One whole sentence: ``"same"``, ``"removed"`` (the old text) or ``"added"`` (the new text)."""

    status: str
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)


@dataclass(frozen=True)
class Passage:
    """Consecutive sentences: all unchanged, or the removed and added sentences of one change."""

    changed: bool
    sentences: tuple[SentenceChange, ...]

    @property
    def folded(self) -> bool:
        """A long unchanged run, shown as a count that opens to the sentences."""
        return not self.changed and len(self.sentences) > SHOWN_UNCHANGED


_LIST_ITEM = re.compile(r"\s*(?:[-*]|\d+\.)\s")


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items of wrapped plain text, each unwrapped onto one line.

    A block ends at a blank line; a list item ("- ", "2. ") starts a new one.
    """
    blocks: list[list[str]] = []
    fresh = True
    for line in text.splitlines():
        if not line.strip():
            fresh = True
            continue
        if fresh or _LIST_ITEM.match(line):
            blocks.append([])
        blocks[-1].append(line.strip())
        fresh = False
    return [" ".join(block) for block in blocks]


def sentences(text: str) -> list[str]:
    """The sentences of a section's plain text (wrapped at 78 columns); a block of no words stays whole."""
    found: list[str] = []
    for block in _blocks(text):
        found += split_sentences(block) or [" ".join(block.split())]
    return found


def sentence_diff(old: str, new: str) -> list[Passage]:
    """``old`` and ``new`` compared sentence by sentence, never word by word.

    A changed sentence is the whole old sentence (removed) followed by the whole new one (added);
    inside them the words that differ are ``marked``, so nothing is ever interleaved.
    """
    a, b = sentences(old), sentences(new)
    passages: list[Passage] = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            passages.append(Passage(False, tuple(SentenceChange("same", (Span(s),)) for s in a[a1:a2])))
            continue
        removed, added = a[a1:a2], b[b1:b2]
        if len(removed) == len(added):  # sentence for sentence: each old one, then its new one
            pairs = [_changed_sentence(o, n) for o, n in zip(removed, added, strict=True)]
            passages.append(Passage(True, tuple(s for pair in pairs for s in pair)))
        else:
            passages.append(
                Passage(
                    True,
                    tuple(SentenceChange("removed", (Span(s),)) for s in removed)
                    + tuple(SentenceChange("added", (Span(s),)) for s in added),
                )
            )
    return passages


def _changed_sentence(old: str, new: str) -> tuple[SentenceChange, SentenceChange]:
    a, b = _words(old), _words(new)
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    if matcher.ratio() < MARK_WORDS_ABOVE:
        return SentenceChange("removed", (Span(old),)), SentenceChange("added", (Span(new),))
    before: list[Span] = []
    after: list[Span] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        equal = op == "equal"
        if a2 > a1:
            before.append(Span("".join(a[a1:a2]), marked=not equal))
        if b2 > b1:
            after.append(Span("".join(b[b1:b2]), marked=not equal))
    return SentenceChange("removed", _merged(before)), SentenceChange("added", _merged(after))


def _joined(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if out and out[-1].marked == span.marked:
            out[-1] = Span(out[-1].text + span.text, span.marked)
        else:
            out.append(span)
    return out


def _merged(spans: list[Span]) -> tuple[Span, ...]:
    """Neighbouring spans of the same kind joined; a space alone between two marks is marked too."""
    out = _joined(spans)
    for i in range(1, len(out) - 1):
        if not out[i].marked and not out[i].text.strip() and out[i - 1].marked and out[i + 1].marked:
            out[i] = Span(out[i].text, marked=True)
    trimmed: list[Span] = []  # the spaces around marked words are not marked
    for span in _joined(out):
        if not span.marked or not span.text.strip():
            trimmed.append(span)
            continue
        core = span.text.strip()
        start = span.text.index(core)
        pieces = [Span(span.text[:start]), Span(core, True), Span(span.text[start + len(core) :])]
        trimmed += [piece for piece in pieces if piece.text]
    return tuple(_joined(trimmed))
