"""Validating and normalising answers, and the answers file's JSON Schema.

Answers arrive from a JSON file, the command line or the wizard.
They all go through ``validate_answers``, which returns *normalised* answers:
every section and key present, defaults filled in, and answers to questions
that do not apply reset to their defaults, so a skipped question can never
reach the policy.  Problems are collected, never raised one at a time: a
person fixing a file sees every mistake at once, each named by its path.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from policybuilder import answer_versions
from policybuilder.answer_kinds import CatalogueKeys, json_type, show
from policybuilder.questionnaire import (
    SCHEMA_VERSION,
    STEPS,
    Question,
    applicable_questions,
)

Answers = dict[str, Any]
__all__ = ["Answers", "CatalogueKeys"]

MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class Problem:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class AnswersError(ValueError):
    """The answers are invalid; ``problems`` lists every reason, by path."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class AnswersFileError(ValueError):
    """An answers file that cannot be read as JSON; the message completes "Answers file ..."."""


def _refuse_constant(name: str) -> Any:
    raise AnswersFileError(f"holds {name}, which is not allowed in JSON")


def parse_answers_file(raw: bytes) -> Any:
    """The JSON in an answers file's bytes, refusing anything a person should be told about.

    One reader for uploads and the command line. A byte-order mark (some
    editors write one) is accepted; NaN/Infinity, nesting deep enough to
    exhaust the parser and numbers too long to convert are refused with a
    message instead of an exception from deep inside ``json``.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise AnswersFileError(f"is larger than the limit of {MAX_FILE_BYTES // 1024} KiB")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise AnswersFileError("is not UTF-8 text") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except AnswersFileError:
        raise
    except json.JSONDecodeError as exc:
        raise AnswersFileError(
            f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        ) from None
    except RecursionError:
        raise AnswersFileError("is nested too deeply to be an answers file") from None
    except ValueError:  # e.g. an integer with more digits than Python will convert
        raise AnswersFileError("holds a number too long to read") from None


def clean_value(question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
    """Check one answer's type and content; return it normalised.

    Raises ``ValueError`` with a message meant for people (without the path).
    """
    return question.kind.clean(question, value, catalogue_keys)


def default_answers(*, today: dt.date | None = None) -> Answers:
    """Answers with every default filled in (organisation details empty)."""
    answers: Answers = {"schema_version": SCHEMA_VERSION}
    for step in STEPS:
        answers[step.key] = {q.key: q.default_value(today) for q in step.questions}
    return answers


def validate_answers(
    data: Any,
    *,
    catalogue_keys: CatalogueKeys,
    today: dt.date | None = None,
    strict_applicability: bool = True,
) -> Answers:
    """Validate raw answers (parsed JSON) and return them normalised.

    With ``strict_applicability`` (the answers-file behaviour), a value given
    for a question that does not apply is an error, because it is almost
    always a mistake that would otherwise silently vanish from the policy.
    Without it (the wizard, where people change earlier answers), such values
    are dropped quietly.  Raises ``AnswersError`` listing every problem.
    """
    answers, problems = normalise_answers(
        data, catalogue_keys=catalogue_keys, today=today, strict_applicability=strict_applicability
    )
    if problems:
        raise AnswersError(problems)
    return answers


def normalise_answers(
    data: Any,
    *,
    catalogue_keys: CatalogueKeys,
    today: dt.date | None = None,
    strict_applicability: bool = False,
) -> tuple[Answers, list[Problem]]:
    """Best-effort normalised answers and the problems found, without raising.

    An invalid or missing answer takes its default, so a half-finished draft
    still tells the wizard which questions apply and can be previewed.
    """
    problems: list[Problem] = []
    data = answer_versions.upgrade(data, catalogue_keys)
    if not isinstance(data, dict):
        return default_answers(today=today), [
            Problem("(top level)", f"must be a JSON object, not {json_type(data)}")
        ]

    known_sections = {step.key for step in STEPS} | {"schema_version"}
    for key in data:
        if key not in known_sections:
            problems.append(Problem(key, f"unknown section; expected one of {_list_keys(known_sections)}"))
    version = data.get("schema_version", SCHEMA_VERSION)
    if version != SCHEMA_VERSION or isinstance(version, bool):
        problems.append(
            Problem(
                "schema_version",
                f"{show(version)} is not supported; this version of Policy Builder reads "
                f"schema_version {SCHEMA_VERSION} (and upgrades version 1 as it reads it)",
            )
        )

    answers = default_answers(today=today)
    given: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        section = data.get(step.key, {})
        if not isinstance(section, dict):
            problems.append(Problem(step.key, f"must be an object, not {json_type(section)}"))
            continue
        given[step.key] = section
        known = {q.key for q in step.questions}
        for key in section:
            if key not in known:
                problems.append(
                    Problem(f"{step.key}.{key}", f"unknown key; expected one of {_list_keys(known)}")
                )

    # Questions are checked in order: a condition only looks at earlier answers,
    # which are normalised by the time it is evaluated.
    for step in STEPS:
        section = given.get(step.key, {})
        for q in step.questions:
            applies = q.applies(answers)
            present = q.key in section and section[q.key] is not None
            if present:
                try:
                    value = clean_value(q, section[q.key], catalogue_keys)
                except ValueError as exc:
                    problems.append(Problem(q.path, str(exc)))
                    continue
                if not applies:
                    if strict_applicability and value != q.default_value():
                        problems.append(
                            Problem(
                                q.path,
                                f"only applies when {q.applies_when.describe()}; "  # type: ignore[union-attr]
                                "remove it or change that answer",
                            )
                        )
                    continue
                answers[step.key][q.key] = value
            if not applies:
                answers[step.key][q.key] = q.default_value()
                continue
            problem = q.kind.completeness_problem(q, answers[step.key][q.key])
            if problem == "is required":
                problem += _required_reason(q)
            if problem:
                problems.append(Problem(q.path, problem))

    return answers, problems


def left_to_default(data: Any, answers: Answers) -> list[Problem]:
    """Applicable questions the raw answers do not answer, which therefore take their default.

    Answers files may rely on the documented defaults; ``buildpolicy --require-all`` asks
    that every applicable question be answered, so that the file says everything the policy does.
    """
    given = data if isinstance(data, dict) else {}
    problems = []
    for q in applicable_questions(answers):
        section = given.get(q.section)
        if not isinstance(section, dict) or q.key not in section:
            default = "today" if q.dated_default else json.dumps(q.default_value(), ensure_ascii=False)
            problems.append(Problem(q.path, f"is not answered (the default {default} would be used)"))
    return problems


def _required_reason(question: Question) -> str:
    if question.applies_when is None:
        return ""
    return f" when {question.applies_when.describe()}"


def _list_keys(keys: Collection[str]) -> str:
    return ", ".join(sorted(keys))


def prune_answers(answers: Answers, *, keep_defaults: bool = False) -> Answers:
    """Answers as a person would write them: defaults and skipped questions left out.

    Used when exporting answers so that a saved file holds only what matters
    and round-trips through ``validate_answers`` unchanged. With
    ``keep_defaults`` every applicable answer stays: a draft made from a file
    counts the file's documented defaults as answered, while questions that
    do not apply stay unanswered in case the person changes an answer later.
    """
    pruned: Answers = {"schema_version": SCHEMA_VERSION}
    for step in STEPS:
        section = {}
        for q in step.questions:
            value = answers.get(step.key, {}).get(q.key)
            if q.applies(answers) and (keep_defaults or value != q.default_value() or q.dated_default):
                section[q.key] = copy.deepcopy(value)
        if section:
            pruned[step.key] = section
    return pruned


def merge_page_values(answers: dict[str, Any], values: Mapping[str, Any]) -> dict[str, Any]:
    """Stored answers with one page's values laid over them; ``values`` is keyed by answer path.

    The one way a page's answers reach a draft (saving, the live preview and
    the form's validation all use it), so they cannot disagree. Only the
    page's keys change: answers to pages that no longer apply stay, so changing
    one's mind back loses nothing. ``answers`` is left alone (the result is a
    deep copy), so a row just read can be merged into safely.
    """
    merged = copy.deepcopy(answers)
    for path, value in values.items():
        section, _, key = path.partition(".")
        merged.setdefault(section, {})[key] = value
    return merged


def json_schema(*, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of answers files, generated from the questionnaire.

    It checks shapes, types, choices and ranges; conditional rules (a key that
    only applies after another answer) are described in each ``description``
    and enforced by ``validate_answers``.
    """
    sections: dict[str, Any] = {}
    for step in STEPS:
        props: dict[str, Any] = {}
        for q in step.questions:
            prop = q.kind.schema(q, catalogue_keys)
            description = q.label + (f" {q.help}" if q.help else "")
            if q.applies_when is not None:
                description += f" Only applies when {q.applies_when.describe()}."
            prop["description"] = description
            props[q.key] = prop
        required = [q.key for q in step.questions if q.required and q.applies_when is None]
        sections[step.key] = {
            "type": "object",
            "title": step.title,
            "description": step.why,
            "properties": props,
            "additionalProperties": False,
            **({"required": required} if required else {}),
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://policybuilder.invalid/schema/answers-v{SCHEMA_VERSION}.json",
        "title": "Policy Builder answers",
        "type": "object",
        "properties": {"schema_version": {"const": SCHEMA_VERSION}, **sections},
        "required": ["organization"],
        "additionalProperties": False,
    }


def reference_markdown() -> str:
    """The answers-file reference (docs/answers.md), generated from the questionnaire."""
    lines = [
        f"# Answers file reference (schema_version {SCHEMA_VERSION})",
        "",
        "Generated from `policybuilder/questionnaire.py` by "
        "`python manage.py answers_schema --markdown`; do not edit by hand.",
        "Files of schema_version 1 are still read (upgraded as they are read); "
        "`python manage.py upgrade_answers FILE` rewrites one in this version.",
        "Every section is optional; a missing key takes its default. Unknown keys and values are errors.",
        "`buildpolicy --require-all` refuses a file that leaves an applicable question to its default.",
        "",
        "In the browser, a question whose default is marked † starts unanswered: a page is not saved",
        "until it is answered, and earlier answers are offered as suggestions, never chosen for you.",
        "",
    ]
    for step in STEPS:
        lines += [f"## `{step.key}`: {step.title}", "", step.why, ""]
        if step.law:
            lines += [f"Law: {step.law}.", ""]
        lines += ["| key | type | default | applies when | question |", "| --- | --- | --- | --- | --- |"]
        for q in step.questions:
            kind = q.kind.reference_type(q)
            if q.required and q.applies_when is None:
                default = "*required*"
            elif q.dated_default:
                default = "today"
            else:
                default = f"`{json.dumps(q.default_value())}`"
            if q.explicit:
                default += " †"
            when = q.applies_when.describe() if q.applies_when else "always"
            if q.required and q.applies_when is not None:
                when += " (then required)"
            text = f"**{q.label}**" + (f" {q.help}" if q.help else "")
            if q.review_only:
                text += " *Decides the review's list of laws that apply; the policy does not print it.*"
            for suggestion in q.suggestions:
                shown = q.kind.describe(q, suggestion.value, {})
                text += f" *Suggested: {shown} when {suggestion.when.describe()}.*"
            lines.append(f"| `{q.key}` | {kind} | {default} | {when} | {text.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
