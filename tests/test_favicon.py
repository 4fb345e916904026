"""The site's icon: served at /favicon.ico, and linked from our pages, the admin's and the embed page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from policybuilder.publishing.models import PublishedPolicy
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard

pytestmark = pytest.mark.django_db

ICONS = {"/static/img/favicon.ico": "image/x-icon", "/static/img/favicon.svg": "image/svg+xml"}


def test_favicon_ico_is_our_icon_and_cached(client):
    for method in (client.get, client.head):
        response = method("/favicon.ico")
        assert response.status_code == 200 and response["Content-Type"] == "image/x-icon"
        assert response["Cache-Control"] == "public, max-age=604800"
    body = client.get("/favicon.ico").content
    assert body[:4] == b"\x00\x00\x01\x00" and int.from_bytes(body[4:6], "little") == 3  # ICO, 3 sizes


def _linked_icons(client, url: str) -> set[str]:
    response = client.get(url)
    assert response.status_code == 200, url
    head = response.content.decode().split("</head>", 1)[0]
    # The Content-Security-Policy lets the page load them (icons are images).
    assert "img-src 'self' data:" in response["Content-Security-Policy"]
    return set(re.findall(r'<link rel="icon" href="([^"]+)"', head))


def test_every_kind_of_page_links_the_icon(client, db_library, admin_user):
    draft = complete_wizard(client, example_raw("small-shop"))
    publish(client, draft)
    policy = PublishedPolicy.objects.get(draft=draft)
    pages = [
        reverse("policy-embed", args=[policy.public_id]),
        reverse("admin:login"),
        "/",
        reverse("draft-review", args=[draft.token]),
    ]
    for url in pages:
        assert _linked_icons(client, url) == set(ICONS), url
    client.force_login(admin_user)
    for url in (reverse("admin:index"), reverse("admin:library_clause_changelist")):
        assert _linked_icons(client, url) == set(ICONS), url
    for icon, content_type in ICONS.items():
        response = client.get(icon)
        assert response.status_code == 200 and response["Content-Type"].startswith(content_type), icon
