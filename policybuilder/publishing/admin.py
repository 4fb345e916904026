"""Published policies in the admin, with the ones built from clauses that have since changed.

The admin instance is shared by every request and thread, so nothing about
one request is kept on it: each policy's current version comes from a
subquery annotation on the list's own query, and the clause versions it is
compared with are read once per request and kept on the request.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from policybuilder.publishing.models import PublishedPolicy
from policybuilder.publishing.selectors import current_clause_versions, version_list, with_latest_version


def outdated_clauses(clause_versions: list[list], current: dict[str, int]) -> list[str]:
    """Clauses of a published version whose text has changed (or that were deleted) since."""
    return [key for key, version in clause_versions if current.get(key) != version]


def clause_versions_for(request: HttpRequest) -> dict[str, int]:
    """The library's clause versions, read once per request (the filter and the columns both need them)."""
    versions: dict[str, int] | None = getattr(request, "_clause_versions", None)
    if versions is None:
        versions = current_clause_versions()
        setattr(request, "_clause_versions", versions)  # noqa: B010 (an attribute of our own)
    return versions


class OutdatedFilter(admin.SimpleListFilter):
    title = "clauses"
    parameter_name = "outdated"

    def lookups(self, request, model_admin):
        return [("yes", "Current version uses an outdated clause"), ("no", "Up to date")]

    def queryset(self, request, queryset):
        if self.value() not in ("yes", "no"):
            return queryset
        current = clause_versions_for(request)
        latest = with_latest_version(PublishedPolicy.objects.all()).values_list(  # type: ignore[misc]
            "pk", "latest_clause_versions"
        )
        outdated = [pk for pk, versions in latest if versions and outdated_clauses(versions, current)]
        if self.value() == "yes":
            return queryset.filter(pk__in=outdated)
        return queryset.exclude(pk__in=outdated)


class PublishedPolicyChangeList(ChangeList):
    def get_results(self, request: HttpRequest) -> None:
        """Each row's outdated clauses, worked out on the row itself (for this request only)."""
        super().get_results(request)
        current = clause_versions_for(request)
        for policy in self.result_list:
            policy.outdated_clause_keys = outdated_clauses(policy.latest_clause_versions or [], current)


@admin.register(PublishedPolicy)
class PublishedPolicyAdmin(admin.ModelAdmin):
    list_display = ["organization_name", "public_link", "current_version", "effective", "outdated"]
    list_filter = [OutdatedFilter]
    search_fields = ["organization_name", "public_id"]
    readonly_fields = ["public_id", "organization_name", "created_at", "versions"]
    fields = ["public_id", "organization_name", "created_at", "versions"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[PublishedPolicy]:
        # What the columns need comes with the rows: no query per row.
        return with_latest_version(super().get_queryset(request))

    def get_changelist(self, request: HttpRequest, **kwargs: Any) -> type[ChangeList]:
        return PublishedPolicyChangeList

    def has_add_permission(self, request):
        return False

    @admin.display(description="public page")
    def public_link(self, obj):
        return format_html('<a href="/policies/{}/">{}</a>', obj.public_id, obj.public_id)

    @admin.display(description="version")
    def current_version(self, obj):
        return "—" if obj.latest_number is None else obj.latest_number

    @admin.display(description="in effect from")
    def effective(self, obj):
        """The current version's effective date, chosen when it was published."""
        return "—" if obj.latest_effective_date is None else date_format(obj.latest_effective_date, "F j, Y")

    @admin.display(description="versions")
    def versions(self, obj):
        """Each version with the date it takes effect and when it was published, newest first."""
        return format_html_join(
            mark_safe("<br>"),  # a constant
            "Version {}: effective {}, published {}",
            (
                (v.number, date_format(v.effective_date, "F j, Y"), date_format(v.published_at, "F j, Y"))
                for v in version_list(obj)
            ),
        ) or "none yet"

    @admin.display(description="outdated clauses")
    def outdated(self, obj):
        return ", ".join(getattr(obj, "outdated_clause_keys", [])) or "none"
