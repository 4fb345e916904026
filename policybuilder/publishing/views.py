"""Publishing a draft, the review page's publishing block, and the public pages of published policies.

Public pages: the current version, any version, history, diffs, downloads and
the embeddable page.
"""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET, require_POST, require_safe
from django_ratelimit.decorators import ratelimit

from policybuilder.answers import Answers
from policybuilder.clause_library import Library
from policybuilder.diffing import diff_html
from policybuilder.downloads import Caching, download_filename, download_response
from policybuilder.drafts.models import Draft
from policybuilder.drafts.views.common import draft_or_404, draft_state
from policybuilder.library.selectors import load_library
from policybuilder.publishing import services
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.publishing.selectors import get_policy, get_publication, get_version, version_list
from policybuilder.renderers import FORMATS
from policybuilder.views import limit


@require_POST
@ratelimit(key="ip", rate=limit("publish"), group="publish", block=True)
def publish_draft(request: HttpRequest, token: str) -> HttpResponse:
    draft = draft_or_404(token)
    library = load_library()
    state = draft_state(draft, library)
    if not state.ready:
        messages.error(request, "Answer every step before publishing.")
        return redirect("draft-review", token)
    errors = state.errors
    if errors and request.POST.get("confirm_errors") != "yes":
        listed = "; ".join(f"{f.rule.message} ({f.rule.law})" for f in errors)
        messages.error(
            request,
            f"The compliance review has {len(errors)} error(s): {listed}. Fix them, or tick "
            "“I have read the errors and publish anyway” and publish again.",
        )
        return redirect("draft-review", token)
    try:
        version = services.publish(
            draft=draft,
            library=library,
            answers=state.answers,
            confirmed_findings=[f.as_dict() for f in errors],
        )
    except services.NothingToPublish as exc:
        messages.info(request, f"Nothing to publish: {exc}")
    except services.TooManyVersions as exc:
        messages.error(request, str(exc))
    else:  # a library that fails to assemble gets the friendly page from LibraryErrorMiddleware
        messages.success(request, f"Published version {version.number}.")
    return redirect("draft-review", token)


def publication_context(
    request: HttpRequest, draft: Draft, library: Library, answers: Answers
) -> dict[str, Any]:
    """The review page's publishing block: links, the embed snippet, and what would change now."""
    publication = get_publication(draft, library, answers)
    if publication is None:
        return {"policy": None}
    public_id = publication.policy.public_id
    public_url = request.build_absolute_uri(reverse("policy", args=[public_id]))
    embed_url = request.build_absolute_uri(reverse("policy-embed", args=[public_id]))
    return {
        "policy": publication.policy,
        "latest": publication.latest,
        "public_url": public_url,
        "snippet_link": f'<a href="{public_url}">Privacy policy</a>',
        "snippet_iframe": (
            f'<iframe src="{embed_url}" title="Privacy policy" width="100%" height="600"></iframe>'
        ),
        "library_changes": publication.library_changes,
        "pending_changes": publication.pending_changes,
    }


def _policy_and_version(public_id: str, number: int | None) -> tuple[PublishedPolicy, PolicyVersion]:
    try:
        policy = get_policy(public_id)
        return policy, get_version(policy, number)
    except (PublishedPolicy.DoesNotExist, PolicyVersion.DoesNotExist):
        raise Http404("No such published policy or version") from None


@require_GET
def current(request: HttpRequest, public_id: str, number: int | None = None) -> HttpResponse:
    policy, version = _policy_and_version(public_id, number)
    latest = get_version(policy)
    context = {
        "policy": policy,
        "version": version,
        "latest": latest,
        "is_latest": version.number == latest.number,
        "body": version.body_html,
        "formats": FORMATS.values(),
    }
    return render(request, "publishing/policy.html", context)


# GET and HEAD alike: a HEAD answered 405 by require_GET would carry the site-wide X-Frame-Options
# and frame-ancestors. Replaced, not updated: "frame-ancestors 'none' *" is an error in browsers.
@require_safe
@xframe_options_exempt
@csp_replace({"frame-ancestors": ["*"]})  # type: ignore[arg-type]  # django-csp's hints take no URL arguments
def embed(request: HttpRequest, public_id: str) -> HttpResponse:
    """The current version alone, for site owners to show in an iframe."""
    policy, version = _policy_and_version(public_id, None)
    return render(
        request, "publishing/embed.html", {"policy": policy, "version": version, "body": version.body_html}
    )


@require_GET
def download(request: HttpRequest, public_id: str, number: int, fmt: str) -> HttpResponse:
    """A published version's stored bytes; frozen, so any cache may keep them."""
    policy, version = _policy_and_version(public_id, number)
    output = FORMATS.get(fmt)
    if output is None:
        raise Http404("Unknown format")
    texts = {"html": version.html, "md": version.markdown, "txt": version.text}
    data = bytes(version.pdf) if fmt == "pdf" else texts[fmt].encode("utf-8")
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
    changes = services.compare_sections(old.sections, new.sections)
    rows = [
        {"change": change, "diff": diff_html(change.old, change.new) if change.status == "changed" else ""}
        for change in changes
    ]
    context = {"policy": policy, "old": old, "new": new, "rows": rows, "summary": services.summarise(changes)}
    return render(request, "publishing/diff.html", context)
