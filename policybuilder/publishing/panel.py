"""The review page's publishing block: links, the embed snippets, what would change, and the publish form.

The review view shows it; the publish view shows it again, bound to what was posted, when the
form has errors. Both import it from here, so neither view module imports the other's.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from policybuilder.clause_library import Library
from policybuilder.drafts.models import Draft
from policybuilder.publishing.embedding import FONTS, THEMES, EmbedOptions, frame_snippet, resizing_snippet
from policybuilder.publishing.forms import PublishForm
from policybuilder.publishing.models import PolicyVersion
from policybuilder.publishing.notice import plan_dates
from policybuilder.publishing.selectors import get_publication
from policybuilder.wizard import WizardState


def publish_form(state: WizardState, latest: PolicyVersion | None, data: Any = None) -> PublishForm:
    """The form for publishing the draft's answers after ``latest`` (``None``: as version 1)."""
    plan = plan_dates(answers=state.answers, today=timezone.localdate(), previous=latest)
    return PublishForm(data, plan=plan, errors=state.errors)


def publication_context(
    request: HttpRequest,
    draft: Draft,
    library: Library,
    state: WizardState,
    form: PublishForm | None = None,
) -> dict[str, Any]:
    """The review page's publishing block; ``form`` is the posted form to show again, if any.

    The form is only there when the draft is ready to publish (every answer valid).
    """
    publication = get_publication(draft, library, state.answers)
    latest = publication.latest if publication else None
    if form is None and state.ready:
        form = publish_form(state, latest)
    if publication is None:
        return {"policy": None, "publish_form": form}
    public_id = publication.policy.public_id
    public_url = request.build_absolute_uri(reverse("policy", args=[public_id]))
    options = EmbedOptions.from_query(request.GET)  # the review page's own "Show" of the options
    embed_path = reverse("policy-embed", args=[public_id])
    embed_url = request.build_absolute_uri(embed_path) + options.query
    script_url = request.build_absolute_uri(reverse("embed-script"))
    return {
        "policy": publication.policy,
        "latest": publication.latest,
        "public_url": public_url,
        "snippet_link": f'<a href="{public_url}">Privacy policy</a>',
        "snippet_resizing": resizing_snippet(embed_url, script_url),
        "snippet_iframe": frame_snippet(embed_url),
        "embed_options": options,
        "embed_themes": THEMES,
        "embed_fonts": FONTS,
        "embed_example_url": embed_path + options.query,
        "library_changes": publication.library_changes,
        "pending_changes": publication.pending_changes,
        "publish_form": form,
    }
