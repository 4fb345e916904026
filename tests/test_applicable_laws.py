"""Which US privacy laws apply, and why (issue 13, 1): each verdict and its reason, near misses included."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from policybuilder.applicable_laws import APPLIES, DOES_NOT_APPLY, MAY_APPLY, STATE_LAWS, laws_for
from policybuilder.clause_library import read_library_file
from policybuilder.drafts.services import create_draft
from policybuilder.questionnaire import QUESTIONS_BY_PATH
from tests.support.examples import ROOT

LIBRARY = read_library_file()
LIBRARY_FILE = str(ROOT / "policybuilder" / "library" / "data" / "library.yaml")
TODAY = dt.date(2026, 12, 1)


def verdicts(make_answers, today=TODAY, **sections):
    return {v.key: v for v in laws_for(LIBRARY, make_answers(**sections), today=today)}


# A business that has not said where it is may be reached by the GDPR, which asks its condition for
# health data (Art. 9(2)).
ART9 = {"special_conditions": ["explicit_consent"]}


def reach(**values):
    return {"reach": {"revenue": "under_25m", "data_revenue": "none", "sba_small": "no", **values}}


def test_the_ccpa_applies_above_its_revenue_threshold_and_says_the_figure_needs_checking(make_answers):
    ccpa = verdicts(make_answers, **reach(states=["CA"], revenue="over_27m"))["ccpa"]
    assert ccpa.status == APPLIES
    assert "your revenue is over $26,625,000" in ccpa.reason and "verify the current one" in ccpa.reason


def test_the_ccpa_applies_to_a_store_sharing_with_meta_pixel_for_100000_californians(make_answers):
    store = {**reach(states=["CA"], people="100k_to_175k"), "tools": {"services": ["meta_pixel"]}}
    ccpa = verdicts(make_answers, **store)["ccpa"]
    assert ccpa.status == APPLIES
    assert (
        "you buy, sell or share the personal information of 100,000 or more California residents"
        in ccpa.reason
    )
    # Fewer than 100,000 Californians: that test is not met.
    plain = {**reach(states=["CA"], people="50k_to_100k"), "tools": {"services": ["meta_pixel"]}}
    assert verdicts(make_answers, **plain)["ccpa"].status == DOES_NOT_APPLY


def test_the_ccpa_below_every_threshold_does_not_apply_and_says_why(make_answers):
    small = {**reach(states=["CA"], people="100k_to_175k"), "tools": {"services": ["meta_pixel"]}}
    small["reach"]["people"] = "10k_to_25k"
    ccpa = verdicts(make_answers, **small)["ccpa"]
    assert ccpa.status == DOES_NOT_APPLY
    assert ccpa.reason.endswith("you meet none of these.")
    assert (
        verdicts(make_answers, reach={"for_profit": "no", "revenue": "over_27m"})["ccpa"].status
        == DOES_NOT_APPLY
    )


def test_not_sure_is_an_answer_that_leaves_the_law_open(make_answers):
    ccpa = verdicts(make_answers, reach={"states": ["CA"]})["ccpa"]  # revenue and counts "not sure"
    assert ccpa.status == MAY_APPLY and ccpa.reason.endswith("Check your figures.")
    # Big revenue, but nobody said the business deals with Californians: open, and it says why.
    unsaid = verdicts(make_answers, reach={"revenue": "over_27m"})["ccpa"]
    assert unsaid.status == MAY_APPLY and "you have not said where" in unsaid.reason
    # Many Californians and no selling or sharing: buying also counts, so it stays open.
    many = verdicts(make_answers, **reach(states=["CA"], people="over_175k"))["ccpa"]
    assert many.status == MAY_APPLY


@pytest.mark.parametrize(
    ("states", "people", "expected"),
    [
        (["DE"], "35k_to_50k", APPLIES),  # Delaware starts at 35,000 residents
        (["DE"], "25k_to_35k", DOES_NOT_APPLY),  # 25,000 to 34,999: all of it below
        (["DE", "outside_us"], "35k_to_50k", APPLIES),  # people abroad do not make Delaware uncertain
        (["DE", "VA"], "35k_to_50k", MAY_APPLY),  # the band counts the largest state, maybe not Delaware
        (["VA"], "35k_to_50k", DOES_NOT_APPLY),  # Delaware is not among the states served
        ([], "35k_to_50k", MAY_APPLY),  # nobody said where people live
        (["all_states"], "under_10k", DOES_NOT_APPLY),
    ],
)
def test_a_state_threshold_is_met_only_when_the_whole_band_is(make_answers, states, people, expected):
    delaware = verdicts(make_answers, **reach(states=states, people=people))["us-de"]
    assert delaware.status == expected, delaware.reason


def test_revenue_from_selling_data_lowers_a_states_threshold(make_answers):
    virginia = {**reach(states=["VA"], people="25k_to_35k")}
    assert verdicts(make_answers, **virginia)["us-va"].status == DOES_NOT_APPLY
    virginia["reach"]["data_revenue"] = "over_50"
    found = verdicts(make_answers, **virginia)["us-va"]
    assert found.status == APPLIES
    assert "25,000 or more Virginia residents a year if more than 50% of its revenue" in found.reason


def test_texas_and_nebraska_cover_every_business_but_sba_small_ones(make_answers):
    assert verdicts(make_answers, **reach(states=["TX"], sba_small="no"))["us-tx"].status == APPLIES
    small = verdicts(make_answers, **reach(states=["TX"], sba_small="yes"))["us-tx"]
    assert small.status == DOES_NOT_APPLY and "except its rule on selling sensitive data" in small.reason
    assert verdicts(make_answers, **reach(states=["TX"], sba_small="not_sure"))["us-tx"].status == MAY_APPLY


def test_utah_and_tennessee_also_need_25_million_in_revenue(make_answers):
    big_audience = reach(states=["UT"], people="over_175k")
    assert verdicts(make_answers, **big_audience)["us-ut"].status == DOES_NOT_APPLY
    big_audience["reach"]["revenue"] = "over_27m"
    assert verdicts(make_answers, **big_audience)["us-ut"].status == APPLIES


def test_a_law_not_yet_in_force_says_when_it_starts(make_answers):
    indiana = verdicts(make_answers, today=dt.date(2025, 6, 1), **reach(states=["IN"], people="over_175k"))[
        "us-in"
    ]
    assert indiana.status == DOES_NOT_APPLY and indiana.reason == "It takes effect on January 1, 2026."


def test_coppa_can_spam_caloppa_and_the_tcpa_follow_their_own_answers(make_answers):
    found = verdicts(
        make_answers,
        organization={"country": "US"},
        children={"directed_to_children": True, "parental_consent_method": "Form"},
        email_marketing={"sends_commercial_email": True, "other_channels": ["text_messages"]},
    )
    assert found["coppa"].status == APPLIES and found["can-spam"].status == APPLIES
    assert found["tcpa"].status == MAY_APPLY and "autodialer" in found["tcpa"].reason
    assert found["caloppa"].status == DOES_NOT_APPLY


def test_every_state_in_the_question_has_a_verdict(make_answers):
    offered = set(QUESTIONS_BY_PATH["reach.states"].choice_values) - {
        "all_states",
        "other_states",
        "outside_us",
    }
    found = verdicts(make_answers, **reach(states=["other_states"]))
    assert {law.state for law in STATE_LAWS} | {"CA", "NV", "WA"} == offered
    assert {f"us-{state.lower()}" for state in offered - {"CA"}} <= set(found)
    assert all(v.status == DOES_NOT_APPLY for k, v in found.items() if k.startswith("us-"))


def test_connecticut_since_july_2026_covers_sellers(make_answers):
    small = reach(states=["CT"], people="10k_to_25k")
    before = verdicts(make_answers, today=dt.date(2026, 6, 30), **small)["us-ct"]
    assert before.status == DOES_NOT_APPLY
    after = verdicts(make_answers, **small)["us-ct"]
    assert after.status == DOES_NOT_APPLY and "your answers are below that" in after.reason
    seller = verdicts(make_answers, sharing={"sells_personal_data": True}, **small)["us-ct"]
    assert (
        seller.status == APPLIES and "offers personal data of Connecticut residents for sale" in seller.reason
    )


def test_thresholds_still_to_verify_never_rule_a_law_out(make_answers):
    montana = verdicts(make_answers, **reach(states=["MT"], people="under_10k"))["us-mt"]
    assert montana.status == MAY_APPLY and "still to verify" in montana.reason


def test_oregon_counts_25_percent_of_revenue_and_more(make_answers):
    oregon = reach(states=["OR"], people="25k_to_35k", data_revenue="25_to_50")
    found = verdicts(make_answers, **oregon)["us-or"]
    assert found.status == APPLIES and "25% or more of its revenue" in found.reason
    oregon["reach"]["data_revenue"] = "20_to_25"  # up to 25% exactly: open
    assert verdicts(make_answers, **oregon)["us-or"].status == MAY_APPLY


def test_nevada_and_washington_say_what_they_ask(make_answers):
    found = verdicts(make_answers, **reach(states=["NV", "WA"]))
    assert found["us-nv"].status == MAY_APPLY and "NRS 603A.340" in found["us-nv"].reason
    assert found["us-wa"].status == DOES_NOT_APPLY and "check that you infer none" in found["us-wa"].reason
    health = {"sensitive_data": ["health"], "sensitive_uses": ["provide_services"]}
    found = verdicts(make_answers, **reach(states=["NV", "WA"]), collection=health, gdpr=ART9)
    assert found["us-wa"].status == APPLIES
    assert "separate consumer health data privacy policy" in found["us-wa"].reason


def test_a_small_business_that_sells_data_is_not_told_texas_cannot_apply(make_answers):
    seller = verdicts(
        make_answers,
        sharing={"sells_personal_data": True},
        us_privacy={"buyers": "data brokers"},
        **reach(states=["TX"], sba_small="yes"),
    )
    assert seller["us-tx"].status == MAY_APPLY and "selling sensitive data" in seller["us-tx"].reason


def test_buildpolicy_laws_prints_text_and_json(tmp_path):
    path = tmp_path / "answers.json"
    raw = {
        "organization": {"name": "K", "website": "https://k.example", "email": "k@k.example"},
        "reach": {"states": ["DE"], "people": "35k_to_50k"},
    }
    path.write_text(json.dumps(raw))
    out = io.StringIO()
    call_command(
        "buildpolicy", str(path), "--laws", "--library-file", LIBRARY_FILE, stdout=out, stderr=io.StringIO()
    )
    text = out.getvalue()
    assert text.startswith("Applies:\n  Delaware Personal Data Privacy Act (Delaware): It covers businesses")
    out = io.StringIO()
    call_command("buildpolicy", str(path), "--laws", "-f", "json", "--library-file", LIBRARY_FILE, stdout=out)
    delaware = next(law for law in json.loads(out.getvalue()) if law["law"] == "us-de")
    assert delaware["status"] == "applies" and delaware["citation"] == "6 Del. C. ch. 12D"


@pytest.mark.django_db
def test_the_review_page_shows_the_laws_once_size_and_reach_is_answered(client, db_library):
    org = {"name": "K", "website": "https://k.example", "email": "k@k.example"}
    draft = create_draft(answers={"organization": org}, completed_pages=["organization"])
    page = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Laws that apply to you" in page and "to see which US privacy laws apply" in page
    answers = {"organization": org, "reach": {"states": ["DE"], "people": "35k_to_50k", "for_profit": "yes"}}
    draft = create_draft(answers=answers, completed_pages=["organization", "reach"])
    page = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "<strong>Delaware Personal Data Privacy Act (Delaware)</strong>: It covers businesses" in page
    assert "<summary>Does not apply (" in page


def test_connecticut_covers_any_business_with_sensitive_data_from_july_2026(make_answers):
    small = reach(states=["CT"], people="under_10k")
    health = {"sensitive_data": ["health"], "sensitive_uses": ["provide_services"]}
    after = dt.date(2026, 8, 1)
    found = verdicts(make_answers, today=after, collection=health, gdpr=ART9, **small)["us-ct"]
    assert found.status == APPLIES and "processes sensitive data" in found.reason
    assert verdicts(make_answers, today=after, **small)["us-ct"].status == DOES_NOT_APPLY
    before = dt.date(2026, 6, 1)
    assert verdicts(make_answers, today=before, collection=health, gdpr=ART9, **small)["us-ct"].status == DOES_NOT_APPLY


@pytest.mark.parametrize(
    ("country", "europe", "gdpr", "uk"),
    [
        ("DE", [], APPLIES, DOES_NOT_APPLY),  # established in the EU (Art. 3(1))
        ("GB", [], DOES_NOT_APPLY, APPLIES),
        ("US", ["uk"], DOES_NOT_APPLY, APPLIES),  # a US shop that ships to the UK (Art. 3(2))
        ("US", ["eu_eea", "uk"], APPLIES, APPLIES),
        ("US", [], DOES_NOT_APPLY, DOES_NOT_APPLY),  # serves no one in Europe: GDPR notes stay silent
        ("US", ["not_sure"], MAY_APPLY, MAY_APPLY),
        ("", [], MAY_APPLY, MAY_APPLY),  # where the business is has not been said
    ],
)
def test_the_gdpr_and_uk_gdpr_apply_by_establishment_or_by_whom_you_serve(
    make_answers, country, europe, gdpr, uk
):
    answers = {"organization": {"country": country}, "reach": {"europe": europe}}
    found = verdicts(make_answers, **answers)
    assert (found["gdpr"].status, found["uk-gdpr"].status) == (gdpr, uk)
    assert "Art. 3" in found["gdpr"].reason


def test_a_german_business_is_told_why_the_gdpr_applies(make_answers):
    found = verdicts(make_answers, organization={"country": "DE"})["gdpr"]
    assert found.reason == "You are established in Germany, in the EU or EEA (Art. 3(1))."


def test_can_spam_reaches_email_from_the_us_or_to_people_there(make_answers):
    mailing = {"sends_commercial_email": True}
    unsaid = verdicts(make_answers, email_marketing=mailing)["can-spam"]
    assert unsaid.status == MAY_APPLY and "people in the US" in unsaid.reason
    to_us = verdicts(make_answers, organization={"country": "DE"}, reach={"states": ["all_states"]},
                     email_marketing=mailing)["can-spam"]  # fmt: skip
    assert to_us.status == APPLIES
    europe_only = verdicts(
        make_answers,
        organization={"country": "DE"},
        reach={"states": ["outside_us"]},
        email_marketing=mailing,
    )["can-spam"]
    assert europe_only.status == DOES_NOT_APPLY
