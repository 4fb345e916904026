"""Sample answer sets, generated from the questionnaire.

Used to trial-render every clause when the library is loaded or edited, and
by the tests.  Generating them (rather than keeping hand-written files in
step with the questionnaire) means a new question or choice is exercised
automatically.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from policybuilder.answers import Answers, CatalogueKeys, validate_answers
from policybuilder.questionnaire import STEPS, Kind, Question

SAMPLE_ORGANIZATION = {
    "name": "Example Trading Co.",
    "website": "https://example.com",
    "email": "privacy@example.com",
    "phone": "+1 555 0100",
    "postal_address": "1 Example Street\nSpringfield, ST 00000",
    "effective_date": "2026-01-01",
    "terms_url": "https://example.com/terms",
}


def _everything(question: Question, catalogue_keys: CatalogueKeys) -> Any:
    if question.kind is Kind.BOOL:
        return True
    if question.kind is Kind.MULTI:
        return list(question.choice_values)
    if question.kind is Kind.CATALOGUE:
        return list(catalogue_keys.get(question.catalogue, ()))
    if question.kind is Kind.NAMES:
        return ["Stripe", "Acme Payments"]
    if question.kind is Kind.INT:
        return question.max_value if question.min_value == 0 else max(question.min_value or 1, 2)
    if question.kind is Kind.CHOICE:
        return question.choice_values[0]
    if question.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return "A short description written by the site owner."
    return None


def everything_raw(catalogue_keys: CatalogueKeys) -> dict[str, Any]:
    raw: dict[str, Any] = {}
    for step in STEPS:
        values = {q.key: _everything(q, catalogue_keys) for q in step.questions}
        raw[step.key] = {k: v for k, v in values.items() if v is not None}
    raw["organization"] = dict(SAMPLE_ORGANIZATION)
    return raw


def everything(catalogue_keys: CatalogueKeys) -> Answers:
    """Every practice on: every box ticked, every list full."""
    return validate_answers(
        everything_raw(catalogue_keys), catalogue_keys=catalogue_keys, strict_applicability=False
    )


def nothing(catalogue_keys: CatalogueKeys) -> Answers:
    """Only the required organisation details; everything else at its default."""
    organization = {k: SAMPLE_ORGANIZATION[k] for k in ("name", "website", "email", "effective_date")}
    return validate_answers(
        {"organization": organization, "services": {"kinds": ["website"]}},
        catalogue_keys=catalogue_keys,
        today=dt.date(2026, 1, 1),
    )


def sample_profiles(catalogue_keys: CatalogueKeys) -> dict[str, Answers]:
    """Named answer sets: everything on, nothing on, and "everything but one" variants.

    The variants turn off each yes/no answer and try every other value of each
    single-choice answer, so every branch of every clause is rendered.
    """
    profiles = {"everything": everything(catalogue_keys), "nothing": nothing(catalogue_keys)}
    base = everything_raw(catalogue_keys)
    for step in STEPS:
        for q in step.questions:
            if q.kind is Kind.CHOICE:
                others = list(q.choice_values[1:])
            elif q.kind is Kind.BOOL:
                others = [False]
            else:
                continue
            for value in others:
                raw = {k: (dict(v) if isinstance(v, dict) else v) for k, v in base.items()}
                raw[step.key][q.key] = value
                profiles[f"{q.path}={value}"] = validate_answers(
                    raw, catalogue_keys=catalogue_keys, strict_applicability=False
                )
    return profiles


def trial_render_problems(library: Any) -> list[str]:
    """Assemble every sample profile; report each clause that fails to render."""
    from policybuilder.assembly import AssemblyError, assemble  # noqa: PLC0415 (import cycle)

    problems = []
    for name, answers in sample_profiles(library.catalogue_keys()).items():
        try:
            assemble(library, answers)
        except AssemblyError as exc:
            problems.append(f"clause {exc.clause_key}: fails for sample '{name}': {exc.problem}")
    return sorted(set(problems))


def named_samples(catalogue_keys: CatalogueKeys) -> dict[str, Answers]:
    """A few answer sets people can read about: the shipped examples, everything on, nothing on.

    Shown in the admin's clause preview and coverage page.
    """
    from policybuilder import examples  # noqa: PLC0415 (needs settings)

    samples = {"Everything on": everything(catalogue_keys), "Only the basics": nothing(catalogue_keys)}
    for slug in examples.example_slugs():
        try:
            samples[f"Example: {slug}"] = validate_answers(
                examples.load_example(slug), catalogue_keys=catalogue_keys
            )
        except ValueError:
            continue  # an example naming a service that was removed from the catalogue
    return samples
