"""The assembled policy: a plain value that every renderer reads.

Renderers loop over this; they never decide what the policy says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedClause:
    key: str
    version: int
    markdown: str  # escaped Markdown, as the Markdown renderer writes it
    html: str  # sanitized HTML fragment
    # The person's own paragraph (``extras.own_paragraphs``), not a clause of the library: it has no
    # version to fall out of date, and is left out of ``clause_versions``.
    own_words: bool = False


@dataclass(frozen=True)
class DocumentSection:
    key: str
    title: str
    clauses: tuple[RenderedClause, ...]

    @property
    def anchor(self) -> str:
        return f"section-{self.key}"

    @property
    def markdown(self) -> str:
        return "\n\n".join(clause.markdown.strip() for clause in self.clauses)

    @property
    def html(self) -> str:
        return "\n".join(clause.html for clause in self.clauses)


@dataclass(frozen=True)
class PolicyDocument:
    organization_name: str
    website: str
    effective_date: dt.date
    sections: tuple[DocumentSection, ...]
    language: str = "en"
    summary: DocumentSection | None = None  # the short version (see ``summary``), shown first
    paper: str = "A4"  # the PDF's page size (see ``locales``)

    @property
    def parts(self) -> tuple[DocumentSection, ...]:
        """What a reader sees, in order: the short version, then the sections built from clauses."""
        return ((self.summary,) if self.summary else ()) + self.sections

    @property
    def title(self) -> str:
        return "Privacy Policy"

    @property
    def full_title(self) -> str:
        return f"{self.organization_name} Privacy Policy"

    @property
    def clause_versions(self) -> tuple[tuple[str, int], ...]:
        """The clause keys and versions this document was built from."""
        return tuple((c.key, c.version) for s in self.sections for c in s.clauses if not c.own_words)

    @property
    def content_hash(self) -> str:
        """A stable hash of what the document says (for caches and change detection)."""
        payload = json.dumps(
            [self.organization_name, self.website, self.effective_date.isoformat(), self.language, self.paper]
            + [[s.key, s.title, s.markdown] for s in self.parts],
            ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()

    def effective_date_text(self) -> str:
        date = self.effective_date
        if self.language == "en-US":
            return f"{date:%B} {date.day}, {date.year}"
        return f"{date.day} {date:%B} {date.year}"
