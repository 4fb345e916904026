"""Site scans: one row per scan of an owner's website, for a draft or a published policy.

The report itself is plain data (``scan_report.ScanReport``, stored as its JSON); this row adds
who asked, where it stands in the queue and, for a published policy, what the site does that the
policy does not say (``drift``), with the date each difference was first seen.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone


def new_scan_token() -> str:
    return secrets.token_urlsafe(18)


class SiteScan(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Scanning"
        DONE = "done", "Done"
        FAILED = "failed", "Could not scan"

    token = models.CharField(max_length=32, unique=True, default=new_scan_token, editable=False)
    draft = models.ForeignKey(
        "drafts.Draft", null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    policy = models.ForeignKey(
        "publishing.PublishedPolicy", null=True, blank=True, on_delete=models.CASCADE, related_name="scans"
    )
    url = models.CharField(max_length=500)
    host = models.CharField(max_length=255, db_index=True, help_text="For the per-site rate limit.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    pages_done = models.PositiveIntegerField(default=0)
    pages_planned = models.PositiveIntegerField(default=0)
    current_page = models.CharField(max_length=200, blank=True)
    report = models.JSONField(null=True, blank=True, help_text="The scan report (scan_report.ScanReport).")
    error = models.TextField(blank=True)
    drift = models.JSONField(
        default=list,
        blank=True,
        help_text="For a published policy: [{key, message, evidence, since}] the policy does not say.",
    )
    requested_at = models.DateTimeField(default=timezone.now, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["policy", "-requested_at"], name="scan_policy_latest")]

    def __str__(self) -> str:
        return f"Scan of {self.url} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
