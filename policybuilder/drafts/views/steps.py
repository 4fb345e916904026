"""The questionnaire's pages: one step at a time, its live preview, resuming and the saved link."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.mail import send_mail
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited
from django_ratelimit.decorators import ratelimit

from policybuilder.answers import merge_page_values
from policybuilder.assembly import AssemblyError, assemble_cached
from policybuilder.clause_library import Library
from policybuilder.compliance import Finding
from policybuilder.drafts import services
from policybuilder.drafts.forms import EmailLinkForm, PageForm
from policybuilder.drafts.models import Draft
from policybuilder.drafts.views.common import (
    answers_state,
    draft_or_404,
    draft_page,
    draft_state,
    go_to,
    organization_incomplete,
    preview_context,
)
from policybuilder.library.selectors import load_library
from policybuilder.page_memo import page_memo
from policybuilder.questionnaire import PAGES_BY_KEY, Page
from policybuilder.scans import services as scan_services
from policybuilder.scans.models import SiteScan
from policybuilder.views import limit
from policybuilder.wizard import (
    PATH_TO_PAGE,
    FindingFix,
    WizardState,
    page_questions,
    pages_changed,
)

logger = logging.getLogger(__name__)


@never_cache
@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    draft = draft_or_404(token)
    return go_to(draft, draft_state(draft, load_library()).resume_page())


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, token: str, page_key: str) -> HttpResponse:
    draft, page, library, state = draft_page(token, page_key)
    back_to_review = request.GET.get("return") == "review"
    if not state.applies(page):
        if request.method == "POST":
            raise Http404("This step does not apply to your answers")
        return go_to(draft, state.first_applicable_from(page))

    if request.method == "GET":
        # Everything the page shows besides its CSRF token: the draft (its link, answers and saved
        # pages) with this snapshot of the library, and the scan box's latest scan.
        latest = _latest_scan(draft, page)
        if not state.key:  # worked out without the memo (draft_page always uses it)
            return _step_page(request, draft, page, library, state, back_to_review, latest)
        key = (
            "step",
            page.key,
            back_to_review,
            draft.token,
            *state.key,
            (latest.pk, latest.status) if latest else None,  # a scan's box changes with its status only
        )
        return page_memo(
            request,
            library,
            key,
            lambda: _step_page(request, draft, page, library, state, back_to_review, latest),
        )

    later = request.POST.get("action") == "later"
    form = _page_form(request.POST, draft, page, library, state, _fixes_on(state, page))
    if request.method == "POST" and later and not form.is_valid() and form.only_unanswered:
        # Leaving half-way: keep what is answered; the page stays unfinished.
        services.draft_save_page(draft=draft, page=page, values=form.values, complete=False)
        return redirect("draft-saved", token)
    if request.method == "POST" and form.is_valid():
        services.draft_save_page(draft=draft, page=page, values=form.values)
        after = draft_state(draft, library)
        if change := pages_changed(state.pages, after.pages, page):
            messages.info(request, change)
        if later:
            return redirect("draft-saved", token)
        if back_to_review:
            return redirect("draft-review", token)
        return go_to(draft, after.next_page(page))
    return _step_page(request, draft, page, library, state, back_to_review, _latest_scan(draft, page), form)


def _step_page(
    request: HttpRequest,
    draft: Draft,
    page: Page,
    library: Library,
    state: WizardState,
    back_to_review: bool,
    latest_scan: SiteScan | None,
    form: PageForm | None = None,
) -> HttpResponse:
    """The step's page: its questions (``form`` as posted, with its errors, or as saved), the
    step list and the preview."""
    fixes = _fixes_on(state, page)
    if form is None:
        form = _page_form(None, draft, page, library, state, fixes)
    context = {
        "draft": draft,
        "page": page,
        "form": form,
        "number": state.number(page),
        "total": len(state.pages),
        "progress": state.progress(page),
        "previous": state.previous_page(page),
        "back_to_review": back_to_review,
        "findings": [(fix.finding, f"div_id_{fix.path.replace('.', '__')}") for fix in fixes],
        **preview_context(library, state.answers, organization_incomplete(state), page),
        **_scan_context(draft, page, library, latest_scan),
    }
    return render(request, "drafts/step.html", context)


def _fixes_on(state: WizardState, page: Page) -> list[FindingFix]:
    """What the compliance review says about this page's answers, beside the questions to change
    (a "Fix" link from the review lands here): listed at the top and under each question."""
    return [fix for fix in state.fixable_findings if fix.page == page]


def _latest_scan(draft: Draft, page: Page) -> SiteScan | None:
    """The draft's latest scan, for a page with the scan box (None elsewhere)."""
    return scan_services.latest_draft_scan(draft) if page.key in scan_services.SCAN_PAGES else None


def keep_typed_answers(request: HttpRequest, draft: Draft, page_key: str) -> None:
    """Save what the person typed on a page they leave to scan their site: the whole page when it
    is valid, the answered questions when only some are missing (as "Save and continue later"
    does), nothing when an answer is invalid (the page says so when they come back)."""
    page = PAGES_BY_KEY.get(page_key)
    if page is None:
        return
    library = load_library()
    state = draft_state(draft, library)
    if not state.applies(page):
        return
    form = _page_form(request.POST, draft, page, library, state)
    if form.is_valid():
        services.draft_save_page(draft=draft, page=page, values=form.values)
    elif form.only_unanswered:
        services.draft_save_page(draft=draft, page=page, values=form.values, complete=False)


def _scan_context(draft: Draft, page: Page, library: Library, latest: SiteScan | None) -> dict[str, Any]:
    """The "Scan my website" box, on the pages a scan informs (who you are, services, cookies)."""
    if page.key not in scan_services.SCAN_PAGES:
        return {}
    organization = draft.answers.get("organization")
    website = organization.get("website", "") if isinstance(organization, dict) else ""
    findings = None
    if latest is not None and latest.status == SiteScan.Status.DONE:
        findings = len(
            [f for f in scan_services.draft_findings(library, draft, latest) if f.change is not None]
        )
    return {
        "scan_box": True,
        "latest_scan": latest,
        "latest_scan_findings": findings,
        "scan_url": website if isinstance(website, str) else "",
        "scan_pages": settings.SCAN_PAGES,
    }


def _page_form(
    data: Any,
    draft: Draft,
    page: Page,
    library: Library,
    state: WizardState,
    fixes: Sequence[FindingFix] = (),
) -> PageForm:
    return PageForm(
        data,
        page=page,
        questions=page_questions(page, state.answers),
        library=library,
        draft_answers=draft.answers,
        current=state.current_values(draft.answers),
        suggestions=state.suggestions(page.questions),
        findings=_by_path(fixes),
        policy_sections=_policy_sections(library, state) if page.key == OWN_PARAGRAPHS_PAGE else None,
    )


def _by_path(fixes: Sequence[FindingFix]) -> dict[str, list[Finding]]:
    findings: dict[str, list[Finding]] = {}
    for fix in fixes:
        findings.setdefault(fix.path, []).append(fix.finding)
    return findings


OWN_PARAGRAPHS_PAGE = PATH_TO_PAGE["extras.own_paragraphs"].key


def _policy_sections(library: Library, state: WizardState) -> frozenset[str] | None:
    """The sections the policy has now (for the own-paragraph boxes); None if it cannot be built."""
    try:
        return frozenset(section.key for section in assemble_cached(library, state.answers).sections)
    except AssemblyError:
        return None


@never_cache
@require_POST
def preview(request: HttpRequest, token: str, page_key: str) -> HttpResponse:
    """The policy with this page's unsaved answers applied (for the live preview; saves nothing)."""
    draft, page, library, state = draft_page(token, page_key)
    form = _page_form(request.POST, draft, page, library, state)
    form.is_valid()  # parses the values; problems do not stop a preview
    merged = merge_page_values(draft.answers, form.values) if form.values else draft.answers
    unsaved = answers_state(library, merged, draft.completed_pages)
    return render(
        request,
        "drafts/_preview.html",
        preview_context(library, unsaved.answers, organization_incomplete(unsaved), page),
    )


@never_cache
@require_GET
def saved(request: HttpRequest, token: str) -> HttpResponse:
    return _render_saved(request, draft_or_404(token), EmailLinkForm())


@never_cache
@require_POST
@ratelimit(key="ip", rate=limit("email_link"), group="email_link", block=True)
def email_link(request: HttpRequest, token: str) -> HttpResponse:
    """Send the draft's link to the address given (which is not stored): a person saving to finish
    later may not trust themselves to keep a long link."""
    if not settings.EMAIL_LINKS:
        raise Http404("This server sends no email")
    draft = draft_or_404(token)
    form = EmailLinkForm(request.POST)
    if not form.is_valid():
        return _render_saved(request, draft, form, status=400)
    # Also per address, so that one inbox cannot be flooded from many client addresses.
    recipient = hashlib.sha256(form.cleaned_data["email"].casefold().encode()).hexdigest()
    if is_ratelimited(
        request, group="email_link_to", key=lambda group, req: recipient, rate="3/d", increment=True
    ):
        form.add_error(
            None, "This link has been sent to that address three times today. Copy it above instead."
        )
        return _render_saved(request, draft, form, status=429)
    link = request.build_absolute_uri(reverse("draft-resume", args=[token]))
    body = render_to_string(
        "drafts/email_link.txt", {"link": link, "expiry_days": settings.DRAFT_EXPIRY_DAYS}
    )
    try:
        send_mail("Your privacy policy draft", body, None, [form.cleaned_data["email"]])
    except (OSError, smtplib.SMTPException):
        logger.exception("Could not send a draft link by email")
        form.add_error(None, "We could not send the email just now. Copy the link above instead.")
        return _render_saved(request, draft, form, status=503)
    messages.success(request, "We sent the link to that address. Check your inbox (and spam folder).")
    return redirect("draft-saved", token)


def _render_saved(request: HttpRequest, draft: Draft, form: EmailLinkForm, status: int = 200) -> HttpResponse:
    link = request.build_absolute_uri(reverse("draft-resume", args=[draft.token]))
    context = {
        "draft": draft,
        "link": link,
        "expiry_days": settings.DRAFT_EXPIRY_DAYS,
        "email_form": form if settings.EMAIL_LINKS else None,
    }
    return render(request, "drafts/saved.html", context, status=status)
