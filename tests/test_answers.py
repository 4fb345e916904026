"""Answers files: validation messages by path, defaults, applicability and the JSON Schema."""

import datetime as dt
import json

import jsonschema
import pytest

from policybuilder.answers import AnswersError, json_schema, prune_answers, validate_answers
from tests.support.examples import EXAMPLES


def problems(data, catalogue, **kwargs):
    with pytest.raises(AnswersError) as info:
        validate_answers(data, catalogue_keys=catalogue, **kwargs)
    return [str(p) for p in info.value.problems]


def test_minimal_answers_get_documented_defaults(minimal_raw, catalogue):
    answers = validate_answers(minimal_raw, catalogue_keys=catalogue)
    assert answers["schema_version"] == 2
    assert answers["cookies"]["use"] == "no"
    assert answers["services"]["kinds"] == ["website"]
    assert answers["collection"]["retention"] == "as_long_as_needed"
    assert answers["policy_changes"] == {"notice_methods": ["website"], "effective_after_days": 0}
    assert answers["rights"]["access"] is False
    assert answers["tools"] == {"services": [], "unlisted": []}


def test_effective_date_defaults_to_today(minimal_raw, catalogue):
    del minimal_raw["organization"]["effective_date"]
    answers = validate_answers(minimal_raw, catalogue_keys=catalogue, today=dt.date(2026, 11, 23))
    assert answers["organization"]["effective_date"] == "2026-11-23"


def test_every_problem_is_reported_at_once_with_its_path(catalogue):
    found = problems(
        {
            "organization": {"name": "", "website": "ftp://x.example", "email": "not-an-email"},
            "cookies": {"use": "sometimes"},
            "breach_notification": {"channels": ["email"], "within_days": 0},
            "rights": {"access": "yes"},
            "colection": {},
        },
        catalogue,
    )
    assert 'cookies.use: "sometimes" is not one of yes, no, maybe_future' in found
    assert "organization.name: is required" in found
    assert (
        'organization.website: "ftp://x.example" is not a web address starting with http:// or https://'
        in found
    )
    assert 'organization.email: "not-an-email" is not an email address' in found
    assert "breach_notification.within_days: must be at least 1, not 0" in found
    assert 'rights.access: must be true or false, not "yes"' in found
    assert any(p.startswith("colection: unknown section") for p in found)


def test_unknown_keys_and_choice_values_are_errors_not_silently_dropped(minimal_raw, catalogue):
    minimal_raw["cookies"] = {"use": "yes", "purpose": ["analytics"]}
    minimal_raw["security"] = {"measures": ["encryption_in_transit", "firewall"]}
    found = problems(minimal_raw, catalogue)
    assert any(
        p.startswith("cookies.purpose: unknown key; expected one of consent, purposes, table, use, web_beacons")
        for p in found
    )
    assert any(p.startswith('security.measures: "firewall" is not one of') for p in found)


@pytest.mark.parametrize(
    ("section", "values", "expected"),
    [
        (
            "organization",
            {"effective_date": "2026-02-30"},
            'organization.effective_date: "2026-02-30" is not a real date',
        ),
        (
            "organization",
            {"effective_date": "1/2/2026"},
            "organization.effective_date: must be a date written YYYY-MM-DD",
        ),
        ("organization", {"name": "x" * 201}, "organization.name: is 201 characters long; the limit is 200"),
        ("organization", {"name": "two\nlines"}, "organization.name: must be on one line"),
        ("organization", {"phone": "call me"}, 'organization.phone: "call me" is not a phone number'),
        ("services", {"kinds": []}, "services.kinds: choose at least 1"),
        ("services", {"kinds": "website"}, "services.kinds: must be a list, not a string"),
        (
            "collection",
            {"personal_data": ["name", "name"]},
            'collection.personal_data: "name" is listed twice',
        ),
        (
            "collection",
            {"retention": "fixed_period"},
            "collection.retention_days: is required when collection.retention is fixed_period",
        ),
        (
            "collection",
            {"retention": "fixed_period", "retention_days": True},
            "collection.retention_days: must be a whole number, not true",
        ),
        (
            "children",
            {"directed_to_children": True},
            "children.parental_consent_method: is required when children.directed_to_children is true",
        ),
        (
            "tools",
            {"unlisted": [{"name": "", "kind": "support"}]},
            "tools.unlisted: service 1: name is required",
        ),
        (
            "tools",
            {"unlisted": [{"name": "Acme Chat", "kind": "chat"}]},
            'tools.unlisted: service 1: "chat" is not a kind (one of analytics, advertising,',
        ),
        (
            "tools",
            {"unlisted": [{"name": "Acme Chat", "kind": "support", "role": "partner"}]},
            'tools.unlisted: service 1: "partner" is not a role (one of processor, third_party, self_hosted, '
            "unknown)",
        ),
        (
            "tools",
            {"unlisted": [{"name": "Acme", "kind": "support", "website": "javascript:alert(1)"}]},
            'tools.unlisted: service 1: website: "javascript:alert(1)" is not a web address',
        ),
        (
            "tools",
            {"unlisted": [{"name": "Acme", "kind": "support"}, {"name": "ACME", "kind": "email"}]},
            'tools.unlisted: service 2: "ACME" is listed twice',
        ),
        (
            "tools",
            {"unlisted": [{"name": "Acme", "kind": "support", "phone": "555"}]},
            "tools.unlisted: service 1: unknown key phone; expected name, company, kind, role, website",
        ),
        (
            "policy_changes",
            {"effective_after_days": -1},
            "policy_changes.effective_after_days: must be at least 0, not -1",
        ),
    ],
)
def test_each_kind_of_bad_value_has_a_clear_message(minimal_raw, catalogue, section, values, expected):
    minimal_raw.setdefault(section, {}).update(values)
    found = problems(minimal_raw, catalogue)
    assert any(p.startswith(expected) for p in found), found


def test_answer_to_a_question_that_does_not_apply_is_an_error_in_files(minimal_raw, catalogue):
    minimal_raw["cookies"] = {"use": "no", "purposes": ["advertising"]}
    minimal_raw["california"] = {"applies": False, "shine_the_light": True}
    found = problems(minimal_raw, catalogue)
    assert (
        "cookies.purposes: only applies when cookies.use is yes or maybe_future; remove it or change that answer"
        in found
    )
    assert any(
        p.startswith("california.shine_the_light: only applies when california.applies is true")
        for p in found
    )


def test_answers_to_skipped_questions_never_reach_normalised_answers(minimal_raw, catalogue):
    """The wizard keeps stale answers when people change their mind; they must not leak."""
    minimal_raw["cookies"] = {"use": "no", "purposes": ["advertising"]}
    minimal_raw["children"] = {"parental_consent_method": "Signed form"}
    answers = validate_answers(minimal_raw, catalogue_keys=catalogue, strict_applicability=False)
    assert answers["cookies"]["purposes"] == []
    assert answers["children"]["parental_consent_method"] == ""


def test_default_values_for_skipped_questions_are_accepted(minimal_raw, catalogue):
    minimal_raw["cookies"] = {"use": "no", "purposes": []}
    minimal_raw["california"] = {"applies": False, "shine_the_light": False}
    assert validate_answers(minimal_raw, catalogue_keys=catalogue)["cookies"]["purposes"] == []


def test_unsupported_schema_version_and_non_object(catalogue):
    assert problems({"schema_version": 3, "organization": {}}, catalogue)[0].startswith(
        "schema_version: 3 is not supported; this version of Policy Builder reads schema_version 2"
    )
    assert problems([1, 2], catalogue) == ["(top level): must be a JSON object, not a list"]
    assert "cookies: must be an object, not a string" in problems({"cookies": "yes"}, catalogue)


def test_chosen_services_are_checked_against_the_catalogue(minimal_raw, catalogue):
    minimal_raw["tools"] = {"services": ["google_analytics", "google-analytics"]}
    found = problems(minimal_raw, catalogue)
    assert any(p.startswith('tools.services: "google-analytics" is not one of') for p in found)


def test_a_service_not_in_the_catalogue_keeps_what_the_person_said_and_defaults_to_an_unknown_role(
    minimal_raw, catalogue
):
    minimal_raw["tools"] = {"unlisted": [{"name": " Acme Chat ", "kind": "support", "company": "Acme Inc."}]}
    answers = validate_answers(minimal_raw, catalogue_keys=catalogue)
    assert answers["tools"]["unlisted"] == [
        {"name": "Acme Chat", "company": "Acme Inc.", "kind": "support", "role": "unknown", "website": ""}
    ]


V1_FILE = {
    "schema_version": 1,
    "organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"},
    "sharing": {"service_providers": True, "payment_processors": ["Stripe", "apple pay", "Corner Bank"]},
    "analytics": {
        "uses_analytics": True,
        "providers": ["google_analytics"],
        "other_providers": ["Our stats"],
    },
}


def test_a_version_1_file_is_read_with_its_services_in_the_one_list(catalogue):
    answers = validate_answers(V1_FILE, catalogue_keys=catalogue)
    assert answers["schema_version"] == 2
    assert answers["tools"]["services"] == ["google_analytics", "stripe", "apple_pay"]
    unknown = {"company": "", "role": "unknown", "website": ""}
    assert answers["tools"]["unlisted"] == [
        {"name": "Our stats", "kind": "analytics", **unknown},
        {"name": "Corner Bank", "kind": "payment", **unknown},
    ]
    assert answers["sharing"]["service_providers"] is True


def test_a_version_1_file_without_its_version_number_is_still_read_as_version_1(catalogue):
    data = {key: value for key, value in V1_FILE.items() if key != "schema_version"}
    assert (
        validate_answers(data, catalogue_keys=catalogue)["tools"]
        == validate_answers(V1_FILE, catalogue_keys=catalogue)["tools"]
    )


def test_names_given_twice_in_version_1_become_one_service(catalogue):
    data = {
        **V1_FILE,
        "sharing": {"payment_processors": ["Corner Bank"]},
        "analytics": {"uses_analytics": True, "other_providers": ["corner bank"]},
    }
    unlisted = validate_answers(data, catalogue_keys=catalogue)["tools"]["unlisted"]
    assert [record["name"] for record in unlisted] == ["corner bank"]


def test_a_version_1_file_that_did_not_use_analytics_names_no_analytics_tools(catalogue):
    data = {**V1_FILE, "analytics": {"uses_analytics": False}, "sharing": {}}
    assert validate_answers(data, catalogue_keys=catalogue)["tools"]["services"] == []


def test_a_version_1_file_with_a_key_it_never_had_is_still_refused(catalogue):
    data = {**V1_FILE, "analytics": {"uses_analytics": True, "provider": ["google_analytics"]}}
    assert any(p.startswith("analytics: unknown section") for p in problems(data, catalogue))


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_validate_and_round_trip_through_prune(path, catalogue):
    answers = validate_answers(json.loads(path.read_text()), catalogue_keys=catalogue)
    pruned = prune_answers(answers)
    assert validate_answers(json.loads(json.dumps(pruned)), catalogue_keys=catalogue) == answers


def test_prune_leaves_out_defaults_and_skipped_answers(make_answers):
    answers = make_answers(cookies={"use": "yes", "purposes": ["essential"]})
    pruned = prune_answers(answers)
    assert pruned["cookies"] == {"use": "yes", "purposes": ["essential"]}
    assert "rights" not in pruned


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_json_schema_accepts_the_examples(path, catalogue):
    schema = json_schema(catalogue_keys=catalogue)
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.Draft202012Validator(schema).validate(json.loads(path.read_text()))


@pytest.mark.parametrize(
    "bad",
    [
        {
            "organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"},
            "cookies": {"use": "sometimes"},
        },
        {"organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"}, "extra": {}},
        {
            "organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"},
            "rights": {"access": "yes"},
        },
        {"organization": {"website": "https://a.example", "email": "a@a.example"}},
        {
            "organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"},
            "tools": {"services": ["nope"]},
        },
    ],
)
def test_json_schema_rejects_what_validation_rejects(bad, catalogue):
    schema = json_schema(catalogue_keys=catalogue)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema)
    with pytest.raises(AnswersError):
        validate_answers(bad, catalogue_keys=catalogue)


def test_answers_reference_in_docs_is_generated_from_the_questionnaire():
    from pathlib import Path

    from policybuilder.answers import reference_markdown

    committed = (Path(__file__).resolve().parent.parent / "docs" / "answers.md").read_text()
    assert committed.strip() == reference_markdown().strip(), (
        "docs/answers.md is out of date: run `python manage.py answers_schema --markdown > docs/answers.md`"
    )


def test_a_service_added_by_hand_that_the_catalogue_lists_is_sent_to_the_list(minimal_raw, catalogue):
    minimal_raw["tools"] = {"unlisted": [{"name": "Google Pay", "kind": "payment"}]}
    assert problems(minimal_raw, catalogue) == [
        'tools.unlisted: service 1: "Google Pay" is in the catalogue (google_pay): choose it there, so the '
        "policy can use what we know about it"
    ]
    minimal_raw["tools"] = {"unlisted": [{"name": "Own Ads", "kind": "advertising", "role": "self_hosted"}]}
    assert "cannot be used for advertising" in problems(minimal_raw, catalogue)[0]
