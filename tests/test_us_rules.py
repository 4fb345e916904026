"""The US rules (CCPA, state laws, COPPA, TCPA, CAN-SPAM, FTC): the edges of their triggers, what
their messages name, what LAWS.md leaves to verify, and what a check costs."""

from __future__ import annotations

import time

import pytest

from policybuilder import compliance
from policybuilder.compliance import RULES_BY_ID, check_answers
from policybuilder.derived import chosen_services
from tests.test_compliance import CCPA, KIDS, LIBRARY, SELLS, SELLS_SENSITIVE, UNDER_16, ids, on, state


@pytest.fixture
def make_answers(make_rule_answers):
    """Cases here state one situation each; the rest is filled in (see ``make_rule_answers``)."""
    return make_rule_answers


GEO = {"sensitive_data": ["precise_geolocation"]}

# (rule id, answers that trigger it, similar answers that do not): edges beyond test_compliance's CASES.
EDGES: list[tuple[str, dict, dict]] = [
    # Telephone: only a business that markets; support calls are no telephone solicitation.
    (
        "TCPA-1",
        {"email_marketing": {"other_channels": ["phone"]}, "use": {"purposes": ["marketing_emails"]}},
        {"email_marketing": {"other_channels": ["phone"]}, "use": {"purposes": ["customer_support"]}},
    ),
    # Utah and Iowa ask for notice and an opt-out, not consent.
    (
        "STATE-12",
        {"reach": state("VA"), "collection": {"sensitive_data": ["religion"]}},
        {"reach": state("UT", revenue="over_27m"), "collection": {"sensitive_data": ["religion"]}},
    ),
    # Oregon's ban on minors' data covers profiling too.
    (
        "STATE-7",
        {"reach": state("OR"), "us_privacy": {**UNDER_16, "profiling": True}},
        {"reach": state("OR"), "us_privacy": {**UNDER_16, "profiling": False}},
    ),
    # Oregon's ban starts on 1 January 2026.
    (
        "STATE-2",
        {"reach": state("OR"), "sharing": SELLS, "collection": GEO, "us_privacy": SELLS_SENSITIVE},
        {
            "reach": state("OR"),
            "sharing": SELLS,
            "collection": GEO,
            "us_privacy": SELLS_SENSITIVE,
            "organization": on("2025-12-31"),
        },
    ),
    # Selling personal data, but none of the sensitive kinds: no ban on selling location is broken.
    (
        "STATE-2",
        {"reach": state("OR"), "sharing": SELLS, "collection": GEO, "us_privacy": SELLS_SENSITIVE},
        {"reach": state("OR"), "sharing": SELLS, "collection": GEO, "us_privacy": {"sells_sensitive": "no"}},
    ),
    # Virginia has no universal opt-out duty; Oregon's starts on 1 January 2026.
    ("STATE-14", {"reach": state("TX"), "sharing": SELLS}, {"reach": state("VA"), "sharing": SELLS}),
    (
        "STATE-14",
        {"reach": state("OR"), "sharing": SELLS},
        {"reach": state("OR"), "sharing": SELLS, "organization": on("2025-12-31")},
    ),
    # Maryland: "knows or should know" a minor under 18, as California's minors answer says.
    (
        "STATE-5",
        {
            "reach": state("MD", "50k_to_100k"),
            "california": {"applies": True, "minors": True},
            "sharing": SELLS,
        },
        {
            "reach": state("MD", "50k_to_100k"),
            "california": {"applies": True, "minors": False},
            "sharing": SELLS,
        },
    ),
    # Children under 13 (COPPA's answers) are minors for Connecticut too.
    (
        "STATE-6",
        {"reach": state("CT"), "children": KIDS, "sharing": SELLS, "organization": on("2026-07-01")},
        {"reach": state("CT"), "children": KIDS, "organization": on("2026-07-01")},
    ),
    # The CCPA only when it applies: "may apply" is CCPA-9's to say.
    (
        "CCPA-2",
        {**CCPA, "sharing": SELLS},
        {"california": {"applies": True}, "sharing": SELLS},
    ),
    # "We only use it to answer and do not store it" is no indefinite retention.
    (
        "COPPA-2",
        {"children": KIDS, "collection": {"retention": "as_long_as_needed"}},
        {"children": KIDS, "collection": {"retention": "not_stored"}},
    ),
    # No third party receives children's information: separate consent is moot.
    (
        "COPPA-8",
        {"children": KIDS, "sharing": SELLS},
        {"children": KIDS, "tools": {"services": ["plausible"]}},
    ),
    # A service the person added counts too.
    (
        "CANSPAM-5",
        {
            "email_marketing": {"sends_commercial_email": True},
            "tools": {"unlisted": [{"name": "Our mailer", "kind": "email", "role": "processor"}]},
        },
        {"email_marketing": {"sends_commercial_email": True}},
    ),
    # Montana: only for businesses that serve people there.
    (
        "STATE-10",
        {"reach": state("MT", "under_10k"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("NJ"), "sharing": SELLS, "us_privacy": UNDER_16},
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "triggering", "clean"), EDGES, ids=[f"{e[0]}-{i}" for i, e in enumerate(EDGES)]
)
def test_rule_edges(rule_id, triggering, clean, make_answers):
    assert rule_id in ids(make_answers(**triggering))
    assert rule_id not in ids(make_answers(**clean))


def findings(answers, **kwargs):
    return {
        f.rule.id: f for f in check_answers(answers, services=chosen_services(LIBRARY, answers), **kwargs)
    }


def test_a_missing_opt_out_link_is_an_error_or_a_warning_never_both(make_answers):
    without_gpc = findings(make_answers(**CCPA, sharing=SELLS))
    with_gpc = findings(make_answers(**CCPA, sharing=SELLS, us_privacy={"honors_gpc": True}))
    assert {"CCPA-2", "CCPA-4"} <= set(without_gpc) and "CCPA-3" not in without_gpc
    assert "CCPA-3" in with_gpc and not {"CCPA-2", "CCPA-4"} & set(with_gpc)


def test_state_findings_name_the_states_and_what_is_to_verify(make_answers):
    answers = make_answers(
        reach={
            "states": ["TX", "NE", "VA"],
            "people": "over_175k",
            "sba_small": "no",
            "data_revenue": "none",
        },
        sharing=SELLS,
        collection={"sensitive_data": ["health"]},
    )
    found = findings(answers)
    # Texas and Nebraska apply to every business but SBA small ones; Virginia's count is open (the
    # band counts the largest state), and Virginia has no universal opt-out duty anyway.
    assert found["STATE-14"].message.startswith(
        "You sell or share personal information, and the privacy laws of Texas and Nebraska (its start "
        "date to verify) require you"
    )
    assert "The privacy laws of Texas and Nebraska apply to you" in found["STATE-12"].message
    assert "Virginia" in found["STATE-16"].message


def test_laws_marked_verify_in_laws_md_are_never_stated_as_settled():
    for rule_id in ("STATE-9", "STATE-11", "STATE-14", "FTC-2"):
        assert "verify" in RULES_BY_ID[rule_id].law, rule_id
    assert "verify the ages" in RULES_BY_ID["STATE-10"].message


def test_a_rule_decided_by_a_law_waits_for_the_reach_answers(make_answers):
    answers = make_answers(**CCPA, sharing=SELLS)
    assert "CCPA-2" in findings(answers)
    assert "CCPA-2" not in findings(answers, unanswered={"reach.people"})
    # Rules that ask no law are not held back by the reach answers.
    assert "TCPA-1" in findings(
        make_answers(**CCPA, email_marketing={"other_channels": ["text_messages"]}),
        unanswered={"reach.people"},
    )


def test_the_laws_are_judged_once_per_check(make_answers, monkeypatch):
    calls = []
    real = compliance.applicable_laws

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(compliance, "applicable_laws", counting)
    answers = make_answers(**CCPA, sharing=SELLS, collection={"sensitive_data": ["health"]})
    assert {"CCPA-2", "CCPA-4", "FTC-2"} <= set(findings(answers))
    assert len(calls) == 1
    calls.clear()
    findings(make_answers(children=KIDS))  # no US privacy question needs a verdict
    assert len(calls) <= 1


def test_a_check_takes_a_few_milliseconds(make_answers):
    answers = make_answers(
        **CCPA,
        sharing=SELLS,
        collection={"personal_data": ["name", "email"], "sensitive_data": ["health", "precise_geolocation"]},
        tools={"services": ["google_analytics", "meta_pixel", "stripe", "mailchimp"]},
        email_marketing={"sends_commercial_email": True, "other_channels": ["text_messages"]},
    )
    services = chosen_services(LIBRARY, answers)
    check_answers(answers, services=services)
    runs = []
    for _ in range(30):
        start = time.perf_counter()
        check_answers(answers, services=services)
        runs.append(time.perf_counter() - start)
    # About 1 ms on a laptop; the bound leaves room for a busy CI machine.
    assert sorted(runs)[len(runs) // 2] < 0.02
