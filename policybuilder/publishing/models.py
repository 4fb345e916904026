"""Published policies and their frozen versions.

A version stores everything needed to show it forever: the answers, the
clause keys and versions it was built from, the section texts (for diffs),
the rendered bytes of every format (the Word file since Word files existed),
and the body the public pages show.  Nothing is re-rendered later, so
no change to the library or the answers can alter what was published.
"""

import secrets

from django.db import models


def new_public_id() -> str:
    """128 random bits; public, and unrelated to the draft's private editing token."""
    return secrets.token_urlsafe(16)


# Where a version keeps each format's bytes, by the format's name in ``renderers.FORMATS``.
STORED_FIELDS = {"html": "html", "pdf": "pdf", "docx": "docx", "md": "markdown", "txt": "text"}


class PublishedPolicy(models.Model):
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    draft = models.OneToOneField(
        "drafts.Draft", null=True, blank=True, on_delete=models.SET_NULL, related_name="published"
    )
    organization_name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "published policies"

    def __str__(self) -> str:
        return f"{self.organization_name} ({self.public_id})"


class PolicyVersion(models.Model):
    policy = models.ForeignKey(PublishedPolicy, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField(auto_now_add=True)
    effective_date = models.DateField(
        help_text="The date this version takes effect, chosen when it was published (see publishing.notice)."
    )
    answers = models.JSONField()
    clause_versions = models.JSONField(help_text="[[clause key, version], …] the version was built from.")
    sections = models.JSONField(
        help_text="[{key, title, text, anchor, clauses, html}, …] in order: text for comparing versions, "
        "the rest for the JSON document (versions published before it have key, title and text only)."
    )
    content_hash = models.CharField(max_length=64)
    confirmed_findings = models.JSONField(
        default=list,
        blank=True,
        help_text="The compliance errors the owner confirmed they had read when publishing this version.",
    )
    notice_confirmed = models.BooleanField(
        default=False,
        help_text="The owner confirmed this change is not material, or that the notice the policy promised "
        "was already given, to let it take effect sooner than that notice allows.",
    )
    html = models.TextField()
    body_html = models.TextField(
        blank=True, help_text="The policy's body as the public pages show it, rendered when published."
    )
    markdown = models.TextField()
    text = models.TextField()
    pdf = models.BinaryField()
    docx = models.BinaryField(
        blank=True,
        default=b"",
        help_text="The Word file; empty for versions published before Word files existed.",
    )

    class Meta:
        ordering = ["policy", "-number"]
        constraints = [models.UniqueConstraint(fields=["policy", "number"], name="unique_version_number")]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    def stored_file(self, format_name: str) -> bytes:
        """The bytes published in one format (``FORMATS``' names); empty when the version has none."""
        value = getattr(self, STORED_FIELDS[format_name])
        return value.encode("utf-8") if isinstance(value, str) else bytes(value)

    def has_file(self, format_name: str) -> bool:
        """Whether the version was published in this format. A version read with
        ``selectors.with_file_sizes`` knows it without loading the files (a PDF is ~100 KB)."""
        if format_name not in STORED_FIELDS:
            return False
        size = getattr(self, f"{STORED_FIELDS[format_name]}_size", None)
        return bool(size) if size is not None else bool(self.stored_file(format_name))
