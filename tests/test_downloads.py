"""Downloads: one helper names and types every file and decides who may keep a copy."""

from __future__ import annotations

import pytest
from django.test import RequestFactory
from django.urls import reverse

from policybuilder.downloads import PUBLISHED_MAX_AGE, Caching, download_filename, download_response
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard


def _cache_control(response) -> set[str]:
    return {part.strip() for part in response["Cache-Control"].split(",")}


def _get(**headers):
    return RequestFactory().get("/file", headers=headers)


def test_file_names_are_safe_for_any_file_system():
    assert download_filename("Juniper & Rye Ceramics", "2026-01-15", "pdf") == (
        "juniper-rye-ceramics-privacy-policy-2026-01-15.pdf"
    )
    assert download_filename("../../etc", "2026-01-15", "md") == "etc-privacy-policy-2026-01-15.md"
    assert download_filename("«»", "2026-01-15", "txt") == "policy-privacy-policy-2026-01-15.txt"


def test_a_private_download_may_be_stored_nowhere():
    response = download_response(
        _get(), b"{}", content_type="application/json", filename="a.json", caching=Caching.PRIVATE
    )
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="a.json"'
    assert {"private", "no-store", "no-cache"} <= _cache_control(response)
    assert "public" not in _cache_control(response) and "ETag" not in response


def test_a_frozen_download_may_be_kept_by_any_cache_for_a_day():
    response = download_response(
        _get(), b"%PDF-", content_type="application/pdf", filename="a.pdf", caching=Caching.FROZEN
    )
    assert _cache_control(response) == {"public", f"max-age={PUBLISHED_MAX_AGE}", "immutable"}
    assert PUBLISHED_MAX_AGE == 24 * 3600


def test_a_revalidated_download_is_checked_every_time_and_a_match_costs_no_body():
    args = {"content_type": "text/plain", "filename": "a.txt", "caching": Caching.REVALIDATE, "etag": "abc"}
    response = download_response(_get(), b"text", **args)
    assert _cache_control(response) == {"public", "no-cache"}
    assert response["ETag"] == 'W/"abc"' and response.content == b"text"
    again = download_response(_get(if_none_match='W/"abc"'), b"text", **args)
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == 'W/"abc"'
    changed = download_response(_get(if_none_match='W/"old"'), b"text", **args)
    assert changed.status_code == 200 and changed.content == b"text"


@pytest.mark.django_db
def test_each_kind_of_download_gets_its_caching(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    for fmt in ("txt", "json"):
        private = client.get(reverse("draft-download", args=[draft.token, fmt]))
        assert private.status_code == 200 and {"private", "no-store"} <= _cache_control(private)

    publish(client, draft)
    policy = draft.published
    frozen = client.get(reverse("policy-download", args=[policy.public_id, 1, "md"]))
    assert frozen.status_code == 200 and "immutable" in _cache_control(frozen)
    assert frozen["Content-Disposition"].startswith("attachment; ")

    url = reverse("example-download", args=["saas", "txt"])
    example = client.get(url)
    assert _cache_control(example) == {"public", "no-cache"} and example["ETag"].startswith('W/"txt-')
    assert client.get(url, headers={"if-none-match": example["ETag"]}).status_code == 304
    html = client.get(reverse("example-download", args=["saas", "html"]))
    assert html["ETag"] != example["ETag"]  # one document, different bytes per format


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.mark.django_db
def test_the_review_and_example_pages_offer_word_and_it_downloads_from_the_render_cache(
    client, db_library, monkeypatch
):
    import dataclasses
    import io

    import docx

    from policybuilder.renderers import FORMATS

    renders = []
    word_format = FORMATS["docx"]
    counting = dataclasses.replace(word_format, render=lambda document: renders.append(1) or word_format.render(document))
    monkeypatch.setitem(FORMATS, "docx", counting)

    draft = complete_wizard(client, example_raw("small-shop"))
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    url = reverse("draft-download", args=[draft.token, "docx"])
    assert f'<a class="btn btn-outline-primary" href="{url}" data-async-download download>Word</a>' in review
    private = client.get(url)
    assert private.status_code == 200 and private["Content-Type"] == WORD
    assert private["Content-Disposition"] == 'attachment; filename="juniper-rye-ceramics-privacy-policy-2026-01-15.docx"'
    assert {"private", "no-store"} <= _cache_control(private)
    assert docx.Document(io.BytesIO(private.content)).paragraphs[0].text == "Juniper & Rye Ceramics Privacy Policy"
    assert client.get(url).content == private.content
    assert len(renders) <= 1  # the second download came from the render cache, as PDFs do

    example = client.get(reverse("example", args=["saas"])).content.decode()
    example_url = reverse("example-download", args=["saas", "docx"])
    assert f'href="{example_url}" download>Word</a>' in example
    public = client.get(example_url)
    assert public.status_code == 200 and public["Content-Type"] == WORD
    assert public["ETag"].startswith('W/"docx-') and _cache_control(public) == {"public", "no-cache"}
    assert public["Content-Disposition"].endswith('.docx"')
    assert client.get(example_url, headers={"if-none-match": public["ETag"]}).status_code == 304
