"""Publishing: freezing a draft's policy as a new numbered version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from policybuilder.answers import Answers, prune_answers
from policybuilder.assembly import assemble, assemble_cached
from policybuilder.clause_library import Library
from policybuilder.document import PolicyDocument
from policybuilder.drafts.models import Draft
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.renderers import FORMATS, render_cached
from policybuilder.renderers.html import render_fragment
from policybuilder.renderers.text import markdown_to_text


class NothingToPublish(ValueError):
    """The policy would read exactly as the current version."""


class TooManyVersions(ValueError):
    """The policy has had as many versions today as one day allows."""


# Each version renders every format, the PDF among them, and stays forever: a
# person announcing changes needs a few a day at most.
MAX_VERSIONS_PER_DAY = 10


def section_texts(document: PolicyDocument) -> list[dict[str, str]]:
    """Each section as plain text, the unit versions are compared in."""
    return [
        {"key": s.key, "title": s.title, "text": "\n".join(markdown_to_text(s.markdown))}
        for s in document.parts
    ]


@dataclass(frozen=True)
class SectionChange:
    title: str
    status: str  # "added", "removed", "changed", "unchanged"
    old: str = ""
    new: str = ""


def compare_sections(old: list[dict[str, str]], new: list[dict[str, str]]) -> list[SectionChange]:
    """Section by section in the new order; a removed section stays where it used to be."""
    before = {s["key"]: s for s in old}
    after_keys = {s["key"] for s in new}
    changes: list[SectionChange] = []
    for section in new:
        previous = before.get(section["key"])
        if previous is None:
            changes.append(SectionChange(section["title"], "added", new=section["text"]))
        elif (previous["title"], previous["text"]) == (section["title"], section["text"]):
            changes.append(
                SectionChange(section["title"], "unchanged", old=section["text"], new=section["text"])
            )
        else:
            changes.append(
                SectionChange(section["title"], "changed", old=previous["text"], new=section["text"])
            )
    for index, section in enumerate(old):
        if section["key"] not in after_keys:
            changes.insert(
                min(index, len(changes)), SectionChange(section["title"], "removed", old=section["text"])
            )
    return changes


def summarise(changes: list[SectionChange]) -> str:
    """ "Changed: Cookies, Children. Added: Analytics tools." — what to announce."""
    parts = []
    for status, label in (("changed", "Changed"), ("added", "Added"), ("removed", "Removed")):
        titles = [c.title for c in changes if c.status == status]
        if titles:
            parts.append(f"{label}: {', '.join(titles)}.")
    return " ".join(parts) or "No changes."


@transaction.atomic
def publish(
    *,
    draft: Draft,
    library: Library,
    answers: Answers,
    confirmed_findings: list[dict[str, Any]] | None = None,
) -> PolicyVersion:
    """Freeze the policy these answers produce as the draft's next published version.

    ``confirmed_findings`` are the compliance errors the owner confirmed reading; the version keeps them.
    """
    document = assemble(library, answers)
    policy, _ = PublishedPolicy.objects.select_for_update().get_or_create(
        draft=draft, defaults={"organization_name": document.organization_name}
    )
    latest = policy.versions.order_by("-number").first()
    if latest is not None and latest.content_hash == document.content_hash:
        raise NothingToPublish(f"The policy reads exactly like version {latest.number}.")
    today = policy.versions.filter(published_at__gte=timezone.now() - dt.timedelta(days=1)).count()
    if today >= MAX_VERSIONS_PER_DAY:
        raise TooManyVersions(
            f"This policy has had {today} versions in the last 24 hours, the most one day allows. "
            "Publish again tomorrow."
        )
    policy.organization_name = document.organization_name
    policy.save(update_fields=["organization_name"])
    return PolicyVersion.objects.create(
        policy=policy,
        number=(latest.number + 1) if latest else 1,
        effective_date=document.effective_date,
        answers=prune_answers(answers),
        clause_versions=[list(pair) for pair in document.clause_versions],
        sections=section_texts(document),
        content_hash=document.content_hash,
        confirmed_findings=confirmed_findings or [],
        html=FORMATS["html"].render(document).decode("utf-8"),
        body_html=render_fragment(document),
        markdown=FORMATS["md"].render(document).decode("utf-8"),
        text=FORMATS["txt"].render(document).decode("utf-8"),
        pdf=render_cached(document, "pdf"),  # the review's download has usually made it already
    )


def pending_changes(version: PolicyVersion, library: Library, answers: Answers) -> list[SectionChange]:
    """What publishing these answers now would change compared with a published version."""
    return [
        change
        for change in compare_sections(version.sections, section_texts(assemble_cached(library, answers)))
        if change.status != "unchanged"
    ]
