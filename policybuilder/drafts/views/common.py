"""What the wizard's views share: finding the draft, where the person is, page URLs, the preview."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from policybuilder.answers import Answers
from policybuilder.assembly import AssemblyError, answers_key, assemble_cached
from policybuilder.clause_library import Library
from policybuilder.drafts.models import Draft
from policybuilder.drafts.selectors import get_draft
from policybuilder.library.selectors import load_library
from policybuilder.questionnaire import PAGES_BY_KEY, Page
from policybuilder.renderers.html import render_fragment
from policybuilder.section_answers import sections_reading
from policybuilder.wizard import WizardState, wizard_state

logger = logging.getLogger(__name__)


def draft_or_404(token: str) -> Draft:
    try:
        return get_draft(token)
    except Draft.DoesNotExist:
        raise Http404("No draft with this link (it may have expired).") from None


def draft_page(token: str, page_key: str) -> tuple[Draft, Page, Library, WizardState]:
    """What every wizard page view starts from; 404 for an unknown draft or page."""
    draft = draft_or_404(token)
    page = PAGES_BY_KEY.get(page_key)
    if page is None:
        raise Http404("No such step")
    library = load_library()
    return draft, page, library, draft_state(draft, library)


def draft_state(draft: Draft, library: Library) -> WizardState:
    return answers_state(library, draft.answers, draft.completed_pages)


def answers_state(library: Library, raw: dict[str, Any], completed: Iterable[str]) -> WizardState:
    """Where a draft with these answers and saved pages stands, worked out once per library
    snapshot: every page view needs it, and validating every answer and running the compliance
    review took a third of a step page's time. Callers read the state and never change it."""
    key = state_key(raw, completed)

    def work_out() -> WizardState:
        state = wizard_state(raw, completed, catalogue_keys=library.catalogue_keys(), library=library)
        state.key = key
        return state

    return library.memoized(("wizard-state", *key), work_out)


def state_key(raw: dict[str, Any], completed: Iterable[str]) -> tuple[str, tuple[str, ...], str]:
    """What a draft's state depends on besides the library: its answers, the pages saved, and the
    day (an effective date not given yet is today's)."""
    return answers_key(raw), tuple(sorted(completed)), dt.date.today().isoformat()


def step_url(draft: Draft, page: Page, *, back_to_review: bool = False) -> str:
    url = reverse("draft-step", args=[draft.token, page.key])
    return url + "?return=review" if back_to_review else url


def go_to(draft: Draft, page: Page | None) -> HttpResponse:
    """Redirect to a wizard page, or to the review when there is none left."""
    return redirect(step_url(draft, page) if page else reverse("draft-review", args=[draft.token]))


def preview_context(
    library: Library, answers: Answers, problems_on_organization: bool, page: Page | None = None
) -> dict[str, Any]:
    """The policy fragment for the live preview, or why there is none yet; on a questionnaire
    page, also the sections of the policy that page's answers shape (anchor and title), so the
    preview can open on them."""
    if problems_on_organization:
        return {
            "preview_html": None,
            "preview_note": "The preview appears once you have told us who you are.",
        }
    try:
        document = assemble_cached(library, answers)
        fragment = library.memoized(
            ("preview", answers_key(answers)),
            lambda: render_fragment(document, embedded=True),
        )
        shaped = set(sections_reading(library, page.paths)) if page is not None else set()
        sections = [(part.anchor, part.title) for part in document.parts if part.key in shaped]
        return {"preview_html": fragment, "preview_note": "", "preview_sections": sections}
    except AssemblyError:
        logger.exception("Clause library failed to assemble a preview")
        return {
            "preview_html": None,
            "preview_note": "The preview is unavailable: the clause library has an error.",
        }


def organization_incomplete(state: WizardState) -> bool:
    return bool(state.problems_on(PAGES_BY_KEY["organization"]))
