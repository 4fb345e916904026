"""Which answers shape which sections of the policy, read from the clause library's templates.

The live preview uses it to show, on each page of the questionnaire, the sections that page's
answers can change (before anything is changed, the person sees where to look). Read from the
templates themselves, so a clause an editor adds is followed without a list to keep up to date.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable

from policybuilder.clause_library import Library, SectionSpec
from policybuilder.derived import DERIVED
from policybuilder.templating import names_read, references

# A derived value computed from a handful of answers ("the analytics tools chosen") is as direct
# as reading them. One computed from many (the laws that apply, from the whole "reach" page)
# touches half the policy, so it counts only for a page that shapes nothing more directly.
_NARROW = 3


@functools.lru_cache(maxsize=4096)
def _paths_read(source: str, *, is_condition: bool, broad: bool) -> frozenset[str]:
    """Remembered by the text: parsing every clause twice took a second of a worker's first page."""
    if not source:
        return frozenset()
    paths, _ = references(source, is_condition=is_condition)
    derived = {value.name: value.reads for value in DERIVED}
    for name in names_read(source, is_condition=is_condition) & derived.keys():
        if broad or len(derived[name]) <= _NARROW:
            paths |= set(derived[name])
    return frozenset(paths)


def _section_reads(section: SectionSpec, *, broad: bool) -> frozenset[str]:
    """Every answer path the section's condition and its enabled clauses read."""
    paths = set(_paths_read(section.condition, is_condition=True, broad=broad))
    for clause in section.clauses:
        if clause.enabled:
            paths |= _paths_read(clause.condition, is_condition=True, broad=broad)
            paths |= _paths_read(clause.body, is_condition=False, broad=broad)
    return frozenset(paths)


def sections_reading(library: Library, paths: Iterable[str]) -> list[str]:
    """The keys of the enabled sections, in policy order, that read any of these answer paths:
    directly where there are any, else through the broad derived values (see ``_NARROW``)."""
    reads = library.memoized(
        ("section_reads",),
        lambda: {
            broad: {s.key: _section_reads(s, broad=broad) for s in library.sections if s.enabled}
            for broad in (False, True)
        },
    )
    wanted = set(paths)
    direct = [key for key, read in reads[False].items() if read & wanted]
    return direct or [key for key, read in reads[True].items() if read & wanted]
