"""Hypothesis strategies for answers: any valid answers file the questionnaire allows."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from policybuilder.answers import validate_answers
from policybuilder.catalogue import KINDS, ROLES
from policybuilder.clause_library import read_library_file
from policybuilder.questionnaire import STEPS, Kind, Question

CATALOGUE = read_library_file().catalogue_keys()


def value_strategy(question: Question) -> st.SearchStrategy:
    if question.kind is Kind.BOOL:
        return st.booleans()
    if question.kind is Kind.CHOICE:
        return st.sampled_from(question.choice_values)
    if question.kind is Kind.MULTI:
        return st.lists(st.sampled_from(question.choice_values), unique=True, min_size=question.min_items)
    if question.kind is Kind.CATALOGUE:
        return st.lists(st.sampled_from(sorted(CATALOGUE[question.catalogue])), unique=True, max_size=6)
    if question.kind is Kind.SERVICE_RECORDS:
        record = st.fixed_dictionaries(
            {
                "name": st.sampled_from(["Zeta Pay", "Local Bank", "Own Stats", "Acme Chat", "Ad Friends"]),
                "kind": st.sampled_from(KINDS.values),
                "role": st.sampled_from([*ROLES.values, "unknown"]),
                "company": st.sampled_from(["", "Acme Inc."]),
                "website": st.sampled_from(["", "https://service.example"]),
            }
        )
        possible = record.filter(lambda r: not (r["kind"] == "advertising" and r["role"] == "self_hosted"))
        return st.lists(possible, unique_by=lambda r: r["name"], max_size=3)
    if question.kind is Kind.COOKIE_RECORDS:
        cookie = st.fixed_dictionaries(
            {
                "name": st.sampled_from(["_ga", "sessionid", "_fbp", "cart|items"]),
                "provider": st.sampled_from(["This website", "Google Analytics (Google LLC)"]),
                "purpose": st.sampled_from(["One of the purposes listed above", "Analytics: counts visits"]),
                "duration": st.sampled_from(["Session", "13 months", "Until you clear it"]),
                "party": st.sampled_from(["First party", "Third party"]),
            }
        )
        return st.lists(cookie, max_size=4)
    if question.kind is Kind.INT:
        return st.integers(min_value=question.min_value or 0, max_value=question.max_value or 1000)
    if question.kind is Kind.DATE:
        return st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
    if question.kind is Kind.URL:
        return st.sampled_from(["https://shop.example", "http://example.org/terms"])
    if question.kind is Kind.EMAIL:
        return st.sampled_from(["privacy@shop.example", "a.b@example.org"])
    if question.kind is Kind.COUNTRY:
        return st.sampled_from(["", "US", "GB", "DE", "BR"])
    if question.kind is Kind.PHONE:
        return st.sampled_from(["", "+1 555 0100", "020 7946 0000"])
    if question.kind is Kind.OWN_PARAGRAPHS:
        return st.dictionaries(
            st.sampled_from(["cookies", "contact", "children", "no-such-section"]),
            st.sampled_from(["We answer within two days.", "Our kiln camera sets no cookies."]),
            max_size=3,
        )
    if question.kind is Kind.LINES:
        return st.sampled_from(["", "gift notes", "shipping carriers, to deliver orders\n- our accountants"])
    return st.sampled_from(["Northwind", "Acme & Sons", "Parent signs a consent form."])


def answers_strategy() -> st.SearchStrategy:
    sections = {
        step.key: st.fixed_dictionaries({q.key: value_strategy(q) for q in step.questions}) for step in STEPS
    }
    return st.fixed_dictionaries(sections).map(
        lambda raw: validate_answers(raw, catalogue_keys=CATALOGUE, strict_applicability=False)
    )
