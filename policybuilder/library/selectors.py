"""Reading the clause library from the database for assembly.

``load_library`` returns plain values, so assembly never queries lazily.
Each process keeps the last snapshot it read, tagged with the library's
revision token: while the token is unchanged a request costs one query (the
token); after any change the next request reads the library again, in three
queries whatever its size (sections, their clauses, services).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch

from policybuilder.clause_library import ClauseSpec, Library, SectionSpec, ServiceSpec
from policybuilder.drafts.selectors import drafts_naming
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.revisions import current_revision
from policybuilder.publishing.selectors import versions_naming
from policybuilder.questionnaire import catalogue_questions

# (revision token, snapshot). Replaced as a whole, so threads never see half of it.
_snapshot: tuple[str, Library] | None = None


def load_library() -> Library:
    """The current library; reused from this process's snapshot while the revision is unchanged."""
    global _snapshot
    revision = current_revision()
    cached = _snapshot
    if revision is not None and cached is not None and cached[0] == revision:
        return cached[1]
    # Read the token before the rows: a write landing in between makes the
    # snapshot newer than its tag, which costs one extra reload, never staleness.
    library = read_library()
    _snapshot = (revision, library) if revision is not None else None
    return library


def read_library() -> Library:
    """The library as stored now, in three queries (no cache)."""
    sections = Section.objects.prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.order_by("order", "key"))
    ).order_by("order", "key")
    return Library(
        sections=tuple(
            SectionSpec(
                key=section.key,
                clauses=tuple(
                    ClauseSpec(
                        key=clause.key,
                        section=section.key,
                        version=clause.version,
                        **{name: getattr(clause, name) for name in ClauseSpec.EDITABLE},
                    )
                    for clause in section.clauses.all()
                ),
                **{name: getattr(section, name) for name in SectionSpec.EDITABLE},
            )
            for section in sections
        ),
        services=tuple(
            ServiceSpec(key=s.key, **{name: getattr(s, name) for name in ServiceSpec.EDITABLE})
            for s in Service.objects.order_by("name", "key")
        ),
    )


def kind_choices_in_use(key: str, kinds: Iterable[str]) -> list[str]:
    """Where live drafts and published versions choose service ``key`` under one of ``kinds``.

    A catalogue question offers the services of one kind, so taking a kind
    away from a service that people chose under it would make their answers
    stop validating (drafts) or no longer match what they published.
    """
    found = []
    for kind in kinds:
        for question in catalogue_questions(kind):
            if count := drafts_naming(question.path, key):
                found.append(f"the kind {kind} is chosen in {count} draft(s) ({question.label})")
            if count := versions_naming(question.path, key):
                found.append(f"the kind {kind} is chosen in {count} published version(s) ({question.label})")
    return found


def removed_kinds_in_use(before: Library, after: Library) -> list[str]:
    """For each service that loses a kind between two libraries, where that kind is still chosen."""
    problems = []
    for old in before.services:
        new = after.service(old.key)
        if new is None:
            continue  # deleting is checked on its own
        removed = [kind for kind in old.kinds if kind not in new.kinds]
        problems += [
            f"service {old.key}: cannot remove a kind: {use}" for use in kind_choices_in_use(old.key, removed)
        ]
    return problems
