"""Production behaviour: security headers, health checks, rate limits, caching, request limits."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse

from policybuilder import renderers
from tests.support.examples import example_raw
from tests.support.wizard import complete_wizard

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_pages_carry_a_strict_content_security_policy(client, db_library):
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_our_pages_have_no_inline_script(client, db_library):
    draft = complete_wizard(client, example_raw("brochure-site"))
    for url in ("/", f"/d/{draft.token}/review/", f"/d/{draft.token}/step/organization/", "/examples/saas/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and " onclick=" not in html and "javascript:" not in html, url


def test_health_checks(client, db_library, monkeypatch):
    assert client.get("/healthz/").json() == {"status": "ok", "database": "ok"}
    assert client.get("/healthz/live/").content == b"ok"

    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("database is down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz/")
    assert response.status_code == 503 and response.json()["status"] == "unavailable"


def test_starting_drafts_is_rate_limited_with_a_friendly_page(client, db_library, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "draft_create": "2/m"}
    assert client.post(reverse("draft-start")).status_code == 302
    assert client.post(reverse("draft-start")).status_code == 302
    response = client.post(reverse("draft-start"))
    assert response.status_code == 429
    assert "Please slow down" in response.content.decode()


def test_opening_drafts_by_link_is_rate_limited(client, db_library, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "continue": "2/m"}
    for expected in (400, 400, 429):
        assert client.post(reverse("draft-continue"), {"link": "A" * 43}).status_code == expected
    assert client.get(reverse("draft-continue")).status_code == 302  # only posts count


def test_uploads_are_rate_limited(client, db_library, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.RATELIMITS = {**settings.RATELIMITS, "upload": "1/m"}
    for expected in (400, 429):
        upload = SimpleUploadedFile("a.json", b"{}", content_type="application/json")
        assert client.post(reverse("draft-upload"), {"answers_file": upload}).status_code == expected


def test_pdf_rendering_is_rate_limited(client, db_library, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "pdf": "1/m"}
    assert client.get("/examples/saas/download.pdf").status_code == 200
    assert client.get("/examples/saas/download.pdf").status_code == 429
    assert client.get("/examples/saas/download.docx").status_code == 429  # Word shares the limit
    assert client.get("/examples/saas/download.md").status_code == 200  # only the costly formats


def test_an_unchanged_pdf_is_served_from_the_cache(client, db_library, monkeypatch):
    draft = complete_wizard(client, example_raw("small-shop"))
    calls = []
    real = renderers.render

    def counting(document, fmt):
        calls.append(fmt)
        return real(document, fmt)

    monkeypatch.setattr(renderers, "render", counting)
    url = reverse("draft-download", args=[draft.token, "pdf"])
    first, second = client.get(url).content, client.get(url).content
    assert first == second and first.startswith(b"%PDF-")
    assert calls == ["pdf"]  # rendered once


def test_oversized_form_posts_are_refused(client, db_library):
    from policybuilder.drafts.services import create_draft

    draft = create_draft()
    response = client.post(
        reverse("draft-step", args=[draft.token, "organization"]),
        {"organization__name": "x" * (2 * 1024 * 1024)},
    )
    # Refused by its declared length, with a page naming the limit (it used to be a bare 400).
    assert response.status_code == 413
    assert "larger than the limit of 1024 KiB" in response.content.decode()


def test_the_admin_may_use_inline_styles_but_never_inline_scripts(admin_client):
    policy = admin_client.get("/admin/")["Content-Security-Policy"]
    assert "style-src 'self' 'unsafe-inline'" in policy
    assert (
        "script-src 'self';" in policy + ";"
        and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )


def test_the_cache_is_redis_exactly_when_redis_url_is_set(settings):
    import os

    backend = settings.CACHES["default"]["BACKEND"]
    if os.environ.get("REDIS_URL"):
        assert backend == "django.core.cache.backends.redis.RedisCache"
    else:
        assert backend == "django.core.cache.backends.locmem.LocMemCache"
    cache.set("policy:probe", b"%PDF-1.7 bytes", timeout=30)
    assert cache.get("policy:probe") == b"%PDF-1.7 bytes"


@pytest.mark.parametrize(
    ("table", "columns"),
    [
        ("drafts_draft", ["token"]),  # every wizard request
        ("drafts_draft", ["updated_at"]),  # expiry check and purge_drafts
        ("publishing_publishedpolicy", ["public_id"]),  # public pages
        ("publishing_publishedpolicy", ["draft_id"]),  # the review page's publication box
        ("publishing_policyversion", ["policy_id", "number"]),  # a version, the latest version
        ("library_clause", ["section_id", "order"]),  # the library snapshot's clause query
    ],
)
def test_each_lookup_the_app_makes_has_an_index(table, columns):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    assert any(
        c["columns"][: len(columns)] == columns and (c["index"] or c["unique"]) for c in constraints.values()
    ), f"{table}({', '.join(columns)}) has no index"
