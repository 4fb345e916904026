"""How well the clause library and the questionnaire cover each other (the admin's coverage page)."""

from __future__ import annotations

from dataclasses import dataclass, field

from policybuilder.assembly import ASSEMBLY_READS, build_context, select_clauses
from policybuilder.clause_library import Library
from policybuilder.derived import DERIVED
from policybuilder.questionnaire import iter_questions
from policybuilder.samples import named_samples, sample_profiles
from policybuilder.templating import references


@dataclass
class CoverageReport:
    unused_keys: list[str] = field(default_factory=list)
    unused_choices: list[str] = field(default_factory=list)
    unselectable_clauses: list[str] = field(default_factory=list)
    empty_sections: dict[str, list[str]] = field(default_factory=dict)
    # Catalogue entries whose links nobody has checked against the provider's own pages.
    unchecked_services: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.unused_keys or self.unused_choices or self.unselectable_clauses)


def coverage_report(library: Library) -> CoverageReport:
    report = CoverageReport()
    read: set[str] = set()
    mentioned: set[str] = set()
    for section in library.sections:
        if section.condition:
            paths, constants = references(section.condition, is_condition=True)
            read |= paths
            mentioned |= constants
        for clause in section.clauses:
            for source, is_condition in ((clause.body, False), (clause.condition, True)):
                if source:
                    paths, constants = references(source, is_condition=is_condition)
                    read |= paths
                    mentioned |= constants
    # Derived values read answers on the templates' behalf; assembly reads the owner's paragraphs.
    read |= {path for value in DERIVED for path in value.reads}
    read |= set(ASSEMBLY_READS)
    for question in iter_questions():
        if question.review_only:
            continue  # decides the review's list of laws (applicable_laws), not the text
        if question.path not in read:
            report.unused_keys.append(question.path)
        if question.choices:
            report.unused_choices += [
                f"{question.path} = {value}" for value in question.choice_values if value not in mentioned
            ]

    catalogue = library.catalogue_keys()
    selected: set[str] = set()
    for answers in sample_profiles(catalogue).values():
        for _, clauses in select_clauses(library, build_context(library, answers)):
            selected |= {clause.key for clause in clauses}
    report.unselectable_clauses = [
        clause.key for clause in library.clauses() if clause.enabled and clause.key not in selected
    ]

    report.unchecked_services = sorted(s.name for s in library.services if not s.links_checked)

    for name, answers in named_samples(catalogue).items():
        chosen = {section.key for section, _ in select_clauses(library, build_context(library, answers))}
        report.empty_sections[name] = [
            section.title for section in library.sections if section.enabled and section.key not in chosen
        ]
    return report
