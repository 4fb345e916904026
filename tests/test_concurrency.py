"""Tabs of one draft saving at the same moment: nothing any of them sent may be lost.

Real threads, each with its own database connection. The first test POSTs
through the real views, released together by a barrier, so the saves overlap
as they happen to. The second makes the overlap certain: one save holds the
draft's row while two others start, so it fails on PostgreSQL if
``draft_save_page`` stops locking the row (SELECT ... FOR UPDATE) before it
re-reads and merges. On SQLite the lock is the database's write lock, taken
when the transaction begins (IMMEDIATE, see settings), so there the test
guards the transaction around the re-read rather than the FOR UPDATE, which
SQLite ignores. CI runs this on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft, draft_save_page
from policybuilder.questionnaire import PAGES_BY_KEY, Page
from tests.support.wizard import form_data

pytestmark = pytest.mark.django_db(transaction=True)

ROUNDS = 8


def _org(name: str) -> dict:
    return {
        "organization": {
            "name": name,
            "website": f"https://{name.lower().replace(' ', '-')}.example",
            "email": f"privacy@{name.lower().replace(' ', '-')}.example",
            "effective_date": "2026-01-01",
        }
    }


def _together(*jobs: Callable[[], int]) -> list[int]:
    """Run the jobs in threads released at the same instant; their results in order."""
    barrier = threading.Barrier(len(jobs))
    results: list[int] = [0] * len(jobs)
    errors: list[BaseException] = []

    def run(index: int, job: Callable[[], int]) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = job()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors
    return results


def _save(token: str, page_key: str, answers: dict) -> Callable[[], int]:
    def post() -> int:
        url = reverse("draft-step", args=[token, page_key])
        return Client().post(url, form_data(PAGES_BY_KEY[page_key], answers)).status_code

    return post


def test_two_tabs_saving_different_pages_at_once_keep_both(loaded_library):
    for round_number in range(ROUNDS):
        draft = create_draft()
        name = f"Tab Race {round_number}"
        cookies = {"cookies": {"use": "yes", "purposes": ["essential", "analytics"], "web_beacons": True}}
        statuses = _together(
            _save(draft.token, "organization", _org(name)),
            _save(draft.token, "cookies", cookies),
        )
        assert statuses == [302, 302]
        close_old_connections()
        saved = Draft.objects.get(pk=draft.pk)
        assert saved.answers["organization"]["name"] == name
        assert saved.answers["cookies"]["use"] == "yes"
        assert saved.answers["cookies"]["purposes"] == ["essential", "analytics"]
        assert saved.answers["cookies"]["web_beacons"] is True
        assert set(saved.completed_pages) == {"organization", "cookies"}


def _organization_values(name: str, email: str) -> dict[str, str]:
    """The organization page as ``draft_save_page`` receives it (answer paths to values)."""
    return {
        "organization.name": name,
        "organization.website": "https://shared.example",
        "organization.email": email,
        "organization.effective_date": "2026-01-01",
    }


COOKIE_VALUES = {
    "cookies.use": "yes",
    "cookies.purposes": ["essential", "analytics"],
    "cookies.web_beacons": True,
}

# How long the first tab keeps the row after the other two have started. Without the lock they
# finish well within it (and the first tab's write then loses theirs); with it they wait for it.
WINDOW_SECONDS = 1.0


def _three_tabs_one_holding_the_row(draft: Draft, first: dict, second: dict) -> None:
    """Tab 1 saves ``first`` and keeps the row until tabs 2 (``second``) and 3 (cookies) have started.

    Tab 1's UPDATE is held back by a database hook, after ``draft_save_page`` has read the
    draft (and, with the lock, locked its row). Tabs 2 and 3 loaded the draft before that and
    save while tab 1 still holds it: with the lock they wait and re-read; without it they read
    the draft as it was, and whichever write lands last drops the others'.
    """
    organization, cookies = PAGES_BY_KEY["organization"], PAGES_BY_KEY["cookies"]
    first_holds_row = threading.Event()
    others_started = [threading.Event(), threading.Event()]
    others_done = [threading.Event(), threading.Event()]
    errors: list[BaseException] = []

    def hold_the_row_before_writing(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("UPDATE") and "drafts_draft" in sql:
            first_holds_row.set()
            for started in others_started:
                assert started.wait(timeout=10), "another tab never started"
            for done in others_done:
                done.wait(timeout=WINDOW_SECONDS)  # without the lock they finish in time
        return execute(sql, params, many, context)

    def first_tab() -> None:
        with connection.execute_wrapper(hold_the_row_before_writing):
            draft_save_page(draft=Draft.objects.get(pk=draft.pk), page=organization, values=first)

    def other_tab(index: int, page: Page, values: dict) -> Callable[[], None]:
        def save() -> None:
            stale = Draft.objects.get(pk=draft.pk)  # what the tab loaded before tab 1 saved
            assert first_holds_row.wait(timeout=10), "tab 1 never reached its write"
            others_started[index].set()
            draft_save_page(draft=stale, page=page, values=values)
            others_done[index].set()

        return save

    def run(job: Callable[[], None]) -> None:
        try:
            job()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)
        finally:
            connections.close_all()

    jobs = [first_tab, other_tab(0, organization, second), other_tab(1, cookies, COOKIE_VALUES)]
    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors


def test_two_tabs_saving_the_same_page_while_a_third_saves_another_lose_nothing(loaded_library):
    """The row lock makes a save wait for one in progress and re-read: this fails without it."""
    for round_number in range(3):
        draft = create_draft()
        first = _organization_values(f"First {round_number}", "first@shared.example")
        second = _organization_values(f"Second {round_number}", "second@shared.example")
        _three_tabs_one_holding_the_row(draft, first, second)

        close_old_connections()
        saved = Draft.objects.get(pk=draft.pk)
        versions = [{path.partition(".")[2]: value for path, value in v.items()} for v in (first, second)]
        # The same page from two tabs: last write wins, and wins whole.
        assert saved.answers["organization"] in versions, saved.answers
        # The other page, saved at the same time, survives, and both pages count as answered.
        assert saved.answers.get("cookies") == {
            "use": "yes",
            "purposes": ["essential", "analytics"],
            "web_beacons": True,
        }, saved.answers
        assert sorted(saved.completed_pages) == ["cookies", "organization"]
