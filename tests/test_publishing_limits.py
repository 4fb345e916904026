"""Publishing costs a render of every format: it is rate-limited, capped per day, and reuses the PDF cache."""

from __future__ import annotations

import dataclasses

import pytest
from django.urls import reverse

from policybuilder import renderers
from policybuilder.drafts.models import Draft
from policybuilder.library.models import Clause
from policybuilder.library.revisions import library_changed
from policybuilder.publishing import services
from policybuilder.publishing.models import PolicyVersion
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard

pytestmark = pytest.mark.django_db


def change_the_library(n: int) -> None:
    """A different policy each time, so each publish makes a new version."""
    Clause.objects.filter(key="introduction.who-we-are").update(
        body=f"Edition {n}. {{{{ organization.name }}}}"
    )
    library_changed()


def test_publishing_is_rate_limited_per_client(client, db_library, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "publish": "2/m"}
    draft = complete_wizard(client, example_raw("small-shop"))
    for n in range(2):
        change_the_library(n)
        assert publish(client, draft).status_code == 302
    change_the_library(3)
    response = publish(client, draft)
    assert response.status_code == 429 and "Please slow down" in response.content.decode()
    assert PolicyVersion.objects.count() == 2


def test_a_policy_has_at_most_a_few_versions_a_day(client, db_library, monkeypatch):
    monkeypatch.setattr(services, "MAX_VERSIONS_PER_DAY", 2)
    draft = complete_wizard(client, example_raw("small-shop"))
    for n in range(2):
        change_the_library(n)
        publish(client, draft)
    change_the_library(3)
    page = publish(client, draft, follow=True).content.decode()
    assert "2 versions in the last 24 hours" in page
    assert PolicyVersion.objects.filter(policy__draft=Draft.objects.get()).count() == 2


def test_publishing_reuses_the_pdf_the_review_already_made(client, db_library, monkeypatch):
    draft = complete_wizard(client, example_raw("small-shop"))
    calls: list[str] = []
    pdf_format = renderers.FORMATS["pdf"]

    def counting(document):
        calls.append("pdf")
        return pdf_format.render(document)

    monkeypatch.setitem(renderers.FORMATS, "pdf", dataclasses.replace(pdf_format, render=counting))
    pdf = client.get(reverse("draft-download", args=[draft.token, "pdf"])).content
    publish(client, draft)
    assert calls == ["pdf"]  # made once, for the download; publishing took it from the cache
    assert bytes(PolicyVersion.objects.get().pdf) == pdf


def test_publishing_with_compliance_errors_needs_a_confirmation_that_the_version_records(client, db_library):
    answers = example_raw("small-shop")
    answers["organization"].pop("postal_address", None)  # commercial email without an address: CANSPAM-1
    draft = complete_wizard(client, answers)
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert (
        'name="confirm_errors"' in review
        and "Commercial email must include a valid physical postal address" in review
    )
    refused = publish(client, draft, follow=True).content.decode()
    assert (
        "The compliance review has 1 error(s)" in refused
        and "CAN-SPAM, 15 U.S.C. 7704(a)(5)(A)(iii)" in refused
    )
    assert not PolicyVersion.objects.exists()
    publish(client, draft, confirm_errors="yes")
    version = PolicyVersion.objects.get()
    assert [f["id"] for f in version.confirmed_findings] == ["CANSPAM-1"]


def test_publishing_without_errors_asks_no_confirmation(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    assert (
        'name="confirm_errors"'
        not in client.get(reverse("draft-review", args=[draft.token])).content.decode()
    )
    publish(client, draft)
    assert PolicyVersion.objects.get().confirmed_findings == []
