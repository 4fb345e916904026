"""A first, plain admin for the clause library; safe editing comes with the admin issue.

Saving a clause re-checks it (syntax, names, keys, trial render) so a broken
clause cannot reach users.
"""

from django import forms
from django.contrib import admin

from policybuilder.clause_library import ClauseSpec, Library, SectionSpec
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.selectors import load_library
from policybuilder.samples import trial_render_problems
from policybuilder.templating import check_template


class ClauseForm(forms.ModelForm):
    class Meta:
        model = Clause
        fields = ["key", "section", "order", "condition", "body", "laws", "enabled"]

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body") or ""
        condition = cleaned.get("condition") or ""
        for problem in check_template(body):
            self.add_error("body", str(problem))
        for problem in check_template(condition, is_condition=True) if condition.strip() else []:
            self.add_error("condition", str(problem))
        if not self.errors:
            spec = ClauseSpec(
                key=cleaned.get("key") or "new", section="trial", order=0, body=body, condition=condition
            )
            services = load_library().services
            library = Library(
                sections=(SectionSpec("trial", "Trial", 0, clauses=(spec,)),), services=services
            )
            for problem in trial_render_problems(library):
                self.add_error("body", problem)
        return cleaned


@admin.register(Clause)
class ClauseAdmin(admin.ModelAdmin):
    form = ClauseForm
    list_display = ["key", "section", "order", "enabled", "version", "updated_at"]
    list_filter = ["section", "enabled"]
    list_select_related = ["section"]
    search_fields = ["key", "body", "condition"]
    readonly_fields = ["version", "updated_at"]

    def save_model(self, request, obj, form, change):
        if change and {"body", "condition"} & set(form.changed_data):
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["title", "key", "order", "enabled"]
    search_fields = ["title", "key"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "company", "privacy_url", "opt_out_url"]
    list_filter = ["kind"]
    search_fields = ["name", "company", "key"]
