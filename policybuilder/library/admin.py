"""The clause library in the Django admin: safe editing, preview, history and coverage.

Staff may change what policies say, never break them: every save re-checks
the clause (syntax, names, answer keys and choice values, raw HTML, and a
trial render against generated samples), "Preview" shows what the edit does
for sample businesses without saving, and every change is kept in history
(django-simple-history) with a diff and a revert.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseModelFormSet, construct_instance
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import bulk_update_with_history

from policybuilder import catalogue
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


class DiffContextHelper(HistoricalRecordContextHelper):
    """Shows changes to long text (bodies, conditions) as a word-level diff."""

    def context_for_delta_changes(self, delta):
        rows = super().context_for_delta_changes(delta)
        for row, change in zip(rows, delta.changes, strict=True):
            if isinstance(change.old, str) and isinstance(change.new, str):
                row["diff"] = diff_html(change.old, change.new)
        return rows


class HistoryAdmin(SimpleHistoryAdmin):
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


class CheckedLibraryAdmin(HistoryAdmin):
    """Every write from the admin is checked against the whole library before it is saved."""

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, formset=LibraryChangeListFormSet, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        # Keys are how answers, published versions and history refer to a row: never renamed.
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "key"] if obj is not None else readonly


class ClauseForm(forms.ModelForm):
    preview_requested = False  # set per request by ClauseAdmin.get_form

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
    list_display = ["key", "section", "order", "enabled", "laws", "version", "updated_at"]
    list_editable = ["order", "enabled"]
    list_filter = ["section", "enabled", LawFilter]
    list_select_related = ["section"]
    search_fields = ["key", "body", "condition", "laws"]
    ordering = ["section__order", "order", "key"]
    list_per_page = 100
    readonly_fields = ["version", "updated_at"]
    fieldsets = [
        (None, {"fields": ["key", "section", "order", "enabled", "laws"]}),
        ("When and what", {"fields": ["condition", "body"]}),
        ("Version", {"fields": ["version", "updated_at"]}),
    ]
    actions = ["enable_clauses", "disable_clauses"]
    change_form_template = "admin/library/clause/change_form.html"
    change_list_template = "admin/library/clause/change_list.html"

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"preview_requested": "_preview" in request.POST})

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
