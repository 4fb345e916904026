"""The "Services you use" page: the catalogue by kind, services not in it, and old drafts (issue 12, 2)."""

from __future__ import annotations

import html
import importlib
import json
import re

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.questionnaire import PAGES_BY_KEY
from tests.support.wizard import form_data

pytestmark = pytest.mark.django_db

DRAFTS_MIGRATION = "policybuilder.drafts.migrations.0002_answers_v2"
ORG = {"organization": {"name": "Acme Widgets", "website": "https://acme.example", "email": "p@acme.example"}}


def tools_url(draft):
    return reverse("draft-step", args=[draft.token, "tools"])


def post_tools(client, draft, services=(), rows=()):
    data = form_data(PAGES_BY_KEY["tools"], {"tools": {"services": list(services)}})
    for index, row in enumerate(rows):
        data.update({f"tools__unlisted-{index}-{column}": value for column, value in row.items()})
    return client.post(tools_url(draft), data)


def test_the_catalogue_is_offered_once_per_service_grouped_by_kind(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    page = html.unescape(client.get(tools_url(draft)).content.decode())
    groups = re.findall(r'<legend class="service-group-title">([^<]+)</legend>', page)
    assert groups[:3] == ["Analytics", "Advertising and marketing pixels", "Email and newsletter services"]
    assert "Shipping and fulfilment" in groups
    values = re.findall(r'name="tools__services" value="([^"]+)"', page)
    assert len(values) == len(set(values)) == 81  # each service once, under its most specific kind
    advertising = page.split("Advertising and marketing pixels</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert "Meta Pixel (Meta Platforms, Inc.)" in advertising  # not under analytics, though it is both
    assert "data-service-search" in page and "Search for a service" in page  # shown by the page script


def test_chosen_services_and_a_service_not_in_the_list_are_saved_and_shown_again(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    row = {
        "name": "Corner Courier",
        "company": "Corner Ltd",
        "kind": "shipping",
        "role": "processor",
        "website": "",
    }
    response = post_tools(client, draft, ["stripe", "mailchimp"], [row])
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["tools"] == {"services": ["stripe", "mailchimp"], "unlisted": [row]}
    page = client.get(tools_url(draft)).content.decode()
    assert re.search(r'<input[^>]*value="stripe"[^>]*checked', page)
    assert 'name="tools__unlisted-0-name" value="Corner Courier"' in page
    review = html.unescape(client.get(reverse("draft-review", args=[draft.token])).content.decode())
    assert (
        "Corner Courier (from Corner Ltd) delivers orders. It handles information for us, on our behalf."
        in (re.sub(r"<[^>]+>", "", review))
    )


def test_a_row_without_a_role_or_kind_is_refused_with_its_number_and_keeps_what_was_typed(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    rows = [
        {"name": "Acme Chat", "kind": "support", "role": "", "company": "", "website": ""},
        {"name": "Zeta Pay", "kind": "", "role": "unknown", "company": "", "website": "not a site"},
    ]
    response = post_tools(client, draft, ["stripe"], rows)
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Choose what each service does with information (or “Not sure”): service 1." in page
    assert 'value="Acme Chat"' in page and 'value="Zeta Pay"' in page and 'value="not a site"' in page
    draft.refresh_from_db()
    assert "tools" not in draft.answers and "tools" not in draft.completed_pages
    rows[0]["role"] = "processor"
    page = html.unescape(post_tools(client, draft, ["stripe"], rows).content.decode())
    assert "Service 2: kind is required (one of analytics, advertising," in page
    assert 'website: "not a site" contains characters that are not allowed in an address.' in page


def test_a_service_page_with_nothing_chosen_is_a_valid_answer(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    assert post_tools(client, draft).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["tools"] == {"services": [], "unlisted": []} and "tools" in draft.completed_pages


def _run_upgrade_migration(module: str) -> None:
    """The data migration's own function, run against the current models."""
    importlib.import_module(module).forwards(django_apps, None)


def test_the_migration_upgrades_version_1_drafts_and_published_versions(db_library):
    v1 = {
        **ORG,
        "sharing": {"service_providers": True, "payment_processors": ["PayPal", "Corner Bank"]},
        "analytics": {"uses_analytics": True, "providers": ["plausible"], "other_providers": []},
    }
    draft = create_draft(answers=v1, completed_pages=["organization", "analytics"])
    policy = PublishedPolicy.objects.create(draft=draft, organization_name="Acme Widgets")
    version = PolicyVersion.objects.create(
        policy=policy, number=1, effective_date="2026-01-01", answers={"schema_version": 1, **v1},
        clause_versions=[], sections=[], content_hash="x", html="<p>kept</p>", markdown="", text="", pdf=b"",
    )  # fmt: skip
    _run_upgrade_migration(DRAFTS_MIGRATION)
    _run_upgrade_migration("policybuilder.publishing.migrations.0005_answers_v2")
    draft = Draft.objects.get(pk=draft.pk)
    assert "schema_version" not in draft.answers and "analytics" not in draft.answers
    assert draft.answers["tools"] == {
        "services": ["plausible", "paypal"],
        "unlisted": [
            {"name": "Corner Bank", "company": "", "kind": "payment", "role": "unknown", "website": ""}
        ],
    }
    assert draft.answers["sharing"] == {"service_providers": True}
    version.refresh_from_db()
    assert version.answers["schema_version"] == 2 and version.answers["tools"]["services"] == [
        "plausible",
        "paypal",
    ]
    assert version.html == "<p>kept</p>"  # what was published does not change
    # Running it again changes nothing.
    _run_upgrade_migration(DRAFTS_MIGRATION)
    assert Draft.objects.get(pk=draft.pk).answers == draft.answers


def test_an_uploaded_file_without_size_and_reach_leaves_that_page_to_answer(client, db_library):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.support.examples import example_raw

    raw = example_raw("brochure-site")
    assert "reach" not in raw
    upload = SimpleUploadedFile("answers.json", json.dumps(raw).encode(), content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": upload})
    draft = Draft.objects.latest("created_at")
    assert "reach" not in draft.completed_pages and "reach" not in draft.answers
    page = client.get(response["Location"]).content.decode()
    assert "to see which US privacy laws apply" in page  # asked, not shown as "not sure" everywhere
    assert "Download" in page or "download" in page  # the policy itself does not wait for it


def test_the_migration_rewrites_a_staff_edited_clause_that_read_version_1_answers(db_library):
    from policybuilder.clause_library import ClauseSpec
    from policybuilder.library.models import Clause
    from policybuilder.library.selectors import load_library
    from policybuilder.library_checks import check_clause

    clause = Clause.objects.get(key="sharing.payment-processors")
    Clause.objects.filter(pk=clause.pk).update(
        condition="sharing.payment_processors and analytics.uses_analytics",
        body="We pay through {{ join(sharing.payment_processors) }}.",
    )
    _run_upgrade_migration("policybuilder.library.migrations.0006_answers_v2_names")
    clause.refresh_from_db()
    assert clause.condition == (
        '(payment_processors | map(attribute="name") | list) and (analytics_tools or advertising_tools)'
    )
    spec = ClauseSpec(key=clause.key, section="sharing", order=clause.order, body=clause.body,
                      condition=clause.condition)  # fmt: skip
    assert check_clause(spec, load_library()) == []
