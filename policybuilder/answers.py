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
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from policybuilder.questionnaire import LIST_KINDS, SCHEMA_VERSION, STEPS, Kind, Question

Answers = dict[str, Any]
# Catalogue name ("analytics", "payment") -> the keys that exist in it.
CatalogueKeys = Mapping[str, Collection[str]]

MAX_FILE_BYTES = 256 * 1024

_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PHONE_RE = re.compile(r"^[0-9+()./ \-]{3,}(\s*(ext\.?|x)\s*\d+)?$", re.IGNORECASE)
# Control characters, and lone surrogates (JSON's "\\ud800" escapes), which no
# database column or output format can hold.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_url_validator = URLValidator(schemes=["http", "https"])
# Characters Django's validators accept (quoted email local parts, URL paths)
# that could break out of a Markdown or HTML link; no real address needs them.
_UNSAFE_IN_ADDRESS = re.compile(r"[<>\"'`\\\s]")
_email_validator = EmailValidator()


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


def _show(value: Any) -> str:
    """A value as the person wrote it in JSON, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}..."'
    if value is None:
        return "null"
    return type(value).__name__ if isinstance(value, dict | list) else str(value)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


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
    kind = question.kind
    if kind is Kind.BOOL:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_show(value)}")
        return value
    if kind is Kind.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {_show(value)}")
        if question.min_value is not None and value < question.min_value:
            raise ValueError(f"must be at least {question.min_value}, not {value}")
        if question.max_value is not None and value > question.max_value:
            raise ValueError(f"must be at most {question.max_value}, not {value}")
        return value
    if kind is Kind.CHOICE:
        if value not in question.choice_values:
            raise ValueError(f"{_show(value)} is not one of {', '.join(question.choice_values)}")
        return value
    if kind in (Kind.MULTI, Kind.CATALOGUE, Kind.NAMES):
        return _clean_list(question, value, catalogue_keys)
    if kind is Kind.DATE:
        if not isinstance(value, str) or not _DATE_RE.match(value):
            raise ValueError(f"must be a date written YYYY-MM-DD, not {_show(value)}")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{_show(value)} is not a real date") from None
        return value
    return _clean_text(question, value)


def _clean_text(question: Question, value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {_json_type(value)}")
    value = value.replace("\r\n", "\n").strip()
    if _CONTROL_RE.search(value):
        raise ValueError("contains control characters")
    if question.kind is not Kind.LONG_TEXT and "\n" in value:
        raise ValueError("must be on one line")
    if len(value) > question.max_length:
        raise ValueError(f"is {len(value)} characters long; the limit is {question.max_length}")
    if not value:
        return value
    if question.kind in (Kind.URL, Kind.EMAIL) and _UNSAFE_IN_ADDRESS.search(value):
        raise ValueError(f"{_show(value)} contains characters that are not allowed in an address")
    if question.kind is Kind.URL:
        try:
            _url_validator(value)
        except ValidationError:
            raise ValueError(
                f"{_show(value)} is not a web address starting with http:// or https://"
            ) from None
    elif question.kind is Kind.EMAIL:
        try:
            _email_validator(value)
        except ValidationError:
            raise ValueError(f"{_show(value)} is not an email address") from None
    elif question.kind is Kind.PHONE and not _PHONE_RE.match(value):
        raise ValueError(f"{_show(value)} is not a phone number (digits, spaces, + ( ) - . and an extension)")
    return value


def _clean_list(question: Question, value: Any, catalogue_keys: CatalogueKeys) -> list[str]:
    if not isinstance(value, list):
        raise ValueError(f"must be a list, not {_json_type(value)}")
    if len(value) > question.max_items:
        raise ValueError(f"has {len(value)} items; the limit is {question.max_items}")
    problems: list[str] = []
    cleaned: list[str] = []
    if question.kind is Kind.CATALOGUE:
        allowed: Collection[str] | None = catalogue_keys.get(question.catalogue, ())
    elif question.kind is Kind.MULTI:
        allowed = question.choice_values
    else:
        allowed = None
    for item in value:
        if not isinstance(item, str):
            problems.append(f"{_show(item)} is not text")
            continue
        item = item.strip() if allowed is None else item
        if allowed is not None and item not in allowed:
            shown = ", ".join(sorted(allowed)) if question.kind is Kind.CATALOGUE else ", ".join(allowed)
            problems.append(f"{_show(item)} is not one of {shown}")
        elif allowed is None and not item:
            problems.append("an empty name is not allowed")
        elif allowed is None and (len(item) > question.max_length or _CONTROL_RE.search(item)):
            problems.append(f"{_show(item)} is longer than {question.max_length} characters")
        elif item in cleaned:
            problems.append(f"{_show(item)} is listed twice")
        else:
            cleaned.append(item)
    if problems:
        raise ValueError("; ".join(problems))
    return cleaned


def _is_empty(question: Question, value: Any) -> bool:
    return value is None or value == "" or (question.kind in LIST_KINDS and value == [])


def default_answers(*, today: dt.date | None = None) -> Answers:
    """Answers with every default filled in (organisation details empty)."""
    answers: Answers = {"schema_version": SCHEMA_VERSION}
    for step in STEPS:
        answers[step.key] = {q.key: q.default_value() for q in step.questions}
    answers["organization"]["effective_date"] = (today or dt.date.today()).isoformat()
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
    if not isinstance(data, dict):
        return default_answers(today=today), [
            Problem("(top level)", f"must be a JSON object, not {_json_type(data)}")
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
                f"{_show(version)} is not supported; this version of Policy Builder reads "
                f"schema_version {SCHEMA_VERSION}",
            )
        )

    answers = default_answers(today=today)
    given: dict[str, dict[str, Any]] = {}
    for step in STEPS:
        section = data.get(step.key, {})
        if not isinstance(section, dict):
            problems.append(Problem(step.key, f"must be an object, not {_json_type(section)}"))
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
            current = answers[step.key][q.key]
            if q.required and _is_empty(q, current):
                problems.append(Problem(q.path, "is required" + _required_reason(q)))
            elif q.kind in LIST_KINDS and len(current) < q.min_items:
                problems.append(Problem(q.path, f"choose at least {q.min_items}"))

    analytics = answers["analytics"]
    if analytics["uses_analytics"] and not (analytics["providers"] or analytics["other_providers"]):
        problems.append(
            Problem(
                "analytics.providers",
                "name at least one tool (here or in analytics.other_providers), "
                "or set analytics.uses_analytics to false",
            )
        )
    return answers, problems


def _required_reason(question: Question) -> str:
    if question.applies_when is None:
        return ""
    return f" when {question.applies_when.describe()}"


def _list_keys(keys: Collection[str]) -> str:
    return ", ".join(sorted(keys))


def prune_answers(answers: Answers) -> Answers:
    """Answers as a person would write them: defaults and skipped questions left out.

    Used when exporting answers so that a saved file holds only what matters
    and round-trips through ``validate_answers`` unchanged.
    """
    pruned: Answers = {"schema_version": SCHEMA_VERSION}
    for step in STEPS:
        section = {}
        for q in step.questions:
            value = answers.get(step.key, {}).get(q.key)
            if q.applies(answers) and value != q.default_value():
                section[q.key] = copy.deepcopy(value)
        if step.key == "organization":
            section["effective_date"] = answers["organization"]["effective_date"]
        if section:
            pruned[step.key] = section
    return pruned


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
            prop = _question_schema(q, catalogue_keys)
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
        "$id": "https://policybuilder.invalid/schema/answers-v1.json",
        "title": "Policy Builder answers",
        "type": "object",
        "properties": {"schema_version": {"const": SCHEMA_VERSION}, **sections},
        "required": ["organization"],
        "additionalProperties": False,
    }


def _question_schema(q: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
    if q.kind is Kind.BOOL:
        return {"type": "boolean", "default": False}
    if q.kind is Kind.INT:
        schema: dict[str, Any] = {"type": "integer"}
        if q.min_value is not None:
            schema["minimum"] = q.min_value
        if q.max_value is not None:
            schema["maximum"] = q.max_value
        if q.default is not None:
            schema["default"] = q.default
        return schema
    if q.kind is Kind.CHOICE:
        return {"enum": list(q.choice_values), "default": q.default}
    if q.kind in LIST_KINDS:
        if q.kind is Kind.MULTI:
            items: dict[str, Any] = {"enum": list(q.choice_values)}
        elif q.kind is Kind.CATALOGUE:
            items = {"enum": sorted(catalogue_keys.get(q.catalogue, ()))}
        else:
            items = {"type": "string", "minLength": 1, "maxLength": q.max_length}
        return {
            "type": "array",
            "items": items,
            "uniqueItems": True,
            "minItems": q.min_items,
            "maxItems": q.max_items,
            "default": q.default_value(),
        }
    if q.kind is Kind.DATE:
        return {"type": "string", "format": "date", "pattern": _DATE_RE.pattern}
    schema = {"type": "string", "maxLength": q.max_length}
    if q.kind is Kind.URL:
        schema["format"] = "uri"
        schema["pattern"] = "^(https?://.+)?$"
    elif q.kind is Kind.EMAIL:
        schema["format"] = "email"
    if q.required and q.applies_when is None:
        schema["minLength"] = 1
    return schema


_KIND_NAMES = {
    Kind.TEXT: "text",
    Kind.LONG_TEXT: "text (several lines)",
    Kind.EMAIL: "email address",
    Kind.URL: "http(s) URL",
    Kind.PHONE: "phone number",
    Kind.DATE: "date YYYY-MM-DD",
    Kind.BOOL: "true / false",
    Kind.CHOICE: "one of",
    Kind.MULTI: "list of",
    Kind.INT: "whole number",
    Kind.NAMES: "list of names",
    Kind.CATALOGUE: "list of catalogue keys",
}


def reference_markdown() -> str:
    """The answers-file reference (docs/answers.md), generated from the questionnaire."""
    lines = [
        "# Answers file reference (schema_version 1)",
        "",
        "Generated from `policybuilder/questionnaire.py` by "
        "`python manage.py answers_schema --markdown`; do not edit by hand.",
        "Every section is optional; a missing key takes its default. Unknown keys and values are errors.",
        "",
    ]
    for step in STEPS:
        lines += [f"## `{step.key}`: {step.title}", "", step.why, ""]
        if step.law:
            lines += [f"Law: {step.law}.", ""]
        lines += ["| key | type | default | applies when | question |", "| --- | --- | --- | --- | --- |"]
        for q in step.questions:
            kind = _KIND_NAMES[q.kind]
            if q.choices:
                kind += " " + ", ".join(f"`{c}`" for c in q.choice_values)
            if q.kind is Kind.INT:
                kind += f" ({q.min_value}–{q.max_value})"
            if q.kind is Kind.CATALOGUE:
                kind += f" (`{q.catalogue}` catalogue)"
            default = (
                "*required*"
                if q.required and q.applies_when is None
                else f"`{json.dumps(q.default_value())}`"
            )
            if q.key == "effective_date":
                default = "today"
            when = q.applies_when.describe() if q.applies_when else "always"
            if q.required and q.applies_when is not None:
                when += " (then required)"
            text = f"**{q.label}**" + (f" {q.help}" if q.help else "")
            lines.append(f"| `{q.key}` | {kind} | {default} | {when} | {text.replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
