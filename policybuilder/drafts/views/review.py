"""The review page (every answer, what is missing, the compliance review) and the draft's downloads."""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from policybuilder.answers import prune_answers
from policybuilder.applicable_laws import laws_by_status, laws_for
from policybuilder.assembly import assemble_cached
from policybuilder.clause_library import Library
from policybuilder.downloads import Caching, download_filename, download_response
from policybuilder.drafts.models import Draft
from policybuilder.drafts.views.common import (
    draft_or_404,
    draft_state,
    organization_incomplete,
    preview_context,
    step_url,
)
from policybuilder.library.selectors import load_library
from policybuilder.publishing.forms import PublishForm
from policybuilder.publishing.panel import publication_context
from policybuilder.renderers import FORMATS, render_cached
from policybuilder.scans import services as scan_services
from policybuilder.scans.models import SiteScan
from policybuilder.scans.tasks import prerender_pdf
from policybuilder.views import enforce_pdf_limit
from policybuilder.wizard import WizardState


@never_cache
@require_GET
def review(request: HttpRequest, token: str) -> HttpResponse:
    draft = draft_or_404(token)
    library = load_library()
    return render_review(request, draft, library, draft_state(draft, library))


def render_review(
    request: HttpRequest,
    draft: Draft,
    library: Library,
    state: WizardState,
    publish_form: PublishForm | None = None,
) -> HttpResponse:
    """The review page; with ``publish_form``, the publish form as posted, with its errors."""
    findings = [
        (
            fix.finding,
            step_url(draft, fix.page, back_to_review=True) + f"#div_id_{fix.path.replace('.', '__')}",
        )
        for fix in state.fixable_findings
    ]
    context = {
        "draft": draft,
        "state": state,
        "findings": findings,
        "finding_counts": state.finding_summary,
        "answers_html": _answers_html(draft, library, state),
        # Until "Size and reach" is saved every threshold reads "not sure": the page asks for it instead.
        "laws": laws_by_status(laws_for(library, state.answers)) if "reach" in state.completed else None,
        "attention": state.attention,
        "formats": FORMATS.values(),
        "progress": state.progress(None),
        "review_current": True,
        **publication_context(request, draft, library, state, publish_form),
        **preview_context(library, state.answers, organization_incomplete(state)),
        **_scan_context(draft, library),
    }
    if state.ready:
        # The PDF is rendered in the background now, so its download is served from the cache.
        prerender_pdf(library, state.answers, draft)
    return render(request, "drafts/review.html", context)


def _answers_html(draft: Draft, library: Library, state: WizardState) -> str:
    """Every answer as the review lists it, rendered once per draft, answers and library snapshot
    (two hundred rows for a large business were half of the review page's time)."""

    def render() -> str:
        # Names for what answers hold by key: services, and the sections own paragraphs go to.
        names = {**{s.key: s.title for s in library.sections}, **{s.key: s.name for s in library.services}}
        return render_to_string(
            "drafts/_review_answers.html", {"draft": draft, "groups": state.review(names)}
        )

    if not state.key:  # a state worked out without the memo: nothing to key the rows on
        return render()
    return library.memoized(("review-answers", draft.token, *state.key), render)


def _scan_context(draft: Draft, library: Library) -> dict[str, Any]:
    """What the latest scan of the owner's site contradicts, and what the published policy no
    longer covers (from the daily rescan), for the review beside the compliance findings."""
    scan = scan_services.latest_draft_scan(draft)
    done = scan if scan is not None and scan.status == SiteScan.Status.DONE else None
    published = getattr(draft, "published", None)
    policy_scan = scan_services.latest_policy_scan(published) if published is not None else None
    return {
        "scan": done,
        "scan_contradictions": [
            f for f in scan_services.draft_findings(library, draft, done) if f.contradicts
        ],
        "policy_scan": policy_scan,
        "policy_drift": scan_services.current_drift(library, published, policy_scan) if published else [],
    }


@never_cache
@require_GET
def download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """The finished policy in one format, or the answers file; private, like the draft."""
    draft = draft_or_404(token)
    library = load_library()
    state = draft_state(draft, library)
    if fmt != "json" and fmt not in FORMATS:
        raise Http404("Unknown format")
    if not state.ready:
        return redirect("draft-review", token)
    organization = state.answers["organization"]
    if fmt == "json":
        content = json.dumps(prune_answers(state.answers), indent=2, ensure_ascii=False).encode() + b"\n"
        return download_response(
            request,
            content,
            content_type="application/json",
            filename=download_filename(organization["name"], organization["effective_date"], "answers.json"),
            caching=Caching.PRIVATE,
        )
    # A library that fails to assemble gets the friendly page from LibraryErrorMiddleware.
    document = assemble_cached(library, state.answers)
    output = FORMATS[fmt]
    if output.binary:  # PDF and Word: the costly renders
        enforce_pdf_limit(request)
    return download_response(
        request,
        render_cached(document, fmt, wait=True),  # for the PDF the worker may be rendering now
        content_type=output.content_type,
        filename=download_filename(
            organization["name"], document.effective_date.isoformat(), output.extension
        ),
        caching=Caching.PRIVATE,
    )
