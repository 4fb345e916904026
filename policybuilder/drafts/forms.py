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
from crispy_forms.layout import Field, Layout
from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.html import format_html

from policybuilder.answers import (
    MAX_FILE_BYTES,
    AnswersError,
    AnswersFileError,
    CatalogueKeys,
    merge_page_values,
    normalise_answers,
    parse_answers_file,
    validate_answers,
)
from policybuilder.clause_library import Library
from policybuilder.compliance import Finding
from policybuilder.form_widgets import OwnParagraphsWidget
from policybuilder.questionnaire import Page, Question, Suggestion, get_path, on_page
from policybuilder.wizard import field_message


def field_name(question: Question) -> str:
    return f"{question.section}__{question.key}"


def to_form_value(question: Question, value: Any) -> Any:
    """An answer as the form shows it."""
    return question.kind.to_form(question, value)


def from_form_value(question: Question, value: Any) -> Any:
    """What the browser sent, as an answer value (validated afterwards by the domain)."""
    return question.kind.from_form(question, value)


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
        suggestions: dict[str, Suggestion] | None = None,
        findings: dict[str, list[Finding]] | None = None,
        policy_sections: frozenset[str] | None = None,
        **kwargs: Any,
    ) -> None:
        self.page = page
        self.library = library
        self.draft_answers = draft_answers
        self.questions = {field_name(q): q for q in questions}
        self.suggestions = suggestions or {}
        self.findings = findings or {}
        self.policy_sections = policy_sections
        initial = {field_name(q): to_form_value(q, current[q.section][q.key]) for q in questions}
        super().__init__(*args, initial=initial, **kwargs)  # type: ignore[misc]
        catalogue_choices = library.catalogue_choices()
        for name, question in self.questions.items():
            field = self.fields[name] = question.kind.form_field(question, catalogue_choices)
            if isinstance(field.widget, OwnParagraphsWidget) and policy_sections is not None:
                # Where a paragraph for a section the policy does not have will go, said up front.
                field.widget.sections = [
                    (key, title if key in policy_sections else f"{title} (not in your policy now: printed "
                     "under “Other information”)")
                    for key, title in field.widget.sections
                ]  # fmt: skip
            condition = question.applies_when
            script_checks = on_page(condition, page.paths, current) if condition is not None else None
            same_page = script_checks is not None
            help_text = str(field.help_text)
            if (question.required or question.explicit) and not same_page:
                # Marked for people; whether an answer is missing is still decided in clean().
                field.required = True
                field.error_messages["required"] = (
                    unanswered_message(question) if question.explicit else "An answer is required."
                )
            if script_checks and (question.required or question.explicit):
                # Needed once shown: starred like the others (not "required" for the form, which
                # would refuse the page while it is hidden; clean() decides).
                field.label = format_html('{}<span class="asteriskField">*</span>', field.label)
            if script_checks:
                # Depends on an answer on this page: the page script shows and hides it.
                checks = [
                    {"field": c.path.replace(".", "__"), "op": c.op, "value": c.value} for c in script_checks
                ]
                field.widget.attrs["data-when"] = json.dumps(checks)
                help_text += " Only needed if " + ", or ".join(c.explain() for c in script_checks) + "."
            if question.own_words:
                help_text += " The compliance review does not check what you write here."
            if question.path in self.suggestions:
                help_text += _suggestion_html(name, question, self.suggestions[question.path])
            for finding in self.findings.get(question.path, ()):
                help_text += _finding_html(finding)
            field.help_text = help_text
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *(
                Field(name, template="drafts/_service_picker.html")
                if getattr(field.widget, "picker", False)
                else name
                for name, field in self.fields.items()
            )
        )
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.values: dict[str, Any] = {}
        self.unanswered: set[str] = set()  # field names left unanswered that need an answer

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        values = {q.path: from_form_value(q, cleaned.get(name)) for name, q in self.questions.items()}
        # Nothing chosen is no answer: it is not saved (an earlier answer stays), and the
        # question needs one if it applies; no default answers for the person.
        values = {path: value for path, value in values.items() if value is not None}
        merged = merge_page_values(self.draft_answers, values)
        answers, problems = normalise_answers(merged, catalogue_keys=self.library.catalogue_keys())
        for name, question in self.questions.items():
            unanswered = question.path not in values and get_path(self.draft_answers, question.path) is None
            if question.explicit and unanswered and question.applies(answers):
                self.unanswered.add(name)
                if name not in self.errors:
                    self.add_error(name, forms.ValidationError(unanswered_message(question), code="required"))
            elif name in self.errors and all(e.code == "required" for e in self.errors.as_data()[name]):
                self.unanswered.add(name)  # a required box left empty: nothing to keep, nothing wrong
        by_path = {q.path: name for name, q in self.questions.items()}
        for problem in problems:
            field = by_path.get(problem.path)
            if field is not None and field not in self.errors:
                self.add_error(field, field_message(problem.message))
        self.values = values
        return cleaned

    @property
    def only_unanswered(self) -> bool:
        """Every error is a question not answered yet: what is answered can be kept for later.

        Checked after ``clean``, where domain problems of the empty answers ("is required")
        land on fields already marked unanswered and so do not count.
        """
        return bool(self.unanswered) and set(self.errors) <= self.unanswered

    def html(self) -> str:
        """The form's fields as HTML, rendered by crispy-forms.

        Rendering is most of a step page's cost. An unbound form's HTML is a
        pure function of the page, its questions and their values (and the
        library's catalogue), so it is remembered on the library snapshot;
        many people see the same defaults. A bound form is rendered afresh.
        """
        if self.is_bound:
            return render_crispy_form(self)
        shown = [
            self.initial,
            {path: [s.value, s.because] for path, s in self.suggestions.items()},
            {path: [[f.rule.id, f.message] for f in found] for path, found in self.findings.items()},
            sorted(self.policy_sections or ()),
        ]
        key = ("form", self.page.key, json.dumps(shown, sort_keys=True, default=str))
        return self.library.memoized(key, lambda: render_crispy_form(self))

    @property
    def required_note(self) -> bool:
        return any(field.required for field in self.fields.values())

    def error_links(self) -> list[tuple[str, str]]:
        """(anchor, "label: message") for the error summary; groups link to their first box."""
        links: list[tuple[str, str]] = []
        for name in self.fields:
            errors = list(self.errors.get(name, []))
            field = self[name]
            grouped = isinstance(field.field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple)
            # A group's first box (ids of grouped choices have two indexes: "_0_0").
            if grouped and field.subwidgets:
                anchor = field.subwidgets[0].data["attrs"]["id"]
            elif hasattr(field.field.widget, "anchor"):  # several inputs under one legend
                anchor = field.field.widget.anchor(field.auto_id)
            else:
                anchor = field.id_for_label
            label = str(field.label)
            links += [
                (anchor, label + (" " if label.endswith("?") else ": ") + str(error)) for error in errors
            ]
        return links


def unanswered_message(question: Question) -> str:
    return "Not answered yet: " + ("choose an answer." if question.kind.grouped else "enter an answer.")


def _finding_html(finding: Finding) -> str:
    """What the compliance review says about a question, under the question itself."""
    rule = finding.rule
    return format_html(
        ' <span class="field-finding severity-{}"><strong>{}:</strong> {} '
        '<span class="law">({}; {})</span></span>',
        rule.severity,
        rule.severity.capitalize(),
        finding.message,
        rule.law,
        rule.id,
    )


def _suggestion_html(name: str, question: Question, suggestion: Suggestion) -> str:
    """ "Suggested: Yes — you said …", with a button (shown by the page script) that chooses it.

    A suggestion is never preselected: the person still chooses, and the
    button is only a shortcut for the radio button next to it.
    """
    shown = question.kind.describe(question, suggestion.value, {})
    return format_html(
        ' <span class="suggestion">Suggested: <strong>{}</strong> — {}. '
        '<button type="button" class="btn btn-sm btn-outline-primary suggestion-accept" '
        'data-field="{}" data-value="{}" hidden>Use this answer<span class="visually-hidden">: {}</span>'
        "</button></span>",
        shown,
        suggestion.because,
        name,
        to_form_value(question, suggestion.value),
        shown,
    )


class EmailLinkForm(forms.Form):
    """Where to send a draft's link. The address is used once, to send, and never stored."""

    email = forms.EmailField(
        label="Your email address",
        max_length=254,
        help_text="We send the link once and do not keep your address.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


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
        self.given_sections: set[str] = set()  # the sections the file answers, for the draft's pages

    def clean_answers_file(self) -> dict[str, Any]:
        upload = self.cleaned_data["answers_file"]
        try:
            data = parse_answers_file(upload.read(MAX_FILE_BYTES + 1))
        except AnswersFileError as exc:
            raise forms.ValidationError(f"Answers file {exc}.") from None
        self.given_sections = set(data) if isinstance(data, dict) else set()
        try:
            return validate_answers(data, catalogue_keys=self.catalogue_keys)
        except AnswersError as exc:
            self.problems = [str(p) for p in exc.problems]
            raise forms.ValidationError(
                f"Answers file has {len(exc.problems)} problem(s); nothing was created."
            ) from None
