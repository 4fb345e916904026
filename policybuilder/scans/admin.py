"""Site scans in the admin: above all, published policies whose website now does what they do not say.

The "Published policy out of date" filter keeps each policy's latest scan and only those that
found differences (``SiteScan.drift``, written by ``rescan_published``). Scans are records of what
a website did: staff read them, nobody edits them.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from policybuilder.scans.models import SiteScan


class OutOfDateFilter(admin.SimpleListFilter):
    title = "published policy"
    parameter_name = "policy_state"

    def lookups(self, request, model_admin):
        return [("out_of_date", "Out of date (latest scan)"), ("latest", "Latest scan of each policy")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[SiteScan]) -> QuerySet[SiteScan]:
        if self.value() not in ("out_of_date", "latest"):
            return queryset
        latest = (
            SiteScan.objects.filter(policy=OuterRef("policy"), status=SiteScan.Status.DONE)
            .order_by("-requested_at")
            .values("pk")[:1]
        )
        queryset = queryset.filter(policy__isnull=False, pk=Subquery(latest))
        return queryset.exclude(drift=[]) if self.value() == "out_of_date" else queryset


@admin.register(SiteScan)
class SiteScanAdmin(admin.ModelAdmin):
    list_display = ["url", "policy_link", "status", "differences", "finished_at"]
    list_filter = [OutOfDateFilter, "status"]
    search_fields = ["url", "host", "policy__public_id", "policy__organization_name"]
    list_select_related = ["policy"]
    readonly_fields = ("url", "status", "policy", "requested_at", "started_at", "finished_at", "error")
    fields = (*readonly_fields, "drift_list")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="published policy")
    def policy_link(self, obj: SiteScan):
        if obj.policy is None:
            return "— (a draft's scan)"
        url = reverse("policy", args=[obj.policy.public_id])
        return format_html('<a href="{}">{}</a>', url, obj.policy.organization_name)

    @admin.display(description="what the policy does not say")
    def differences(self, obj: SiteScan):
        if not obj.drift:
            return "nothing" if obj.policy_id else "—"
        lines = ((item["since"], item["message"]) for item in obj.drift[:5])
        return format_html_join(mark_safe("<br>"), "Since {}: {}", lines)  # a constant separator

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description="differences, with evidence")
    def drift_list(self, obj: SiteScan):
        if not obj.drift:
            return "none"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>Since {}: {} ({})</li>",
                ((item["since"], item["message"], "; ".join(item["evidence"])) for item in obj.drift),
            ),
        )
