"""Property-based tests: for any valid answers, assembly succeeds and never contradicts them."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from policybuilder.applicable_laws import DOES_NOT_APPLY, laws_for
from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from tests.support.strategies import answers_strategy

LIBRARY = read_library_file()
SERVICE_NAMES = {s.key: s.name for s in LIBRARY.services}


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

    chosen = [LIBRARY.service(key) for key in answers["tools"]["services"]]
    unlisted = answers["tools"]["unlisted"]
    cookie_tools = [service.name for service in chosen if service.sets_cookies]
    # An advertising service the person added may set cookies: nobody recorded that it does not.
    cookie_tools += [r["name"] for r in unlisted if r["kind"] == "advertising"]
    if answers["cookies"]["use"] == "no" and cookie_tools:
        # The facts win: never "no cookies" beside a tool that sets them (COOKIE-1 raises the error).
        assert "Our services do not use cookies." not in text
        assert all(name in text for name in cookie_tools)
    elif answers["cookies"]["use"] == "no":
        assert "Our services do not use cookies." in text
        assert "We use cookies" not in text and "A cookie is" not in text
    else:
        assert "Our services do not use cookies." not in text

    # Every service chosen is named, and no other catalogue service is. One name may contain
    # another's ("Google Analytics for Firebase"): look outside the chosen names.
    unchosen_text = text
    # The cookie table names the providers a scan found, chosen or not (the scan review flags those).
    if answers["cookies"]["use"] == "yes":
        for row in answers["cookies"]["table"]:
            unchosen_text = unchosen_text.replace(row["provider"], "")
    for name in sorted([s.name for s in chosen] + [r["name"] for r in unlisted], key=lambda n: -len(n)):
        assert name in text, f"{name} chosen but not named"
        unchosen_text = unchosen_text.replace(name, "")
    # A chosen service's company may be named too: Braintree's is "PayPal, Inc.".
    for company in sorted((s.company for s in chosen if s.company), key=lambda c: -len(c)):
        unchosen_text = unchosen_text.replace(company, "")
    for key, name in SERVICE_NAMES.items():
        if key not in answers["tools"]["services"]:
            assert name not in unchosen_text, f"{name} named but not chosen"
    measures = any("analytics" in s.kinds and not s.advertising for s in chosen) or any(
        r["kind"] == "analytics" for r in unlisted
    )
    assert ("analytics" in keys) == measures

    # A service the person added is described by what they said of it, and by nothing else.
    for record in unlisted:
        line = next(line for line in text.splitlines() if record["name"] in line)
        if record["role"] != "processor":
            assert "on our behalf" not in line, line
        if record["role"] != "self_hosted":
            assert "sends nothing" not in line and "receives nothing" not in line, line

    # CAN-SPAM reaches only email from or to the US: never its promises in a policy for Europe alone.
    sends = answers["email_marketing"]["sends_commercial_email"]
    can_spam = next(v for v in laws_for(LIBRARY, answers) if v.key == "can-spam")
    assert ("CAN-SPAM" in text) == (sends and can_spam.status != DOES_NOT_APPLY)
    assert ("california" in keys) == answers["california"]["applies"]

    coppa = answers["children"]["directed_to_children"] or answers["children"]["knowingly_collects_under_13"]
    assert ("Children's Online Privacy Protection Act" in text) == coppa
    assert ("are not directed to children under 13" in text) == (not coppa)

    sells = answers["sharing"]["sells_personal_data"]
    # Never "we do not sell" beside a tool used for advertising (see test_facts).
    advertises = any(s.advertising for s in chosen) or any(r["kind"] == "advertising" for r in unlisted)
    assert ("We do not sell, trade or rent" in text) == (not sells and not advertises)

    pays = any("payment" in s.kinds for s in chosen) or any(r["kind"] == "payment" for r in unlisted)
    assert ("your payment details go to" in text) == pays

    if not answers["security"]["measures"]:
        assert "We protect personal information with these measures" not in text
    if not answers["breach_notification"]["channels"]:
        assert "we will tell you" not in text
