"""Every compliance rule fires when its situation arises, and only then; the command line's --check."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command

from policybuilder.answers import normalise_answers
from policybuilder.clause_library import read_library_file
from policybuilder.compliance import RULES, check_answers
from policybuilder.derived import chosen_services
from policybuilder.questionnaire import QUESTIONS_BY_PATH
from tests.support.examples import EXAMPLES, ROOT


@pytest.fixture
def make_answers(make_rule_answers):
    """Cases here state one situation each; the rest is filled in (see ``make_rule_answers``)."""
    return make_rule_answers


LIBRARY_FILE = str(ROOT / "policybuilder" / "library" / "data" / "library.yaml")
LIBRARY = read_library_file()
KIDS = {"directed_to_children": True, "parental_consent_method": "A signed form."}
FULL_ORG = {"phone": "+1 555 0100", "postal_address": "1 Main St"}
CA = {"applies": True}
SELLS = {"sells_personal_data": True}
UNLISTED_CRM = {"name": "Our CRM", "company": "", "kind": "support", "role": "processor", "website": ""}
# Reach answers that make a law apply: the CCPA (by revenue), and one state's law each.
CCPA = {
    "california": CA,
    "reach": {
        "states": ["CA"],
        "people": "over_175k",
        "revenue": "over_27m",
        "for_profit": "yes",
        "sba_small": "no",
        "data_revenue": "none",
    },
}


def state(code: str, people: str = "over_175k", **more: str) -> dict:
    return {"states": [code], "people": people, "data_revenue": "none", "sba_small": "no", **more}


def on(day: str) -> dict:
    return {"effective_date": day}


GEO_SALE = {"sensitive_data": ["precise_geolocation"]}
SELLS_SENSITIVE = {"sells_sensitive": "sensitive"}
UNDER_16 = {"knows_under_16": True}

# rule id -> (answers that trigger it, similar answers that do not)
CASES: dict[str, tuple[dict, dict]] = {
    "COPPA-2": (
        {"children": KIDS},
        {"children": KIDS, "collection": {"retention": "fixed_period", "retention_days": 90}},
    ),
    "COPPA-3": ({"children": KIDS}, {"children": KIDS, "organization": FULL_ORG}),
    "COPPA-4": ({"children": KIDS}, {"children": KIDS, "organization": FULL_ORG}),
    "COPPA-5": ({"children": KIDS, "extras": {"public_forums": True}}, {"children": KIDS}),
    "COPPA-6": (
        {"children": KIDS, "sharing": {"sells_personal_data": True}},
        {"sharing": {"sells_personal_data": True}},
    ),
    "CANSPAM-1": (
        {"email_marketing": {"sends_commercial_email": True}},
        {"email_marketing": {"sends_commercial_email": True}, "organization": FULL_ORG},
    ),
    "CANSPAM-2": (
        {"use": {"purposes": ["marketing_emails"]}},
        {"use": {"purposes": ["marketing_emails"]}, "email_marketing": {"sends_commercial_email": True}},
    ),
    "CANSPAM-3": (
        {"email_marketing": {"sends_commercial_email": True}},
        {"email_marketing": {"sends_commercial_email": True}, "rights": {"opt_out_marketing": True}},
    ),
    "CANSPAM-4": (
        {"collection": {"sources": ["newsletter"]}},
        {"collection": {"sources": ["newsletter"]}, "email_marketing": {"sends_commercial_email": True}},
    ),
    "CALOPPA-1": ({}, {"california": CA}),
    "CALOPPA-2": (
        {"california": CA, "tools": {"services": ["google_analytics"]}},
        # Plausible is cookieless and tracks no one across sites: no finding (it was a false positive).
        {"california": CA, "tools": {"services": ["plausible"]}},
    ),
    "CALOPPA-4": (
        {"california": CA, "tools": {"unlisted": [{"name": "Our own tracker", "kind": "analytics"}]}},
        {
            "california": {**CA, "third_party_tracking_allowed": True},
            "tools": {"unlisted": [{"name": "Our own tracker", "kind": "analytics"}]},
        },
    ),
    "MINORS-1": (
        {"california": {**CA, "minors": True}, "extras": {"public_forums": True}},
        # Only for services for minors or that know of minor users (22580(a)), not for any forum.
        {"california": {**CA, "minors": False}, "extras": {"public_forums": True}},
    ),
    "BREACH-1": (
        {"california": CA, "breach_notification": {"channels": ["email"], "within_days": 45}},
        {"california": CA, "breach_notification": {"channels": ["email"], "within_days": 30}},
    ),
    "BREACH-2": (
        {"collection": {"personal_data": ["email"]}},
        {"collection": {"personal_data": ["email"]}, "breach_notification": {"channels": ["email"]}},
    ),
    "TRANSFER-1": (
        {"organization": {"country": "DE"}, "tools": {"unlisted": [UNLISTED_CRM]}},
        # A US business serving no one in Europe: the GDPR's transfer rule does not speak to it.
        {"organization": {"country": "US"}, "tools": {"unlisted": [UNLISTED_CRM]}},
    ),
    "PAY-1": (
        {"collection": {"personal_data": ["payment_card"]}},
        {"collection": {"personal_data": ["payment_card"]}, "tools": {"services": ["stripe"]}},
    ),
    "SEC-1": (
        {"collection": {"personal_data": ["account_credentials"]}},
        {
            "collection": {"personal_data": ["account_credentials"]},
            "security": {"measures": ["encryption_in_transit"]},
        },
    ),
    "SEC-2": (
        {"collection": {"personal_data": ["name"]}},
        {"collection": {"personal_data": ["name"]}, "security": {"measures": ["restricted_access"]}},
    ),
    "COOKIE-1": (
        {"tools": {"services": ["hotjar"]}},
        # Fathom is cookieless: saying "no cookies" with it is true.
        {"tools": {"services": ["fathom"]}},
    ),
    "COOKIE-2": (
        {"tools": {"unlisted": [{"name": "Our own tracker", "kind": "analytics"}]}},
        {
            "tools": {"unlisted": [{"name": "Our own tracker", "kind": "analytics"}]},
            "cookies": {"use": "yes"},
        },
    ),
    "SHARE-1": (
        {"tools": {"services": ["meta_pixel"]}, "cookies": {"use": "yes"}},
        {"tools": {"services": ["google_analytics"]}, "cookies": {"use": "yes"}},
    ),
    "COLLECT-1": (
        {"email_marketing": {"sends_commercial_email": True}},
        {"email_marketing": {"sends_commercial_email": True}, "collection": {"personal_data": ["email"]}},
    ),
    "FORUM-1": (
        {"collection": {"sources": ["forums"]}},
        {"collection": {"sources": ["forums"]}, "extras": {"public_forums": True}},
    ),
    "ACCOUNT-1": (
        {"collection": {"personal_data": ["account_credentials"]}},
        {
            "collection": {"personal_data": ["account_credentials"]},
            "extras": {"account_security_responsibility": True},
        },
    ),
    "EPRIVACY-1": (
        {
            "organization": {"country": "DE"},
            "cookies": {"use": "yes"},
            "tools": {"services": ["google_analytics"]},
        },
        # Plausible is cookieless: nothing to ask consent for (a false positive would be a bug).
        {"organization": {"country": "DE"}, "cookies": {"use": "yes"}, "tools": {"services": ["plausible"]}},
    ),
    "EPRIVACY-2": (
        {
            "organization": {"country": "GB"},
            "cookies": {"use": "yes", "purposes": ["essential", "advertising"]},
        },
        # UK analytics cookies may be exempt since 5 February 2026 (PECR as amended): not an error.
        {
            "organization": {"country": "GB"},
            "cookies": {"use": "yes", "purposes": ["essential", "analytics"]},
        },
    ),
    "GDPR-2": (
        {"organization": {"country": "DE"}, "use": {"purposes": ["provide_services", "legal_compliance"]}},
        # Complying with the law has only one possible basis, so it is never asked and never missing.
        {"organization": {"country": "DE"}, "use": {"purposes": ["legal_compliance"]}},
    ),
    "GDPR-3": (
        {"organization": {"country": "US"}, "reach": {"europe": ["eu_eea"]}, "gdpr": {"eu_representative": "not_yet"}},
        {"organization": {"country": "US"}, "reach": {"europe": ["eu_eea"]}, "gdpr": {"eu_representative": "exempt"}},
    ),
    "GDPR-4": (
        {"organization": {"country": "DE"}, "reach": {"europe": ["uk"]}, "gdpr": {"uk_representative": "not_yet"}},
        # Established in the UK: no representative is asked, so none is missing.
        {"organization": {"country": "GB"}, "reach": {"europe": ["uk"]}, "gdpr": {"uk_representative": "not_yet"}},
    ),
    "GDPR-5": (
        {"organization": {"country": "DE"}, "gdpr": {"dpo": False}},
        {"organization": {"country": "FR"}, "gdpr": {"dpo": False}},
    ),
    "GDPR-6": (
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["improve_services"]},
            "gdpr": {"basis_improve_services": "legitimate_interests"},
            "tools": {"services": ["google_analytics"]},
        },
        # Plausible is cookieless: legitimate interests can carry it (a false positive here would push
        # people to consent banners they do not need).
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["improve_services"]},
            "gdpr": {"basis_improve_services": "legitimate_interests"},
            "tools": {"services": ["plausible"]},
        },
    ),
    "GDPR-7": (
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["marketing_emails"]},
            "email_marketing": {"sends_commercial_email": True, "consent": "opt_out"},
            "gdpr": {"basis_marketing_emails": "consent"},
        },
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["marketing_emails"]},
            "email_marketing": {"sends_commercial_email": True, "consent": "opt_out"},
            "gdpr": {"basis_marketing_emails": "soft_opt_in"},
        },
    ),
    "GDPR-8": (
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["marketing_emails"]},
            "email_marketing": {"sends_commercial_email": True},
            "gdpr": {"basis_marketing_emails": "soft_opt_in"},
        },
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["marketing_emails", "process_transactions"]},
            "email_marketing": {"sends_commercial_email": True},
            "gdpr": {"basis_marketing_emails": "soft_opt_in"},
        },
    ),
    "GDPR-9": (
        {
            "organization": {"country": "DE"},
            "collection": {"sensitive_data": ["health"]},
            "gdpr": {"automated_decisions": True, "automated_logic": "x", "special_conditions": ["health_care"]},
        },
        {
            "organization": {"country": "DE"},
            "collection": {"sensitive_data": ["health"]},
            "gdpr": {"automated_decisions": True, "automated_logic": "x", "special_conditions": ["explicit_consent"]},
        },
    ),
    "GDPR-10": (
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["contests_surveys"]},
            "gdpr": {"basis_contests_surveys": "consent"},
        },
        {
            "organization": {"country": "DE"},
            "use": {"purposes": ["contests_surveys"]},
            "gdpr": {"basis_contests_surveys": "contract"},
        },
    ),
    "GDPR-12": (
        {"organization": {"country": "FR"}, "collection": {"sensitive_data": ["health"]},
         "tools": {"services": ["admob"]}},
        # Precise location is sensitive in US law but no special category under Art. 9.
        {"organization": {"country": "FR"}, "collection": {"sensitive_data": ["precise_geolocation"]},
         "tools": {"services": ["admob"]}},
    ),
    "GDPR-13": (
        {"organization": {"country": "FR"}, "children": KIDS, "tools": {"services": ["admob"]}},
        {"organization": {"country": "FR"}, "children": KIDS, "tools": {"services": ["firebase_analytics"]}},
    ),
    "GDPR-11": (
        {"organization": {"country": "NO"}},
        {"organization": {"country": "SE"}},
    ),
    "EPRIVACY-3": (
        {"organization": {"country": "GB"}, "cookies": {"use": "yes", "purposes": ["essential", "analytics"]}},
        # Asked first: consent covers them.
        {
            "organization": {"country": "GB"},
            "cookies": {"use": "yes", "purposes": ["essential", "analytics"], "consent": True},
        },
    ),
    "PIPEDA-1": (
        {"reach": {"elsewhere": ["canada"]}, "americas": {"privacy_officer": "CPO"}},
        {"reach": {"elsewhere": ["brazil"]}, "americas": {"encarregado": "E"}},
    ),
    "LGPD-1": (
        {"reach": {"elsewhere": ["brazil"]}, "americas": {"encarregado": "E"}, "children": KIDS},
        {"reach": {"elsewhere": ["canada"]}, "americas": {"privacy_officer": "CPO"}, "children": KIDS},
    ),
    "LGPD-2": (
        {
            "reach": {"elsewhere": ["brazil"]},
            "americas": {"encarregado": "E"},
            "breach_notification": {"channels": ["email"], "within_days": 30},
        },
        {
            "reach": {"elsewhere": ["brazil"]},
            "americas": {"encarregado": "E"},
            "breach_notification": {"channels": ["email"], "within_days": 3, "business_days": True},
        },
    ),
    "GDPR-1": (
        {"organization": {"country": "FR"}, "rights": {"access": True, "correct": True}},
        {"organization": {"country": "FR"}, "rights": {"access": True, "correct": True, "delete": True}},
    ),
    "RETENTION-1": (
        {
            "organization": {"country": "US"},
            "reach": {"europe": ["uk"]},
            "collection": {"personal_data": ["name"]},
        },
        # A US business serving no one in Europe: the GDPR's retention rule is not the one to cite.
        {"organization": {"country": "US"}, "collection": {"personal_data": ["name"]}},
    ),
    "DNT-1": (
        {
            "california": {**CA, "do_not_track": "honored"},
            "tools": {"services": ["google_analytics"]},
        },
        {
            "california": {**CA, "do_not_track": "honored"},
            "tools": {"services": ["plausible"]},
        },
    ),
    "COPPA-7": (
        {"children": KIDS, "tools": {"services": ["meta_pixel"]}},
        {"children": KIDS, "tools": {"services": ["plausible"]}},
    ),
    # The CCPA, when it applies.
    "CCPA-2": (
        {**CCPA, "sharing": SELLS},
        {**CCPA, "sharing": SELLS, "us_privacy": {"opt_out_url": "https://acme.example/do-not-sell"}},
    ),
    "CCPA-3": (
        {**CCPA, "sharing": SELLS, "us_privacy": {"honors_gpc": True}},
        {
            **CCPA,
            "sharing": SELLS,
            "us_privacy": {"honors_gpc": True, "opt_out_url": "https://acme.example/do-not-sell"},
        },
    ),
    "CCPA-4": (
        # Sharing with an advertising tool counts, not only selling.
        {**CCPA, "tools": {"services": ["meta_pixel"]}},
        {**CCPA, "tools": {"services": ["meta_pixel"]}, "us_privacy": {"honors_gpc": True}},
    ),
    "CCPA-5": (
        {
            **CCPA,
            "collection": {"sensitive_data": ["health"], "sensitive_uses": ["inferences"]},
        },
        {
            **CCPA,
            "collection": {"sensitive_data": ["health"], "sensitive_uses": ["inferences"]},
            "us_privacy": {"limit_url": "https://acme.example/limit"},
        },
    ),
    "CCPA-6": ({**CCPA, "us_privacy": {"online_only": False}}, {**CCPA, "us_privacy": {"online_only": True}}),
    "CCPA-8": (
        {**CCPA, "sharing": SELLS, "us_privacy": UNDER_16},
        {**CCPA, "us_privacy": UNDER_16},
    ),
    "CCPA-9": (
        {"california": CA},
        {"california": CA, "reach": {"revenue": "over_27m"}},
    ),
    "CCPA-10": (
        {**CCPA, "organization": on("2025-01-01")},
        {**CCPA, "organization": on(dt.date.today().isoformat())},
    ),
    "CCPA-11": ({**CCPA, "sharing": SELLS}, CCPA),
    "CCPA-12": (
        {**CCPA, "sharing": SELLS, "us_privacy": {"opt_out_url": "https://acme.example/do-not-sell"}},
        {**CCPA, "us_privacy": {"opt_out_url": "https://acme.example/do-not-sell"}},  # sells nothing
    ),
    "SALE-1": (
        {**CCPA, "sharing": SELLS},
        {**CCPA, "sharing": SELLS, "us_privacy": {"sold_categories": ["identifiers"], "buyers": "brokers"}},
    ),
    "RETENTION-2": (
        {**CCPA, "collection": {"personal_data": ["email"]}},
        {
            **CCPA,
            "collection": {"personal_data": ["email"], "retention": "fixed_period", "retention_days": 365},
        },
    ),
    # "Other" entries in the owner's own words: where a law asks for what free text cannot show.
    "OTHER-1": (
        {"organization": {"country": "DE"}, "use": {"other_purposes": "to print gift messages on orders"}},
        # Each line gives its basis (and a business the GDPR cannot reach is never asked).
        {
            "organization": {"country": "DE"},
            "use": {"other_purposes": "to print gift messages on orders (legal basis: our contract with you)"},
        },
    ),
    "OTHER-4": (
        {"collection": {"other_data": "food allergies you tell us about"}},
        {"collection": {"personal_data": ["name"]}},
    ),
    "OTHER-2": (
        {**CCPA, "collection": {"personal_data": ["email"], "other_data": "gift recipients' addresses"}},
        {"collection": {"personal_data": ["email"], "other_data": "gift recipients' addresses"}},
    ),
    "OTHER-3": (
        {**CCPA, "sharing": {"other_recipients": "shipping carriers, to deliver orders"}},
        {"sharing": {"other_recipients": "shipping carriers, to deliver orders"}},
    ),
    # The other state laws; dates are the policy's effective date (make_answers: 2026-05-01).
    "STATE-1": (
        {
            "reach": state("MD", "50k_to_100k"),
            "sharing": SELLS,
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": SELLS_SENSITIVE,
        },
        {
            "reach": state("MD", "under_10k"),
            "sharing": SELLS,
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": SELLS_SENSITIVE,
        },
    ),
    "STATE-2": (
        {"reach": state("OR"), "sharing": SELLS, "collection": GEO_SALE, "us_privacy": SELLS_SENSITIVE},
        {
            "reach": state("OR"),
            "sharing": SELLS,
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": SELLS_SENSITIVE,
        },
    ),
    "STATE-3": (
        {
            "reach": state("VA"),
            "sharing": SELLS,
            "collection": GEO_SALE,
            "us_privacy": SELLS_SENSITIVE,
            "organization": on("2026-07-01"),
        },
        {
            "reach": state("VA"),
            "sharing": SELLS,
            "collection": GEO_SALE,
            "us_privacy": SELLS_SENSITIVE,
            "organization": on("2026-06-30"),
        },
    ),
    "STATE-4": (
        {
            "reach": state("CT"),
            "sharing": SELLS,
            "collection": GEO_SALE,
            "us_privacy": SELLS_SENSITIVE,
            "organization": on("2026-10-01"),
        },
        {
            "reach": state("CT"),
            "sharing": SELLS,
            "collection": GEO_SALE,
            "us_privacy": SELLS_SENSITIVE,
            "organization": on("2026-09-30"),
        },
    ),
    "STATE-5": (
        {"reach": state("MD", "50k_to_100k"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("MD", "50k_to_100k"), "sharing": SELLS},
    ),
    "STATE-6": (
        {"reach": state("CT"), "sharing": SELLS, "us_privacy": UNDER_16, "organization": on("2026-07-01")},
        {"reach": state("CT"), "sharing": SELLS, "us_privacy": UNDER_16, "organization": on("2026-06-30")},
    ),
    "STATE-20": (
        {"reach": state("CT"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("CT"), "sharing": SELLS, "us_privacy": UNDER_16, "organization": on("2026-07-01")},
    ),
    "STATE-7": (
        {"reach": state("OR"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("OR"), "sharing": SELLS},
    ),
    "STATE-8": (
        {"reach": state("CO"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("CO"), "sharing": SELLS},
    ),
    "STATE-9": (
        {"reach": state("NJ"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("NJ"), "us_privacy": UNDER_16},
    ),
    "STATE-10": (
        # Montana's minors' rules apply whatever the business's size.
        {"reach": state("MT", "under_10k"), "sharing": SELLS, "us_privacy": UNDER_16},
        {"reach": state("MT", "under_10k"), "us_privacy": UNDER_16},
    ),
    "STATE-11": (
        {"reach": state("RI", "under_10k"), "sharing": SELLS},
        {"reach": state("RI", "under_10k"), "sharing": SELLS, "organization": on("2025-12-31")},
    ),
    "STATE-12": (
        {"reach": state("VA"), "collection": {"sensitive_data": ["health"]}},
        {
            "reach": state("VA"),
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": {"sensitive_consent": True},
        },
    ),
    "STATE-21": (
        {"reach": state("MD", "50k_to_100k"), "collection": {"sensitive_data": ["religion"]}},
        {"reach": state("MD", "50k_to_100k"), "collection": {"personal_data": ["name"]}},
    ),
    "STATE-14": (
        {"reach": state("TX"), "sharing": SELLS},
        {"reach": state("TX"), "sharing": SELLS, "us_privacy": {"honors_gpc": True}},
    ),
    "STATE-15": (
        {
            "reach": state("TX", sba_small="yes"),
            "sharing": SELLS,
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": SELLS_SENSITIVE,
        },
        {
            "reach": state("TX", sba_small="yes"),
            "sharing": SELLS,
            "collection": {"sensitive_data": ["health"]},
            "us_privacy": {**SELLS_SENSITIVE, "sensitive_consent": True},
        },
    ),
    "STATE-16": ({"reach": state("VA", "not_sure")}, {"reach": state("VA")}),
    "STATE-17": (
        {"reach": state("CO", "under_10k"), "collection": {"sensitive_data": ["biometric"]}},
        {"reach": state("CO", "under_10k"), "collection": {"sensitive_data": ["health"]}},
    ),
    "STATE-18": (
        {"reach": state("NV", "under_10k"), "sharing": SELLS},
        # Advertising tools alone are no sale in Nevada's narrow sense.
        {"reach": state("NV", "under_10k"), "tools": {"services": ["meta_pixel"]}},
    ),
    "STATE-13": (
        {"reach": state("WA", "under_10k"), "collection": {"sensitive_data": ["health"]}},
        {"reach": state("OR", "under_10k"), "collection": {"sensitive_data": ["health"]}},
    ),
    "STATE-22": (
        {"collection": {"sensitive_data": ["health"]}},
        {"collection": {"sensitive_data": ["health"]}, "reach": {"states": ["outside_us"]}},
    ),
    # COPPA, TCPA, CAN-SPAM and the FTC.
    "COPPA-8": (
        {"children": KIDS, "tools": {"services": ["google_analytics"]}},
        {
            "children": {**KIDS, "separate_disclosure_consent": True},
            "tools": {"services": ["google_analytics"]},
        },
    ),
    "COPPA-9": (
        {"children": {**KIDS, "internal_operations": True}, "tools": {"services": ["vimeo"]}},
        {"children": KIDS, "tools": {"services": ["vimeo"]}},
    ),
    "TCPA-1": (
        {"email_marketing": {"other_channels": ["text_messages"]}},
        {"email_marketing": {"other_channels": ["text_messages"], "call_consent": True}},
    ),
    "TCPA-2": (
        {"email_marketing": {"other_channels": ["text_messages"], "call_consent": True}},
        {
            "email_marketing": {"other_channels": ["text_messages"], "call_consent": True},
            "rights": {"opt_out_marketing": True},
        },
    ),
    "CANSPAM-5": (
        {"email_marketing": {"sends_commercial_email": True}, "tools": {"services": ["mailchimp"]}},
        {
            "email_marketing": {"sends_commercial_email": True, "uses_email_service_provider": True},
            "tools": {"services": ["mailchimp"]},
        },
    ),
    "FTC-1": (
        {"collection": {"sensitive_data": ["health"]}, "tools": {"services": ["meta_pixel"]}},
        {"collection": {"sensitive_data": ["health"]}, "tools": {"services": ["plausible"]}},
    ),
    "FTC-2": (
        {"collection": {"sensitive_data": ["health"]}},
        {"collection": {"sensitive_data": ["religion"]}},
    ),
    "MINORS-2": (
        {"california": {**CA, "minors": True}, "tools": {"services": ["google_ads"]}},
        {"california": {**CA, "minors": True}, "tools": {"services": ["plausible"]}},
    ),
}


def ids(answers) -> set[str]:
    return {f.rule.id for f in check_answers(answers, services=chosen_services(LIBRARY, answers))}


def test_a_finding_about_services_names_them(make_answers):
    answers = make_answers(tools={"services": ["meta_pixel", "plausible"]})
    finding = next(
        f
        for f in check_answers(answers, services=chosen_services(LIBRARY, answers))
        if f.rule.id == "SHARE-1"
    )
    assert "some of your tools use what they collect on your site for their own advertising (Meta Pixel)" in (
        finding.message
    )
    assert finding.as_dict()["message"] == finding.message


def test_there_are_at_least_20_rules_each_well_formed():
    assert len(RULES) >= 20
    assert len({rule.id for rule in RULES}) == len(RULES)
    for rule in RULES:
        assert rule.severity in ("error", "warning", "note")
        assert rule.path in QUESTIONS_BY_PATH, rule.id
        assert rule.law and rule.message.endswith((".", "advice.")), rule.id


def test_every_rule_has_a_case():
    assert set(CASES) | {"COPPA-1"} == {rule.id for rule in RULES}


@pytest.mark.parametrize("rule_id", sorted(CASES))
def test_rule_fires_when_its_situation_arises_and_not_otherwise(rule_id, make_answers):
    triggering, clean = CASES[rule_id]
    assert rule_id in ids(make_answers(**triggering))
    assert rule_id not in ids(make_answers(**clean))


def test_coppa_consent_rule_fires_on_a_draft_without_a_consent_method(catalogue):
    raw = {
        "organization": {"name": "K", "website": "https://k.example", "email": "k@k.example"},
        "children": {"directed_to_children": True},
    }
    answers, _ = normalise_answers(raw, catalogue_keys=catalogue)
    assert "COPPA-1" in ids(answers)
    raw["children"]["parental_consent_method"] = "Signed form"
    assert "COPPA-1" not in ids(normalise_answers(raw, catalogue_keys=catalogue)[0])


def test_findings_are_sorted_by_severity(make_answers):
    findings = check_answers(make_answers(children=KIDS, collection={"personal_data": ["name"]}))
    order = ["error", "warning", "note"]
    severities = [f.rule.severity for f in findings]
    assert severities == sorted(severities, key=order.index)


def run_check(path: str, *extra: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command(
            "buildpolicy",
            path,
            "--check",
            *extra,
            "--library-file",
            LIBRARY_FILE,
            stdout=out,
            stderr=io.StringIO(),
        )
    except SystemExit as exc:
        return int(exc.code), out.getvalue()
    return 0, out.getvalue()


def test_check_prints_one_line_per_finding_and_exits_0_without_errors():
    code, out = run_check(str(EXAMPLES[0].parent / "saas.json"))
    assert code == 0
    assert out.splitlines()[0].startswith("warning TRANSFER-1 tools.unlisted: The policy names the safeguard")


def test_check_exits_1_on_an_error_and_speaks_json(tmp_path):
    path = tmp_path / "answers.json"
    path.write_text(
        json.dumps(
            {
                "organization": {"name": "K", "website": "https://k.example", "email": "k@k.example"},
                "children": KIDS,
            }
        )
    )
    code, out = run_check(str(path))
    assert (
        code == 1
        and "error COPPA-3 organization.phone: A COPPA notice must give the operator's phone number." in out
    )
    code, out = run_check(str(path), "--format", "json")
    assert code == 1
    data = json.loads(out)
    assert {
        "id": "COPPA-3",
        "severity": "error",
        "path": "organization.phone",
        "law": "COPPA, 16 CFR 312.4(d)(1)",
        "message": "A COPPA notice must give the operator's phone number.",
    } in data["findings"]
    coppa = next(law for law in data["laws"] if law["law"] == "coppa")
    assert coppa["status"] == "applies" and coppa["citation"] == "15 U.S.C. 6501-6506; 16 CFR Part 312"


def test_check_and_build_formats_do_not_mix():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--check and --laws print text or json"):
        call_command("buildpolicy", str(EXAMPLES[0]), "--check", "-f", "pdf", "--library-file", LIBRARY_FILE)
    with pytest.raises(CommandError, match="--check and --laws print text or json"):
        call_command("buildpolicy", str(EXAMPLES[0]), "-f", "json", "--library-file", LIBRARY_FILE)


def test_a_childrens_game_with_ad_sdks_gets_an_error_and_no_claim_of_following_coppa(make_answers):
    from policybuilder.assembly import assemble

    game = make_answers(
        services={"kinds": ["mobile_app"]},
        children=KIDS,
        tools={
            "services": ["admob", "unity_ads", "firebase_crashlytics"],
            "unlisted": [{"name": "Kid Ads Network", "kind": "advertising", "role": "third_party"}],
        },
    )
    coppa = next(
        f for f in check_answers(game, services=chosen_services(LIBRARY, game)) if f.rule.id == "COPPA-7"
    )
    assert coppa.rule.severity == "error" and coppa.rule.law == "COPPA, 16 CFR 312.2, 312.5(a)(2)"
    assert "(Google AdMob and Unity Ads)" in coppa.message
    text = "\n".join(s.markdown for s in assemble(LIBRARY, game).sections)
    assert (
        "We follow" not in text and "Children's Online Privacy Protection Act (COPPA) gives parents" in text
    )
    # Only the unlisted ad network: still an error, named as the person named it.
    only_unlisted = make_answers(
        children=KIDS, tools={"unlisted": [{"name": "Kid Ads Network", "kind": "advertising"}]}
    )
    found = [f for f in check_answers(only_unlisted) if f.rule.id == "COPPA-7"]
    assert found and "(Kid Ads Network)" in found[0].message


def test_rules_a_lawyer_found_wrong_now_say_what_the_law_says(make_answers):
    """PCI DSS is not a law, 1798.81.5 is no disclosure duty, CalOPPA asks to describe a review
    process only if one exists (22575(b)(2))."""
    card = ids_and_severity(make_answers(collection={"personal_data": ["payment_card", "name"]}))
    assert card["PAY-1"] == "note" and card["SEC-2"] == "note"
    pay = next(rule for rule in RULES if rule.id == "PAY-1")
    assert "not a law" in pay.law and "NRS 603A.215" in pay.law
    no_process = ids_and_severity(make_answers(california=CA, rights={"access": False, "correct": False}))
    assert not [rule for rule in no_process if rule.startswith("CALOPPA") and rule != "CALOPPA-1"]


def ids_and_severity(answers) -> dict[str, str]:
    return {
        f.rule.id: f.rule.severity for f in check_answers(answers, services=chosen_services(LIBRARY, answers))
    }
