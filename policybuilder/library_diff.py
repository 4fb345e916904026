"""Comparing two libraries: what importing one over the other would create, change or leave out."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from policybuilder.clause_library import Library


@dataclass
class LibraryDiff:
    """What changing one library into another would do, by kind and key."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the current library, not in the new one

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed or self.missing)

    def lines(self) -> list[str]:
        return (
            [f"create {item}" for item in self.created]
            + [f"change {item}" for item in self.changed]
            + [f"not in file {item}" for item in self.missing]
        )


def _rows(library: Library) -> dict[str, tuple[Any, ...]]:
    """Each entry's editable content by "kind key" (clause bodies without surrounding space)."""
    found: dict[str, tuple[Any, ...]] = {}
    for section in library.sections:
        found[f"section {section.key}"] = tuple(section.editable().values())
        for clause in section.clauses:
            content = {**clause.editable(), "body": clause.body.strip()}
            found[f"clause {clause.key}"] = (clause.section, *content.values())
    for service in library.services:
        found[f"service {service.key}"] = tuple(service.editable().values())
    return found


def library_diff(current: Library, incoming: Library) -> LibraryDiff:
    before, after = _rows(current), _rows(incoming)
    return LibraryDiff(
        created=[key for key in after if key not in before],
        changed=[key for key in after if key in before and before[key] != after[key]],
        missing=[key for key in before if key not in after],
    )
