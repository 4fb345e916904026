"""Oversized or over-full requests get a page that names the limit, and cost nothing to refuse."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft

pytestmark = pytest.mark.django_db


def test_an_upload_over_the_limit_is_refused_by_its_length_before_it_is_read(client, db_library, monkeypatch):
    from django.http import multipartparser

    def never(*args, **kwargs):
        raise AssertionError("the body was parsed")

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", never)
    big = SimpleUploadedFile("answers.json", b" " * (3 * 1024 * 1024), content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": big})
    assert response.status_code == 413
    assert "larger than the limit of 272 KiB" in response.content.decode()
    assert Draft.objects.count() == 0


def test_a_body_without_a_length_is_refused():
    response = Client().generic(
        "POST",
        reverse("draft-start"),
        b"x",
        content_type="text/plain",
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )
    assert response.status_code == 411


def test_too_many_fields_get_a_page_that_says_so(client, db_library):
    draft = create_draft()
    data = {f"field{n}": "x" for n in range(500)}
    response = client.post(reverse("draft-step", args=[draft.token, "organization"]), data)
    assert response.status_code == 400
    assert "more than 400 fields" in response.content.decode()
