"""Public pages: the example policies.

Views only translate HTTP to calls into the domain modules.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from policybuilder import examples
from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.document import PolicyDocument
from policybuilder.library.selectors import load_library
from policybuilder.renderers import FORMATS
from policybuilder.renderers.html import render_fragment


def _example_document(slug: str) -> PolicyDocument:
    try:
        raw = examples.load_example(slug)
    except KeyError:
        raise Http404("No such example") from None
    library = load_library()
    answers = validate_answers(raw, catalogue_keys=library.catalogue_keys())
    return assemble(library, answers)


def download_filename(organization_name: str, effective_date: str, extension: str) -> str:
    """`<organisation>-privacy-policy-<date>.<ext>`, safe for any file system."""
    name = slugify(organization_name) or "policy"
    return f"{name}-privacy-policy-{effective_date}.{extension}"


@require_GET
def example(request: HttpRequest, slug: str) -> HttpResponse:
    document = _example_document(slug)
    return render(
        request,
        "example.html",
        {
            "document": document,
            "policy_html": render_fragment(document),
            "slug": slug,
            "formats": FORMATS.values(),
        },
    )


@require_GET
def example_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404("Unknown format")
    document = _example_document(slug)
    output = FORMATS[fmt]
    response = HttpResponse(output.render(document), content_type=output.content_type)
    filename = download_filename(
        document.organization_name, document.effective_date.isoformat(), output.extension
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
