"""Assembly: which clauses a policy contains, and their text.

This is where a clause is selected.  ``assemble`` is a pure function of a
library snapshot and normalised answers; it touches no database and no
request, so the wizard, the command line and the tests share it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from policybuilder import markdown
from policybuilder.answers import Answers
from policybuilder.clause_library import ClauseSpec, Library, SectionSpec
from policybuilder.derived import derived_values
from policybuilder.document import DocumentSection, PolicyDocument, RenderedClause
from policybuilder.locales import locale_for
from policybuilder.summary import summary_section
from policybuilder.templating import (
    answers_view,
    context_names,
    evaluate_condition,
    remembered_weights,
    render_body,
)


class AssemblyError(RuntimeError):
    """A clause failed to render; no partial policy is ever returned."""

    def __init__(self, clause_key: str, problem: str) -> None:
        self.clause_key = clause_key
        self.problem = problem
        super().__init__(f"clause {clause_key!r}: {problem}")


def build_context(library: Library, answers: Answers) -> dict[str, Any]:
    """What clause bodies and conditions can see: the answers, plus the derived values."""
    context = answers_view(answers)
    context.update(derived_values(library, answers))
    return context


class _Inputs:
    """What each clause reads of the context, as a short digest per name, for ``_REMEMBERED``.

    A clause's text is a pure function of its template and the context values it names (answer
    sections, derived values, and ``policy``, which ``spelling`` reads): the same template with
    the same values gives the same text. Values are told apart by their ``repr``, which for the
    plain values a context holds (text, numbers, lists, dicts, frozen dataclasses) differs when
    they differ; each is digested once per assembly, when a clause first names it.
    """

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self.digests: dict[str, bytes] = {}

    def of(self, source: str, *, is_condition: bool) -> tuple[bytes, ...]:
        digests = self.digests
        return tuple(
            digests[name] if name in digests else self._digest(name)
            for name in context_names(source, is_condition)
        )

    def _digest(self, name: str) -> bytes:
        digest = self.digests.get(name)
        if digest is None:
            value = repr(self.context[name]) if name in self.context else ""
            digest = self.digests[name] = hashlib.blake2b(value.encode(), digest_size=16).digest()
        return digest


class _Remembered:
    """Clause texts and condition results already worked out, newest kept (this process)."""

    SIZE = 4096  # a clause's text is ~0.5 KB on average: a few MB at most

    def __init__(self) -> None:
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any) -> Any:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Any, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            if len(self._items) > self.SIZE:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


# When one answer changes (a save, the live preview), only the clauses that read it are rendered
# again: rendering every clause of a large policy took ~40 ms, most of it for text already made.
_REMEMBERED = _Remembered()


def forget_rendered() -> None:
    """Forget every remembered clause text (the benchmark's cold figures start from nothing)."""
    _REMEMBERED.clear()


def _selected(
    item: SectionSpec | ClauseSpec, context: Mapping[str, Any], inputs: _Inputs | None = None
) -> bool:
    if not item.enabled:
        return False
    if inputs is None or not item.condition.strip():
        return evaluate_condition(item.condition, context)
    key = ("condition", item.condition, inputs.of(item.condition, is_condition=True))
    held = _REMEMBERED.get(key)
    if held is None:
        held = evaluate_condition(item.condition, context)
        _REMEMBERED.put(key, held)
    return held


def select_clauses(
    library: Library, context: Mapping[str, Any], inputs: _Inputs | None = None
) -> list[tuple[SectionSpec, list[ClauseSpec]]]:
    """The sections and clauses whose conditions hold, in library order."""
    chosen = []
    for section in sorted(library.sections, key=lambda s: (s.order, s.key)):
        try:
            if not _selected(section, context, inputs):
                continue
        except Exception as exc:  # clause text is untrusted: any failure is its own
            raise AssemblyError(f"section:{section.key}", f"condition failed: {exc}") from exc
        clauses = []
        for clause in sorted(section.clauses, key=lambda c: (c.order, c.key)):
            try:
                if _selected(clause, context, inputs):
                    clauses.append(clause)
            except Exception as exc:  # clause text is untrusted: any failure is its own
                raise AssemblyError(clause.key, f"condition failed: {exc}") from exc
        if clauses:
            chosen.append((section, clauses))
    return chosen


# Markdown parsers take quadratic time over many unclosed brackets; no clause needs more than a few.
MAX_LINK_BRACKETS = 200


def render_clause(
    clause: ClauseSpec, context: Mapping[str, Any], inputs: _Inputs | None = None
) -> RenderedClause:
    if inputs is not None:
        key = ("clause", clause.key, clause.version, clause.body, inputs.of(clause.body, is_condition=False))
        held = _REMEMBERED.get(key)
        if held is None:
            held = render_clause(clause, context)
            _REMEMBERED.put(key, held)
        return held
    try:
        text = render_body(clause.body, context).strip() + "\n"
        if text.count("[") - text.count("\\[") > MAX_LINK_BRACKETS:
            raise ValueError(f"the text has more than {MAX_LINK_BRACKETS} square brackets")
        html = markdown.to_html(text)
    except Exception as exc:  # clause text is untrusted: any failure is its own
        raise AssemblyError(clause.key, f"text failed to render: {exc}") from exc
    return RenderedClause(key=clause.key, version=clause.version, markdown=text, html=html)


# The paragraphs an owner wrote (``extras.own_paragraphs``) are read here, not by clause text.
ASSEMBLY_READS = ("extras.own_paragraphs",)
OWN_PARAGRAPHS_SECTION = ("own-paragraphs", "Other information")
CONTACT_SECTION = "contact"


def own_paragraph(section_key: str, text: str) -> RenderedClause:
    """The owner's own words as a clause: plain text, each blank line a new paragraph, escaped."""
    paragraphs = [p for p in (part.strip() for part in text.replace("\r\n", "\n").split("\n\n")) if p]
    body = "\n\n".join(markdown.escape_lines(p) for p in paragraphs).strip() + "\n"
    return RenderedClause(
        key=f"own.{section_key}", version=0, markdown=body, html=markdown.to_html(body), own_words=True
    )


def _with_own_paragraphs(sections: list[DocumentSection], own: Mapping[str, str]) -> list[DocumentSection]:
    """Each paragraph at the end of its section; those whose section the policy does not have, in a
    closing "Other information" section (nothing the person wrote is ever dropped)."""
    if not own:
        return sections
    present = {section.key for section in sections}
    placed = [
        replace(s, clauses=s.clauses + (own_paragraph(s.key, own[s.key]),)) if s.key in own else s
        for s in sections
    ]
    homeless = [own_paragraph(key, text) for key, text in own.items() if key not in present]
    if homeless:
        key, title = OWN_PARAGRAPHS_SECTION
        other = DocumentSection(key=key, title=title, clauses=tuple(homeless))
        # Before "Contact us", which the introduction promises is the last section.
        last = len(placed) - 1 if placed and placed[-1].key == CONTACT_SECTION else len(placed)
        placed.insert(last, other)
    return placed


def assemble(library: Library, answers: Answers) -> PolicyDocument:
    """Build the policy document for normalised answers (see ``answers.validate_answers``)."""
    context = build_context(library, answers)
    inputs = _Inputs(context)
    sections = []
    with remembered_weights():  # every clause reads the same context: its sizes are counted once
        for section, clauses in select_clauses(library, context, inputs):
            rendered = tuple(
                r
                for r in (render_clause(clause, context, inputs) for clause in clauses)
                if r.markdown.strip()
            )
            if rendered:
                sections.append(DocumentSection(key=section.key, title=section.title, clauses=rendered))
    sections = _with_own_paragraphs(sections, answers["extras"]["own_paragraphs"])
    organization = answers["organization"]
    locale = locale_for(answers)
    return PolicyDocument(
        organization_name=organization["name"],
        website=organization["website"],
        effective_date=dt.date.fromisoformat(organization["effective_date"]),
        sections=tuple(sections),
        summary=summary_section(answers, context, sections),
        language=locale.language,
        paper=locale.paper,
    )


def assemble_cached(library: Library, answers: Answers) -> PolicyDocument:
    """``assemble``, remembered on the library snapshot for these exact answers.

    The wizard builds the same policy on every page view until an answer
    changes; this makes the repeats a lookup.
    """
    return library.memoized(("document", answers_key(answers)), lambda: assemble(library, answers))


def answers_key(answers: Answers) -> str:
    """A canonical text of the answers, equal for equal answers."""
    return json.dumps(answers, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class ClausePreview:
    """How one clause fares for one sample answer set (the admin's preview)."""

    sample: str
    selected: bool
    html: str = ""
    error: str = ""


def preview_clause(library: Library, clause: ClauseSpec, samples: dict[str, Answers]) -> list[ClausePreview]:
    """Whether the clause's condition selects it for each sample, and what it then says."""
    results = []
    for name, answers in samples.items():
        context = build_context(library, answers)
        try:
            if not evaluate_condition(clause.condition, context):
                results.append(ClausePreview(name, selected=False))
                continue
            rendered = render_clause(clause, context)
        except AssemblyError as exc:
            results.append(ClausePreview(name, selected=True, error=exc.problem))
        except Exception as exc:  # clause text is untrusted: any failure is its own
            results.append(ClausePreview(name, selected=False, error=f"condition failed: {exc}"))
        else:
            results.append(ClausePreview(name, selected=True, html=rendered.html))
    return results
