"""A published version as JSON, for sites that show the policy in their own pages.

``/policies/<public id>.json`` is the current version, ``/policies/<public id>/v/<n>.json`` one
version. Both are public documents meant to be read from other sites, so they (and only they) send
``Access-Control-Allow-Origin: *``. Everything in them is what the version stored when it was
published; the answers are not included (they are the owner's, not the readers').
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from policybuilder.downloads import Caching, with_caching
from policybuilder.publishing.models import PolicyVersion
from policybuilder.publishing.selectors import get_public_version
from policybuilder.renderers import FORMATS

JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def version_json(request: HttpRequest, public_id: str, number: int | None = None) -> HttpResponse:
    """The version as JSON; an unknown policy or version is a 404 with a JSON body."""
    try:
        version = get_public_version(public_id, number)
    except PolicyVersion.DoesNotExist:
        return _cors(
            JsonResponse(
                {"error": "No such published policy or version."}, status=404, json_dumps_params=JSON_OPTIONS
            )
        )
    response = JsonResponse(version_document(request, version), json_dumps_params=JSON_OPTIONS)
    if number is None:
        # The current version changes when a new one is published: caches ask every time.
        caching, etag = Caching.REVALIDATE, f"json-v{version.number}-{version.content_hash[:32]}"
    else:
        # A version never changes, like its files (so it says nothing of later versions: the
        # current one is at ``urls.current_json``).
        caching, etag = Caching.FROZEN, ""
    return _cors(with_caching(request, response, caching=caching, etag=etag))


def version_document(request: HttpRequest, version: PolicyVersion) -> dict[str, Any]:
    """What the JSON says of a version read by ``get_public_version``."""
    policy = version.policy
    public_id = policy.public_id

    def absolute(name: str, *args: object) -> str:
        return request.build_absolute_uri(reverse(name, args=args))

    page = absolute("policy-version", public_id, version.number)
    organization = version.answers.get("organization") if isinstance(version.answers, dict) else None
    name = (organization or {}).get("name") or policy.organization_name
    has = {name: version.has_file(name) for name in FORMATS}
    return {
        "organization": {"name": name},
        "title": f"{name} Privacy Policy",
        "version": version.number,
        "effective_date": version.effective_date.isoformat(),
        "published_at": version.published_at.isoformat(),
        "sections": [_section(section, page) for section in version.sections],
        "clause_versions": [{"key": key, "version": number} for key, number in version.clause_versions],
        "formats": [
            {
                "format": output.name,
                "label": output.label,
                "content_type": output.content_type,
                "url": absolute("policy-download", public_id, version.number, output.name),
            }
            for output in FORMATS.values()
            if has[output.name]
        ],
        "urls": {
            "page": page,
            "json": absolute("policy-version-json", public_id, version.number),
            "current": absolute("policy", public_id),
            "current_json": absolute("policy-json", public_id),
            "history": absolute("policy-history", public_id),
        },
    }


def _section(section: dict[str, Any], page: str) -> dict[str, Any]:
    """One stored section. Versions published before the JSON document existed stored only its key,
    title and text: their ``clauses`` and ``html`` are ``null`` rather than made up now."""
    anchor = section.get("anchor") or f"section-{section['key']}"  # the anchor every version's page has
    clauses = section.get("clauses")
    return {
        "id": section["key"],
        "anchor": anchor,
        "url": f"{page}#{anchor}",
        "heading": section["title"],
        "clauses": None if clauses is None else [{"key": key, "version": number} for key, number in clauses],
        "html": section.get("html"),
        "text": section["text"],
    }
