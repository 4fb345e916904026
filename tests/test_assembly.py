"""Assembly: the right clauses, in order, with no template residue and no false claims."""

import dataclasses
import json

import pytest

from policybuilder.answers import validate_answers
from policybuilder.assembly import AssemblyError, assemble, forget_rendered
from policybuilder.clause_library import ClauseSpec, Library, SectionSpec
from policybuilder.samples import sample_profiles
from tests.support.examples import EXAMPLES


def text_of(document) -> str:
    return "\n".join(section.markdown for section in document.sections)


def section_keys(document) -> list[str]:
    return [section.key for section in document.sections]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_assemble_into_complete_policies(path, library, catalogue):
    answers = validate_answers(json.loads(path.read_text()), catalogue_keys=catalogue)
    document = assemble(library, answers)
    keys = section_keys(document)
    for always in (
        "introduction",
        "collection",
        "cookies",
        "children",
        "rights",
        "security",
        "changes",
        "contact",
    ):
        assert always in keys, always
    assert keys[0] == "introduction" and keys[-1] == "contact"
    text = text_of(document)
    assert answers["organization"]["email"].split("@")[0] in text
    for residue in ("{{", "}}", "{%", "%}", "None", "[]", "  .", " ,"):
        assert residue not in text, residue
    assert document.clause_versions and all(version >= 1 for _, version in document.clause_versions)


def test_small_shop_policy_says_what_the_answers_say(library, catalogue):
    answers = validate_answers(
        json.loads((EXAMPLES[0].parent / "small-shop.json").read_text()), catalogue_keys=catalogue
    )
    text = text_of(assemble(library, answers))
    assert "[Stripe](<https://stripe.com/privacy>)" in text
    assert "Google Analytics" in text and "https://tools.google.com/dlpage/gaoptout" in text
    assert "CAN-SPAM" in text
    assert "within 30 days of discovering the breach" in text
    assert "Hotjar" not in text and "Mixpanel" not in text
    assert "We do not sell, trade or rent" in text


def test_minimal_answers_claim_nothing_that_was_not_stated(make_answers):
    from policybuilder.clause_library import read_library_file

    document = assemble(read_library_file(), make_answers())
    text = text_of(document)
    assert "Our services do not use cookies." in text
    for claim in (
        "CAN-SPAM",
        "California",
        "data breach",
        "encrypt",
        "Analytics",
        "your payment details go to",
        "sell, trade or rent personal information to other",
        "We use personal information",
    ):
        assert claim not in text, claim
    assert "analytics" not in section_keys(document) and "california" not in section_keys(document)


@pytest.mark.parametrize(
    ("sections", "present", "absent"),
    [
        (
            {"cookies": {"use": "maybe_future", "purposes": ["analytics"]}},
            "We do not use cookies at the moment",
            "A cookie is",
        ),
        ({"collection": {"retention": "fixed_period", "retention_days": 1}}, "for 1 day.", "days"),
        (
            {
                "breach_notification": {
                    "channels": ["email", "in_site"],
                    "within_days": 5,
                    "business_days": True,
                }
            },
            "within 5 business days of discovering the breach. We will tell you by email and with a notice on our site.",
            "calendar",
        ),
        (
            {"tools": {"unlisted": [{"name": "Zeta Pay", "kind": "payment"}]}},
            "When you pay, your payment details go to the company that handles the payment:\n\n- Zeta Pay\n",
            "[Zeta Pay]",
        ),
        (
            {"children": {"knowingly_collects_under_13": True, "parental_consent_method": "A signed form."}},
            "This is how we do it: A signed form.",
            "are not directed to children under 13",
        ),
        (
            {"california": {"applies": True, "do_not_track": "honored"}},
            "we honor it",
            "do not change their behavior",
        ),
    ],
)
def test_answers_select_the_matching_clauses(make_answers, library, sections, present, absent):
    text = text_of(assemble(library, make_answers(**sections)))
    assert present in text
    assert absent not in text


def test_a_broken_clause_fails_the_whole_assembly(library, make_answers):
    broken = ClauseSpec(key="broken.clause", section="x", order=1, body="{{ organization.nickname }}")
    bad_library = dataclasses.replace(
        library, sections=library.sections + (SectionSpec("x", "Broken", 999, clauses=(broken,)),)
    )
    with pytest.raises(AssemblyError) as info:
        assemble(bad_library, make_answers())
    assert info.value.clause_key == "broken.clause"


def test_disabled_clauses_and_sections_are_left_out(make_answers):
    clause = ClauseSpec(key="a.one", section="a", order=1, body="Hello.")
    off = ClauseSpec(key="a.two", section="a", order=2, body="Hidden.", enabled=False)
    library = Library(
        sections=(
            SectionSpec("a", "A", 1, clauses=(clause, off)),
            SectionSpec("b", "B", 2, enabled=False, clauses=(ClauseSpec("b.one", "b", 1, "Gone."),)),
        )
    )
    document = assemble(library, make_answers())
    assert [s.key for s in document.sections] == ["a"]
    assert document.sections[0].markdown == "Hello."


def test_each_analytics_tool_and_each_right_is_its_own_list_item(library, make_answers):
    answers = make_answers(
        tools={
            "services": ["mixpanel", "hotjar"],
            "unlisted": [{"name": "Own stats", "kind": "analytics"}],
        },
        rights={"access": True, "correct": True, "opt_out_marketing": True},
    )
    sections = {s.key: s for s in assemble(library, answers).sections}
    assert sections["analytics"].html.count("<li>") == 3
    assert sections["rights"].html.count("<li>") == 3


def test_remembered_clause_texts_read_exactly_like_a_policy_built_from_nothing(library, catalogue):
    """Clause texts are remembered by what each clause reads, so that a changed answer re-renders
    only the clauses reading it. Built one after another (each reusing what the ones before left),
    the sample policies (every answer changed in turn, the other spelling, the extremes) equal the
    same policies built with nothing remembered."""
    profiles = list(sample_profiles(catalogue).items())
    forget_rendered()
    warm = {name: assemble(library, answers) for name, answers in profiles}
    for name, answers in profiles:
        forget_rendered()
        assert assemble(library, answers) == warm[name], name
