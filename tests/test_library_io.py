"""Export and import of the clause library: round trips, dry runs, and refusing broken files."""

import io

import pytest
import yaml
from django.core.management import CommandError, call_command

from policybuilder.clause_library import dump_library, library_from_data, read_library_file
from policybuilder.library.models import Clause, Section
from policybuilder.library.selectors import load_library
from policybuilder.library_diff import library_diff

pytestmark = pytest.mark.django_db


def export(tmp_path):
    path = tmp_path / "library.yaml"
    call_command("export_library", str(path), stderr=io.StringIO())
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_file_round_trip_is_lossless():
    shipped = read_library_file()
    again = library_from_data(yaml.safe_load(dump_library(shipped)))
    assert again.sections == shipped.sections
    assert set(again.services) == set(shipped.services)
    assert library_diff(shipped, again).empty


def test_export_then_import_changes_nothing(db_library, tmp_path):
    Clause.objects.filter(key="cookies.none").update(order=15)  # staff reordered something
    path = export(tmp_path)
    assert "No changes: the database already matches the file." in run("import_library", str(path))
    assert load_library() == load_library()


def test_dry_run_lists_changes_and_changes_nothing(db_library, tmp_path):
    path = export(tmp_path)
    text = path.read_text().replace("Our services do not use cookies.", "We use no cookies whatsoever.")
    text = text.replace("- key: sharing.no-sale", "- key: sharing.no-sale-renamed")
    path.write_text(text)
    out = run("import_library", str(path), "--dry-run")
    assert "change clause cookies.none" in out
    assert "create clause sharing.no-sale-renamed" in out and "not in file clause sharing.no-sale" in out
    assert "Would change: 1 new, 1 changed, 1 not in the file" in out
    assert Clause.objects.get(key="cookies.none").version == 1
    assert not Clause.objects.filter(key="sharing.no-sale-renamed").exists()


def test_import_applies_changes_with_history_and_versions(db_library, tmp_path):
    path = export(tmp_path)
    path.write_text(
        path.read_text().replace("Our services do not use cookies.", "We use no cookies whatsoever.")
    )
    run("import_library", str(path))
    clause = Clause.objects.get(key="cookies.none")
    assert clause.body.startswith("We use no cookies whatsoever.") and clause.version == 2
    assert clause.history.count() == 2


def test_delete_missing_removes_what_the_file_dropped(db_library, tmp_path):
    path = export(tmp_path)
    data = yaml.safe_load(path.read_text())
    security = next(s for s in data["sections"] if s["key"] == "security")
    security["clauses"] = [c for c in security["clauses"] if c["key"] != "security.no-guarantee"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    run("import_library", str(path))
    assert Clause.objects.filter(key="security.no-guarantee").exists()  # kept without the flag
    run("import_library", str(path), "--delete-missing")
    assert not Clause.objects.filter(key="security.no-guarantee").exists()
    assert Section.objects.filter(key="security").exists()


def test_a_broken_import_is_refused_whole(db_library, tmp_path):
    path = export(tmp_path)
    path.write_text(path.read_text().replace("Our services do not use cookies.", "{{ cookies.colour }}"))
    with pytest.raises(
        CommandError, match="clause cookies.none: body: line 1: unknown answer key 'cookies.colour'"
    ):
        run("import_library", str(path))
    assert Clause.objects.get(key="cookies.none").version == 1


def test_delete_missing_keeps_a_service_that_drafts_choose_and_changes_nothing(db_library, tmp_path):
    from policybuilder.drafts.services import create_draft
    from policybuilder.library.models import Service

    create_draft(answers={"tools": {"services": ["plausible"]}})
    path = export(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["services"] = [s for s in data["services"] if s["key"] != "plausible"]
    security = next(s for s in data["sections"] if s["key"] == "security")
    security["clauses"] = [c for c in security["clauses"] if c["key"] != "security.no-guarantee"]
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(CommandError, match="service plausible is chosen in 1 draft"):
        run("import_library", str(path), "--delete-missing")
    assert Service.objects.filter(key="plausible").exists()
    assert Clause.objects.filter(key="security.no-guarantee").exists()  # the whole import was refused
