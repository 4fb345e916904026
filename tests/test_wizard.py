"""The wizard's pages and routing, derived from the questionnaire (no HTTP)."""

import pytest

from policybuilder.questionnaire import PAGES, QUESTIONS_BY_PATH, applicable_pages
from policybuilder.wizard import page_questions, wizard_state


def test_every_question_is_on_exactly_one_page():
    paths = [path for page in PAGES for path in page.paths]
    assert sorted(paths) == sorted(QUESTIONS_BY_PATH)


def test_page_conditions_only_look_at_the_same_or_earlier_pages():
    seen: set[str] = set()
    for page in PAGES:
        for question in page.questions:
            if question.applies_when is not None:
                for path in question.applies_when.paths():
                    assert path in seen or path in page.paths, f"{question.path} depends on later {path}"
        seen |= set(page.paths)


def keys(answers):
    return [page.key for page in applicable_pages(answers)]


@pytest.mark.parametrize(
    ("sections", "present", "absent"),
    [
        ({}, ["tools"], ["parental-consent", "commercial-email", "california"]),
        (
            {"children": {"knowingly_collects_under_13": True, "parental_consent_method": "Form"}},
            ["parental-consent"],
            [],
        ),
        ({"email_marketing": {"sends_commercial_email": True}}, ["commercial-email"], []),
        ({"california": {"applies": True}}, ["california"], []),
    ],
)
def test_pages_are_skipped_until_an_answer_makes_them_apply(make_answers, sections, present, absent):
    page_keys = keys(make_answers(**sections))
    for key in present:
        assert key in page_keys
    for key in absent:
        assert key not in page_keys
    assert page_keys[0] == "organization" and page_keys[-1] == "extras"


def test_progress_and_routing(catalogue):
    raw = {"organization": {"name": "A", "website": "https://a.example", "email": "a@a.example"}}
    state = wizard_state(raw, ["organization"], catalogue_keys=catalogue)
    # Until people say where they are, the US request pages and the European page may apply.
    assert len(state.pages) == 18
    services = state.pages[1]
    assert state.next_page(state.pages[0]) is services
    assert state.previous_page(services) is state.pages[0]
    states = [s.state for s in state.progress(services)]
    assert states[:3] == ["done", "current", "todo"]
    assert state.resume_page() is services
    assert not state.ready


def test_a_saved_page_that_became_invalid_needs_attention(catalogue):
    raw = {"organization": {"name": "", "website": "https://a.example", "email": "a@a.example"}}
    state = wizard_state(raw, ["organization", "services"], catalogue_keys=catalogue)
    assert state.progress(state.pages[1])[0].state == "problem"
    assert state.resume_page().key == "organization"


def test_same_page_dependents_are_shown_for_the_script_to_toggle(make_answers):
    cookies = next(page for page in PAGES if page.key == "cookies")
    shown = [q.path for q in page_questions(cookies, make_answers(cookies={"use": "no"}))]
    assert "cookies.purposes" in shown  # hidden by the page script, not by the server
