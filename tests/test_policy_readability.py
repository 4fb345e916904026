"""Every policy the library can build reads plainly: short sentences and a grade of 8 or lower.

Measured over Hypothesis-generated answers, over the sample profiles the
library is trial-rendered against (including the worst cases: every list
full, every text at its longest, and everything off) and over the four
shipped examples.  A failure names the sentence and the clause it came from.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings

from policybuilder import examples, samples
from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from policybuilder.document import DocumentSection, PolicyDocument, RenderedClause
from policybuilder.readability import MAX_GRADE, MAX_SENTENCE_WORDS, measure
from tests.support.strategies import answers_strategy

LIBRARY = read_library_file()
CATALOGUE = LIBRARY.catalogue_keys()


def problems(document: PolicyDocument) -> list[str]:
    """What is wrong with the policy's readability, each naming the clause to rewrite."""
    result = measure(document)
    found = [
        f"{s.word_count} words (limit {MAX_SENTENCE_WORDS}) in clause {s.clause_key}: {s.text}"
        for s in result.too_long()
    ]
    if result.grade > MAX_GRADE:
        found.append(f"Flesch-Kincaid grade {result.grade:.2f} (limit {MAX_GRADE}); the hardest sentences:")
        found += [
            f"  clause {s.clause_key}: {s.word_count} words, {s.syllable_count} syllables: {s.text}"
            for s in result.hardest()
        ]
    return found


def assert_readable(document: PolicyDocument) -> None:
    found = problems(document)
    assert not found, "\n".join(found)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy())
def test_every_generated_policy_has_short_sentences_and_a_low_grade(answers):
    assert_readable(assemble(LIBRARY, answers))


@pytest.mark.parametrize("name", sorted(samples.sample_profiles(CATALOGUE)))
def test_every_sample_profile_has_short_sentences_and_a_low_grade(name):
    """The profiles switch every answer on and off, and include the worst cases."""
    assert_readable(assemble(LIBRARY, samples.sample_profiles(CATALOGUE)[name]))


@pytest.mark.parametrize("slug", examples.example_slugs())
def test_the_example_policies_have_short_sentences_and_a_low_grade(slug):
    answers = validate_answers(examples.load_example(slug), catalogue_keys=CATALOGUE)
    assert_readable(assemble(LIBRARY, answers))


def test_the_check_reports_the_sentence_and_its_clause(make_answers):
    """The failure message is what someone fixing the library needs."""
    document = assemble(LIBRARY, make_answers())
    clause = document.sections[0].clauses[0]
    long_clause = RenderedClause(clause.key, clause.version, " ".join(["information"] * 40) + ".\n", "")
    section = document.sections[0]
    broken = PolicyDocument(
        document.organization_name,
        document.website,
        document.effective_date,
        (DocumentSection(section.key, section.title, (long_clause,)),),
    )
    found = problems(broken)
    assert found[0].startswith(f"40 words (limit {MAX_SENTENCE_WORDS}) in clause {clause.key}: information")
    assert any(line.startswith("Flesch-Kincaid grade") for line in found)
