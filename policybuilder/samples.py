"""Sample answer sets, generated from the questionnaire.

Used to trial-render every clause when the library is loaded or edited, and
by the tests.  Generating them (rather than keeping hand-written files in
step with the questionnaire) means a new question or choice is exercised
automatically: each answer kind supplies its own sample values
(``answer_kinds``), including the worst cases a clause must survive.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from policybuilder import examples
from policybuilder.answers import Answers, CatalogueKeys, prune_answers, validate_answers
from policybuilder.questionnaire import STEPS, Kind, Question


def _typical(question: Question, catalogue_keys: CatalogueKeys) -> Any:
    if question.sample is not None:
        return question.sample
    return question.kind.typical(question, catalogue_keys)


def everything_raw(catalogue_keys: CatalogueKeys) -> dict[str, Any]:
    """Every practice on, as raw answers (before validation)."""
    raw: dict[str, Any] = {}
    for step in STEPS:
        values = {q.key: _typical(q, catalogue_keys) for q in step.questions}
        raw[step.key] = {k: v for k, v in values.items() if v is not None}
    return raw


def everything(catalogue_keys: CatalogueKeys) -> Answers:
    """Every practice on: every box ticked, every list full."""
    return validate_answers(
        everything_raw(catalogue_keys), catalogue_keys=catalogue_keys, strict_applicability=False
    )


# The largest policy the benchmark measures (issue 17): what a big business with many tools reaches.
LARGEST_SERVICES = 60
LARGEST_COOKIE_ROWS = 40
_COOKIE_PURPOSES = (
    ("Strictly necessary: keeps you signed in", "Session", "First party"),
    ("Preferences: remembers your choices", "1 year", "First party"),
    ("Analytics: counts visits and how pages are used", "13 months", "Third party"),
    ("Advertising: measures which ads led to a visit", "90 days", "Third party"),
)


def largest_raw(catalogue_keys: CatalogueKeys) -> dict[str, Any]:
    """Every practice on and every jurisdiction question answered so that the most laws apply
    (``everything_raw``), with 60 services chosen and a cookie table of 40 rows; as an answers
    file holds it (what does not apply left out), so it can be uploaded as it is."""
    raw = everything_raw(catalogue_keys)
    raw["tools"]["services"] = raw["tools"]["services"][:LARGEST_SERVICES]
    raw["cookies"]["table"] = [
        {
            "name": f"_site_cookie_{n}",
            "provider": "This website" if party == "First party" else f"Partner number {n}",
            "purpose": purpose,
            "duration": duration,
            "party": party,
        }
        for n in range(1, LARGEST_COOKIE_ROWS + 1)
        for purpose, duration, party in [_COOKIE_PURPOSES[n % len(_COOKIE_PURPOSES)]]
    ]
    answers = validate_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)
    return prune_answers(answers, keep_defaults=True)


def largest(catalogue_keys: CatalogueKeys) -> Answers:
    return validate_answers(largest_raw(catalogue_keys), catalogue_keys=catalogue_keys)


def nothing(catalogue_keys: CatalogueKeys) -> Answers:
    """Only the required answers; everything else at its default."""
    raw: dict[str, Any] = {}
    for step in STEPS:
        for q in step.questions:
            if (q.required and q.applies_when is None) or q.dated_default:
                raw.setdefault(step.key, {})[q.key] = _typical(q, catalogue_keys)
    return validate_answers(raw, catalogue_keys=catalogue_keys, today=dt.date(2026, 1, 1))


def lists_only(catalogue_keys: CatalogueKeys) -> Answers:
    """Every list full, every yes/no and choice at its default.

    The defaults switch most practices off ("no cookies", no analytics tools),
    so this is where clauses for "off" answers meet full lists: a clause whose
    condition needs both would otherwise never be tried with data. The services
    chosen stay empty: their facts switch practices back on (a tool that sets
    cookies turns "no cookies" into a list of those tools), and the other
    profiles try every service.
    """
    raw: dict[str, Any] = {}
    for step in STEPS:
        for q in step.questions:
            if q.kind in (Kind.CATALOGUE, Kind.SERVICE_RECORDS):
                continue
            if isinstance(q.kind.empty(q), list) or q.required or q.dated_default:
                raw.setdefault(step.key, {})[q.key] = _typical(q, catalogue_keys)
    return validate_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)


def _extreme(catalogue_keys: CatalogueKeys, index: int) -> Answers:
    raw: dict[str, Any] = {}
    for step in STEPS:
        raw[step.key] = {}
        for q in step.questions:
            value = q.kind.extremes(q, catalogue_keys)[index]
            if value is not None:
                raw[step.key][q.key] = value
    return validate_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)


def sample_profiles(catalogue_keys: CatalogueKeys) -> dict[str, Answers]:
    """Named answer sets: everything on, nothing on, the extremes, and "everything but one" variants.

    The extremes are the worst cases: every answer at its smallest (empty
    text, the lowest numbers, the shortest lists) and at its largest (every
    text at its maximum length, numbers at their limits, every list full).
    The variants turn off each yes/no answer and try every other value of
    each single-choice answer, so every branch of every clause is rendered.
    """
    profiles = {
        "everything": everything(catalogue_keys),
        "nothing": nothing(catalogue_keys),
        "lists only": lists_only(catalogue_keys),
        "smallest": _extreme(catalogue_keys, 0),
        "largest": _extreme(catalogue_keys, 1),
    }
    base = everything_raw(catalogue_keys)
    for step in STEPS:
        for q in step.questions:
            for value in (*q.kind.alternatives(q), *q.sample_alternatives):
                raw = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
                raw[step.key][q.key] = value
                profiles[f"{q.path}={json.dumps(value) if isinstance(value, list) else value}"] = (
                    validate_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)
                )
    return profiles


def named_samples(catalogue_keys: CatalogueKeys) -> dict[str, Answers]:
    """A few answer sets people can read about: the shipped examples, everything on, nothing on.

    Shown in the admin's clause preview and coverage page.
    """
    samples = {"Everything on": everything(catalogue_keys), "Only the basics": nothing(catalogue_keys)}
    for slug in examples.example_slugs():
        try:
            samples[f"Example: {slug}"] = validate_answers(
                examples.load_example(slug), catalogue_keys=catalogue_keys
            )
        except ValueError:
            continue  # an example naming a service that was removed from the catalogue
    return samples
