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
from policybuilder.derived import long_date
from policybuilder.diffing import Passage, sentence_diff
from policybuilder.document import PolicyDocument
from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import draft_save_page
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.questionnaire import PAGES_BY_KEY
from policybuilder.renderers import FORMATS, render_cached
from policybuilder.renderers.html import render_fragment
from policybuilder.renderers.text import markdown_to_text


class NothingToPublish(ValueError):
    """The policy would read exactly as the current version, whatever date it is given."""


class TooManyVersions(ValueError):
    """The policy has had as many versions today as one day allows."""


# Each version renders every format, the PDF among them, and stays forever: a
# person announcing changes needs a few a day at most.
MAX_VERSIONS_PER_DAY = 10


def with_effective_date(answers: Answers, date: dt.date) -> Answers:
    """The answers with ``date`` as the policy's effective date (a copy; ``answers`` is left alone)."""
    return {**answers, "organization": {**answers["organization"], "effective_date": date.isoformat()}}


def reads_like(version: PolicyVersion, library: Library, answers: Answers) -> bool:
    """Whether these answers make the same policy as ``version`` once given the version's own date."""
    dated = with_effective_date(answers, version.effective_date)
    return assemble_cached(library, dated).content_hash == version.content_hash


def section_texts(document: PolicyDocument) -> list[dict[str, str]]:
    """Each section as plain text, the unit versions are compared in."""
    return [
        {"key": s.key, "title": s.title, "text": "\n".join(markdown_to_text(s.markdown))}
        for s in document.parts
    ]


def published_sections(document: PolicyDocument) -> list[dict[str, Any]]:
    """What a version keeps of each part: its text (see ``section_texts``), and for the JSON document
    its anchor, the library clauses it was built from ([key, version]; none for the short version,
    which is written from the answers) and its sanitized HTML."""
    return [
        {
            **texts,
            "anchor": part.anchor,
            "clauses": []
            if part is document.summary
            else [[c.key, c.version] for c in part.clauses if not c.own_words],
            "html": part.html,
        }
        for texts, part in zip(section_texts(document), document.parts, strict=True)
    ]


@dataclass(frozen=True)
class SectionChange:
    title: str
    status: str  # "added", "removed", "changed", "unchanged"
    old: str = ""
    new: str = ""


def compare_sections(
    old: list[dict[str, str]],
    new: list[dict[str, str]],
    dates: tuple[dt.date, dt.date] | None = None,
) -> list[SectionChange]:
    """Section by section in the new order; a removed section stays where it used to be.

    With ``dates`` (the old and the new version's effective dates), a section whose only difference
    is its version's own effective date counts as unchanged: every version has its own date (shown
    above the diff), and that is not a change anyone announces.
    """

    def undated(text: str, date: dt.date | None) -> str:
        if date is None:
            return text
        for english in ("us", "international"):  # "May 1, 2026" or "1 May 2026", as the policy writes it
            text = text.replace(long_date(date.isoformat(), english), "")
        return text

    old_date, new_date = dates or (None, None)
    before = {s["key"]: s for s in old}
    after_keys = {s["key"] for s in new}
    changes: list[SectionChange] = []
    for section in new:
        previous = before.get(section["key"])
        if previous is None:
            changes.append(SectionChange(section["title"], "added", new=section["text"]))
        elif (previous["title"], undated(previous["text"], old_date)) == (
            section["title"],
            undated(section["text"], new_date),
        ):
            changes.append(
                SectionChange(section["title"], "unchanged", old=previous["text"], new=section["text"])
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


@dataclass(frozen=True)
class DiffBlock:
    """One block of the comparison page: a changed, added or removed section, or unchanged ones.

    ``titles`` holds one title, or every title of a run of unchanged sections (shown as one line,
    "14 sections unchanged"). A changed section has its ``passages``, sentence by sentence; an
    added or removed section its whole ``text``.
    """

    status: str  # "changed", "added", "removed", "unchanged"
    titles: tuple[str, ...]
    text: str = ""
    passages: tuple[Passage, ...] = ()

    @property
    def title(self) -> str:
        return self.titles[0]

    @property
    def reworded(self) -> bool:
        """Whether any sentence changed (a changed section may differ only in its layout)."""
        return any(passage.changed for passage in self.passages)


def readable_comparison(changes: list[SectionChange]) -> list[DiffBlock]:
    """The changes as a reader meets them: unchanged sections gathered, changed ones by sentence."""
    blocks: list[DiffBlock] = []
    for change in changes:
        if change.status == "unchanged":
            if blocks and blocks[-1].status == "unchanged":
                blocks[-1] = DiffBlock("unchanged", (*blocks[-1].titles, change.title))
            else:
                blocks.append(DiffBlock("unchanged", (change.title,)))
        elif change.status == "changed":
            passages = tuple(sentence_diff(change.old, change.new))
            blocks.append(DiffBlock("changed", (change.title,), passages=passages))
        else:
            text = change.new if change.status == "added" else change.old
            blocks.append(DiffBlock(change.status, (change.title,), text=text))
    return blocks


@transaction.atomic
def publish(
    *,
    draft: Draft,
    library: Library,
    answers: Answers,
    effective_date: dt.date,
    confirmed_findings: list[dict[str, Any]] | None = None,
    notice_confirmed: bool = False,
) -> PolicyVersion:
    """Freeze the policy these answers produce, taking effect on ``effective_date``, as the next version.

    The date replaces the answers' own ``organization.effective_date`` before the policy is assembled,
    so the header of every format and any clause quoting the date agree, and the version's stored
    answers rebuild exactly what was published. Which dates are allowed is the form's business
    (``publishing.notice``); this function publishes the date it is given.

    A policy that reads exactly like the current version once given that version's date is refused
    (``NothingToPublish``): a new effective date alone is not a new version. Versions record changes
    to what the policy says; re-dating the same text would tell readers something changed when
    nothing did.

    ``confirmed_findings`` are the compliance errors the owner confirmed reading, and
    ``notice_confirmed`` that they confirmed the change is not material or the promised notice was
    given (see ``publishing.notice``); the version keeps both. The draft's own effective date
    becomes the published one.
    """
    dated = with_effective_date(answers, effective_date)
    document = assemble(library, dated)
    policy, _ = PublishedPolicy.objects.select_for_update().get_or_create(
        draft=draft, defaults={"organization_name": document.organization_name}
    )
    latest = policy.versions.order_by("-number").first()
    if latest is not None and reads_like(latest, library, answers):
        raise NothingToPublish(
            f"The policy reads exactly like version {latest.number}. "
            "A new effective date alone does not make a new version."
        )
    today = policy.versions.filter(published_at__gte=timezone.now() - dt.timedelta(days=1)).count()
    if today >= MAX_VERSIONS_PER_DAY:
        raise TooManyVersions(
            f"This policy has had {today} versions in the last 24 hours, the most one day allows. "
            "Publish again tomorrow."
        )
    policy.organization_name = document.organization_name
    policy.save(update_fields=["organization_name"])
    # The draft takes the date too, so its downloads and the next publication start from the
    # date the published policy states, never from an earlier version's.
    draft_save_page(
        draft=draft,
        page=PAGES_BY_KEY["organization"],
        values={"organization.effective_date": document.effective_date.isoformat()},
        complete=False,
    )
    return PolicyVersion.objects.create(
        policy=policy,
        number=(latest.number + 1) if latest else 1,
        effective_date=document.effective_date,
        answers=prune_answers(dated),
        clause_versions=[list(pair) for pair in document.clause_versions],
        sections=published_sections(document),
        content_hash=document.content_hash,
        confirmed_findings=confirmed_findings or [],
        notice_confirmed=notice_confirmed,
        html=FORMATS["html"].render(document).decode("utf-8"),
        body_html=render_fragment(document),
        markdown=FORMATS["md"].render(document).decode("utf-8"),
        text=FORMATS["txt"].render(document).decode("utf-8"),
        pdf=render_cached(document, "pdf", wait=True),  # the review has usually had it made already
        docx=render_cached(document, "docx"),
    )


def pending_changes(version: PolicyVersion, library: Library, answers: Answers) -> list[SectionChange]:
    """What publishing these answers now would change compared with a published version.

    Compared at the version's own effective date: the date is chosen when publishing, so a draft
    whose answers still carry an older date does not count as a change.
    """
    document = assemble_cached(library, with_effective_date(answers, version.effective_date))
    return [
        change
        for change in compare_sections(version.sections, section_texts(document))
        if change.status != "unchanged"
    ]
