"""The library and the questionnaire cover each other.

Every clause is selected by some sample answers, and every answer (every key,
every choice value) changes the policy somewhere: an answer that changed
nothing would be a question the policy silently ignores.
"""

import copy

import pytest

from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.library_checks import check_library
from policybuilder.locales import locale_for
from policybuilder.questionnaire import Kind, iter_questions
from policybuilder.samples import everything_raw, sample_profiles


def rendered(library, answers) -> str:
    return "\n".join(f"{s.title}\n{s.markdown}" for s in assemble(library, answers).sections)


def test_shipped_library_passes_its_own_checks(library):
    assert check_library(library) == []


def test_every_clause_is_selected_by_some_sample(library, catalogue):
    used = set()
    for answers in sample_profiles(catalogue).values():
        used |= {key for key, _ in assemble(library, answers).clause_versions}
    assert {c.key for c in library.clauses()} - used == set()


def variants(question, value, catalogue):
    """Other values of one answer, each changing only that answer."""
    if question.kind is Kind.BOOL:
        return [not value]
    if question.kind is Kind.CHOICE:
        return [v for v in question.choice_values if v != value]
    if question.kind in (Kind.MULTI, Kind.CATALOGUE, Kind.SERVICE_RECORDS, Kind.COOKIE_RECORDS):
        return [[item for item in value if item != dropped] for dropped in value]
    if question.kind is Kind.INT:
        return [value + 1 if question.max_value is None or value < question.max_value else value - 1]
    if question.kind is Kind.DATE:
        return ["2027-02-03"]
    if question.kind in (Kind.URL,):
        return ["https://other.example/terms"]
    if question.kind is Kind.EMAIL:
        return ["other@other.example"]
    if question.kind is Kind.PHONE:
        return ["+44 20 7946 0000"]
    if question.kind is Kind.COUNTRY:
        return ["DE"]
    if question.kind is Kind.OWN_PARAGRAPHS:
        return [{}, {key: "Different words entirely." for key in value}]
    return ["Different words entirely."]


# Questions that decide only the review's list of laws are tested in tests/test_applicable_laws.py.
QUESTIONS = [q for q in iter_questions() if not q.review_only]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.path)
def test_every_answer_changes_the_policy(question, library, catalogue):
    base_raw = everything_raw(catalogue)
    # Start from a profile where this question applies and its list has room to shrink.
    if question.path == "collection.retention_days":
        base_raw["collection"]["retention"] = "fixed_period"
    if question.path in (
        "california.third_party_tracking_allowed",
        "children.separate_disclosure_consent",
        "children.internal_operations",
    ):
        # With a tool that tracks across sites the policy says so whatever the answer (the facts win),
        # and a children's service makes no COPPA promise beside advertising or tracking tools.
        base_raw["tools"] = {"services": ["plausible"], "unlisted": []}
    if question.path == "us_privacy.knows_under_16":
        # Children under 13 are under 16 too: the COPPA answers already say so.
        base_raw["children"] = {"directed_to_children": False, "knowingly_collects_under_13": False}
    if question.path == "services.hosted_on_public_cloud":
        # A hosting service in the list already says who hosts the site: the answer adds nothing.
        base_raw["tools"] = {"services": ["plausible"], "unlisted": []}
    if question.path == "gdpr.german_state":
        base_raw["organization"]["country"] = "DE"  # asked only of a business in Germany
    if question.path == "breach_notification.individual_redress":
        # Where the GDPR applies, the right to complain to a supervisory authority takes its place.
        base_raw["reach"]["europe"] = []
    base = validate_answers(base_raw, catalogue_keys=catalogue, strict_applicability=False)
    assert question.applies(base), f"{question.path} does not apply in the base profile"
    before = rendered(library, base)
    value = base[question.section][question.key]
    for other in variants(question, value, catalogue):
        if question.kind in (Kind.MULTI, Kind.CATALOGUE) and len(other) < question.min_items:
            continue
        raw = copy.deepcopy(base_raw)
        raw[question.section][question.key] = other
        changed = validate_answers(raw, catalogue_keys=catalogue, strict_applicability=False)
        if question.path == "organization.english" and locale_for(changed) == locale_for(base):
            continue  # "US English" for a US business is what "follow my country" already gives
        assert rendered(library, changed) != before, f"{question.path}={other!r} changes nothing"
