"""Checking the clause library before any of it is saved or loaded.

This module sits above assembly: a clause is only accepted once it has been
checked statically (syntax, unknown names, answer keys and choice values, raw
HTML; see ``templating.check_template``) and then rendered against every
sample answer set (``samples.sample_profiles``, worst cases included), so a
clause that would fail for some person is refused when it is written.
The loader, the importer and the admin's forms all call these functions.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, replace

from policybuilder.assembly import AssemblyError, assemble
from policybuilder.catalogue import fact_problems
from policybuilder.clause_library import ClauseSpec, Library, SectionSpec, ServiceSpec, service_url_problem
from policybuilder.samples import sample_profiles
from policybuilder.templating import check_template

TRIAL_SECTION = "trial"


@dataclass(frozen=True)
class LibraryProblem:
    """One problem, naming the entry ("clause cookies.intro") and the field it is in."""

    item: str
    field: str  # "body", "condition" or "" (a trial render, which may fail in either)
    message: str

    def __str__(self) -> str:
        return f"{self.item}: {self.field}: {self.message}" if self.field else f"{self.item}: {self.message}"


def _template_problems(item: str, field: str, source: str, *, is_condition: bool) -> list[LibraryProblem]:
    if is_condition and not source.strip():
        return []
    found = check_template(source, is_condition=is_condition)
    return [LibraryProblem(item, field, str(problem)) for problem in found]


def service_problems(service: ServiceSpec) -> list[LibraryProblem]:
    """A catalogue entry's facts outside their vocabularies or shapes, and addresses no link could use."""
    item = f"service {service.key}"
    problems = [LibraryProblem(item, field, message) for field, message in fact_problems(service)]
    for field in ServiceSpec.URL_FIELDS:
        url = getattr(service, field)
        if url and (message := service_url_problem(url)):
            problems.append(LibraryProblem(item, field, message))
    return problems


def static_problems(library: Library) -> list[LibraryProblem]:
    """The problems each service, section condition, clause body and clause condition has on its own."""
    problems: list[LibraryProblem] = [p for service in library.services for p in service_problems(service)]
    for section in library.sections:
        item = f"section {section.key}"
        if not section.title.strip() or not section.title.isprintable():
            message = "must be one line of text, without control characters"
            problems.append(LibraryProblem(item, "title", message))
        problems += _template_problems(item, "condition", section.condition, is_condition=True)
    for clause in library.clauses():
        item = f"clause {clause.key}"
        problems += _template_problems(item, "body", clause.body, is_condition=False)
        problems += _template_problems(item, "condition", clause.condition, is_condition=True)
    return problems


def trial_render_problems(library: Library) -> list[LibraryProblem]:
    """Assemble every sample profile; report each clause that fails to render, once per sample."""
    problems: set[LibraryProblem] = set()
    for name, answers in sample_profiles(library.catalogue_keys()).items():
        try:
            assemble(library, answers)
        except AssemblyError as exc:
            message = f"fails for sample '{name}': {exc.problem}"
            problems.add(LibraryProblem(f"clause {exc.clause_key}", "", message))
    return sorted(problems, key=str)


def check_library(library: Library) -> list[LibraryProblem]:
    """Every problem in a library, each naming its entry: static checks first, then trial renders.

    Remembered for the last few libraries checked (a library is a frozen value, and the trial
    renders depend on it and on the date alone): loading the library checks the file and then the
    database's copy, which is usually equal, and tests load the same library again and again.
    """
    return list(_check_library(library, dt.date.today()))


@functools.lru_cache(maxsize=4)
def _check_library(library: Library, today: dt.date) -> tuple[LibraryProblem, ...]:
    return tuple(static_problems(library) or trial_render_problems(library))


def clause_trial_library(clause: ClauseSpec, library: Library) -> Library:
    """A library holding only ``clause`` (in a section that always applies) and the catalogue."""
    trial = replace(clause, section=TRIAL_SECTION)
    return Library(
        sections=(SectionSpec(TRIAL_SECTION, "Trial", 0, clauses=(trial,)),), services=library.services
    )


def check_clause(clause: ClauseSpec, library: Library) -> list[LibraryProblem]:
    """The problems of one clause as an editor wrote it, checked against the library's catalogue.

    The clause is checked on its own (its section's condition does not hide
    it), so a clause that would fail once its section applies is refused too.
    """
    return check_library(clause_trial_library(clause, library))


# --- A library as it would be after one write -------------------------------------------
# Every write path (the admin's forms, its list columns and bulk actions, the
# loader and the importer) checks the whole library as it would be after the
# write, so an edit that breaks any policy (a section condition, a catalogue
# address a clause links to) is refused before it is saved.


def with_clauses(library: Library, clauses: list[ClauseSpec]) -> Library:
    """``library`` with these clauses in their sections, each replacing the clause of its key."""
    old_keys = {c.key for c in clauses}
    sections = []
    for section in library.sections:
        kept = tuple(c for c in section.clauses if c.key not in old_keys)
        added = tuple(c for c in clauses if c.section == section.key)
        sections.append(replace(section, clauses=kept + added))
    return replace_sections(library, sections)


def with_section(library: Library, section: SectionSpec) -> Library:
    """``library`` with this section's title, order, condition and state (keeping its clauses)."""
    sections, found = [], False
    for current in library.sections:
        if current.key == section.key:
            sections.append(replace(section, clauses=current.clauses))
            found = True
        else:
            sections.append(current)
    if not found:
        sections.append(section)
    return replace_sections(library, sections)


def with_service(library: Library, service: ServiceSpec) -> Library:
    services = [s for s in library.services if s.key != service.key] + [service]
    return Library(sections=library.sections, services=tuple(services))


def replace_sections(library: Library, sections: list[SectionSpec]) -> Library:
    return Library(sections=tuple(sections), services=library.services)
