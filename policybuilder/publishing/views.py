"""Publishing a draft, and the public pages of published policies (the review page's block is ``panel``).

Public pages: the current version, any version, history, diffs, downloads and
the embeddable page.
"""

from __future__ import annotations

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from policybuilder.derived import long_date
from policybuilder.downloads import Caching, download_filename, download_response
from policybuilder.drafts.views.common import draft_or_404, draft_state
from policybuilder.drafts.views.review import render_review
from policybuilder.library.selectors import load_library
from policybuilder.publishing import services
from policybuilder.publishing.embedding import EmbedOptions
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.publishing.panel import publish_form
from policybuilder.publishing.selectors import (
    get_draft_policy,
    get_policy,
    get_version,
    latest_number,
    version_list,
)
from policybuilder.renderers import FORMATS
from policybuilder.views import limit


@require_POST
@never_cache
@ratelimit(key="ip", rate=limit("publish"), group="publish", block=True)
def publish_draft(request: HttpRequest, token: str) -> HttpResponse:
    """Publish the draft on the date the form gives; a form with errors shows the review page again.

    Shown again, not redirected: the date typed and the boxes ticked stay as they were posted.
    """
    draft = draft_or_404(token)
    library = load_library()
    state = draft_state(draft, library)
    if not state.ready:
        messages.error(request, "Answer every step before publishing.")
        return redirect("draft-review", token)
    policy = get_draft_policy(draft)
    latest = get_version(policy) if policy is not None else None
    form = publish_form(state, latest, request.POST)
    if not form.is_valid():
        return render_review(request, draft, library, state, form)
    try:
        version = services.publish(
            draft=draft,
            library=library,
            answers=state.answers,
            effective_date=form.cleaned_data["effective_date"],
            confirmed_findings=[f.as_dict() for f in state.errors],
            notice_confirmed=form.plan.needs_confirmation(form.cleaned_data["effective_date"]),
        )
    except services.NothingToPublish as exc:
        messages.info(request, f"Nothing to publish: {exc}")
    except services.TooManyVersions as exc:
        messages.error(request, str(exc))
    else:  # a library that fails to assemble gets the friendly page from LibraryErrorMiddleware
        messages.success(
            request,
            f"Published version {version.number}. "
            f"It takes effect on {long_date(version.effective_date.isoformat())}.",
        )
    return redirect("draft-review", token)


def _policy_and_version(public_id: str, number: int | None) -> tuple[PublishedPolicy, PolicyVersion]:
    try:
        policy = get_policy(public_id)
        return policy, get_version(policy, number)
    except (PublishedPolicy.DoesNotExist, PolicyVersion.DoesNotExist):
        raise Http404("No such published policy or version") from None


@require_GET
def current(request: HttpRequest, public_id: str, number: int | None = None) -> HttpResponse:
    policy, version = _policy_and_version(public_id, number)
    latest = latest_number(policy)
    context = {
        "policy": policy,
        "version": version,
        "latest_number": latest,
        "is_latest": version.number == latest,
        "body": version.body_html,
        # A version published before Word files existed has none; nothing is made for it later.
        "formats": [f for f in FORMATS.values() if version.has_file(f.name)],
    }
    return render(request, "publishing/policy.html", context)


# GET and HEAD alike: a HEAD answered 405 by require_GET would carry the site-wide X-Frame-Options
# and frame-ancestors. Replaced, not updated: "frame-ancestors 'none' *" is an error in browsers.
@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # django-csp's hints take no URL arguments
def embed(request: HttpRequest, public_id: str) -> HttpResponse:
    """The current version alone, for site owners to show in an iframe (``?theme=``, ``?font=``)."""
    policy, version = _policy_and_version(public_id, None)
    context = {
        "policy": policy,
        "version": version,
        "body": version.body_html,
        "options": EmbedOptions.from_query(request.GET),
    }
    return render(request, "publishing/embed.html", context)


@require_safe
def embed_script(request: HttpRequest) -> HttpResponse:
    """The script that sizes embedded frames to their policy, at an address that never changes."""
    response = render(request, "publishing/embed.js", content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def download(request: HttpRequest, public_id: str, number: int, fmt: str) -> HttpResponse:
    """A published version's stored bytes; frozen, so any cache may keep them."""
    policy, version = _policy_and_version(public_id, number)
    output = FORMATS.get(fmt)
    if output is None or not version.has_file(fmt):
        raise Http404("Unknown format, or one this version was not published in")
    data = version.stored_file(fmt)
    name = download_filename(
        policy.organization_name, f"{version.effective_date.isoformat()}-v{number}", output.extension
    )
    return download_response(
        request, data, content_type=output.content_type, filename=name, caching=Caching.FROZEN
    )


@require_GET
def history(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        policy = get_policy(public_id)
    except PublishedPolicy.DoesNotExist:
        raise Http404("No such published policy") from None
    versions = version_list(policy)
    if not versions:
        raise Http404("Nothing published yet")
    return render(request, "publishing/history.html", {"policy": policy, "versions": versions})


@require_GET
def diff(request: HttpRequest, public_id: str) -> HttpResponse:
    try:
        old_number, new_number = int(request.GET.get("from", "")), int(request.GET.get("to", ""))
    except ValueError:
        raise Http404("Choose two versions to compare") from None
    policy, old = _policy_and_version(public_id, old_number)
    _, new = _policy_and_version(public_id, new_number)
    changes = services.compare_sections(
        old.sections, new.sections, dates=(old.effective_date, new.effective_date)
    )
    context = {
        "policy": policy,
        "old": old,
        "new": new,
        "blocks": services.readable_comparison(changes),
        "summary": services.summarise(changes),
    }
    return render(request, "publishing/diff.html", context)
