"""Property-based tests: for any valid answers, assembly succeeds and never contradicts them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from tests.support.strategies import answers_strategy

LIBRARY = read_library_file()
ANALYTICS_NAMES = {s.key: s.name for s in LIBRARY.services if "analytics" in s.kinds}


def text_of(document) -> str:
    return "\n".join(f"{s.title}\n{s.markdown}" for s in document.sections)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy())
def test_assembly_never_fails_and_never_leaves_template_residue(answers):
    document = assemble(LIBRARY, answers)
    text = text_of(document)
    for residue in ("{{", "{%", "}}", "None", "[]", " ,", ",,", "..", "for ,"):
        assert residue not in text.replace("...", ""), residue
    assert document.sections[0].key == "introduction"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy())
def test_assembly_never_contradicts_the_answers(answers):
    document = assemble(LIBRARY, answers)
    text = text_of(document)
    keys = {s.key for s in document.sections}

    cookie_tools = [k for k in answers["analytics"]["providers"] if LIBRARY.service(k).sets_cookies]
    if answers["cookies"]["use"] == "no" and cookie_tools:
        # The facts win: never "no cookies" beside a tool that sets them (COOKIE-1 raises the error).
        assert "Our services do not use cookies." not in text
        assert all(LIBRARY.service(k).name in text for k in cookie_tools)
    elif answers["cookies"]["use"] == "no":
        assert "Our services do not use cookies." in text
        assert "We use cookies" not in text and "A cookie is" not in text
    else:
        assert "Our services do not use cookies." not in text

    chosen = set(answers["analytics"]["providers"])
    # One tool's name may contain another's ("Google Analytics for Firebase"): look outside the chosen names.
    unchosen_text = text
    for key in sorted(chosen, key=lambda k: -len(ANALYTICS_NAMES[k])):
        unchosen_text = unchosen_text.replace(ANALYTICS_NAMES[key], "")
    for key, name in ANALYTICS_NAMES.items():
        if key not in chosen:
            assert name not in unchosen_text, f"{name} named but not chosen"
    assert ("analytics" in keys) == answers["analytics"]["uses_analytics"]

    sends = answers["email_marketing"]["sends_commercial_email"]
    assert ("CAN-SPAM" in text) == sends
    assert ("california" in keys) == answers["california"]["applies"]

    coppa = answers["children"]["directed_to_children"] or answers["children"]["knowingly_collects_under_13"]
    assert ("Children's Online Privacy Protection Act" in text) == coppa
    assert ("are not directed to children under 13" in text) == (not coppa)

    sells = answers["sharing"]["sells_personal_data"]
    # Never "we do not sell" beside a tool the catalogue says advertises (see test_facts).
    advertises = any(LIBRARY.service(key).advertising for key in answers["analytics"]["providers"])
    assert ("We do not sell, trade or rent" in text) == (not sells and not advertises)

    for processor in answers["sharing"]["payment_processors"]:
        assert processor in text
    if not answers["sharing"]["payment_processors"]:
        assert "your payment details go to" not in text

    if not answers["security"]["measures"]:
        assert "We protect personal information with these measures" not in text
    if not answers["breach_notification"]["channels"]:
        assert "we will tell you" not in text
