"""The browser wizard: thin views over the questionnaire, the draft services and assembly."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from policybuilder import examples
from policybuilder.answers import Answers, merge_page_values, normalise_answers, prune_answers
from policybuilder.assembly import AssemblyError, answers_key, assemble_cached
from policybuilder.clause_library import Library
from policybuilder.compliance import SEVERITIES
from policybuilder.drafts import services
from policybuilder.drafts.forms import ContinueForm, PageForm, UploadForm, field_message
from policybuilder.drafts.models import Draft
from policybuilder.drafts.selectors import get_draft
from policybuilder.library.selectors import load_library
from policybuilder.publishing import services as publishing
from policybuilder.publishing.models import PublishedPolicy
from policybuilder.publishing.selectors import get_version
from policybuilder.publishing.services import pending_changes
from policybuilder.questionnaire import PAGES, PAGES_BY_KEY, QUESTIONS_BY_PATH, Page
from policybuilder.renderers import FORMATS, render_cached
from policybuilder.renderers.html import render_fragment
from policybuilder.views import download_filename, enforce_pdf_limit, limit
from policybuilder.wizard import PATH_TO_PAGE, WizardState, page_questions, wizard_state

logger = logging.getLogger(__name__)


def _draft(token: str) -> Draft:
    try:
        return get_draft(token)
    except Draft.DoesNotExist:
        raise Http404("No draft with this link (it may have expired).") from None


def _draft_page(token: str, page_key: str) -> tuple[Draft, Page, Library, WizardState]:
    """What every wizard page view starts from; 404 for an unknown draft or page."""
    draft = _draft(token)
    page = PAGES_BY_KEY.get(page_key)
    if page is None:
        raise Http404("No such step")
    library = load_library()
    return draft, page, library, _state(draft, library)


def _state(draft: Draft, library: Library) -> WizardState:
    return wizard_state(draft.answers, draft.completed_pages, catalogue_keys=library.catalogue_keys())


def step_url(draft: Draft, page: Page, *, back_to_review: bool = False) -> str:
    url = reverse("draft-step", args=[draft.token, page.key])
    return url + "?return=review" if back_to_review else url


def _go_to(draft: Draft, page: Page | None) -> HttpResponse:
    """Redirect to a wizard page, or to the review when there is none left."""
    return redirect(step_url(draft, page) if page else reverse("draft-review", args=[draft.token]))


def _preview(library: Library, answers: Answers, problems_on_organization: bool) -> dict[str, Any]:
    """The policy fragment for the live preview, or why there is none yet."""
    if problems_on_organization:
        return {
            "preview_html": None,
            "preview_note": "The preview appears once you have told us who you are.",
        }
    try:
        fragment = library.memoized(
            ("preview", answers_key(answers)),
            lambda: render_fragment(assemble_cached(library, answers), embedded=True),
        )
        return {"preview_html": fragment, "preview_note": ""}
    except AssemblyError:
        logger.exception("Clause library failed to assemble a preview")
        return {
            "preview_html": None,
            "preview_note": "The preview is unavailable: the clause library has an error.",
        }


def _organization_incomplete(state: WizardState) -> bool:
    return bool(state.problems_on(PAGES_BY_KEY["organization"]))


@require_POST
@ratelimit(key="ip", rate=limit("draft_create"), group="draft_create", block=True)
def start(request: HttpRequest) -> HttpResponse:
    draft = services.create_draft()
    return redirect(step_url(draft, PAGES[0]))


@require_GET
def continue_draft(request: HttpRequest) -> HttpResponse:
    form = ContinueForm(request.GET)
    if form.is_valid():
        try:
            draft = get_draft(form.cleaned_data["link"])
        except Draft.DoesNotExist:
            form.add_error(
                "link",
                "We could not find a draft with that link. Drafts are deleted after "
                f"{settings.DRAFT_EXPIRY_DAYS} days without changes.",
            )
        else:
            return redirect("draft-resume", draft.token)
    return render_home(request, continue_form=form, status=400)


@require_POST
@ratelimit(key="ip", rate=limit("upload"), group="upload", block=True)
def upload(request: HttpRequest) -> HttpResponse:
    library = load_library()
    form = UploadForm(request.POST, request.FILES, catalogue_keys=library.catalogue_keys())
    if form.is_valid():
        draft = services.create_draft_from_file(answers=prune_answers(form.cleaned_data["answers_file"]))
        return redirect("draft-review", draft.token)
    return render_home(request, upload_form=form, status=400)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render_home(request)


def render_home(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "examples": examples.example_slugs(),
        "continue_form": forms.get("continue_form") or ContinueForm(),
        "upload_form": forms.get("upload_form") or UploadForm(catalogue_keys={}),
    }
    return render(request, "home.html", context, status=status)


@never_cache
@require_GET
def resume(request: HttpRequest, token: str) -> HttpResponse:
    draft = _draft(token)
    return _go_to(draft, _state(draft, load_library()).resume_page())


@never_cache
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, token: str, page_key: str) -> HttpResponse:
    draft, page, library, state = _draft_page(token, page_key)
    back_to_review = request.GET.get("return") == "review"
    if not state.applies(page):
        if request.method == "POST":
            raise Http404("This step does not apply to your answers")
        return _go_to(draft, state.first_applicable_from(page))

    form = _page_form(request.POST or None, draft, page, library, state)
    if request.method == "POST" and form.is_valid():
        services.draft_save_page(draft=draft, page=page, values=form.values)
        if request.POST.get("action") == "later":
            return redirect("draft-saved", token)
        if back_to_review:
            return redirect("draft-review", token)
        return _go_to(draft, _state(draft, library).next_page(page))

    context = {
        "draft": draft,
        "page": page,
        "form": form,
        "number": state.number(page),
        "total": len(state.pages),
        "progress": state.progress(page),
        "previous": state.previous_page(page),
        "back_to_review": back_to_review,
        **_preview(library, state.answers, _organization_incomplete(state)),
    }
    return render(request, "drafts/step.html", context)


def _page_form(data: Any, draft: Draft, page: Page, library: Library, state: WizardState) -> PageForm:
    return PageForm(
        data,
        page=page,
        questions=page_questions(page, state.answers),
        library=library,
        draft_answers=draft.answers,
        current=_current_values(draft, state),
    )


def _current_values(draft: Draft, state: WizardState) -> dict[str, Any]:
    """What each question shows: the person's own answer where they gave one, else the default.

    Answers to questions that no longer apply are kept in the draft and shown
    again if the person changes their mind back.
    """
    current = {section: dict(values) for section, values in state.answers.items() if isinstance(values, dict)}
    for section, values in draft.answers.items():
        for key, value in values.items():
            if section in current and key in current[section]:
                current[section][key] = value
    return current


@never_cache
@require_POST
def preview(request: HttpRequest, token: str, page_key: str) -> HttpResponse:
    """The policy with this page's unsaved answers applied (for the live preview; saves nothing)."""
    draft, page, library, state = _draft_page(token, page_key)
    form = _page_form(request.POST, draft, page, library, state)
    form.is_valid()  # parses the values; problems do not stop a preview
    merged = merge_page_values(draft.answers, form.values) if form.values else draft.answers
    unsaved = wizard_state(merged, draft.completed_pages, catalogue_keys=library.catalogue_keys())
    return render(
        request, "drafts/_preview.html", _preview(library, unsaved.answers, _organization_incomplete(unsaved))
    )


@never_cache
@require_GET
def saved(request: HttpRequest, token: str) -> HttpResponse:
    draft = _draft(token)
    link = request.build_absolute_uri(reverse("draft-resume", args=[token]))
    context = {"draft": draft, "link": link, "expiry_days": settings.DRAFT_EXPIRY_DAYS}
    return render(request, "drafts/saved.html", context)


@never_cache
@require_GET
def review(request: HttpRequest, token: str) -> HttpResponse:
    draft = _draft(token)
    library = load_library()
    state = _state(draft, library)
    names = {s.key: s.name for s in library.services}
    attention = [
        (
            page,
            [
                f"{QUESTIONS_BY_PATH[p.path].label} {field_message(p.message)}"
                for p in state.problems_on(page)
            ],
            page.key not in state.completed,
        )
        for page in state.pages
        if state.problems_on(page) or page.key not in state.completed
    ]
    findings = [
        (
            finding,
            step_url(draft, PATH_TO_PAGE[finding.rule.path], back_to_review=True)
            + f"#div_id_{finding.rule.path.replace('.', '__')}",
        )
        for finding in state.findings
        if state.applies(PATH_TO_PAGE[finding.rule.path])
    ]
    counts = {s: sum(f.rule.severity == s for f, _ in findings) for s in SEVERITIES}
    publication = _publication(request, draft, library, state)
    context = {
        "draft": draft,
        "state": state,
        "findings": findings,
        "finding_counts": ", ".join(f"{n} {s}{'s' if n != 1 else ''}" for s, n in counts.items() if n),
        "groups": state.review(names),
        "attention": attention,
        "formats": FORMATS.values(),
        "progress": state.progress(None),
        "review_current": True,
        **publication,
        **_preview(library, state.answers, _organization_incomplete(state)),
    }
    return render(request, "drafts/review.html", context)


def _publication(request: HttpRequest, draft: Draft, library: Library, state: WizardState) -> dict[str, Any]:
    """The draft's published policy, if any: links, the embed snippet, and what would change now."""
    policy = PublishedPolicy.objects.filter(draft=draft).first()
    if policy is None:
        return {"policy": None}
    latest = get_version(policy)
    published_answers, _ = normalise_answers(latest.answers, catalogue_keys=library.catalogue_keys())
    try:
        library_changes = pending_changes(latest, library, published_answers)
        all_changes = pending_changes(latest, library, state.answers)
    except AssemblyError:
        library_changes = all_changes = []
    public_url = request.build_absolute_uri(reverse("policy", args=[policy.public_id]))
    embed_url = request.build_absolute_uri(reverse("policy-embed", args=[policy.public_id]))
    return {
        "policy": policy,
        "latest": latest,
        "public_url": public_url,
        "snippet_link": f'<a href="{public_url}">Privacy policy</a>',
        "snippet_iframe": (
            f'<iframe src="{embed_url}" title="Privacy policy" width="100%" height="600"></iframe>'
        ),
        "library_changes": [c.title for c in library_changes],
        "pending_changes": [c.title for c in all_changes],
    }


@require_POST
def publish_draft(request: HttpRequest, token: str) -> HttpResponse:
    draft = _draft(token)
    library = load_library()
    state = _state(draft, library)
    if not state.ready:
        messages.error(request, "Answer every step before publishing.")
        return redirect("draft-review", token)
    try:
        version = publishing.publish(draft=draft, library=library, answers=state.answers)
    except publishing.NothingToPublish as exc:
        messages.info(request, f"Nothing to publish: {exc}")
    except AssemblyError:
        logger.exception("Clause library failed to assemble for publishing")
        return render(request, "drafts/library_error.html", status=503)
    else:
        messages.success(request, f"Published version {version.number}.")
    return redirect("draft-review", token)


@never_cache
@require_GET
def download(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    draft = _draft(token)
    library = load_library()
    state = _state(draft, library)
    if fmt != "json" and fmt not in FORMATS:
        raise Http404("Unknown format")
    if not state.ready:
        return redirect("draft-review", token)
    name = state.answers["organization"]["name"]
    if fmt == "json":
        content = json.dumps(prune_answers(state.answers), indent=2, ensure_ascii=False).encode() + b"\n"
        response = HttpResponse(content, content_type="application/json")
        filename = download_filename(name, state.answers["organization"]["effective_date"], "answers.json")
    else:
        try:
            document = assemble_cached(library, state.answers)
        except AssemblyError:
            logger.exception("Clause library failed to assemble a download")
            return render(request, "drafts/library_error.html", status=503)
        output = FORMATS[fmt]
        if fmt == "pdf":
            enforce_pdf_limit(request)
        response = HttpResponse(render_cached(document, fmt), content_type=output.content_type)
        filename = download_filename(name, document.effective_date.isoformat(), output.extension)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
