"""The policy's US privacy sections: the CCPA's (11 CCR 7011), the other states', COPPA's items and texts.

Each section appears only when its law applies on the policy's effective date, and says only
what the answers and the catalogue's facts support.
"""

from __future__ import annotations

import pytest

from policybuilder.applicable_laws import laws_for
from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from policybuilder.questionnaire import PAGES_BY_KEY, QUESTIONS_BY_PATH, applicable_pages, on_page

LIBRARY = read_library_file()

# A store that meets the CCPA's revenue test and sells through Meta Pixel's advertising.
COVERED = {"for_profit": "yes", "revenue": "over_27m", "states": ["all_states"], "people": "over_175k",
           "data_revenue": "none", "sba_small": "no"}  # fmt: skip
SMALL = {**COVERED, "revenue": "under_25m", "people": "10k_to_25k", "sba_small": "yes"}
STORE = {
    "organization": {"country": "US"},
    "services": {"kinds": ["website", "online_store"]},
    "collection": {
        "personal_data": ["name", "email", "postal_address", "payment_card", "purchase_history"],
        "automatic_data": ["ip_address", "pages_visited"],
        "sources": ["order_form"],
    },
    "use": {"purposes": ["provide_services", "process_transactions", "marketing_emails"]},
    "tools": {"services": ["meta_pixel", "stripe"]},
    "sharing": {"service_providers": True},
    "cookies": {"use": "yes", "purposes": ["essential", "advertising"]},
    "california": {"applies": True},
    "us_privacy": {
        "online_only": True,
        "opt_out_url": "https://shop.example/do-not-sell",
        "honors_gpc": True,
    },
}


def markdown(answers) -> str:
    return "\n".join(f"## {part.title}\n{part.markdown}" for part in assemble(LIBRARY, answers).parts)


def section(answers, title: str) -> str:
    """One section's text, or "" when the policy does not have it."""
    for part in assemble(LIBRARY, answers).sections:
        if part.title == title:
            return part.markdown
    return ""


CCPA = "Your California privacy rights (CCPA)"
STATES = "Your rights in other US states"


def store(make_answers, reach=COVERED, **changes):
    """The store's answers; below every threshold the US request questions do not apply (and an
    answers file that answers them gets an error), so they are left out."""
    sections = {key: dict(value) for key, value in STORE.items() if reach is COVERED or key != "us_privacy"}
    for key, value in changes.items():
        sections.setdefault(key, {}).update(value)
    return make_answers(reach=reach, **sections)


def test_a_covered_store_with_meta_pixel_gets_every_item_of_11_ccr_7011(make_answers):
    answers = store(make_answers)
    ccpa = section(answers, CCPA)
    # Categories collected, each with examples, sources, purposes, recipients, sold, shared and retention.
    for category in ("**Identifiers**", "**Customer records**", "**Commercial information**",
                     "**Internet or other network activity**"):  # fmt: skip
        assert category in ccpa
    identifiers = ccpa.split("**Identifiers**", 1)[1].split("\n- **", 1)[0]
    assert "your name" in identifiers and "IP address" in identifiers and "cookie IDs" in identifiers
    assert "Comes from: you and your device" in identifiers
    assert "Why: providing our services, payments and orders, marketing and advertising." in identifiers
    assert "Disclosed to: payment processors and our service providers." in identifiers
    assert 'Shared: yes, with the advertising tools listed under "When we share information"' in identifiers
    assert "Kept: as long as we need it" in identifiers
    assert "**Meta Pixel** (from Meta Platforms" in section(answers, "When we share information")
    # Sharing said plainly, and never denied.
    assert 'The CCPA calls this "sharing"' in ccpa
    assert "we do not share it for cross-context" not in ccpa
    # Rights, methods, opt-out link, GPC, verification, agents, timing, under-16s, last updated.
    for text in (
        "know what personal information we have collected about you",
        "ask us to delete it",
        "ask us to correct it",
        "opt out of our selling or sharing it",
        "without being treated differently",
        "email us at",
        "[Do Not Sell or Share My Personal Information](<https://shop.example/do-not-sell>)",
        "Global Privacy Control (GPC)",
        "we check that it comes from you",
        "Authorized agents.",
        "within 10 business days",
        "within 45 calendar days",
        "within 15 business days",
        "under 16",
        "We last updated it on May 1, 2026.",
    ):
        assert text in ccpa, text
    reason = next(v for v in laws_for(LIBRARY, answers) if v.key == "ccpa")
    assert reason.status == "applies" and "your revenue is over $26,625,000" in reason.reason


def test_the_same_store_below_the_thresholds_gets_no_ccpa_section_and_a_reason(make_answers):
    answers = store(make_answers, reach=SMALL)
    assert section(answers, CCPA) == ""
    verdict = next(v for v in laws_for(LIBRARY, answers) if v.key == "ccpa")
    assert verdict.status == "does_not_apply"
    assert "you meet none of these" in verdict.reason
    # CalOPPA's section stays: it has no size threshold.
    assert section(answers, "Information for California residents")


def test_without_selling_or_advertising_tools_the_ccpa_section_says_neither_happens(make_answers):
    answers = store(
        make_answers, tools={"services": ["plausible", "stripe"]}, cookies={"purposes": ["essential"]}
    )
    ccpa = section(answers, CCPA)
    assert "We do not sell your personal information, and we do not share it" in ccpa
    assert "Shared: yes" not in ccpa
    assert "Do Not Sell or Share My Personal Information" not in ccpa  # no link to a page about nothing
    assert "opt out of our selling or sharing it (we do neither)" in ccpa


def test_a_toll_free_number_and_request_form_are_offered_when_given(make_answers):
    answers = store(
        make_answers,
        us_privacy={"online_only": False, "toll_free_number": "1-800-555-0100",
                    "request_form_url": "https://shop.example/privacy-request"},
    )  # fmt: skip
    ccpa = section(answers, CCPA)
    assert "call us free of charge at 1-800-555-0100" in ccpa
    assert "[request form](<https://shop.example/privacy-request>)" in ccpa


def test_sensitive_information_and_the_right_to_limit(make_answers):
    location = {"sensitive_data": ["precise_geolocation"], "sensitive_uses": ["provide_services"]}
    kept_to_permitted = store(make_answers, collection=location)
    ccpa = section(kept_to_permitted, CCPA)
    assert "We do not use it to infer things about you." in ccpa
    assert "limit our use of your sensitive personal information" not in ccpa
    sensitive = ccpa.split("**Sensitive personal information**", 1)[1].split("\n\n", 1)[0]
    assert "Why: providing our services." in sensitive
    assert "advertising" not in sensitive.split("Shared:")[0] and "marketing" not in sensitive
    # Meta Pixel runs on the store's pages: no promise that it never sees what people type.
    assert "Shared: we do not share it on purpose, but it may reach the advertising tools" in sensitive
    assert "precise location" not in ccpa.split("**Sensitive personal information**")[0]  # listed once

    beyond = store(
        make_answers,
        collection={**location, "sensitive_uses": ["provide_services", "advertising"]},
        us_privacy={"limit_url": "https://shop.example/limit"},
    )
    ccpa = section(beyond, CCPA)
    assert (
        "Besides providing what you ask for, we use sensitive personal information:\n\n- for advertising"
        in ccpa
    )
    assert "limit our use of your sensitive personal information" in ccpa
    assert "[Limit the Use of My Sensitive Personal Information](<https://shop.example/limit>)" in ccpa


def test_consumers_known_to_be_under_16_are_opted_in_first(make_answers):
    ccpa = section(store(make_answers, us_privacy={"knows_under_16": True}), CCPA)
    assert "unless they have opted in" in ccpa and "a parent or guardian opts in" in ccpa
    ccpa = section(store(make_answers, us_privacy={"knows_under_16": False}), CCPA)
    assert "We do not know of any consumer under 16" in ccpa


def test_a_financial_incentive_gets_its_notice_with_the_owners_words_escaped(make_answers):
    terms = "10% off for your email <script>alert(1)</script>; we value it at $4."
    ccpa = section(
        store(make_answers, us_privacy={"financial_incentives": True, "incentive_terms": terms}), CCPA
    )
    assert "**Notice of financial incentive.**" in ccpa
    assert "<script>" not in ccpa and "10% off for your email" in ccpa
    assert "withdraw at any time" in ccpa


def test_other_states_are_named_with_their_rights_and_appeal(make_answers):
    answers = store(make_answers)
    states = section(answers, STATES)
    assert "This section is for people who live in Nebraska or Texas." in states
    for text in ("confirm whether we process your personal data", "get a copy of it in a form you can easily reuse",
                 "opt out of targeted advertising and of the sale", "appeal", "Attorney General"):  # fmt: skip
        assert text in states, text
    assert "NOTICE:" not in states  # no sensitive data sold


def test_texas_notices_follow_what_is_sold(make_answers):
    sold = dict(
        sharing={"sells_personal_data": True},
        collection={"sensitive_data": ["health", "biometric"], "sensitive_uses": ["provide_services"]},
    )
    buyers = {"buyers": "research firms, for studies", "sold_categories": ["identifiers"]}
    states = section(
        store(make_answers, us_privacy={"sells_sensitive": "sensitive", **buyers}, **sold), STATES
    )
    assert "NOTICE: We may sell your sensitive personal data." in states
    assert "biometric personal data" not in states
    states = section(
        store(make_answers, us_privacy={"sells_sensitive": "biometric", **buyers}, **sold), STATES
    )
    assert "NOTICE: We may sell your biometric personal data." in states
    # Texas does not apply to an SBA small business: no notice, whatever is sold.
    small = {**COVERED, "sba_small": "yes", "states": ["TX"]}
    answers = store(make_answers, reach=small, us_privacy={"sells_sensitive": "biometric", **buyers}, **sold)
    assert section(answers, STATES) == ""


def test_minnesota_adds_the_list_of_third_parties_and_the_right_to_question_profiling(make_answers):
    minnesota = {**COVERED, "states": ["MN"]}
    states = section(store(make_answers, reach=minnesota, us_privacy={"profiling": True}), STATES)
    assert "If you live in Minnesota, you can also ask for a list of the specific third parties" in states
    assert "you can question its result" in states
    states = section(store(make_answers, reach=minnesota, us_privacy={"profiling": False}), STATES)
    assert "question its result" not in states
    assert "opt out of profiling" not in states


def test_no_state_section_for_a_small_business_below_every_threshold(make_answers):
    answers = store(make_answers, reach={**SMALL, "states": ["VA", "CO"]})
    assert section(answers, STATES) == ""
    assert not {"us-requests", "us-sensitive"} & {page.key for page in applicable_pages(answers)}


def test_the_us_request_pages_are_asked_only_when_a_law_may_apply(make_answers):
    nonprofit = make_answers(reach={"for_profit": "no", "states": ["CA"], "people": "under_10k"})
    assert not {"us-requests", "us-sensitive"} & {page.key for page in applicable_pages(nonprofit)}
    unsure = make_answers(california={"applies": True})  # size not said: the CCPA may apply
    assert "us-requests" in {page.key for page in applicable_pages(unsure)}


def test_the_toll_free_question_shows_and_hides_with_online_only_on_its_page(make_answers):
    question = QUESTIONS_BY_PATH["us_privacy.toll_free_number"]
    page = PAGES_BY_KEY["us-requests"]
    covered = make_answers(california={"applies": True}, reach=COVERED)
    checks = on_page(question.applies_when, page.paths, covered)
    assert [(c.path, c.op, c.value) for c in checks] == [("us_privacy.online_only", "is", False)]
    # When the CCPA is ruled out the question is not on the page at all.
    nonprofit = make_answers(reach={"for_profit": "no", "states": ["CA"]}, california={"applies": True})
    assert on_page(question.applies_when, page.paths, nonprofit) is None


def test_nevadans_can_opt_out_of_sales(make_answers):
    nevada = {**SMALL, "states": ["NV"]}
    answers = store(make_answers, reach=nevada, sharing={"sells_personal_data": True})
    assert "ask us not to sell covered information" in section(answers, "Nevada residents")
    answers = store(make_answers, reach=nevada)
    assert section(answers, "Nevada residents") == ""


KIDS = {"directed_to_children": True, "parental_consent_method": "A signed form."}


@pytest.mark.parametrize("internal", [True, False])
def test_coppa_notice_gives_internal_operations_only_when_used(make_answers, internal):
    answers = make_answers(
        children={**KIDS, "internal_operations": internal, "separate_disclosure_consent": True},
        collection={"retention": "fixed_period", "retention_days": 90},
    )
    text = section(answers, "Children's privacy")
    assert ("support the internal operations of our services" in text) is internal
    assert "without agreeing to our disclosing it to third parties" in text
    assert "at the latest after 3 months" in text and "We do not keep it indefinitely." in text
    # "As long as needed" sets no limit: the notice does not claim one (COPPA-2 flags it instead).
    text = section(make_answers(children=KIDS), "Children's privacy")
    assert "indefinitely" not in text


def test_coppa_notice_names_the_companies_that_receive_childrens_information(make_answers):
    answers = make_answers(
        children={**KIDS, "separate_disclosure_consent": False},
        services={"kinds": ["mobile_app"]},
        tools={"services": ["firebase_crashlytics", "matomo_self_hosted"]},
    )
    text = section(answers, "Children's privacy")
    assert "**Firebase Crashlytics** reports errors to us" in text
    assert "Matomo" not in text  # self-hosted: nothing leaves the business
    assert "without agreeing to our disclosing it" not in text
    assert "We follow COPPA" not in markdown(answers)


def test_marketing_texts_say_how_to_stop_and_claim_consent_only_when_given(make_answers):
    texts = {"other_channels": ["text_messages"], "call_consent": True}
    text = section(make_answers(email_marketing=texts), "Email and other messages")
    assert "only to people who have agreed in writing" in text
    assert "reply STOP" in text and "HELP" not in text  # HELP is a carrier rule, not asked
    assert "We stop within 10 business days." in text
    text = section(make_answers(email_marketing={**texts, "call_consent": False}), "Email and other messages")
    assert "agreed in writing" not in text and "reply STOP" in text
    text = section(
        make_answers(email_marketing={"other_channels": ["postal_mail"]}), "Email and other messages"
    )
    assert "STOP" not in text


def test_only_the_categories_said_to_be_sold_are_marked_sold_with_their_buyers(make_answers):
    answers = store(
        make_answers,
        sharing={"sells_personal_data": True},
        us_privacy={"sold_categories": ["commercial"], "buyers": "data brokers, for their marketing lists"},
    )
    ccpa = section(answers, CCPA)
    commercial = ccpa.split("**Commercial information**", 1)[1].split("\n- **", 1)[0]
    identifiers = ccpa.split("**Identifiers**", 1)[1].split("\n- **", 1)[0]
    assert "Sold: yes" in commercial and "Sold: no" in identifiers
    assert "we sold personal information to data brokers, for their marketing lists" in ccpa


def test_a_service_that_uses_data_for_its_own_purposes_is_not_called_a_service_provider(make_answers):
    answers = store(make_answers, tools={"services": ["google_analytics", "stripe"]})
    internet = (
        section(answers, CCPA).split("**Internet or other network activity**", 1)[1].split("\n- **", 1)[0]
    )
    assert "analytics providers" not in internet.split("It also goes to")[0]
    assert "It also goes to analytics providers that use it for their own purposes too." in internet


def test_a_mixed_audience_service_says_it_screens_age(make_answers):
    text = section(make_answers(children={**KIDS, "age_screening": True}), "Children's privacy")
    assert "for a general audience that includes children under 13" in text
    assert "we ask your age in a way that does not suggest an answer" in text
    text = section(make_answers(children={**KIDS, "age_screening": False}), "Children's privacy")
    assert "Our services are directed to children under 13." in text and "ask your age" not in text


def test_the_ccpa_categories_have_words_for_a_service_of_every_kind(make_answers):
    """Staff may give a service any kind: the categories still have words for who receives data."""
    from dataclasses import replace

    from policybuilder import catalogue
    from policybuilder.library_checks import with_service

    answers = store(make_answers, tools={"services": ["google_analytics"]})
    analytics = LIBRARY.service("google_analytics")
    for kind in catalogue.KINDS.values:
        library = with_service(
            LIBRARY, replace(analytics, kinds=(kind,), advertising=False, role="processor")
        )
        ccpa = next(part.markdown for part in assemble(library, answers).sections if part.title == CCPA)
        assert "**Identifiers**" in ccpa, kind


def test_a_business_outside_the_us_texting_no_one_there_makes_no_tcpa_promises(make_answers):
    texts = {"other_channels": ["text_messages"], "call_consent": True}
    answers = make_answers(
        organization={"country": "DE"}, reach={"states": ["outside_us"]}, email_marketing=texts
    )
    text = section(answers, "Email and other messages")
    assert "reply STOP" in text
    assert "agreed in writing" not in text and "10 business days" not in text


def test_the_ccpa_says_it_knows_of_under_16s_when_the_coppa_answers_say_under_13s(make_answers):
    answers = store(
        make_answers, children={"knowingly_collects_under_13": True, "parental_consent_method": "A form."}
    )
    ccpa = section(answers, CCPA)
    assert "We do not know of any consumer under 16" not in ccpa
    assert "unless they have opted in" in ccpa


def test_a_category_said_to_be_sold_is_listed_even_if_not_collected_otherwise(make_answers):
    answers = store(
        make_answers,
        sharing={"sells_personal_data": True},
        us_privacy={"sold_categories": ["professional"], "buyers": "recruiters"},
    )
    professional = section(answers, CCPA).split("**Professional information**", 1)[1].split("\n- **", 1)[0]
    assert "Sold: yes" in professional


def test_the_pages_for_sensitive_data_follow_connecticuts_any_sensitive_data_test(make_answers):
    from policybuilder.questionnaire import QUESTIONS_BY_PATH

    consent = QUESTIONS_BY_PATH["us_privacy.sensitive_consent"]
    small = {"states": ["CT"], "people": "under_10k", "revenue": "under_25m", "data_revenue": "none",
             "sba_small": "no"}  # fmt: skip
    dated = {"effective_date": "2026-08-01", "country": "US"}
    without = make_answers(organization=dated, reach=small)
    assert not consent.applies(without)  # the law is ruled out: asked about nothing
    health = {"sensitive_data": ["health"], "sensitive_uses": ["provide_services"]}
    with_health = make_answers(organization=dated, reach=small, collection=health)
    assert consent.applies(with_health)  # the same reach answers, remembered, but now the law applies


def test_advertising_is_a_purpose_only_of_the_categories_advertising_tools_receive(make_answers):
    answers = store(make_answers, collection={"personal_data": ["email", "user_content"]})
    ccpa = section(answers, CCPA)
    identifiers = ccpa.split("**Identifiers**", 1)[1].split("\n- **", 1)[0]
    content = ccpa.split("**Content and messages**", 1)[1].split("\n- **", 1)[0]
    assert "advertising" in identifiers.split("Why:")[1].split("\n")[0]
    assert "advertising" not in content.split("Why:")[1].split("\n")[0]
