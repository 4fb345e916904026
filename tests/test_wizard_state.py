"""What the wizard derives from a draft's stored answers, without HTTP: merging a page, the review's lists."""

from __future__ import annotations

from policybuilder.answers import merge_page_values
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
    assert current["cookies"] == {**state.answers["cookies"], "use": "no", "purposes": ["analytics"]}
    assert current["collection"]["retention"] == "as_long_as_needed"  # unanswered: the default
    assert state.answers["cookies"]["purposes"] != ["analytics"]  # the policy never sees it


def test_attention_lists_unsaved_and_invalid_pages_with_sentences_naming_the_question(catalogue):
    raw = {"organization": {**ORGANIZATION, "name": ""}}
    state = wizard_state(raw, ["organization"], catalogue_keys=catalogue)
    first, second = state.attention[:2]
    assert first == Attention(PAGES_BY_KEY["organization"], [f"{NAME_LABEL} An answer is required."], False)
    assert second == Attention(state.pages[1], [], True)
    assert [item.page for item in state.attention] == state.pages  # nothing else is finished
    finished = wizard_state({"organization": ORGANIZATION}, [p.key for p in PAGES], catalogue_keys=catalogue)
    assert finished.attention == []


def test_findings_carry_the_page_and_question_that_fix_them_and_are_counted(catalogue):
    state = wizard_state(example_raw("small-shop"), [p.key for p in PAGES], catalogue_keys=catalogue)
    fixes = state.fixable_findings
    assert all(state.applies(fix.page) and fix.path in fix.page.paths for fix in fixes)
    assert any(
        fix.page.key == "california" and fix.path == "california.minors_content_removal" for fix in fixes
    )
    assert state.finding_counts == {"error": 0, "warning": 1, "note": 1}
    assert state.finding_summary == "1 warning, 1 note"
