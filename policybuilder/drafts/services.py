"""Writing drafts: one small function per change, each in a transaction."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.utils import timezone

from policybuilder.answers import merge_page_values
from policybuilder.drafts.models import Draft
from policybuilder.drafts.selectors import expiry_cutoff
from policybuilder.questionnaire import PAGES, Page


def create_draft(*, answers: dict[str, Any] | None = None, completed_pages: list[str] | None = None) -> Draft:
    return Draft.objects.create(answers=answers or {}, completed_pages=completed_pages or [])


def create_draft_from_file(*, answers: dict[str, Any], given_sections: Collection[str] = ()) -> Draft:
    """A draft from a validated answers file: every page counts as answered, except "Size and reach"
    (questions that only decide the review's list of laws) when the file leaves its section out:
    its defaults are all "not sure", which the wizard then asks about instead of showing as said."""
    unsaid = {
        page.key
        for page in PAGES
        if all(q.review_only for q in page.questions)
        and not {q.section for q in page.questions} & set(given_sections)
    }
    dropped = {q.section for page in PAGES if page.key in unsaid for q in page.questions}
    content = {key: value for key, value in answers.items() if key != "schema_version" and key not in dropped}
    return create_draft(
        answers=content, completed_pages=[page.key for page in PAGES if page.key not in unsaid]
    )


@transaction.atomic
def draft_save_page(*, draft: Draft, page: Page, values: dict[str, Any], complete: bool = True) -> Draft:
    """Save one page's answers; ``complete`` marks the page done (not when left half-answered).

    The row is locked and re-read so that two tabs saving different pages of
    the same draft never overwrite each other's answers: only this page's
    keys change (last write per page wins).
    """
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    answers = merge_page_values(locked.answers, values)
    completed = list(locked.completed_pages)
    if complete and page.key not in completed:
        completed.append(page.key)
    Draft.objects.filter(pk=draft.pk).update(
        answers=answers, completed_pages=completed, updated_at=timezone.now()
    )
    draft.answers, draft.completed_pages = answers, completed
    return draft


def purge_drafts() -> int:
    """Delete drafts nobody has touched for ``DRAFT_EXPIRY_DAYS``; returns how many."""
    deleted, _ = Draft.objects.filter(updated_at__lt=expiry_cutoff()).delete()
    return deleted
