"""Driving the wizard through the Django test client with answers written as in an answers file."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from policybuilder.devtools.wizard_posts import page_post_data
from policybuilder.drafts.models import Draft
from policybuilder.questionnaire import PAGES_BY_KEY, Page


def form_data(page: Page, answers: dict[str, Any], action: str = "next") -> dict[str, Any]:
    """POST data for one page: the given answers, defaults elsewhere."""
    return page_post_data(page, answers, action)


def complete_wizard(client, answers: dict[str, Any]) -> Draft:
    """Start a draft and answer every page the wizard asks for, following its redirects."""
    response = client.post(reverse("draft-start"))
    url = response["Location"]
    draft = Draft.objects.latest("created_at")
    for _ in range(30):
        if "/review/" in url:
            return draft
        page_key = url.rstrip("/").split("/")[-1]
        response = client.post(url, form_data(PAGES_BY_KEY[page_key], answers))
        assert response.status_code == 302, response.content.decode()[:3000]
        url = response["Location"]
    raise AssertionError("the wizard did not reach the review page")
