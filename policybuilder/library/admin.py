"""The clause library in the Django admin: safe editing, preview, history and coverage.

Staff may change what policies say, never break them: every save re-checks
the clause (syntax, names, answer keys and choice values, raw HTML, and a
trial render against generated samples), "Preview" shows what the edit does
for sample businesses without saving, and every change is kept in history
(django-simple-history) with a diff and a revert.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper
from simple_history.utils import bulk_update_with_history

from policybuilder.assembly import preview_clause
from policybuilder.clause_library import ClauseSpec
from policybuilder.coverage import coverage_report
from policybuilder.diffing import diff_html
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.revisions import library_changed
from policybuilder.library.selectors import load_library
from policybuilder.library_checks import check_clause, clause_trial_library
from policybuilder.questionnaire import STEPS
from policybuilder.samples import named_samples
from policybuilder.templating import HELPER_NAMES, check_template

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


def _condition_errors(form: forms.ModelForm, condition: str) -> None:
    for problem in check_template(condition, is_condition=True) if condition.strip() else []:
        form.add_error("condition", str(problem))


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
        cleaned = super().clean()
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
class ClauseAdmin(HistoryAdmin):
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
        clauses = list(queryset)
        for clause in clauses:
            clause.enabled = enabled
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
        cleaned = super().clean()
        _condition_errors(self, cleaned.get("condition") or "")
        return cleaned


@admin.register(Section)
class SectionAdmin(HistoryAdmin):
    form = SectionForm
    list_display = ["title", "key", "order", "enabled"]
    list_editable = ["order", "enabled"]
    search_fields = ["title", "key"]


class ServiceForm(forms.ModelForm):
    privacy_url = forms.URLField(required=False, assume_scheme="https", label="Privacy policy address")
    opt_out_url = forms.URLField(required=False, assume_scheme="https", label="Opt-out address")

    class Meta:
        model = Service
        fields = ["key", "kind", "name", "company", "privacy_url", "opt_out_url"]

    def _https(self, field: str, label: str) -> str:
        value = self.cleaned_data.get(field) or ""
        if value and not value.startswith("https://"):
            raise ValidationError(f"{label} must be an https:// address.", code="https")
        return value

    def clean_privacy_url(self) -> str:
        return self._https("privacy_url", "Privacy policy address")

    def clean_opt_out_url(self) -> str:
        return self._https("opt_out_url", "Opt-out address")


@admin.register(Service)
class ServiceAdmin(HistoryAdmin):
    form = ServiceForm
    list_display = ["name", "kind", "company", "privacy_url", "opt_out_url"]
    list_filter = ["kind"]
    search_fields = ["name", "company", "key"]
