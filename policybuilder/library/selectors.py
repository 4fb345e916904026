"""Reading the clause library from the database for assembly.

``load_library`` returns plain values, so assembly never queries lazily.
Each process keeps the last snapshot it read, tagged with the library's
revision token: while the token is unchanged a request costs one query (the
token); after any change the next request reads the library again, in three
queries whatever its size (sections, their clauses, services).
"""

from __future__ import annotations

from django.db.models import Prefetch

from policybuilder.clause_library import ClauseSpec, Library, SectionSpec, ServiceSpec
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.revisions import current_revision

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
