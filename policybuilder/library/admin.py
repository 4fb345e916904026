"""The clause library in the Django admin: safe editing, preview, history and coverage.

Staff may change what policies say, never break them: every save re-checks
the clause (syntax, names, answer keys and choice values, raw HTML, and a
trial render against generated samples), "Preview" shows what the edit does
for sample businesses without saving, and every change is kept in history
(django-simple-history) with a diff and a revert.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseModelFormSet, construct_instance
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import bulk_update_with_history

from policybuilder import catalogue, markdown
from policybuilder.assembly import preview_clause
from policybuilder.clause_library import (
    ClauseSpec,
    Library,
    SectionSpec,
    ServiceSpec,
    service_url_problem,
)
from policybuilder.coverage import coverage_report
from policybuilder.diffing import diff_html
from policybuilder.drafts.selectors import drafts_naming
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.revisions import library_changed
from policybuilder.library.selectors import load_library
from policybuilder.library_checks import (
    LibraryProblem,
    check_clause,
    check_library,
    clause_trial_library,
    with_clauses,
    with_section,
    with_service,
)
from policybuilder.questionnaire import STEPS, questions_offering
from policybuilder.samples import named_samples
from policybuilder.templating import HELPER_NAMES

PREVIEW_ONLY = "Preview only: nothing was saved. Press “Save” to keep your changes."
FIRST_WORDS = 12

_STATEMENT = re.compile(r"{%.*?%}|{#.*?#}", re.DOTALL)
_PLACEHOLDER = re.compile(r"{{-?\s*(.*?)\s*-?}}", re.DOTALL)


def first_words(body: str, count: int = FIRST_WORDS) -> str:
    """The first words of a clause as a reader would see them: no Markdown, no template statements;
    a placeholder shows the answer it puts in (``[organization.name]``), a longer one ``[…]``."""

    def placeholder(match: re.Match[str]) -> str:
        expression = match.group(1)
        return f"[{expression}]" if re.fullmatch(r"[\w.]+", expression) else "[…]"

    text = _PLACEHOLDER.sub(placeholder, _STATEMENT.sub(" ", body))
    words: list[str] = []
    for token in markdown.parse(text):
        if token.type == "heading_close":
            words.append("—")  # a heading runs into the text after it otherwise
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                words += child.content.split()
        if len(words) > count:
            break
    return " ".join(words[:count]) + (" …" if len(words) > count else "")


class DiffContextHelper(HistoricalRecordContextHelper):
    """Shows changes to long text (bodies, conditions) as a word-level diff."""

    def context_for_delta_changes(self, delta):
        rows = super().context_for_delta_changes(delta)
        for row, change in zip(rows, delta.changes, strict=True):
            if isinstance(change.old, str) and isinstance(change.new, str):
                row["diff"] = diff_html(change.old, change.new)
        return rows


class HistoryAdmin(SimpleHistoryAdmin):
    object_history_template = "admin/library/object_history.html"
    object_history_list_template = "admin/library/history_list.html"

    def get_historical_record_context_helper(self, request, historical_record):
        return DiffContextHelper(self.model, historical_record)


def spec_of(obj: Clause | Section | Service) -> ClauseSpec | SectionSpec | ServiceSpec:
    """The library value of a row, as it stands in memory (saved or not)."""
    if isinstance(obj, Clause):
        editable = {name: getattr(obj, name) for name in ClauseSpec.EDITABLE}
        return ClauseSpec(key=obj.key, section=obj.section.key, version=obj.version, **editable)
    if isinstance(obj, Section):
        return SectionSpec(key=obj.key, **{name: getattr(obj, name) for name in SectionSpec.EDITABLE})
    return ServiceSpec(key=obj.key, **{name: getattr(obj, name) for name in ServiceSpec.EDITABLE})


def library_with(library: Library, specs: list[ClauseSpec | SectionSpec | ServiceSpec]) -> Library:
    """The library as it would be after saving these rows."""
    clauses = [spec for spec in specs if isinstance(spec, ClauseSpec)]
    library = with_clauses(library, clauses) if clauses else library
    for spec in specs:
        if isinstance(spec, SectionSpec):
            library = with_section(library, spec)
        elif isinstance(spec, ServiceSpec):
            library = with_service(library, spec)
    return library


def _item(spec: ClauseSpec | SectionSpec | ServiceSpec) -> str:
    kind = {ClauseSpec: "clause", SectionSpec: "section", ServiceSpec: "service"}[type(spec)]
    return f"{kind} {spec.key}"


def problems_after(specs: list[ClauseSpec | SectionSpec | ServiceSpec]) -> list[LibraryProblem]:
    """What the whole library's check finds once these rows are saved (nothing is saved here)."""
    return check_library(library_with(load_library(), specs))


def form_spec(form: forms.ModelForm) -> ClauseSpec | SectionSpec | ServiceSpec:
    """The library value the form would save (``clean`` runs before the instance is updated)."""
    return spec_of(construct_instance(form, copy.copy(form.instance), form._meta.fields))


def check_form(form: forms.ModelForm, *, default_field: str) -> None:
    """Problems of the row being edited go to their field; problems it causes elsewhere to the top."""
    spec = form_spec(form)
    own = _item(spec)
    for problem in problems_after([spec]):
        if problem.item == own and (problem.field in form.fields or not problem.field):
            form.add_error(problem.field or default_field, problem.message)
        else:
            form.add_error(None, f"Saving this would break {problem}")


class LibraryChangeListFormSet(BaseModelFormSet):
    """The list's editable columns (order, enabled) are checked like a form: the whole library, first."""

    def clean(self) -> None:
        super().clean()
        if any(form.errors for form in self.forms):
            return
        changed = [spec_of(form.instance) for form in self.forms if form.has_changed()]
        problems = problems_after(changed) if changed else []
        if problems:
            raise ValidationError(
                [f"Nothing was saved: this would break {problem}" for problem in problems], code="library"
            )


class LibraryChangeListForm(forms.ModelForm):
    """A row's editable columns, each named with its row for screen readers ("Order: cookies.none")."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = f"{field.label}: {self.instance}"


class CheckedLibraryAdmin(HistoryAdmin):
    """Every write from the admin is checked against the whole library before it is saved."""

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, **{"form": LibraryChangeListForm, **kwargs})

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=LibraryChangeListFormSet, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Keys are how answers, published versions and history refer to a row: never renamed.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "key"] if obj is not None else readonly


class ClauseForm(forms.ModelForm):
    preview_requested = False  # set per request by ClauseAdmin.get_form
    reverting_to: int | None = None  # the version a revert from history restores (ClauseAdmin.get_form)

    # Not the clause's own data: kept with the change in the clause's history (``history_change_reason``).
    change_reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=500,
        strip=True,
        help_text="Optional. Shown in the clause's history next to your change, "
        "e.g. “COPPA amended in 2025: consent by text message”.",
        widget=forms.TextInput(attrs={"size": 80, "autocomplete": "off"}),
    )

    class Meta:
        model = Clause
        fields = ["key", "section", "order", "enabled", "laws", "condition", "body"]
        widgets = {
            "body": forms.Textarea(
                attrs={"rows": 14, "cols": 100, "class": "clause-body", "spellcheck": "true"}
            ),
            "condition": forms.Textarea(attrs={"rows": 2, "cols": 100}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        spec = ClauseSpec(
            key=cleaned.get("key") or "new-clause",
            section="",
            order=0,
            body=cleaned.get("body") or "",
            condition=cleaned.get("condition") or "",
            version=self.instance.version if self.instance.pk else 1,
        )
        library = load_library()
        for problem in check_clause(spec, library):
            # A trial render may fail in the body or the condition; the body is where editors look.
            self.add_error(problem.field or "body", problem.message)
        if not self.errors and not self.preview_requested and cleaned.get("section") is not None:
            check_form(self, default_field="body")
        if not self.errors and self.preview_requested:
            self.preview = preview_clause(
                clause_trial_library(spec, library), spec, named_samples(library.catalogue_keys())
            )
            raise ValidationError(PREVIEW_ONLY, code="preview")
        return cleaned


class LawFilter(admin.SimpleListFilter):
    title = "law it serves"
    parameter_name = "law"

    def lookups(self, request, model_admin):
        laws = Clause.objects.exclude(laws="").values_list("laws", flat=True).distinct().order_by("laws")
        return [(law, law) for law in laws]

    def queryset(self, request, queryset):
        return queryset.filter(laws=self.value()) if self.value() else queryset


def reference_keys() -> list[dict[str, Any]]:
    """The answer keys and choices a clause may use, straight from the questionnaire."""
    return [
        {
            "section": step.key,
            "title": step.title,
            "questions": [
                {
                    "path": q.path,
                    "kind": q.kind.name,
                    "label": q.label,
                    "choices": q.choice_values,
                    "when": q.applies_when.describe() if q.applies_when else "",
                }
                for q in step.questions
            ],
        }
        for step in STEPS
    ]


@admin.register(Clause)
class ClauseAdmin(CheckedLibraryAdmin):
    form = ClauseForm
    list_display = ["key", "section", "text_start", "enabled", "order", "version"]
    list_editable = ["order", "enabled"]
    list_filter = ["section", "enabled", LawFilter]
    list_select_related = ["section"]
    search_fields = ["key", "body", "condition", "laws"]
    search_help_text = "Search the clauses' keys and text (body, condition and laws)."
    ordering = ["section__order", "order", "key"]
    list_per_page = 100
    readonly_fields = ["version", "updated_at"]
    # What it says first (the part an editor changes), then where it goes, then why it changed.
    fieldsets = [
        ("What it says", {"fields": ["body", "condition"]}),
        ("Where it appears", {"fields": ["key", "section", "order", "enabled", "laws"]}),
        ("Version", {"fields": ["version", "updated_at"]}),
        ("Your change", {"fields": ["change_reason"]}),
    ]
    history_list_display = ["version"]
    actions = ["enable_clauses", "disable_clauses"]
    change_form_template = "admin/library/clause/change_form.html"
    change_list_template = "admin/library/clause/change_list.html"

    @admin.display(description="text (first words)")
    def text_start(self, obj: Clause) -> str:
        return first_words(obj.body)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        attrs: dict[str, Any] = {"preview_requested": "_preview" in request.POST}
        if obj is not None and _is_revert(request):
            attrs["reverting_to"] = obj.version  # the history view passes the old version's row
        return type(form.__name__, (form,), attrs)

    def save_model(self, request, obj, form, change):
        # The list's editable rows save through their own form, which has neither field.
        reason = form.cleaned_data.get("change_reason", "")
        reverting_to = getattr(form, "reverting_to", None)
        if reverting_to is not None:
            reverted = f"Reverted to version {reverting_to}"
            reason = f"{reverted}: {reason}" if reason else reverted
        if reason:
            obj._change_reason = reason  # read by django-simple-history as it records the change
        super().save_model(request, obj, form, change)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # The preview beside the editor: what was asked for ("not saved"), or on opening a clause
        # what its saved text says for each sample.
        form = context["adminform"].form
        preview = getattr(form, "preview", None)
        state = "unsaved" if preview is not None else None
        if preview is None and obj is not None and request.method == "GET":
            library = load_library()
            spec = spec_of(obj)
            assert isinstance(spec, ClauseSpec)
            preview = preview_clause(
                clause_trial_library(spec, library), spec, named_samples(library.catalogue_keys())
            )
            state = "saved"
        context.update(clause_preview=preview, preview_state=state)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "reference": reference_keys(),
            "helpers": sorted(HELPER_NAMES),
        }
        return super().changeform_view(request, object_id, form_url, extra_context)

    def get_urls(self):
        coverage = self.admin_site.admin_view(self.coverage_view)
        return [path("coverage/", coverage, name="library_clause_coverage"), *super().get_urls()]

    def coverage_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": "Library coverage",
            "opts": self.model._meta,
            "report": coverage_report(load_library()),
        }
        return TemplateResponse(request, "admin/library/coverage.html", context)

    def _set_enabled(self, request, queryset, enabled: bool) -> None:
        clauses = list(queryset.select_related("section"))
        for clause in clauses:
            clause.enabled = enabled
        problems = problems_after([spec_of(clause) for clause in clauses])
        if problems:
            for problem in problems:
                self.message_user(request, f"Nothing was changed: this would break {problem}", messages.ERROR)
            return
        bulk_update_with_history(clauses, Clause, ["enabled"], default_user=request.user)
        library_changed()  # bulk updates send no save signals
        state = "enabled" if enabled else "disabled"
        self.message_user(request, f"{len(clauses)} clause(s) {state}.", messages.SUCCESS)

    @admin.action(description="Enable selected clauses", permissions=["change"])
    def enable_clauses(self, request, queryset):
        self._set_enabled(request, queryset, True)

    @admin.action(description="Disable selected clauses", permissions=["change"])
    def disable_clauses(self, request, queryset):
        self._set_enabled(request, queryset, False)


def _is_revert(request: HttpRequest) -> bool:
    """Whether the request is django-simple-history's revert view (a past version's form)."""
    match = request.resolver_match
    return match is not None and (match.url_name or "").endswith("_simple_history")


class SectionForm(forms.ModelForm):
    class Meta:
        model = Section
        fields = ["key", "title", "order", "enabled", "condition"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            check_form(self, default_field="condition")
        return cleaned


@admin.register(Section)
class SectionAdmin(CheckedLibraryAdmin):
    form = SectionForm
    list_display = ["title", "key", "order", "enabled"]
    list_editable = ["order", "enabled"]
    search_fields = ["title", "key"]


class LinesField(forms.CharField):
    """A list of short strings, one per line (hosts, script paths, cookie patterns)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3, "cols": 60, "spellcheck": "false"}))
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        return "\n".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


def _checkboxes(vocabulary: catalogue.Vocabulary, **kwargs: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        choices=vocabulary.choices(), widget=forms.CheckboxSelectMultiple, **kwargs
    )


class ServiceForm(forms.ModelForm):
    kinds = _checkboxes(catalogue.KINDS, help_text="Every kind of service it is; it is offered under each.")
    role = forms.ChoiceField(choices=catalogue.ROLES.choices(), widget=forms.RadioSelect)
    country = forms.CharField(
        max_length=2,
        help_text="ISO 3166-1 alpha-2 code of the company's country, e.g. US, IE, DE.",
        widget=forms.TextInput(attrs={"size": 3, "autocomplete": "off"}),
    )
    data_categories = _checkboxes(
        catalogue.DATA_CATEGORIES, required=False, help_text="What it receives when used normally."
    )
    privacy_url = forms.URLField(required=False, assume_scheme="https", label="Privacy policy address")
    opt_out_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Opt-out address",
        help_text="Only one the provider publishes.",
    )
    partner_info_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="How the provider uses data from sites (address)",
        help_text="A page such as Google's “How Google uses information from sites or apps that use our "
        "services”.",
    )
    links_checked = forms.DateField(
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="When the links were last checked against the provider's own pages; empty if never.",
    )
    hosts = LinesField(help_text="Host names it loads from, one per line (each also matches its subdomains).")
    script_paths = LinesField(
        help_text="Paths of its scripts, one per line, e.g. /en_US/fbevents.js; * matches anything."
    )
    cookie_patterns = LinesField(
        help_text="Cookie names it sets, one per line; * matches anything, e.g. _ga*."
    )

    URL_LABELS = {
        "privacy_url": "Privacy policy address",
        "opt_out_url": "Opt-out address",
        "partner_info_url": "The address of how the provider uses data from sites",
    }

    class Meta:
        model = Service
        fields = [
            "key",
            "name",
            "company",
            "country",
            "kinds",
            "role",
            "sets_cookies",
            "cross_site_tracking",
            "advertising",
            "dpf_certified",
            "data_categories",
            "privacy_url",
            "opt_out_url",
            "partner_info_url",
            "links_checked",
            "hosts",
            "script_paths",
            "cookie_patterns",
        ]

    def _https(self, field: str) -> str:
        value = self.cleaned_data.get(field) or ""
        problem = service_url_problem(value) if value else None
        if problem:
            raise ValidationError(f"{self.URL_LABELS[field]} {problem}.", code="https")
        return value

    def clean_privacy_url(self) -> str:
        return self._https("privacy_url")

    def clean_opt_out_url(self) -> str:
        return self._https("opt_out_url")

    def clean_partner_info_url(self) -> str:
        return self._https("partner_info_url")

    def clean_country(self) -> str:
        country = (self.cleaned_data.get("country") or "").strip().upper()
        problem = catalogue.country_problem(country)
        if problem:
            raise ValidationError(problem, code="country")
        return country

    def clean_links_checked(self) -> str:
        value = self.cleaned_data.get("links_checked")
        return value.isoformat() if value else ""

    def clean_kinds(self) -> list[str]:
        return list(catalogue.KINDS.ordered(self.cleaned_data.get("kinds") or ()))

    def clean_data_categories(self) -> list[str]:
        return list(catalogue.DATA_CATEGORIES.ordered(self.cleaned_data.get("data_categories") or ()))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors:
            check_form(self, default_field="name")
        return cleaned


class KindFilter(admin.SimpleListFilter):
    title = "kind"
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return catalogue.KINDS.choices()

    def queryset(self, request, queryset):
        # Kinds are a JSON list: match the quoted value, which works on SQLite and PostgreSQL alike.
        if self.value() in catalogue.KINDS:
            return queryset.filter(kinds__icontains=f'"{self.value()}"')
        return queryset


class LinksCheckedFilter(admin.SimpleListFilter):
    title = "links checked"
    parameter_name = "links_checked"

    def lookups(self, request, model_admin):
        return [("yes", "Checked"), ("no", "Not checked")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(links_checked="")
        if self.value() == "no":
            return queryset.filter(links_checked="")
        return queryset


@admin.register(Service)
class ServiceAdmin(CheckedLibraryAdmin):
    form = ServiceForm
    list_display = ["name", "kinds_shown", "role", "company", "country", "advertising", "checked_shown"]
    list_filter = [
        KindFilter,
        "role",
        "advertising",
        "sets_cookies",
        "cross_site_tracking",
        "dpf_certified",
        LinksCheckedFilter,
    ]
    search_fields = ["name", "company", "key", "country"]
    fieldsets = [
        (None, {"fields": ["key", "name", "company", "country", "kinds", "role"]}),
        (
            "What it does with people's data",
            {
                "fields": [
                    "sets_cookies",
                    "cross_site_tracking",
                    "advertising",
                    "dpf_certified",
                    "data_categories",
                ]
            },
        ),
        ("Links", {"fields": ["privacy_url", "opt_out_url", "partner_info_url", "links_checked"]}),
        ("How a site scan recognises it", {"fields": ["hosts", "script_paths", "cookie_patterns"]}),
    ]

    @admin.display(description="kinds")
    def kinds_shown(self, obj: Service) -> str:
        return ", ".join(catalogue.KINDS.labels.get(kind, kind) for kind in obj.kinds or ())

    @admin.display(description="links checked", ordering="links_checked")
    def checked_shown(self, obj: Service) -> str:
        return obj.links_checked or "not checked"

    def get_deleted_objects(self, objs, request):
        """A service that people's drafts name is not deleted: their answers would stop validating."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = list(protected)
        for service in objs:
            for question in questions_offering(service.kinds):
                count = drafts_naming(question.path, service.key)
                if count:
                    protected.append(f"{service.name}: chosen in {count} draft(s) ({question.label})")
        return deleted, counts, perms_needed, protected
