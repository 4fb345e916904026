"""What the wizard derives from a draft's stored answers, without HTTP: merging a page, the review's lists."""

from __future__ import annotations

from policybuilder.answers import merge_page_values, prune_answers, validate_answers
from policybuilder.questionnaire import PAGES, PAGES_BY_KEY, QUESTIONS_BY_PATH
from policybuilder.wizard import Attention, wizard_state
from tests.support.examples import example_raw

NAME_LABEL = QUESTIONS_BY_PATH["organization.name"].label


def test_merging_a_page_changes_only_its_keys_and_leaves_the_stored_answers_alone():
    stored = {
        "organization": {"name": "Acme", "email": "a@acme.example"},
        "cookies": {"purposes": ["essential"]},
    }
    merged = merge_page_values(
        stored, {"cookies.purposes": ["analytics"], "children.directed_to_children": True}
    )
    assert merged == {
        "organization": {"name": "Acme", "email": "a@acme.example"},
        "cookies": {"purposes": ["analytics"]},
        "children": {"directed_to_children": True},
    }
    merged["organization"]["name"] = "Changed"
    assert stored == {
        "organization": {"name": "Acme", "email": "a@acme.example"},
        "cookies": {"purposes": ["essential"]},
    }


ORGANIZATION = {"name": "Acme", "website": "https://acme.example", "email": "privacy@acme.example"}


def test_current_values_show_the_persons_own_answers_even_to_questions_that_no_longer_apply(catalogue):
    raw = {"organization": ORGANIZATION, "cookies": {"use": "no", "purposes": ["analytics"]}}
    state = wizard_state(raw, ["organization", "cookies"], catalogue_keys=catalogue)
    current = state.current_values(raw)
    assert current["cookies"] == {
        "use": "no",
        "purposes": ["analytics"],
        "consent": None,
        "web_beacons": None,
        "table": [],
    }
    assert current["collection"]["retention"] is None  # unanswered: nothing chosen, not the default
    assert current["collection"]["personal_data"] == []  # a check-box list starts empty
    assert state.answers["cookies"]["purposes"] != ["analytics"]  # the policy never sees it


def test_attention_lists_unsaved_and_invalid_pages_with_sentences_naming_the_question(catalogue):
    raw = {"organization": {**ORGANIZATION, "name": ""}}
    state = wizard_state(raw, ["organization"], catalogue_keys=catalogue)
    first, second = state.attention[:2]
    assert first == Attention(PAGES_BY_KEY["organization"], [f"{NAME_LABEL} An answer is required."], False)
    assert second == Attention(state.pages[1], [], True)
    assert [item.page for item in state.attention] == state.pages  # nothing else is finished
    answered = prune_answers(
        validate_answers({"organization": ORGANIZATION}, catalogue_keys=catalogue), keep_defaults=True
    )
    finished = wizard_state(answered, [p.key for p in PAGES], catalogue_keys=catalogue)
    assert finished.attention == []


def test_a_saved_page_with_a_yes_no_question_never_answered_needs_attention_not_a_default(catalogue):
    """Marking pages done is not answering them: nothing defaults to "No" for the person."""
    state = wizard_state({"organization": ORGANIZATION}, [p.key for p in PAGES], catalogue_keys=catalogue)
    sharing = next(item for item in state.attention if item.page.key == "sharing")
    label = QUESTIONS_BY_PATH["sharing.sells_personal_data"].label
    assert f"{label} Not answered yet: choose an answer." in sharing.problems
    assert not state.ready
    rows = dict(state.review())[PAGES_BY_KEY["sharing"]]
    assert {row.shown for row in rows if row.question.kind.name == "bool"} == {"Not answered yet"}


def test_earlier_answers_suggest_an_answer_without_choosing_it(catalogue):
    raw = {"organization": ORGANIZATION, "collection": {"sources": ["newsletter"]}}
    state = wizard_state(raw, ["organization", "collection"], catalogue_keys=catalogue)
    question = QUESTIONS_BY_PATH["email_marketing.sends_commercial_email"]
    suggestion = state.suggestions([question])[question.path]
    assert suggestion.value is True and "newsletter" in suggestion.because
    assert state.current_values(raw)["email_marketing"]["sends_commercial_email"] is None
    answered = {**raw, "email_marketing": {"sends_commercial_email": False}}
    later = wizard_state(
        answered, ["organization", "collection", "email_marketing"], catalogue_keys=catalogue
    )
    assert later.suggestions([question]) == {}  # the person's own "No" stands, unprompted


def test_findings_carry_the_page_and_question_that_fix_them_and_are_counted(catalogue):
    # As a draft made from the example's file holds it: every applicable question answered.
    raw = prune_answers(validate_answers(example_raw("saas"), catalogue_keys=catalogue), keep_defaults=True)
    state = wizard_state(raw, [p.key for p in PAGES], catalogue_keys=catalogue)
    fixes = state.fixable_findings
    assert all(state.applies(fix.page) and fix.path in fix.page.paths for fix in fixes)
    assert any(fix.page.key == "tools" and fix.path == "tools.unlisted" for fix in fixes)
    assert state.finding_counts == {"error": 0, "warning": 1, "note": 1}
    assert state.finding_summary == "1 warning, 1 note"


def test_the_compliance_review_says_nothing_of_answers_not_given_yet(catalogue):
    """ "you said you send no commercial email" only once the person has said so."""
    raw = {
        "organization": ORGANIZATION,
        "collection": {"sources": ["newsletter"], "personal_data": ["email"]},
    }
    state = wizard_state(raw, ["organization", "collection"], catalogue_keys=catalogue)
    assert "CANSPAM-4" not in {f.rule.id for f in state.findings}
    assert state.progress()[PAGES.index(PAGES_BY_KEY["collection"])].finding == ""
    answered = {**raw, "email_marketing": {"sends_commercial_email": False}}
    later = wizard_state(answered, ["organization", "collection", "email"], catalogue_keys=catalogue)
    assert "CANSPAM-4" in {f.rule.id for f in later.findings}
