"""Two tabs of one draft saving at the same moment: nothing either of them sent may be lost.

Real threads, each with its own database connection, POST through the real
views; a barrier releases them together so the saves overlap. CI runs this
on SQLite and on PostgreSQL (where the row lock is a real SELECT ... FOR UPDATE).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connections
from django.test import Client
from django.urls import reverse

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft
from policybuilder.questionnaire import PAGES_BY_KEY
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


def test_two_tabs_saving_the_same_page_at_once_leave_one_whole_version(loaded_library):
    for round_number in range(ROUNDS):
        draft = create_draft()
        first, second = _org(f"First {round_number}"), _org(f"Second {round_number}")
        statuses = _together(
            _save(draft.token, "organization", first),
            _save(draft.token, "organization", second),
        )
        assert statuses == [302, 302]
        saved = Draft.objects.get(pk=draft.pk).answers["organization"]
        # Last write wins, and wins whole: never one tab's name with the other's address.
        winner = first if saved["name"] == first["organization"]["name"] else second
        for key, value in winner["organization"].items():
            assert saved[key] == value
        assert saved["name"] in (first["organization"]["name"], second["organization"]["name"])
        assert Draft.objects.get(pk=draft.pk).completed_pages == ["organization"]
