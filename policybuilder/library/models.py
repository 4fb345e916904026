"""The clause library in the database, edited by staff in the admin.

Business rules (validation, versioning, loading the shipped file) live in
``services``; reading the library for assembly lives in ``selectors``.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from policybuilder import catalogue


class LibraryRow(models.Model):
    """What every library row has: when it changed, and what it was last loaded as."""

    shipped_hash = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Hash of the shipped text this row was last loaded from; "
        "lets a library update tell staff edits from untouched rows.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Section(LibraryRow):
    key = models.SlugField(max_length=64, unique=True, help_text="Stable identifier; never rename.")
    title = models.CharField(max_length=200)
    order = models.PositiveIntegerField(default=0, db_index=True)
    condition = models.TextField(
        blank=True,
        help_text="Optional expression over the answers; the section is left out when it is false.",
    )
    enabled = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "key"]

    def __str__(self) -> str:
        return self.title


class Clause(LibraryRow):
    key = models.CharField(
        max_length=100, unique=True, help_text="Stable identifier, e.g. cookies.what-they-are."
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="clauses")
    order = models.PositiveIntegerField(default=0)
    condition = models.TextField(
        blank=True,
        help_text='Expression over the answers, e.g. cookies.use == "yes". Empty: always included.',
    )
    body = models.TextField(help_text="Markdown with {{ placeholders }} (sandboxed).")
    laws = models.CharField(max_length=200, blank=True, help_text="Laws this clause serves.")
    enabled = models.BooleanField(default=True)
    version = models.PositiveIntegerField(
        default=1,
        help_text="Names the text (body and condition): new text gets the next number, "
        "text an earlier version had (a revert) gets that version's number back.",
    )

    # The reason an editor gives for a change ("Reverted to version 3: …") is kept with the change.
    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))

    class Meta:
        ordering = ["section__order", "order", "key"]
        indexes = [models.Index(fields=["section", "order"])]

    def __str__(self) -> str:
        return self.key

    def save(self, *args, **kwargs) -> None:
        # The version is an invariant of the row, not a step of one workflow:
        # every path that changes what a clause says (admin, revert from
        # history, import, library update) must set it, so it lives here.
        if self.pk is not None:
            stored = Clause.objects.filter(pk=self.pk).values("body", "condition", "version").first()
            if stored and _text(stored["body"], stored["condition"]) != _text(self.body, self.condition):
                self.version = self._version_of_text(stored["version"])
        super().save(*args, **kwargs)

    def _version_of_text(self, stored: int) -> int:
        """The number of this body and condition: an earlier version's if it had the same text,
        otherwise one more than any number this clause has had.

        A published policy records the version of each clause it was built from, and a clause is
        outdated when its version differs: so a clause reverted to the text a policy was published
        with is up to date again, and no number ever names two texts. A clause's history is short
        (one row per change), so it is compared here rather than in SQL, where the two databases
        trim whitespace differently.
        """
        text = _text(self.body, self.condition)
        highest = stored
        for body, condition, version in self.history.order_by("-history_date", "-history_id").values_list(
            "body", "condition", "version"
        ):
            if _text(body, condition) == text:
                return version
            highest = max(highest, version)
        return highest + 1


def _text(body: str, condition: str) -> tuple[str, str]:
    """What a clause says; whitespace around it is not a change (the admin's form strips it)."""
    return body.strip(), condition.strip()


class Service(LibraryRow):
    """A third-party service as a set of facts (see ``policybuilder.catalogue`` for what they mean).

    List facts are JSON lists of strings; the admin's form and the library
    checks keep them within their vocabularies and shapes.
    """

    key = models.SlugField(max_length=64, unique=True)
    kinds = models.JSONField(default=list, help_text="One or more kinds of service (catalogue.KINDS).")
    name = models.CharField(max_length=100)
    company = models.CharField(max_length=200, help_text="The legal entity that provides the service.")
    country = models.CharField(
        max_length=2, default="", help_text="ISO 3166-1 alpha-2 code of that entity's country."
    )
    # The most cautious role is the default: an independent company with purposes of its own.
    role = models.CharField(max_length=20, choices=catalogue.ROLES.choices(), default=catalogue.THIRD_PARTY)
    sets_cookies = models.BooleanField(
        default=False, help_text="Sets cookies or similar identifiers (local storage, device IDs)."
    )
    cross_site_tracking = models.BooleanField(
        default=False, help_text="Tracks people across other companies' sites or apps."
    )
    advertising = models.BooleanField(
        default=False, help_text="Used for advertising (disclosing data to it is a “share” in California)."
    )
    dpf_certified = models.BooleanField(
        "certified under the EU–US Data Privacy Framework",
        default=False,
        help_text="The company (a US one) is certified under the EU–US Data Privacy Framework and its UK "
        "Extension, so transfers to it from the EU/EEA and the UK rest on adequacy; "
        "otherwise they need standard contractual clauses.",
    )
    data_categories = models.JSONField(default=list, blank=True)
    privacy_url = models.URLField(blank=True)
    opt_out_url = models.URLField(blank=True)
    partner_info_url = models.URLField(blank=True)
    hosts = models.JSONField(default=list, blank=True)
    script_paths = models.JSONField(default=list, blank=True)
    cookie_patterns = models.JSONField(default=list, blank=True)
    links_checked = models.CharField(
        max_length=10,
        blank=True,
        default="",
        help_text="ISO date the links were last checked against the provider's own pages; empty if never.",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class LibraryRevision(models.Model):
    """One row whose token changes with every write to the library.

    Each process keeps its last library snapshot and reuses it while this
    token is unchanged, so a wizard request reads one small row instead of
    the whole library. A fresh random token (not a counter) means a flushed
    or rolled-back database can never bring back an old token by accident.
    Model ``save()``/``delete()`` bump it through signals; code that writes
    with ``QuerySet.update()`` or bulk operations must call
    ``library.revisions.library_changed()`` itself.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token
