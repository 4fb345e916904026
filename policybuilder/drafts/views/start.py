"""The landing page and the ways into a draft: start a new one, continue by link, upload a file."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from policybuilder import examples
from policybuilder.answers import AnswersError, prune_answers, validate_answers
from policybuilder.drafts import services
from policybuilder.drafts.forms import ContinueForm, UploadForm
from policybuilder.drafts.models import Draft
from policybuilder.drafts.selectors import get_draft
from policybuilder.drafts.views.common import step_url
from policybuilder.library.selectors import load_library
from policybuilder.questionnaire import PAGES, always_asked_pages
from policybuilder.renderers import FORMATS
from policybuilder.views import limit


@require_POST
@ratelimit(key="ip", rate=limit("draft_create"), group="draft_create", block=True)
def start(request: HttpRequest) -> HttpResponse:
    draft = services.create_draft()
    return redirect(step_url(draft, PAGES[0]))


@require_http_methods(["GET", "HEAD", "POST"])
@ratelimit(key="ip", rate=limit("continue"), group="continue", method="POST", block=True)
def continue_draft(request: HttpRequest) -> HttpResponse:
    """Opens a draft from its link, which is posted: in a query string it would land in every log."""
    if request.method != "POST":  # an old bookmark or form: the link goes nowhere, not even back
        return redirect("home")
    form = ContinueForm(request.POST)
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
        draft = services.create_draft_from_file(
            answers=prune_answers(form.cleaned_data["answers_file"], keep_defaults=True),
            given_sections=form.given_sections,
        )
        return redirect("draft-review", draft.token)
    return render_home(request, upload_form=form, status=400)


@require_POST
@ratelimit(key="ip", rate=limit("draft_create"), group="draft_create", block=True)
def start_from_example(request: HttpRequest, slug: str) -> HttpResponse:
    """A new draft holding an example's answers, opened at the review, for people whose business is
    like the example's: they change what differs instead of answering every page from nothing."""
    try:
        raw = examples.load_example(slug)
    except KeyError:
        raise Http404("No such example") from None
    try:
        answers = validate_answers(raw, catalogue_keys=load_library().catalogue_keys())
    except AnswersError:  # the example names a service no longer in the catalogue
        messages.error(request, "This example cannot be used at the moment. Start a new policy instead.")
        return redirect("home")
    draft = services.create_draft_from_file(
        answers=prune_answers(answers, keep_defaults=True), given_sections=raw.keys()
    )
    messages.info(
        request,
        format_html(
            "This draft starts from the example's answers, not yours: change every answer that is "
            'not true of your business, starting with <a href="{}">“About you”</a>.',
            step_url(draft, PAGES[0], back_to_review=True),
        ),
    )
    return redirect("draft-review", draft.token)


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render_home(request)


def render_home(request: HttpRequest, *, status: int = 200, **forms: Any) -> HttpResponse:
    context = {
        "examples": examples.example_list(),
        "fewest_steps": len(always_asked_pages()),
        "most_steps": len(PAGES),
        "formats": [f.label for f in FORMATS.values()],
        "continue_form": forms.get("continue_form") or ContinueForm(),
        "upload_form": forms.get("upload_form") or UploadForm(catalogue_keys={}),
    }
    return render(request, "home.html", context, status=status)
