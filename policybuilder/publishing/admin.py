"""Published policies in the admin, with the ones built from clauses that have since changed."""

from django.contrib import admin
from django.utils.html import format_html

from policybuilder.library.models import Clause
from policybuilder.publishing.models import PublishedPolicy
from policybuilder.publishing.selectors import latest_versions


def outdated_clauses(clause_versions: list[list], current: dict[str, int]) -> list[str]:
    """Clauses of a published version whose text has changed (or that were deleted) since."""
    return [key for key, version in clause_versions if current.get(key) != version]


class OutdatedFilter(admin.SimpleListFilter):
    title = "clauses"
    parameter_name = "outdated"

    def lookups(self, request, model_admin):
        return [("yes", "Current version uses an outdated clause"), ("no", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        current = dict(Clause.objects.values_list("key", "version"))
        outdated = {
            policy_id
            for policy_id, version in latest_versions().items()
            if outdated_clauses(version.clause_versions, current)
        }
        if self.value() == "yes":
            return queryset.filter(pk__in=outdated)
        return queryset.exclude(pk__in=outdated)


@admin.register(PublishedPolicy)
class PublishedPolicyAdmin(admin.ModelAdmin):
    list_display = ["organization_name", "public_link", "current_version", "outdated"]
    list_filter = [OutdatedFilter]
    search_fields = ["organization_name", "public_id"]
    readonly_fields = ["public_id", "organization_name", "created_at"]
    fields = readonly_fields

    def get_changelist_instance(self, request):
        # Load what the columns need once per page: no query per row.
        self._latest = latest_versions()
        self._current = dict(Clause.objects.values_list("key", "version"))
        return super().get_changelist_instance(request)

    def has_add_permission(self, request):
        return False

    @admin.display(description="public page")
    def public_link(self, obj):
        return format_html('<a href="/policies/{}/">{}</a>', obj.public_id, obj.public_id)

    @admin.display(description="version")
    def current_version(self, obj):
        version = self._latest.get(obj.pk)
        return version.number if version else "—"

    @admin.display(description="outdated clauses")
    def outdated(self, obj):
        version = self._latest.get(obj.pk)
        keys = outdated_clauses(version.clause_versions, self._current) if version else []
        return ", ".join(keys) or "none"
