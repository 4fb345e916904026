"""One class per kind of answer, the way Django's ``forms.Field`` works.

A question in ``questionnaire`` declares *what* it asks (key, label, limits,
choices, default, when it applies); its kind says *how* a value of that sort
behaves everywhere the app meets it:

- ``clean``: checking a value from an answers file or the wizard, with a
  message for people (raised as ``ValueError``, without the path);
- ``schema``: its fragment of the answers file's JSON Schema;
- ``reference_type``: the "type" column of the generated reference (docs/answers.md);
- ``form_field``, ``to_form`` and ``from_form``: the wizard's field, widget and
  the conversion between answers and what a browser sends;
- ``describe``: the answer as the review page shows it;
- ``typical``, ``alternatives`` and ``extremes``: sample values for the trial
  renders that every clause meets before it is saved, including worst cases
  (empty, the longest allowed text, the smallest and largest numbers, full lists).

Adding a kind means adding a class here and an attribute to ``Kind``; nothing
else in the app branches on kinds.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator

from policybuilder import catalogue
from policybuilder.clause_library import SECTION_KEY
from policybuilder.countries import country_names, is_country
from policybuilder.form_widgets import CookieTableField, OwnParagraphsField, ServicePicker, ServiceRowsField

if TYPE_CHECKING:
    from policybuilder.questionnaire import Question

# Catalogue name ("analytics", "payment") -> the keys that exist in it.
CatalogueKeys = Mapping[str, Collection[str]]
# Catalogue name -> (key, label) pairs, for the wizard's check boxes.
CatalogueChoices = Mapping[str, Sequence[tuple[str, str]]]

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PHONE_RE = re.compile(r"^[0-9+()./ \-]{3,}(\s*(ext\.?|x)\s*\d+)?$", re.IGNORECASE)
# Control characters, and lone surrogates (JSON's "\\ud800" escapes), which no
# database column or output format can hold.
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# Characters Django's validators accept (quoted email local parts, URL paths)
# that could break out of a Markdown or HTML link; no real address needs them.
_UNSAFE_IN_ADDRESS = re.compile(r"[<>\"'`\\\s]")
# Line breaks besides "\n" (CommonMark and browsers break lines at them too), and
# the invisible characters that reverse the direction of the text around them.
_OTHER_LINE_BREAKS = re.compile("[\r\x85\u2028\u2029]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_MAX_NUMBER_DIGITS = 18  # far beyond any limit in the questionnaire; int() refuses 4,301 and more
_url_validator = URLValidator(schemes=["http", "https"])
_email_validator = EmailValidator()

YES_NO = [("yes", "Yes"), ("no", "No")]
_SAMPLE_SENTENCE = "A short description written by the site owner."


def show(value: Any) -> str:
    """A value as the person wrote it in JSON, for error messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f'"{value}"' if len(value) <= 60 else f'"{value[:57]}..."'
    if value is None:
        return "null"
    return type(value).__name__ if isinstance(value, dict | list) else str(value)


def json_type(value: Any) -> str:
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


def _filler(length: int, *, lines: bool = False) -> str:
    """Words filling exactly ``length`` characters (several lines for long text)."""
    if length <= 0:
        return ""
    words = ("Worst case text. " * (length // 17 + 1))[:length]
    if lines and length > 40:
        words = "\n".join(words[i : i + 40] for i in range(0, length, 41))[:length]
    return words.strip().ljust(length, "x")[:length]


class AnswerKind:
    """What every kind of answer knows about itself. Subclasses override what differs."""

    name = ""  # stable; shown in the admin's reference panel
    reference_name = ""  # the reference's "type" column

    # --- cleaning -----------------------------------------------------------------------

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        """The value checked and normalised; ``ValueError`` with a message otherwise."""
        raise NotImplementedError

    def empty(self, question: Question) -> Any:
        """The value of an unanswered question without a declared default."""
        return None

    def is_empty(self, value: Any) -> bool:
        return value is None or value == ""

    def asks_explicitly(self, question: Question) -> bool:
        """Whether the wizard starts this question unanswered and will not save a page without an answer.

        True where any value the form could start on would be a claim in the
        policy that the person never made: a yes/no or a choice (either
        button is a statement), or a question whose default is not empty
        ("website" preselected as what the policy covers). Answers files keep
        their documented defaults; only the wizard asks.
        """
        return question.default is not None and not question.dated_default

    def completeness_problem(self, question: Question, value: Any) -> str | None:
        """Why an applicable answer is not complete (required, too few items), or None."""
        if question.required and self.is_empty(value):
            return "is required"
        return None

    # --- the answers file ---------------------------------------------------------------

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        raise NotImplementedError

    def reference_type(self, question: Question) -> str:
        return self.reference_name

    # --- the wizard ---------------------------------------------------------------------

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        raise NotImplementedError

    def to_form(self, question: Question, value: Any) -> Any:
        """An answer as the form shows it."""
        return value

    def from_form(self, question: Question, value: Any) -> Any:
        """What the browser sent, as an answer value (``clean`` checks it afterwards)."""
        return value

    @property
    def grouped(self) -> bool:
        """Radio buttons or check boxes (a fieldset whose first box the error summary links to)."""
        return False

    # --- the review page ----------------------------------------------------------------

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        return "Not given" if value in ("", None) else str(value)

    # --- sample values for trial renders ------------------------------------------------

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        """The value of the "everything on" sample, or None to leave the default."""
        return None

    def alternatives(self, question: Question) -> list[Any]:
        """Other values worth a trial render each, everything else staying on."""
        return []

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        """(smallest, largest) valid values: the worst cases a clause must survive."""
        empty = self.empty(question) if not question.required else self.typical(question, catalogue_keys)
        return empty, self.typical(question, catalogue_keys)


class TextKind(AnswerKind):
    """One line of text."""

    name = "text"
    reference_name = "text"
    input_type = "text"
    autocomplete = "off"
    multiline = False
    sample = _SAMPLE_SENTENCE

    def empty(self, question: Question) -> Any:
        return ""

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {json_type(value)}")
        value = value.replace("\r\n", "\n").strip()
        if self.multiline:
            value = _OTHER_LINE_BREAKS.sub("\n", value)
        if CONTROL_RE.search(value):
            raise ValueError("contains control characters")
        if not self.multiline and ("\n" in value or _OTHER_LINE_BREAKS.search(value)):
            raise ValueError("must be on one line")
        if _BIDI_CONTROLS.search(value):
            raise ValueError("contains invisible characters that change the direction of the text")
        if len(value) > question.max_length:
            raise ValueError(f"is {len(value)} characters long; the limit is {question.max_length}")
        if value:
            self.check_content(value)
        return value

    def check_content(self, value: str) -> None:
        """Kind-specific checks of a non-empty value (addresses, phone numbers)."""

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "string", "maxLength": question.max_length}
        schema.update(self.schema_format())
        if question.required and question.applies_when is None:
            schema["minLength"] = 1
        return schema

    def schema_format(self) -> dict[str, Any]:
        return {}

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        attrs = {"autocomplete": question.autocomplete or self.autocomplete, "type": self.input_type}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), strip=True, **_common(question))

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return self.sample

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        smallest = self.typical(question, catalogue_keys) if question.required else ""
        return smallest, self.longest(question.max_length)

    def longest(self, length: int) -> str:
        return _filler(length, lines=self.multiline)


class LongTextKind(TextKind):
    """Several lines (an address, a description)."""

    name = "long_text"
    reference_name = "text (several lines)"
    multiline = True

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=True, **_common(question))


class LinesKind(LongTextKind):
    """Items written one per line (what a list of choices leaves out), kept as the policy prints them.

    Cleaned once here, so that clause conditions, compliance rules and the printed list all read
    the same items: a line with no letter or digit is dropped, as are a pasted list's bullet and a
    line's closing full stop or semicolon, and a leading "To" or "The" is lowercased to match the
    list's own items. Nothing else is changed: the policy prints each item as written.
    """

    name = "lines"
    reference_name = "text, one item per line"
    _BULLET = re.compile(r"^[-*•·‣◦]\s+")
    _LOWERCASED = frozenset({"To", "The", "A", "An", "Your", "Our", "Their", "Any", "Some", "Other"})

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        text = super().clean(question, value, catalogue_keys)
        items = []
        for line in text.split("\n"):
            item = self._BULLET.sub("", line.strip()).rstrip(".;,").strip()
            if not re.search(r"[^\W_]", item):
                continue
            first, _, rest = item.partition(" ")
            if first in self._LOWERCASED and rest:
                item = f"{first.lower()} {rest}"
            items.append(item)
        return "\n".join(items)


class _AddressKind(TextKind):
    def check_content(self, value: str) -> None:
        if _UNSAFE_IN_ADDRESS.search(value):
            raise ValueError(f"{show(value)} contains characters that are not allowed in an address")


class EmailKind(_AddressKind):
    name = "email"
    reference_name = "email address"
    input_type = "email"
    autocomplete = "email"
    sample = "privacy@example.com"

    def check_content(self, value: str) -> None:
        super().check_content(value)
        try:
            _email_validator(value)
        except ValidationError:
            raise ValueError(f"{show(value)} is not an email address") from None

    def schema_format(self) -> dict[str, Any]:
        return {"format": "email"}

    def longest(self, length: int) -> str:
        # A local part of at most 64 characters, then 63-character labels.
        local = "a" * min(64, max(1, length - 10))
        domain_length = length - len(local) - 1 - len(".example")
        labels: list[str] = []
        while domain_length > 1:
            label = "b" * min(63, domain_length - 1 if labels else domain_length)
            labels.append(label)
            domain_length -= len(label) + 1
        return f"{local}@{'.'.join(labels or ['b'])}.example"


# "crumbandco.com" or "www.crumbandco.com/privacy": a host name with a dot, and no scheme.
_BARE_DOMAIN = re.compile(r"^(?!-)[\w-]+(\.[\w-]+)+\.?(:\d+)?([/?#]\S*)?$")


class _WebAddressField(forms.CharField):
    """What people type as a web address: ``https://`` is added to a bare domain, as a browser's
    address bar does, rather than refusing it (answers files still spell addresses out)."""

    def to_python(self, value: Any) -> str | None:
        text = super().to_python(value)
        return f"https://{text}" if text and _BARE_DOMAIN.match(text) else text


class UrlKind(_AddressKind):
    """An http or https address."""

    name = "url"
    reference_name = "http(s) URL"
    input_type = "url"
    autocomplete = "url"
    sample = "https://example.com"

    def check_content(self, value: str) -> None:
        super().check_content(value)
        try:
            _url_validator(value)
        except ValidationError:
            raise ValueError(
                f"{show(value)} is not a web address starting with http:// or https://"
            ) from None

    def schema_format(self) -> dict[str, Any]:
        return {"format": "uri", "pattern": "^(https?://.+)?$"}

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        field = super().form_field(question, catalogue_choices)
        return _WebAddressField(widget=field.widget, strip=True, **_common(question))

    def longest(self, length: int) -> str:
        prefix = "https://example.com/"
        return prefix + "p" * (length - len(prefix))


class PhoneKind(TextKind):
    name = "phone"
    reference_name = "phone number"
    input_type = "tel"
    autocomplete = "tel"
    sample = "+1 555 0100"

    def check_content(self, value: str) -> None:
        if not _PHONE_RE.match(value):
            raise ValueError(
                f"{show(value)} is not a phone number (digits, spaces, + ( ) - . and an extension)"
            )

    def longest(self, length: int) -> str:
        return "+" + "5" * (length - 1)


class DateKind(AnswerKind):
    """A date written YYYY-MM-DD."""

    name = "date"
    reference_name = "date YYYY-MM-DD"

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, str) or not DATE_RE.match(value):
            raise ValueError(f"must be a date written YYYY-MM-DD, not {show(value)}")
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{show(value)} is not a real date") from None
        return value

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": DATE_RE.pattern}

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **_common(question))

    def from_form(self, question: Question, value: Any) -> Any:
        return value or None

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return "2026-01-01"

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        return "2000-01-01", "2099-12-31"


class BoolKind(AnswerKind):
    """Yes or no."""

    name = "bool"
    reference_name = "true / false"

    def empty(self, question: Question) -> Any:
        return False

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {show(value)}")
        return value

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"type": "boolean", "default": bool(question.default)}

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **_common(question))

    def asks_explicitly(self, question: Question) -> bool:
        return True

    def to_form(self, question: Question, value: Any) -> Any:
        if value is None:
            return None
        return "yes" if value else "no"

    def from_form(self, question: Question, value: Any) -> Any:
        if value in ("yes", "no"):
            return value == "yes"
        return None  # nothing chosen (or not a choice the page offers): unanswered

    @property
    def grouped(self) -> bool:
        return True

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        return "Yes" if value else "No"

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return True

    def alternatives(self, question: Question) -> list[Any]:
        return [False]

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        return False, True


class ChoiceKind(AnswerKind):
    """One of the question's ``choices``."""

    name = "choice"
    reference_name = "one of"

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if value not in question.choice_values:
            raise ValueError(f"{show(value)} is not one of {', '.join(question.choice_values)}")
        return value

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"enum": list(question.choice_values), "default": question.default}

    def reference_type(self, question: Question) -> str:
        return f"{self.reference_name} " + ", ".join(f"`{c}`" for c in question.choice_values)

    def asks_explicitly(self, question: Question) -> bool:
        return True

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        choices = [(c.value, c.label) for c in question.choices]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **_common(question))

    def from_form(self, question: Question, value: Any) -> Any:
        return value or None  # nothing chosen: unanswered

    @property
    def grouped(self) -> bool:
        return True

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        labels = {choice.value: choice.label for choice in question.choices}
        return labels.get(value, value)

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return question.choice_values[0]

    def alternatives(self, question: Question) -> list[Any]:
        return list(question.choice_values[1:])

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        return question.choice_values[-1], question.choice_values[0]


class IntKind(AnswerKind):
    """A whole number between the question's ``min_value`` and ``max_value``."""

    name = "int"
    reference_name = "whole number"

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {show(value)}")
        if question.min_value is not None and value < question.min_value:
            raise ValueError(f"must be at least {question.min_value}, not {value}")
        if question.max_value is not None and value > question.max_value:
            raise ValueError(f"must be at most {question.max_value}, not {value}")
        return value

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer"}
        if question.min_value is not None:
            schema["minimum"] = question.min_value
        if question.max_value is not None:
            schema["maximum"] = question.max_value
        if question.default is not None:
            schema["default"] = question.default
        return schema

    def reference_type(self, question: Question) -> str:
        return f"{self.reference_name} ({question.min_value}–{question.max_value})"

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        attrs = {"inputmode": "numeric", "class": "form-control narrow"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **_common(question))

    def to_form(self, question: Question, value: Any) -> Any:
        return "" if value is None else str(value)

    def from_form(self, question: Question, value: Any) -> Any:
        value = (value or "").strip()
        if not value:
            return None
        # Any script's digits; the length is checked first, as int() refuses 4,301 digits and more.
        return int(value) if re.fullmatch(rf"-?\d{{1,{_MAX_NUMBER_DIGITS}}}", value) else value

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return question.max_value if question.min_value == 0 else max(question.min_value or 1, 2)

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        return question.min_value or 0, question.max_value if question.max_value is not None else 10**6


class _ListKind(AnswerKind):
    """A list without repeats, between ``min_items`` and ``max_items`` long."""

    def empty(self, question: Question) -> Any:
        return []

    def is_empty(self, value: Any) -> bool:
        return super().is_empty(value) or value == []

    def completeness_problem(self, question: Question, value: Any) -> str | None:
        problem = super().completeness_problem(question, value)
        if problem is None and len(value or ()) < question.min_items:
            return f"choose at least {question.min_items}"
        return problem

    def allowed(self, question: Question, catalogue_keys: CatalogueKeys) -> Sequence[str] | None:
        """The values an item may take, or None for free text."""
        return None

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, list):
            raise ValueError(f"must be a list, not {json_type(value)}")
        if len(value) > question.max_items:
            raise ValueError(f"has {len(value)} items; the limit is {question.max_items}")
        allowed = self.allowed(question, catalogue_keys)
        problems: list[str] = []
        cleaned: list[str] = []
        for item in value:
            if not isinstance(item, str):
                problems.append(f"{show(item)} is not text")
                continue
            item = item if allowed is not None else item.strip()
            problem = self.item_problem(question, item, allowed)
            if problem:
                problems.append(problem)
            elif item in cleaned:
                problems.append(f"{show(item)} is listed twice")
            else:
                cleaned.append(item)
        if problems:
            raise ValueError("; ".join(problems))
        return cleaned

    def item_problem(self, question: Question, item: str, allowed: Sequence[str] | None) -> str | None:
        if allowed is not None and item not in allowed:
            return f"{show(item)} is not one of {', '.join(allowed)}"
        return None

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {
            "type": "array",
            "items": self.item_schema(question, catalogue_keys),
            "uniqueItems": True,
            "minItems": question.min_items,
            "maxItems": question.max_items,
            "default": question.default_value(),
        }

    def item_schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"enum": list(self.allowed(question, catalogue_keys) or ())}

    def from_form(self, question: Question, value: Any) -> Any:
        return list(value or [])

    @property
    def grouped(self) -> bool:
        return True

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        if not value:
            return "None"
        labels = {choice.value: choice.label for choice in question.choices}
        return "; ".join(labels.get(item, names.get(item, item)) for item in value)

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return list(self.allowed(question, catalogue_keys) or ())[: question.max_items]

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        full = self.typical(question, catalogue_keys)
        return full[: question.min_items], full


class MultiKind(_ListKind):
    """Any number of the question's ``choices``."""

    name = "multi"
    reference_name = "list of"

    def allowed(self, question: Question, catalogue_keys: CatalogueKeys) -> Sequence[str] | None:
        return question.choice_values

    def reference_type(self, question: Question) -> str:
        return f"{self.reference_name} " + ", ".join(f"`{c}`" for c in question.choice_values)

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **_common(question),
        )


class CatalogueKind(_ListKind):
    """Any number of keys from the service catalogue named by the question's ``catalogue``."""

    name = "catalogue"
    reference_name = "list of catalogue keys"

    def allowed(self, question: Question, catalogue_keys: CatalogueKeys) -> Sequence[str] | None:
        return tuple(catalogue_keys.get(question.catalogue, ()))

    def item_problem(self, question: Question, item: str, allowed: Sequence[str] | None) -> str | None:
        if item not in (allowed or ()):
            return f"{show(item)} is not one of {', '.join(sorted(allowed or ()))}"
        return None

    def item_schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"enum": sorted(self.allowed(question, catalogue_keys) or ())}

    def reference_type(self, question: Question) -> str:
        if question.catalogue == catalogue.ANY_KIND:
            return f"{self.reference_name} (any kind)"
        return f"{self.reference_name} (`{question.catalogue}` catalogue)"

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        picker = question.catalogue == catalogue.ANY_KIND
        return forms.MultipleChoiceField(
            choices=list(catalogue_choices.get(question.catalogue, ())),
            widget=ServicePicker if picker else forms.CheckboxSelectMultiple,
            **_common(question),
        )

    def from_form(self, question: Question, value: Any) -> Any:
        return list(dict.fromkeys(value or ()))

    def alternatives(self, question: Question) -> list[Any]:
        """None chosen, everything else on: the clauses for a business using no such service."""
        return [[]]

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        if not value:
            return "None"
        return "; ".join(names.get(item, item) for item in value)


class _RecordsKind(AnswerKind):
    """A list of records (objects), as many as ``max_items``; each kind checks its own records."""

    item_word = "items"  # "services", "cookies": how the length message counts them

    def empty(self, question: Question) -> Any:
        return []

    def is_empty(self, value: Any) -> bool:
        return value is None or value == []

    def checked_list(self, question: Question, value: Any) -> list[Any]:
        if not isinstance(value, list):
            raise ValueError(f"must be a list, not {json_type(value)}")
        if len(value) > question.max_items:
            raise ValueError(f"has {len(value)} {self.item_word}; the limit is {question.max_items}")
        return value

    def to_form(self, question: Question, value: Any) -> Any:
        return list(value or [])

    def list_schema(
        self, question: Question, properties: dict[str, Any], required: list[str]
    ) -> dict[str, Any]:
        """The answers file's schema for a list of these records."""
        return {
            "type": "array",
            "maxItems": question.max_items,
            "default": [],
            "items": {
                "type": "object",
                "properties": properties,
                "required": required,
                "additionalProperties": False,
            },
        }


class ServiceRecordsKind(_RecordsKind):
    """Services the catalogue does not list, each described by the person who uses them.

    A record holds ``name`` and ``kind`` (required), ``company`` and
    ``website`` (optional) and ``role``: one of the catalogue's roles, or
    ``unknown`` when the person is not sure (the policy then claims nothing
    about what the service does with information). The policy knows no more
    about such a service than this, so it never states facts the catalogue
    would supply (cookies, tracking) for it.
    """

    name = "service records"
    reference_name = "list of services (objects)"
    item_word = "services"
    FIELDS = ("name", "company", "kind", "role", "website")
    UNKNOWN_ROLE = "unknown"
    MAX_NAME = 100

    @property
    def roles(self) -> tuple[str, ...]:
        return (*catalogue.ROLES.values, self.UNKNOWN_ROLE)

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        value = self.checked_list(question, value)
        problems: list[str] = []
        cleaned: list[dict[str, str]] = []
        seen: set[str] = set()
        listed = {_squash(key): key for key in catalogue_keys.get(catalogue.ANY_KIND, ())}
        for number, item in enumerate(value, start=1):
            try:
                record = self._clean_record(item)
            except ValueError as exc:
                problems.append(f"service {number}: {exc}")
                continue
            if _squash(record["name"]) in listed:
                key = listed[_squash(record["name"])]
                problems.append(
                    f"service {number}: {show(record['name'])} is in the catalogue ({key}): choose it "
                    "there, so the policy can use what we know about it"
                )
                continue
            if record["name"].casefold() in seen:
                problems.append(f"service {number}: {show(record['name'])} is listed twice")
                continue
            seen.add(record["name"].casefold())
            cleaned.append(record)
        if problems:
            raise ValueError("; ".join(problems))
        return cleaned

    def _clean_record(self, item: Any) -> dict[str, str]:
        if not isinstance(item, dict):
            raise ValueError(f"must be an object with {', '.join(self.FIELDS)}, not {json_type(item)}")
        unknown = sorted(set(item) - set(self.FIELDS))
        if unknown:
            raise ValueError(f"unknown key {', '.join(unknown)}; expected {', '.join(self.FIELDS)}")
        record = {field: item.get(field, "") for field in self.FIELDS}
        record["role"] = self.UNKNOWN_ROLE if item.get("role") in (None, "") else item["role"]
        problems: list[str] = []
        for field, text in record.items():
            if not isinstance(text, str):
                problems.append(f"{field} must be text, not {json_type(text)}")
            else:
                record[field] = text.strip()
        if problems:
            raise ValueError("; ".join(problems))
        for field in ("name", "company"):
            text = record[field]
            if len(text) > self.MAX_NAME:
                problems.append(f"{field} is longer than {self.MAX_NAME} characters")
            elif CONTROL_RE.search(text) or _OTHER_LINE_BREAKS.search(text) or _BIDI_CONTROLS.search(text):
                problems.append(f"{field} contains line breaks or invisible control characters")
        if not record["name"]:
            problems.append("name is required")
        if record["kind"] not in catalogue.KINDS:
            given = f"{show(record['kind'])} is not a kind" if record["kind"] else "kind is required"
            problems.append(f"{given} (one of {catalogue.KINDS.describe()})")
        if record["role"] not in self.roles:
            problems.append(f"{show(record['role'])} is not a role (one of {', '.join(self.roles)})")
        elif record["role"] == catalogue.SELF_HOSTED and record["kind"] == "advertising":
            problems.append("a self-hosted service sends nothing out, so it cannot be used for advertising")
        if record["website"]:
            try:
                Kind.URL.check_content(record["website"])
            except ValueError as exc:
                problems.append(f"website: {exc}")
            if len(record["website"]) > 200:
                problems.append("website is longer than 200 characters")
        if problems:
            raise ValueError("; ".join(problems))
        return record

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        text = {"type": "string", "maxLength": self.MAX_NAME}
        properties = {
            "name": {**text, "minLength": 1},
            "company": text,
            "kind": {"enum": list(catalogue.KINDS.values)},
            "role": {"enum": list(self.roles), "default": self.UNKNOWN_ROLE},
            "website": {"type": "string", "maxLength": 200, "pattern": "^(https?://.+)?$"},
        }
        return self.list_schema(question, properties, required=["name", "kind"])

    def reference_type(self, question: Question) -> str:
        return (
            f"{self.reference_name}: `name`, `kind` ({catalogue.KINDS.describe()}), optional `company`, "
            f"`website` and `role` ({', '.join(self.roles)}; default `{self.UNKNOWN_ROLE}`)"
        )

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        roles = [(value, ROLE_QUESTION_LABELS[value]) for value in self.roles]
        return ServiceRowsField(
            rows=question.max_items, kinds=catalogue.KINDS.choices(), roles=roles, **_common(question)
        )

    def from_form(self, question: Question, value: Any) -> Any:
        return list(value or [])

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        if not value:
            return "None"
        return "; ".join(
            record["name"]
            + (f" ({record['company']})" if record["company"] else "")
            + f", {catalogue.KINDS.labels[record['kind']].lower()}"
            + (
                f", {ROLE_QUESTION_LABELS[record['role']].lower()}"
                if record["role"] != self.UNKNOWN_ROLE
                else ""
            )
            for record in value
        )

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        # No advertising service here: with one, no sample could reach the clauses for a business
        # nobody tracks (an unknown advertiser might); the largest sample has advertising records.
        return [
            {
                "name": "Acme Chat",
                "company": "Acme Software Inc.",
                "kind": "support",
                "role": catalogue.PROCESSOR,
                "website": "https://chat.example.com",
            },
            {
                "name": "Our Own Stats",
                "company": "",
                "kind": "analytics",
                "role": catalogue.SELF_HOSTED,
                "website": "",
            },
            {
                "name": "Local Courier",
                "company": "",
                "kind": "shipping",
                "role": self.UNKNOWN_ROLE,
                "website": "",
            },
        ]

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        kinds = catalogue.KINDS.values
        largest = [
            {
                "name": f"{index:02d} " + _filler(self.MAX_NAME - 3),
                "company": _filler(self.MAX_NAME),
                "kind": kinds[index % len(kinds)],
                "role": self.roles[index % len(self.roles)],
                "website": Kind.URL.longest(200),
            }
            for index in range(question.max_items)
        ]
        for record in largest:  # a self-hosted advertising service cannot exist
            if record["kind"] == "advertising" and record["role"] == catalogue.SELF_HOSTED:
                record["role"] = self.UNKNOWN_ROLE
        return [], largest


# How the wizard asks for a service's role, in the words of the person who uses it.
ROLE_QUESTION_LABELS = {
    catalogue.PROCESSOR: "Handles information only for us, on our instructions",
    catalogue.THIRD_PARTY: "Also uses information for its own purposes",
    catalogue.SELF_HOSTED: "Runs on our own servers and sends nothing to anyone",
    ServiceRecordsKind.UNKNOWN_ROLE: "Not sure",
}


class CookieRecordsKind(_RecordsKind):
    """The cookie table: one record per cookie or storage key a site scan found.

    Records come from a scan (``scan_review.cookie_rows``), never typed in the wizard, which shows
    them read-only; an answers file may hold them too (``buildpolicy --scan`` writes them from a
    saved scan). Every field is text that came from someone's website: checked like free text and
    kept short.
    """

    name = "cookie records"
    reference_name = "list of cookies (objects)"
    FIELDS = ("name", "provider", "purpose", "duration", "party")
    PARTIES = ("First party", "Third party")
    # Longest text per field: a full table stays well inside a clause's output budget (templating).
    MAX_TEXT = {"name": 80, "provider": 80, "purpose": 120, "duration": 30, "party": 11}
    item_word = "cookies"

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        value = self.checked_list(question, value)
        problems: list[str] = []
        cleaned: list[dict[str, str]] = []
        for number, item in enumerate(value, start=1):
            if not isinstance(item, dict) or set(item) != set(self.FIELDS):
                problems.append(f"cookie {number}: must be an object with {', '.join(self.FIELDS)}")
                continue
            record: dict[str, str] = {}
            for field in self.FIELDS:
                text = item[field]
                if not isinstance(text, str):
                    problems.append(f"cookie {number}: {field} must be text, not {json_type(text)}")
                elif not text.strip() or len(text) > self.MAX_TEXT[field]:
                    limit = self.MAX_TEXT[field]
                    problems.append(f"cookie {number}: {field} must have 1 to {limit} characters")
                elif any(p.search(text) for p in (CONTROL_RE, _OTHER_LINE_BREAKS, _BIDI_CONTROLS)):
                    problems.append(f"cookie {number}: {field} contains line breaks or control characters")
                else:
                    record[field] = text.strip()
            if len(record) == len(self.FIELDS) and record["party"] not in self.PARTIES:
                problems.append(f"cookie {number}: party must be one of {', '.join(self.PARTIES)}")
            elif len(record) == len(self.FIELDS):
                cleaned.append(record)
        if problems:
            raise ValueError("; ".join(problems[:5]))
        return cleaned

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        properties: dict[str, Any] = {
            field: {"type": "string", "minLength": 1, "maxLength": self.MAX_TEXT[field]}
            for field in self.FIELDS
            if field != "party"
        }
        properties["party"] = {"enum": list(self.PARTIES)}
        return self.list_schema(question, properties, required=list(self.FIELDS))

    def reference_type(self, question: Question) -> str:
        return (
            f"{self.reference_name}: `name`, `provider`, `purpose`, `duration` and `party` "
            f"({' or '.join(f'`{p}`' for p in self.PARTIES)}); "
            "from a site scan (the wizard, or `buildpolicy --scan` when building)"
        )

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        return CookieTableField(**_common(question))

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        if not value:
            return "None"
        shown = ", ".join(record["name"] for record in value[:6])
        return f"{len(value)} cookies: {shown}" + (" and more" if len(value) > 6 else "")

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return [
            {"name": "_ga", "provider": "Google Analytics (Google LLC)",
             "purpose": "Analytics: counts visits and how pages are used", "duration": "13 months",
             "party": "First party"},
            {"name": "sessionid", "provider": "This website", "purpose": "One of the purposes listed above",
             "duration": "Session", "party": "First party"},
        ]  # fmt: skip

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        largest = [
            {field: f"{index:03d} " + _filler(limit - 4) for field, limit in self.MAX_TEXT.items()}
            | {"party": self.PARTIES[index % 2]}
            for index in range(question.max_items)
        ]
        return [], largest


class OwnParagraphsKind(AnswerKind):
    """The person's own paragraphs, by the key of the policy section each is added to.

    For what the questions cannot say. Each is plain text (escaped in every format), printed at
    the end of its section; a paragraph whose section the policy does not have (its conditions do
    not hold, or staff removed it) is printed in a closing "Other information" section, so a
    library edit never loses or rejects what someone wrote. Section keys are checked for their
    shape only, for the same reason.
    """

    name = "paragraphs by section"
    reference_name = "object: section key → text"
    KEY = SECTION_KEY
    CATALOGUE = "sections"  # catalogue_choices' entry: (section key, title) of the library's sections

    def empty(self, question: Question) -> Any:
        return {}

    def is_empty(self, value: Any) -> bool:
        return value is None or value == {}

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, dict):
            raise ValueError(f"must be an object of section key → text, not {json_type(value)}")
        if len(value) > question.max_items:
            raise ValueError(f"has {len(value)} paragraphs; the limit is {question.max_items}")
        cleaned: dict[str, str] = {}
        problems: list[str] = []
        for key, text in value.items():
            if not self.KEY.match(str(key)):
                problems.append(f"{show(str(key)[:64])} is not a section key")
                continue
            try:
                paragraph = Kind.LONG_TEXT.clean(question, text, catalogue_keys)
            except ValueError as exc:
                problems.append(f"the paragraph for {key} {exc}")
                continue
            if paragraph:
                cleaned[key] = paragraph
        if problems:
            raise ValueError("; ".join(problems[:5]))
        return cleaned

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {
            "type": "object",
            "default": {},
            "maxProperties": question.max_items,
            "propertyNames": {"pattern": self.KEY.pattern},
            "additionalProperties": {"type": "string", "maxLength": question.max_length},
        }

    def reference_type(self, question: Question) -> str:
        return (
            f"{self.reference_name} (a section's key, as the admin lists them; plain text, blank lines "
            "between paragraphs)"
        )

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        sections = list(catalogue_choices.get(self.CATALOGUE, ()))
        return OwnParagraphsField(sections=sections, max_length=question.max_length, **_common(question))

    def to_form(self, question: Question, value: Any) -> Any:
        return dict(value or {})

    def from_form(self, question: Question, value: Any) -> Any:
        return dict(value or {})

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        if not value:
            return "None"
        return "\n".join(f"{names.get(key, key)}: {text}" for key, text in value.items())

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return {"contact": "We answer every message within two working days."}

    def extremes(self, question: Question, catalogue_keys: CatalogueKeys) -> tuple[Any, Any]:
        keys = ["introduction", "collection", "use", "sharing", "cookies", "rights", "security", "contact"]
        keys += [f"no-such-section-{n}" for n in range(question.max_items - len(keys))]
        return {}, {key: _filler(question.max_length, lines=True) for key in keys[: question.max_items]}


class CountryKind(AnswerKind):
    """A country, as its ISO 3166-1 alpha-2 code ("US", "DE"); empty when not given."""

    name = "country"
    reference_name = "ISO 3166-1 alpha-2 country code"

    def empty(self, question: Question) -> Any:
        return ""

    def clean(self, question: Question, value: Any, catalogue_keys: CatalogueKeys) -> Any:
        if not isinstance(value, str):
            raise ValueError(f'must be a country code such as "US", not {json_type(value)}')
        if value and not is_country(value):
            raise ValueError(f"{show(value)} is not an ISO 3166-1 alpha-2 country code (US, GB, DE, …)")
        return value

    def schema(self, question: Question, catalogue_keys: CatalogueKeys) -> dict[str, Any]:
        return {"enum": ["", *country_names()], "default": ""}

    def form_field(self, question: Question, catalogue_choices: CatalogueChoices) -> forms.Field:
        choices = [("", "Choose a country"), *country_names().items()]
        attrs = {"class": "form-select", "autocomplete": "country"}
        return forms.ChoiceField(choices=choices, widget=forms.Select(attrs=attrs), **_common(question))

    def describe(self, question: Question, value: Any, names: Mapping[str, str]) -> str:
        return country_names().get(value, "Not given")

    def typical(self, question: Question, catalogue_keys: CatalogueKeys) -> Any:
        return "US"

    def alternatives(self, question: Question) -> list[Any]:
        return ["DE"]


def _squash(text: str) -> str:
    """A name compared ignoring case, spaces and punctuation ("Google Pay" matches ``google_pay``)."""
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _common(question: Question) -> dict[str, Any]:
    """Field options every kind shares; whether an answer is required is the domain's decision."""
    return {"label": question.label, "required": False, "help_text": question.help}


class Kind:
    """The kinds of answer, one instance each (compare with ``is``)."""

    TEXT = TextKind()
    LONG_TEXT = LongTextKind()
    LINES = LinesKind()
    EMAIL = EmailKind()
    URL = UrlKind()
    PHONE = PhoneKind()
    DATE = DateKind()
    BOOL = BoolKind()
    CHOICE = ChoiceKind()
    MULTI = MultiKind()
    INT = IntKind()
    CATALOGUE = CatalogueKind()
    SERVICE_RECORDS = ServiceRecordsKind()
    COOKIE_RECORDS = CookieRecordsKind()
    OWN_PARAGRAPHS = OwnParagraphsKind()
    COUNTRY = CountryKind()
