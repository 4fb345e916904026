"""The clause library in the database: loading it, staff edits, and what reading it costs."""

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from policybuilder.assembly import assemble
from policybuilder.clause_library import ClauseSpec, LibraryFileError, SectionSpec, read_library_file
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.selectors import load_library
from policybuilder.library.services import sync_library

pytestmark = pytest.mark.django_db


def test_loading_is_idempotent():
    shipped = read_library_file()
    first = sync_library(shipped)
    assert len(first.created) == len(shipped.sections) + len(shipped.clauses()) + len(shipped.services)
    second = sync_library(shipped)
    assert second.created == [] and second.updated == [] and second.kept_edits == []
    assert Clause.objects.count() == len(shipped.clauses())
    assert Service.objects.filter(kind="analytics").count() >= 12
    assert Service.objects.filter(kind="payment").count() >= 6


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
    assert clause.body.startswith("Our services do not use cookies.") and clause.version == 2


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


def test_loading_the_library_costs_three_queries_whatever_its_size():
    sync_library(read_library_file())
    with CaptureQueriesContext(connection) as small:
        load_library()
    section = Section.objects.create(key="bulk", title="Bulk", order=999)
    Clause.objects.bulk_create(
        Clause(key=f"bulk.{n}", section=section, order=n, body="Text.\n") for n in range(300)
    )
    with CaptureQueriesContext(connection) as large:
        library = load_library()
    assert len(small) == len(large) == 3
    assert len(library.clauses()) == Clause.objects.count()
