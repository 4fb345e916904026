"""Public pages of published policies: current version, any version, history, diffs, embedding."""

from __future__ import annotations

from csp.decorators import csp_update
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_GET

from policybuilder.diffing import diff_html
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.publishing.selectors import get_policy, get_version, version_list
from policybuilder.publishing.services import compare_sections, summarise
from policybuilder.renderers import FORMATS
from policybuilder.views import download_filename


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


@require_GET
@xframe_options_exempt
@csp_update({"frame-ancestors": ["*"]})
def embed(request: HttpRequest, public_id: str) -> HttpResponse:
    """The current version alone, for site owners to show in an iframe."""
    policy, version = _policy_and_version(public_id, None)
    return render(
        request, "publishing/embed.html", {"policy": policy, "version": version, "body": version.body_html}
    )


@require_GET
def download(request: HttpRequest, public_id: str, number: int, fmt: str) -> HttpResponse:
    policy, version = _policy_and_version(public_id, number)
    output = FORMATS.get(fmt)
    if output is None:
        raise Http404("Unknown format")
    content = {"html": version.html, "md": version.markdown, "txt": version.text}.get(fmt)
    data = bytes(version.pdf) if fmt == "pdf" else content.encode("utf-8")
    response = HttpResponse(data, content_type=output.content_type)
    name = download_filename(
        policy.organization_name, f"{version.effective_date.isoformat()}-v{number}", output.extension
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


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
    changes = compare_sections(old.sections, new.sections)
    rows = [
        {"change": change, "diff": diff_html(change.old, change.new) if change.status == "changed" else ""}
        for change in changes
    ]
    context = {"policy": policy, "old": old, "new": new, "rows": rows, "summary": summarise(changes)}
    return render(request, "publishing/diff.html", context)
