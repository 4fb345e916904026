"""The public pages: landing page and example policies."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_says_what_it_is_and_that_it_is_not_legal_advice(client):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Not legal advice." in text and "It is not legal advice." in text
    assert reverse("example", args=["small-shop"]) in text


def test_example_page_shows_the_policy_and_download_links(client, db_library):
    response = client.get(reverse("example", args=["saas"]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Northwind Ledger Ltd Privacy Policy" in text
    for fmt in ("html", "pdf", "md", "txt"):
        assert reverse("example-download", args=["saas", fmt]) in text


@pytest.mark.parametrize(
    ("fmt", "content_type", "start"),
    [
        ("html", "text/html", b"<!DOCTYPE html>"),
        ("pdf", "application/pdf", b"%PDF-"),
        ("md", "text/markdown", b"# "),
        ("txt", "text/plain", b"Northwind"),
    ],
)
def test_downloads_have_type_and_a_sensible_file_name(client, db_library, fmt, content_type, start):
    response = client.get(reverse("example-download", args=["saas", fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert response["Content-Disposition"] == (
        f'attachment; filename="northwind-ledger-ltd-privacy-policy-2026-09-01.{fmt}"'
    )
    assert response.content.startswith(start)


def test_unknown_example_and_format_are_404(client, db_library):
    assert client.get("/examples/nope/").status_code == 404
    assert client.get("/examples/saas/download.exe").status_code == 404
    assert client.get("/examples/..%2Fsettings/").status_code == 404


def test_pages_refuse_post(client):
    assert client.post(reverse("home")).status_code == 405


def test_admin_needs_staff_login(client):
    response = client.get("/admin/library/clause/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_admin_refuses_a_clause_that_would_break_and_versions_a_good_edit(admin_client, db_library):
    from policybuilder.library.models import Clause

    clause = Clause.objects.get(key="cookies.none")
    url = f"/admin/library/clause/{clause.pk}/change/"
    form = {
        "key": clause.key,
        "section": clause.section_id,
        "order": clause.order,
        "condition": clause.condition,
        "laws": "",
        "enabled": "on",
    }
    response = admin_client.post(url, {**form, "body": "We use {{ cookies.flavour }}."})
    assert response.status_code == 200
    assert "unknown answer key &#x27;cookies.flavour&#x27;" in response.content.decode()
    response = admin_client.post(
        url, {**form, "body": "{{ join(phrases(collection.personal_data, {})) }} fails for some."}
    )
    assert "fails for sample" in response.content.decode()
    assert Clause.objects.get(pk=clause.pk).version == 1

    response = admin_client.post(url, {**form, "body": "We do not use any cookies."})
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.body == "We do not use any cookies." and clause.version == 2
