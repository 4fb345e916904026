"""Input at the edges: numbers too long for int(), and line breaks or direction marks in one-line fields."""

from __future__ import annotations

import pytest
from django.urls import reverse

from policybuilder.answers import normalise_answers
from policybuilder.drafts.services import create_draft

DIGITS = {"ascii": "7" * 4301, "arabic-indic": "\u0667" * 4301}


@pytest.mark.django_db
@pytest.mark.parametrize("digits", DIGITS.values(), ids=DIGITS.keys())
@pytest.mark.parametrize("view", ["draft-step", "draft-preview"])
def test_a_number_with_thousands_of_digits_gets_a_message_not_a_500(client, db_library, digits, view):
    draft = create_draft()
    data = {"policy_changes__effective_after_days": digits, "action": "next"}
    response = client.post(reverse(view, args=[draft.token, "changes"]), data)
    assert response.status_code == 200
    if view == "draft-step":
        assert "must be a whole number" in response.content.decode().lower()


@pytest.mark.parametrize(
    "name", ["Acme\r# Injected heading", "Acme\x85# Injected", "Acme\u2028# Injected", "Acme\u2029# Injected"]
)
def test_one_line_fields_refuse_every_kind_of_line_break(catalogue, minimal_raw, name):
    minimal_raw["organization"]["name"] = name
    _, problems = normalise_answers(minimal_raw, catalogue_keys=catalogue)
    assert [str(p) for p in problems] == ["organization.name: must be on one line"]


def test_one_line_fields_refuse_direction_overrides(catalogue, minimal_raw):
    minimal_raw["organization"]["name"] = "Acme \u202egnihsihp"
    _, problems = normalise_answers(minimal_raw, catalogue_keys=catalogue)
    assert [str(p) for p in problems] == [
        "organization.name: contains invisible characters that change the direction of the text"
    ]


def test_names_lists_refuse_line_breaks_too(catalogue, minimal_raw):
    raw = {**minimal_raw, "tools": {"unlisted": [{"name": "Stripe\r# Injected", "kind": "payment"}]}}
    _, problems = normalise_answers(raw, catalogue_keys=catalogue)
    assert "contains line breaks or invisible control characters" in str(problems[0])


def test_several_line_fields_keep_their_lines_as_plain_line_breaks(catalogue, minimal_raw):
    minimal_raw["organization"]["postal_address"] = "1 Main St\r\u2028Springfield"
    answers, problems = normalise_answers(minimal_raw, catalogue_keys=catalogue)
    assert problems == [] and answers["organization"]["postal_address"] == "1 Main St\n\nSpringfield"
