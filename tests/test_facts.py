"""Statements derived from the catalogue's facts: no sentence the facts of the chosen services make false."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policybuilder.answers import validate_answers
from policybuilder.applicable_laws import us_law_may_reach
from policybuilder.assembly import assemble
from policybuilder.clause_library import read_library_file
from policybuilder.compliance import check_answers
from policybuilder.derived import chosen_services
from tests.support.strategies import answers_strategy

LIBRARY = read_library_file()
SERVICES = sorted(LIBRARY.catalogue_keys()["any"])
NO_SALE = "We do not sell, trade or rent your personal information"
NO_TRACKING = "We do not allow other companies to collect information"
ADVERTISING_LIST = "Some tools on our site are used for advertising."


def text_of(document) -> str:
    return "\n".join(f"{part.title}\n{part.markdown}" for part in document.parts)


def tool_lines(document) -> dict[str, str]:
    """The list item that describes each service, by the service's name.

    "- **Name** …", "- [Name](…)…" or "- Name: …"; a bare "- Name" (the list of tools that set
    cookies) describes nothing, so it is not one.
    """
    lines = {}
    for part in document.sections:
        for line in part.markdown.splitlines():
            if not line.startswith("- "):
                continue
            item = line[2:].lstrip("*[")
            for end in ("**", "](", ":"):
                if end in item:
                    lines.setdefault(item.split(end, 1)[0], line)
                    break
    return lines


def with_tools(answers, tools):
    raw = {key: value for key, value in answers.items() if key != "schema_version"}
    raw["tools"] = {"services": tools, "unlisted": []}
    return validate_answers(raw, catalogue_keys=LIBRARY.catalogue_keys(), strict_applicability=False)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(answers_strategy(), st.lists(st.sampled_from(SERVICES), min_size=1, max_size=5, unique=True))
def test_no_sentence_contradicts_the_facts_of_the_chosen_services(raw_answers, tools):
    answers = with_tools(raw_answers, tools)
    services = [LIBRARY.service(key) for key in tools]
    document = assemble(LIBRARY, answers)
    text = text_of(document)
    advertisers = [s for s in services if s.advertising]
    trackers = [s for s in services if s.cross_site_tracking]
    if advertisers:
        assert NO_SALE not in text, [s.name for s in advertisers]
        if not answers["sharing"]["sells_personal_data"]:
            listed = text.split(ADVERTISING_LIST, 1)[1].split("\n\n", 2)[1]
            assert all(s.name in listed for s in advertisers), listed
    if trackers and answers["california"]["applies"]:
        assert NO_TRACKING not in text, [s.name for s in trackers]
    if any(s.sets_cookies for s in services):
        assert "Our services do not use cookies." not in text
    lines = tool_lines(document)
    for service in services:
        line = lines[service.name]
        if service.role == "processor":
            assert "for its own purposes" not in line and "on our behalf" in line, line
        if service.role == "third_party":
            assert "for its own purposes" in line, line
        if service.role == "self_hosted":
            assert "systems we control" in line and "own privacy policy" not in line, line
        if not service.advertising:
            assert "advertis" not in line, line
    # Each contradiction the text had to resolve is an error in the compliance review.
    ids = {f.rule.id for f in check_answers(answers, services=chosen_services(LIBRARY, answers))}
    # SHARE-1 speaks US law (the CCPA's "sharing"): silent for a business US law cannot reach.
    if advertisers and not answers["sharing"]["sells_personal_data"] and us_law_may_reach(answers):
        assert "SHARE-1" in ids
    if (
        trackers
        and answers["california"]["applies"]
        and not answers["california"]["third_party_tracking_allowed"]
    ):
        assert "CALOPPA-2" in ids


def test_a_shop_with_meta_pixel_never_says_it_does_not_sell_or_share(make_answers):
    answers = make_answers(
        services={"kinds": ["online_store"]},
        cookies={"use": "yes", "purposes": ["essential", "advertising"]},
        tools={"services": ["meta_pixel"]},
        california={"applies": True},
    )
    text = text_of(assemble(LIBRARY, answers))
    assert NO_SALE not in text and NO_TRACKING not in text
    assert "Meta Pixel" in text.split("When we share information", 1)[1]
    ids = {f.rule.id for f in check_answers(answers, services=chosen_services(LIBRARY, answers))}
    assert {"SHARE-1", "CALOPPA-2"} <= ids


def test_cookieless_self_hosted_and_processor_tools_are_described_as_what_they_are(make_answers):
    answers = make_answers(
        tools={"services": ["plausible", "matomo_self_hosted"]},
        california={"applies": True},
    )
    document = assemble(LIBRARY, answers)
    text = text_of(document)
    lines = tool_lines(document)
    assert "on our behalf" in lines["Plausible Analytics"]
    assert "systems we control" in lines[LIBRARY.service("matomo_self_hosted").name]
    assert NO_TRACKING in text  # nothing chosen tracks across sites: the statement is true
    ids = {f.rule.id for f in check_answers(answers, services=chosen_services(LIBRARY, answers))}
    assert not {"SHARE-1", "CALOPPA-2"} & ids
    assert "COOKIE-1" in ids  # self-hosted Matomo still sets cookies, and "no cookies" was the answer
    cookieless = make_answers(tools={"services": ["plausible", "fathom"]})
    services = chosen_services(LIBRARY, cookieless)
    assert "COOKIE-1" not in {f.rule.id for f in check_answers(cookieless, services=services)}


def test_an_advertising_service_the_person_added_is_never_denied_cookies_or_tracking(make_answers):
    answers = make_answers(
        tools={"unlisted": [{"name": "Corner Ads", "kind": "advertising", "role": "third_party"}]},
        california={"applies": True},
    )
    text = text_of(assemble(LIBRARY, answers))
    assert "Our services do not use cookies." not in text and NO_TRACKING not in text
    assert "The advertising tool Corner Ads may set cookies or similar identifiers in your browser." in text
    assert "other companies may collect information about what you do online" in text
