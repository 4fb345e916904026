"""Writing the clause library: loading the shipped data file into the database.

Loading is idempotent and respects staff: a row that staff edited since it
was last loaded is kept (and reported) unless ``overwrite_edits`` is given;
an untouched row follows the shipped file, so a release that improves a
clause reaches every installation that did not customise it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from policybuilder.clause_library import Library, LibraryFileError
from policybuilder.drafts.selectors import drafts_naming
from policybuilder.library.models import Clause, LibraryRow, Section, Service
from policybuilder.library.selectors import load_library, read_library
from policybuilder.library_checks import check_library
from policybuilder.library_diff import LibraryDiff, library_diff
from policybuilder.questionnaire import questions_offering


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    kept_edits: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        text = (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{self.unchanged} unchanged, {len(self.kept_edits)} kept with staff edits"
        )
        if self.kept_edits:
            text += " (" + ", ".join(self.kept_edits) + "; use --overwrite-edits to replace them)"
        return text


def _hash(values: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()


def _sync_row(
    report: SyncReport,
    model: type[Section] | type[Clause] | type[Service],
    label: str,
    key: str,
    values: dict[str, Any],
    *,
    overwrite_edits: bool,
) -> LibraryRow:
    shipped = _hash({k: getattr(v, "key", v) for k, v in values.items()})
    instance = model._default_manager.filter(key=key).first()
    if instance is None:
        instance = model._default_manager.create(key=key, shipped_hash=shipped, **values)
        report.created.append(f"{label} {key}")
        return instance
    current = _hash({k: getattr(getattr(instance, k), "key", getattr(instance, k)) for k in values})
    if current == shipped:
        if instance.shipped_hash != shipped:
            model._default_manager.filter(pk=instance.pk).update(shipped_hash=shipped)
        report.unchanged += 1
    elif current == instance.shipped_hash or overwrite_edits:
        for name, value in values.items():
            setattr(instance, name, value)
        instance.shipped_hash = shipped
        instance.save()
        report.updated.append(f"{label} {key}")
    else:
        report.kept_edits.append(f"{label} {key}")
    return instance


@transaction.atomic
def sync_library(library: Library, *, overwrite_edits: bool = False) -> SyncReport:
    """Copy a library (normally the shipped data file) into the database.

    Refuses a library with broken clauses before writing anything.
    """
    problems = check_library(library)
    if problems:
        raise LibraryFileError("\n".join(map(str, problems)))
    report = SyncReport()
    _write_library(report, library, overwrite_edits=overwrite_edits)
    after = read_library()
    # Kept staff edits and the new file together must still build every policy.
    problems = check_library(after)
    if problems:
        listed = "\n".join(map(str, problems))
        raise LibraryFileError(f"the library would be broken after loading (nothing was changed):\n{listed}")
    return report


def _write_library(report: SyncReport, library: Library, *, overwrite_edits: bool) -> None:
    for spec in library.sections:
        section = _sync_row(
            report,
            Section,
            "section",
            spec.key,
            spec.editable(),
            overwrite_edits=overwrite_edits,
        )
        for clause in spec.clauses:
            _sync_row(
                report,
                Clause,
                "clause",
                clause.key,
                {"section": section, **clause.editable()},
                overwrite_edits=overwrite_edits,
            )
    for service in library.services:
        _sync_row(
            report,
            Service,
            "service",
            service.key,
            service.editable(),
            overwrite_edits=overwrite_edits,
        )


@transaction.atomic
def import_library(incoming: Library, *, delete_missing: bool = False, dry_run: bool = False) -> LibraryDiff:
    """Make the database library match ``incoming`` (an edited export); returns what changes.

    Unlike loading the shipped file, an import is a deliberate act: it
    replaces staff edits with the file's text.  Rows that are not in the
    file are listed, and deleted only with ``delete_missing``.  Every change
    goes through the models, so history records it and versions go up.
    """
    problems = check_library(incoming)
    if problems:
        raise LibraryFileError("\n".join(map(str, problems)))
    diff = library_diff(load_library(), incoming)
    if dry_run:
        return diff
    sync_library(incoming, overwrite_edits=True)
    if delete_missing:
        in_use = [
            f"service {service.key} is chosen in {count} draft(s)"
            for service in Service.objects.filter(key__in=[i.partition(" ")[2] for i in diff.missing])
            for question in questions_offering(service.kinds)
            if (count := drafts_naming(question.path, service.key))
        ]
        if in_use:
            raise LibraryFileError(
                "not deleting what people's drafts use (nothing was changed): " + "; ".join(in_use)
            )
        for item in diff.missing:
            kind, _, key = item.partition(" ")
            if kind == "clause":
                Clause.objects.filter(key=key).delete()
        for item in diff.missing:
            kind, _, key = item.partition(" ")
            if kind == "section":
                Section.objects.filter(key=key, clauses__isnull=True).delete()
            elif kind == "service":
                Service.objects.filter(key=key).delete()
    return diff
