"""The clause library in the database: loading it, staff edits, and what reading it costs."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policybuilder.assembly import assemble
from policybuilder.clause_library import ClauseSpec, LibraryFileError, SectionSpec, read_library_file
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.revisions import library_changed
from policybuilder.library.selectors import load_library, read_library
from policybuilder.library.services import sync_library

pytestmark = pytest.mark.django_db


def test_loading_is_idempotent():
    shipped = read_library_file()
    first = sync_library(shipped)
    assert len(first.created) == len(shipped.sections) + len(shipped.clauses()) + len(shipped.services)
    second = sync_library(shipped)
    assert second.created == [] and second.updated == [] and second.kept_edits == []
    assert Clause.objects.count() == len(shipped.clauses())
    assert Service.objects.filter(kinds__icontains='"analytics"').count() >= 12
    assert Service.objects.filter(kinds__icontains='"payment"').count() >= 6


def test_database_library_builds_the_same_policy_as_the_file(make_answers):
    shipped = read_library_file()
    sync_library(shipped)
    answers = make_answers(cookies={"use": "yes", "purposes": ["analytics"]}, california={"applies": True})
    assert assemble(load_library(), answers) == assemble(shipped, answers)


def test_staff_edits_survive_reloading_unless_overwritten():
    shipped = read_library_file()
    sync_library(shipped)
    Clause.objects.filter(key="cookies.none").update(body="We never use cookies, ever.\n")
    report = sync_library(shipped)
    assert report.kept_edits == ["clause cookies.none"]
    assert Clause.objects.get(key="cookies.none").body == "We never use cookies, ever.\n"
    report = sync_library(shipped, overwrite_edits=True)
    assert report.updated == ["clause cookies.none"]
    clause = Clause.objects.get(key="cookies.none")
    # The shipped text is version 1's text: its number again (policies built from it are up to date).
    assert clause.body.startswith("Our services do not use cookies.") and clause.version == 1


def test_a_new_text_gets_a_number_no_earlier_text_had():
    sync_library(read_library_file())
    clause = Clause.objects.get(key="cookies.none")
    original = clause.body
    for body, expected in (("Text two.", 2), ("Text three.", 3), (original, 1), ("Text four.", 4)):
        clause.body = body
        clause.save()
        assert clause.version == expected, body
    clause.body, clause.enabled = "Text four.\n", False  # whitespace around it and the switch: no new text
    clause.save()
    assert clause.version == 4


def test_untouched_clauses_follow_a_new_shipped_version():
    shipped = read_library_file()
    sync_library(shipped)
    improved = dataclasses.replace(
        shipped,
        sections=tuple(
            dataclasses.replace(
                section,
                clauses=tuple(
                    dataclasses.replace(c, body="Our services use no cookies at all.\n")
                    if c.key == "cookies.none"
                    else c
                    for c in section.clauses
                ),
            )
            for section in shipped.sections
        ),
    )
    report = sync_library(improved)
    assert report.updated == ["clause cookies.none"] and report.kept_edits == []
    assert Clause.objects.get(key="cookies.none").version == 2


def test_a_broken_library_is_refused_and_nothing_is_written():
    shipped = read_library_file()
    broken = dataclasses.replace(
        shipped,
        sections=shipped.sections
        + (
            SectionSpec(
                "broken",
                "Broken",
                999,
                clauses=(ClauseSpec("broken.one", "broken", 1, "{{ cookies.flavour }}"),),
            ),
        ),
    )
    with pytest.raises(
        LibraryFileError, match="clause broken.one: body: line 1: unknown answer key 'cookies.flavour'"
    ):
        sync_library(broken)
    assert Section.objects.count() == 0 and Clause.objects.count() == 0


def test_loading_the_library_costs_four_queries_whatever_its_size_then_one_while_unchanged():
    sync_library(read_library_file())
    with CaptureQueriesContext(connection) as small:
        load_library()
    with CaptureQueriesContext(connection) as again:
        assert load_library() is load_library()
    section = Section.objects.create(key="bulk", title="Bulk", order=999)
    Clause.objects.bulk_create(
        Clause(key=f"bulk.{n}", section=section, order=n, body="Text.\n") for n in range(300)
    )
    library_changed()
    with CaptureQueriesContext(connection) as large:
        library = load_library()
    assert len(small) == len(large) == 4  # the revision token, sections, clauses, services
    assert len(again) == 2  # the token, twice
    assert len(library.clauses()) == Clause.objects.count()


def _edit_through_queryset_update() -> None:
    Clause.objects.filter(key="cookies.none").update(body="Edited.\n")
    library_changed()  # what every code path that bypasses save() must do


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda: Clause.objects.get(key="cookies.none").delete(), id="model-delete"),
        pytest.param(lambda: Service.objects.filter(key="plausible").delete(), id="queryset-delete"),
        pytest.param(lambda: Section.objects.filter(key="cookies").first().save(), id="section-save"),
        pytest.param(_edit_through_queryset_update, id="queryset-update"),
    ],
)
def test_a_cached_snapshot_is_never_served_after_the_library_changes(change):
    sync_library(read_library_file())
    before = load_library()
    change()
    after = load_library()
    assert after is not before and after == read_library()


def test_saving_a_clause_through_the_model_invalidates_every_snapshot():
    sync_library(read_library_file())
    before = load_library()
    clause = Clause.objects.get(key="cookies.none")
    clause.enabled = False
    clause.save()
    after = load_library()
    assert after is not before
    assert not {c.key: c for c in after.clauses()}["cookies.none"].enabled
