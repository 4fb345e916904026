"""The short version at the top of every policy: derived from the answers, linked, in every format."""

from __future__ import annotations

import re
import subprocess

import pytest
from hypothesis import HealthCheck, given, settings

from policybuilder import summary
from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from policybuilder.questionnaire import QUESTIONS_BY_PATH, STEPS_BY_KEY, Kind
from policybuilder.renderers import render
from tests.support.examples import EXAMPLES, example_raw
from tests.support.strategies import answers_strategy

LIBRARY = read_library_file()


def example_answers(path, catalogue):
    return validate_answers(
        example_raw(path.stem if hasattr(path, "stem") else path), catalogue_keys=catalogue
    )


def choice_values(path: str) -> set[str]:
    return set(QUESTIONS_BY_PATH[path].choice_values)


def test_every_choice_the_summary_reads_has_words_for_the_reader():
    assert set(summary.GIVEN) == choice_values("collection.personal_data")
    assert set(summary.PURPOSES) == choice_values("use.purposes")
    assert set(summary.SENSITIVE) == choice_values("collection.sensitive_data")
    assert set(summary.RIGHTS) == {q.key for q in STEPS_BY_KEY["rights"].questions if q.kind is Kind.BOOL}
    assert all(QUESTIONS_BY_PATH[f"sharing.{key}"].kind is Kind.BOOL for key in summary.RECIPIENTS)


@pytest.mark.parametrize("slug", EXAMPLES)
def test_the_short_version_comes_first_and_links_to_sections_that_exist(slug, catalogue):
    document = assemble(LIBRARY, example_answers(slug, catalogue))
    assert document.parts[0] is document.summary and document.summary.title == "The short version"
    html = render(document, "html").decode()
    assert html.index('id="section-short-version"') < html.index('id="section-collection"')
    targets = re.findall(r'href="#(section-[a-z-]+)"', document.summary.html)
    assert "section-contact" in targets
    assert all(f'id="{target}"' in html for target in targets)


def test_the_short_version_is_in_every_format(catalogue):
    document = assemble(LIBRARY, example_answers("small-shop", catalogue))
    markdown = render(document, "md").decode()
    assert "## The short version" in markdown
    assert "[More: Contact us](#section-contact)" in markdown
    text = render(document, "txt").decode()
    assert "1. The short version" in text
    assert "More: Contact us" in text and "#section-contact" not in text  # a cross-reference on paper
    pdf_text = subprocess.run(
        ["pdftotext", "-", "-"], input=render(document, "pdf"), capture_output=True, check=True
    ).stdout.decode()
    assert "The short version" in pdf_text and "Who receives it:" in pdf_text


def test_a_point_appears_only_when_the_answers_support_it(make_answers):
    answers = make_answers(
        collection={"personal_data": ["email"], "automatic_data": []},
        use={"purposes": ["customer_support"]},
    )
    text = assemble(LIBRARY, answers).summary.markdown
    assert "**What we collect:** What you give us, such as your email address." in text
    assert "**Why:** To answer your questions." in text
    assert "Who receives it" not in text  # nothing shared: no point, rather than a guess
    assert "Your choices" not in text
    assert "device and visits" not in text


def test_names_people_typed_are_escaped_in_the_short_version(make_answers):
    hostile = "[click](https://evil.example) <script>x</script>"
    answers = make_answers(tools={"unlisted": [{"name": hostile, "kind": "analytics"}]})
    html = assemble(LIBRARY, answers).summary.html
    assert "<script>" not in html and "evil.example" not in re.findall(r'href="([^"]*)"', html)[0]
    assert 'href="https://evil.example"' not in html
    assert "[click](https://evil.example) &lt;script&gt;x&lt;/script&gt;" in html


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy())
def test_the_short_version_never_says_more_than_the_answers(answers):
    points = {p.heading: p.text for p in summary.summary_points(answers, {})}
    recipients = points.get("Who receives it", "").lower()
    for key, words in summary.RECIPIENTS.items():
        assert (words in recipients) == answers["sharing"][key]
    choices = points.get("Your choices", "")
    for key, words in summary.RIGHTS.items():
        assert (words in choices) == answers["rights"][key]
    collection = answers["collection"]
    assert ("What we collect" in points) == bool(
        collection["personal_data"]
        or collection["other_data"]
        or collection["automatic_data"]
        or collection["sensitive_data"]
    )
    # What the owner listed in their own words is pointed to, never named or left out.
    assert ("others we name below" in recipients) == bool(answers["sharing"]["other_recipients"])


def test_the_short_version_says_data_is_sold_and_links_to_the_opt_out(catalogue):
    document = assemble(LIBRARY, example_answers("ccpa-store", catalogue))
    text = document.summary.clauses[0].markdown
    assert "We sell some of it to other businesses." in text
    assert (
        "**Opting out:** If you live in California or one of the other states we name, you can opt out"
        in text
    )
    assert "(#section-ccpa)" in text
    # A store that sells nothing and runs no advertising tools has no such point.
    document = assemble(LIBRARY, example_answers("small-shop", catalogue))
    assert "Opting out" not in document.summary.clauses[0].markdown
    assert "We sell" not in document.summary.clauses[0].markdown
