"""Publishing through the review page's form, as a person does: its suggested date unless told otherwise."""

from __future__ import annotations

import html
import re
from typing import Any

from django.urls import reverse

from policybuilder.drafts.models import Draft


def suggested_date(client, draft: Draft) -> str:
    """The effective date the review page's publish form suggests (its input's value)."""
    page = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    match = re.search(r'<input type="date" name="effective_date" value="([^"]*)"', page)
    assert match, "the review page has no publish form with an effective date"
    return html.unescape(match.group(1))


def publish(client, draft: Draft, follow: bool = False, **fields: Any):
    """POST the publish form with its suggested date; ``fields`` add to or replace what is sent."""
    data = {"effective_date": suggested_date(client, draft), **fields}
    return client.post(reverse("draft-publish", args=[draft.token]), data, follow=follow)
