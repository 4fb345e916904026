"""US and international English: clause text holds both spellings, and each policy prints its own."""

from __future__ import annotations

from policybuilder.assembly import assemble, build_context
from policybuilder.clause_library import read_library_file
from policybuilder.library_checks import static_problems
from policybuilder.renderers import render
from policybuilder.spelling import spell
from policybuilder.templating import check_template, render_body

LIBRARY = read_library_file()


def test_our_own_wording_follows_the_locale_keeping_capitals():
    assert (
        spell("Personalize what you see; HONOR it", "international") == "Personalise what you see; HONOUR it"
    )
    assert spell("We recognise the behaviour", "us") == "We recognize the behavior"
    assert spell("Colorado organizations", "international") == "Colorado organisations"  # whole words only


def test_a_word_in_one_spelling_only_is_a_problem_with_the_fix_in_the_message():
    (problem,) = check_template("We personalise what you see.")
    assert 'write {{ spelling("personalize", "personalise") }}' in problem.message
    assert check_template('We {{ spelling("personalize", "personalise") }} what you see.') == []
    # Answer values are not wording: comparisons and the keys of a wording table are left alone.
    body = '{% if "personalize" in use.purposes %}{{ join(phrases(use.purposes, {"personalize": "x"})) }}{% endif %}'
    assert check_template(body) == []
    (problem,) = check_template('{{ join(phrases(use.purposes, {"personalize": "to personalize"})) }}')
    assert "“personalize”" in problem.message


def test_the_shipped_library_writes_every_such_word_both_ways():
    assert [p for p in static_problems(LIBRARY) if "spelt differently" in p.message] == []


def test_each_policy_prints_its_own_spelling_and_date_style(make_answers):
    body = 'We {{ spelling("honor", "honour") }} your choices. Effective {{ policy.effective_date }}.'
    us = make_answers(organization={"country": "US"})
    german = make_answers(organization={"country": "DE"}, use={"purposes": ["personalize"]})
    assert render_body(body, build_context(LIBRARY, us)) == "We honor your choices. Effective May 1, 2026."
    assert (
        render_body(body, build_context(LIBRARY, german)) == "We honour your choices. Effective 1 May 2026."
    )
    document = assemble(LIBRARY, german)
    assert document.effective_date_text() == "1 May 2026"
    assert "personalise what you see" in document.summary.markdown
    assert "Effective date: 1 May 2026" in render(document, "txt").decode()
