"""Wizard forms, generated from the questionnaire, and the start/continue/upload forms.

A page's form only parses what the browser sent into answer values; whether
they are valid is decided by ``answers.normalise_answers`` (the same rules an
answers file meets), and its messages are attached to the fields by name.
"""

from __future__ import annotations

import json
import re
from typing import Any

from crispy_forms.helper import FormHelper
from crispy_forms.utils import render_crispy_form
from django import forms

from policybuilder.answers import (
    MAX_FILE_BYTES,
    AnswersError,
    AnswersFileError,
    CatalogueKeys,
    normalise_answers,
    parse_answers_file,
    validate_answers,
)
from policybuilder.clause_library import Library
from policybuilder.questionnaire import QUESTIONS_BY_PATH, Kind, Page, Question

YES_NO = [("yes", "Yes"), ("no", "No")]


def field_name(question: Question) -> str:
    return f"{question.section}__{question.key}"


def _field(question: Question, library: Library) -> forms.Field:
    common: dict[str, Any] = {"label": question.label, "required": False, "help_text": question.help}
    kind = question.kind
    if kind is Kind.BOOL:
        return forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    if kind is Kind.CHOICE:
        return forms.ChoiceField(
            choices=[(c.value, c.label) for c in question.choices], widget=forms.RadioSelect, **common
        )
    if kind is Kind.MULTI:
        return forms.MultipleChoiceField(
            choices=[(c.value, c.label) for c in question.choices],
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    if kind is Kind.CATALOGUE:
        choices = [
            (s.key, f"{s.name} ({s.company})") for s in library.services if s.kind == question.catalogue
        ]
        return forms.MultipleChoiceField(choices=choices, widget=forms.CheckboxSelectMultiple, **common)
    if kind is Kind.NAMES:
        common["help_text"] = (question.help + " One per line.").strip()
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), strip=True, **common)
    if kind is Kind.INT:
        attrs = {"inputmode": "numeric", "class": "form-control narrow"}
        return forms.CharField(widget=forms.TextInput(attrs=attrs), **common)
    if kind is Kind.DATE:
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **common)
    if kind is Kind.LONG_TEXT:
        return forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), strip=True, **common)
    input_type = {Kind.EMAIL: "email", Kind.URL: "url", Kind.PHONE: "tel"}.get(kind, "text")
    attrs = {"autocomplete": {"email": "email", "url": "url", "tel": "tel"}.get(input_type, "off")}
    if question.path == "organization.name":
        attrs["autocomplete"] = "organization"
    return forms.CharField(widget=forms.TextInput(attrs={**attrs, "type": input_type}), strip=True, **common)


def to_form_value(question: Question, value: Any) -> Any:
    """An answer as the form shows it."""
    if question.kind is Kind.BOOL:
        return "yes" if value else "no"
    if question.kind is Kind.NAMES:
        return "\n".join(value or [])
    if question.kind is Kind.INT:
        return "" if value is None else str(value)
    return value


def from_form_value(question: Question, value: Any) -> Any:
    """What the browser sent, as an answer value (validated afterwards by the domain)."""
    if question.kind is Kind.BOOL:
        return value == "yes"
    if question.kind is Kind.NAMES:
        return [line.strip() for line in (value or "").splitlines() if line.strip()]
    if question.kind is Kind.INT:
        value = (value or "").strip()
        if not value:
            return None
        return int(value) if re.fullmatch(r"-?\d+", value) else value
    if question.kind is Kind.DATE:
        return value or None
    if question.kind in (Kind.MULTI, Kind.CATALOGUE):
        return list(value or [])
    return value


class PageForm(forms.Form):
    """The form of one wizard page; ``values`` holds the parsed answers once valid."""

    def __init__(
        self,
        *args: Any,
        page: Page,
        questions: list[Question],
        library: Library,
        draft_answers: dict[str, Any],
        current: dict[str, Any],
        **kwargs: Any,
    ) -> None:
        self.page = page
        self.library = library
        self.draft_answers = draft_answers
        self.questions = {field_name(q): q for q in questions}
        initial = {field_name(q): to_form_value(q, current[q.section][q.key]) for q in questions}
        super().__init__(*args, initial=initial, **kwargs)
        for name, question in self.questions.items():
            self.fields[name] = _field(question, library)
            if question.required and question.applies_when is None:
                self.fields[name].required = True
                self.fields[name].error_messages["required"] = "An answer is required."
            condition = question.applies_when
            if condition is not None and set(condition.paths()) <= set(page.paths):
                # Depends on an answer on this page: the page script shows and hides it.
                self.fields[name].widget.attrs["data-when"] = json.dumps(_conditions(question))
                self.fields[name].help_text += f" Only needed if {condition.explain()}."
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.values: dict[str, Any] = {}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        values = {q.path: from_form_value(q, cleaned.get(name)) for name, q in self.questions.items()}
        merged = merge_answers(self.draft_answers, values)
        _, problems = normalise_answers(merged, catalogue_keys=self.library.catalogue_keys())
        by_path = {q.path: name for name, q in self.questions.items()}
        for problem in problems:
            name = by_path.get(problem.path)
            if name is not None and name not in self.errors:
                self.add_error(name, field_message(problem.message))
        self.values = values
        return cleaned

    def html(self) -> str:
        """The form's fields as HTML, rendered by crispy-forms.

        Rendering is most of a step page's cost. An unbound form's HTML is a
        pure function of the page, its questions and their values (and the
        library's catalogue), so it is remembered on the library snapshot;
        many people see the same defaults. A bound form is rendered afresh.
        """
        if self.is_bound:
            return render_crispy_form(self)
        key = ("form", self.page.key, json.dumps(self.initial, sort_keys=True, default=str))
        return self.library.memoized(key, lambda: render_crispy_form(self))

    @property
    def required_note(self) -> bool:
        return any(field.required for field in self.fields.values())

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, "label: message") for the error summary; groups link to their first box."""
        links = []
        for name in self.fields:
            errors = self.errors.get(name, [])
            field = self[name]
            grouped = isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            anchor = f"{field.auto_id}_0" if grouped else field.auto_id
            label = str(field.label)
            links += [
                (anchor, label + (" " if label.endswith("?") else ": ") + str(error)) for error in errors
            ]
        return links


_PATH = re.compile(r"\b[a-z_]+\.[a-z_0-9]+\b")


def field_message(message: str) -> str:
    """A domain message ("is required", "must be ...") as a sentence under a field.

    Answer paths in the message become the questions' own labels.
    """
    if message.startswith("is required"):
        return "An answer is required."
    message = _PATH.sub(
        lambda m: (
            f"“{QUESTIONS_BY_PATH[m.group(0)].label}”" if m.group(0) in QUESTIONS_BY_PATH else m.group(0)
        ),
        message,
    )
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def _conditions(question: Question) -> list[dict[str, Any]]:
    """The question's condition for the page script: show it when any entry holds."""
    condition = question.applies_when
    parts = getattr(condition, "conditions", None) or (condition,)
    return [{"field": p.path.replace(".", "__"), "op": p.op, "value": p.value} for p in parts]


def merge_answers(answers: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """Draft answers with one page's values laid over them (no mutation)."""
    merged = {section: dict(content) for section, content in answers.items()}
    for path, value in values.items():
        section, _, key = path.partition(".")
        merged.setdefault(section, {})[key] = value
    return merged


class ContinueForm(forms.Form):
    link = forms.CharField(
        label="Your draft's link",
        max_length=300,
        help_text="Paste the link you saved, or just the code at its end.",
    )

    def clean_link(self) -> str:
        value = self.cleaned_data["link"].strip()
        if "/d/" in value:
            value = value.split("/d/", 1)[1].split("/", 1)[0]
        value = value.strip("/")
        if not re.fullmatch(r"[A-Za-z0-9_-]{20,64}", value):
            raise forms.ValidationError("Your draft's link does not look like a Policy Builder link.")
        return value


class UploadForm(forms.Form):
    answers_file = forms.FileField(
        label="Answers file (JSON)",
        help_text="A file saved from Policy Builder or written by hand; "
        f"at most {MAX_FILE_BYTES // 1024} KiB.",
    )

    def __init__(self, *args: Any, catalogue_keys: CatalogueKeys, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue_keys = catalogue_keys
        self.problems: list[str] = []

    def clean_answers_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["answers_file"]
        try:
            data = parse_answers_file(upload.read(MAX_FILE_BYTES + 1))
        except AnswersFileError as exc:
            raise forms.ValidationError(f"Answers file {exc}.") from None
        try:
            return validate_answers(data, catalogue_keys=self.catalogue_keys)
        except AnswersError as exc:
            self.problems = [str(p) for p in exc.problems]
            raise forms.ValidationError(
                f"Answers file has {len(exc.problems)} problem(s); nothing was created."
            ) from None
