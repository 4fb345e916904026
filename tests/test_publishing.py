"""Published, versioned policies: freezing, public pages, diffs, pending library changes."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from policybuilder.library.models import Clause
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.publishing.services import compare_sections, summarise
from policybuilder.questionnaire import PAGES_BY_KEY
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard, form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    response = publish(client, draft, follow=True)
    assert "Published version 1." in response.content.decode()
    return draft, PublishedPolicy.objects.get(draft=draft)


def public(policy, *parts) -> str:
    return f"/policies/{policy.public_id}/" + "".join(parts)


def test_publishing_needs_a_finished_draft(client, db_library):
    from policybuilder.drafts.services import create_draft

    draft = create_draft()
    response = client.post(reverse("draft-publish", args=[draft.token]), follow=True)
    assert "Answer every step before publishing." in response.content.decode()
    assert not PublishedPolicy.objects.exists()
    assert client.get(reverse("draft-publish", args=[draft.token])).status_code == 405


def test_public_page_shows_the_policy_dates_and_history(client, published):
    draft, policy = published
    assert policy.public_id != draft.token and len(policy.public_id) >= 22
    html = client.get(public(policy)).content.decode()
    assert "Juniper &amp; Rye Ceramics Privacy Policy" in html
    assert "Effective January 15, 2026" in html and "Last updated" in html and "Version 1" in html
    assert public(policy, "history/") in html
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert f"http://testserver/policies/{policy.public_id}/" in review
    assert "&lt;iframe src=&quot;http://testserver/policies/" in review  # the embed snippet, escaped


def test_editing_token_and_public_id_never_open_each_other(client, published):
    draft, policy = published
    assert client.get(f"/policies/{draft.token}/").status_code == 404
    assert client.get(f"/d/{policy.public_id}/review/").status_code == 404
    assert client.get(f"/d/{policy.public_id}/").status_code == 404


def test_publishing_the_same_policy_twice_makes_no_new_version(client, published):
    draft, policy = published
    response = publish(client, draft, follow=True)
    assert "Nothing to publish: The policy reads exactly like version 1." in response.content.decode()
    assert policy.versions.count() == 1


def test_published_bytes_never_change_when_the_library_does(client, published):
    draft, policy = published
    before = {
        fmt: client.get(public(policy, f"v/1/download.{fmt}")).content for fmt in ("html", "pdf", "md", "txt")
    }
    assert before["pdf"].startswith(b"%PDF-") and b"Juniper" in before["html"]

    clause = Clause.objects.get(key="cookies.what-they-are")
    clause.body = "A cookie is a tiny file your browser stores for a site."
    clause.save()

    after = {fmt: client.get(public(policy, f"v/1/download.{fmt}")).content for fmt in before}
    assert after == before
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "The clause library has been updated since version 1: Cookies and similar technologies." in review
    assert "Publishing now would change: Cookies and similar technologies." in review

    admin_html = _admin_changelist(client)
    assert "cookies.what-they-are" in admin_html


def _admin_changelist(client) -> str:
    from django.contrib.auth.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "a-long-password-for-tests")
    client.force_login(admin)
    return client.get("/admin/publishing/publishedpolicy/?outdated=yes").content.decode()


def test_a_new_version_and_its_diff(client, published):
    draft, policy = published
    cookies = PAGES_BY_KEY["cookies"]
    answers = example_raw("small-shop")
    answers["cookies"]["purposes"] = ["essential", "shopping_cart", "preferences", "analytics", "advertising"]
    client.post(
        reverse("draft-step", args=[draft.token, "cookies"]) + "?return=review", form_data(cookies, answers)
    )
    breaches = PAGES_BY_KEY["breaches"]
    answers["breach_notification"] = {}
    client.post(
        reverse("draft-step", args=[draft.token, "breaches"]) + "?return=review", form_data(breaches, answers)
    )
    publish(client, draft)
    assert policy.versions.count() == 2

    html = client.get(public(policy, "diff/?from=1&to=2")).content.decode()
    assert "Changed: Cookies and similar technologies. Removed: If there is a data breach." in html
    added = " ".join(re.findall(r"<ins>(.*?)</ins>", html))
    assert "to show ads" in added  # the new cookie purpose is marked as added
    assert "<del>If a data breach affects your personal information" in html
    history = client.get(public(policy, "history/")).content.decode()
    assert "2 (current)" in history and public(policy, "v/1/") in history
    old = client.get(public(policy, "v/1/")).content.decode()
    assert "This is version 1, an earlier version." in old and "If there is a data breach" in old
    assert "If there is a data breach" not in client.get(public(policy)).content.decode()


def test_bad_version_and_diff_requests_are_404(client, published):
    _, policy = published
    assert client.get(public(policy, "v/9/")).status_code == 404
    assert client.get(public(policy, "diff/?from=1&to=x")).status_code == 404
    assert client.get(public(policy, "v/1/download.exe")).status_code == 404
    assert client.get("/policies/unknown-public-id/").status_code == 404


def test_only_the_embed_page_may_be_framed(client, published):
    _, policy = published
    assert client.get(public(policy))["X-Frame-Options"] == "DENY"
    embed = client.get(public(policy, "embed/"))
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert "Juniper &amp; Rye Ceramics Privacy Policy" in embed.content.decode()


def test_the_embed_page_may_be_framed_anywhere_on_get_and_head(client, published):
    _, policy = published
    for method in (client.get, client.head):
        response = method(public(policy, "embed/"))
        directives = dict(
            part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
        )
        assert response.status_code == 200, method
        assert directives["frame-ancestors"] == "*", method  # not "'none' *", which browsers refuse
        assert directives["default-src"] == "'self'" and "X-Frame-Options" not in response, method
    assert client.post(public(policy, "embed/")).status_code == 405


def test_download_names_carry_the_version(client, published):
    _, policy = published
    response = client.get(public(policy, "v/1/download.pdf"))
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="juniper-rye-ceramics-privacy-policy-2026-01-15-v1.pdf"'
    )


def test_section_comparison_and_summary():
    old = [{"key": "a", "title": "A", "text": "One."}, {"key": "b", "title": "B", "text": "Two."}]
    new = [{"key": "a", "title": "A", "text": "One, changed."}, {"key": "c", "title": "C", "text": "Three."}]
    changes = compare_sections(old, new)
    assert [(c.title, c.status) for c in changes] == [("A", "changed"), ("B", "removed"), ("C", "added")]
    assert summarise(changes) == "Changed: A. Added: C. Removed: B."
    assert summarise(compare_sections(old, old)) == "No changes."


def test_published_policy_list_costs_fixed_queries(client, published, django_assert_max_num_queries):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    admin = User.objects.create_superuser("root2", "root2@example.com", "a-long-password-for-tests")
    client.force_login(admin)
    with CaptureQueriesContext(connection) as one:
        client.get("/admin/publishing/publishedpolicy/")
    for n in range(5):
        extra = PublishedPolicy.objects.create(organization_name=f"Org {n}")
        version = PolicyVersion.objects.get(policy=published[1])
        version.pk = None
        version.policy = extra
        version.save()
    with CaptureQueriesContext(connection) as six:
        html = client.get("/admin/publishing/publishedpolicy/").content.decode()
    assert len(six) == len(one) and "Org 4" in html


def _body_migration():
    import importlib

    return importlib.import_module("policybuilder.publishing.migrations.0002_policyversion_body_html")


def test_a_version_stores_the_body_its_public_pages_show(client, published):
    _, policy = published
    version = policy.versions.get()
    migration = _body_migration()
    assert version.body_html.startswith('<header class="policy-header">')
    # The same markup the pages used to cut out of the standalone file on every request.
    assert version.body_html.strip() == migration.body_from_standalone(version.html).strip()
    assert version.body_html in client.get(public(policy)).content.decode()
    assert version.body_html in client.get(public(policy, "embed/")).content.decode()


def test_the_migration_fills_the_body_of_versions_published_before_it(published):
    from django.apps import apps

    _, policy = published
    old = policy.versions.get()
    expected = _body_migration().body_from_standalone(old.html)
    PolicyVersion.objects.filter(pk=old.pk).update(body_html="")  # as a row from before the field
    broken = PolicyVersion.objects.create(
        policy=policy,
        number=2,
        effective_date=old.effective_date,
        answers={},
        clause_versions=[],
        sections=[],
        content_hash="x",
        html="<p>no main element</p>",
        markdown="",
        text="",
        pdf=b"",
    )
    _body_migration().fill_body_html(apps, None)
    old.refresh_from_db()
    broken.refresh_from_db()
    assert old.body_html == expected and "Juniper &amp; Rye Ceramics" in expected
    assert expected.strip() == old.body_html.strip() != ""
    assert broken.body_html == ""  # nothing to extract: left empty, as the page showed it


def _staff_changelist_request(user, query: str = ""):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/publishing/publishedpolicy/" + query)
    request.user = user
    return request


def test_the_admin_list_keeps_no_request_state_on_the_shared_admin(client, published):
    """Two requests' lists in flight at once (as under threads) each keep their own clause versions."""
    from django.contrib import admin
    from django.contrib.auth.models import User

    user = User.objects.create_superuser("root3", "root3@example.com", "a-long-password-for-tests")
    model_admin = admin.site._registry[PublishedPolicy]
    before = dict(vars(model_admin))
    first = model_admin.get_changelist_instance(_staff_changelist_request(user))
    clause = Clause.objects.get(key="cookies.what-they-are")
    clause.body = "A cookie is a tiny file your browser stores for a site."
    clause.save()
    second = model_admin.get_changelist_instance(_staff_changelist_request(user))
    assert [model_admin.outdated(p) for p in first.result_list] == ["none"]
    assert [model_admin.outdated(p) for p in second.result_list] == ["cookies.what-they-are"]
    assert [model_admin.current_version(p) for p in second.result_list] == [1]
    assert vars(model_admin) == before


def test_the_admin_shows_the_latest_version_and_filters_outdated_policies(client, published):
    from django.contrib.auth.models import User

    _, policy = published
    version = policy.versions.get()
    for number in (2, 3):
        version.pk, version.number = None, number
        version.save()
    PolicyVersion.objects.filter(policy=policy, number=3).update(clause_versions=[["gone.clause", 1]])
    unpublished = PublishedPolicy.objects.create(organization_name="Nothing Yet Ltd")
    admin = User.objects.create_superuser("root4", "root4@example.com", "a-long-password-for-tests")
    client.force_login(admin)
    html = client.get("/admin/publishing/publishedpolicy/").content.decode()
    assert '<td class="field-current_version">3</td>' in html
    assert '<td class="field-outdated">gone.clause</td>' in html
    assert '<td class="field-current_version">—</td>' in html  # the policy with no version
    outdated = client.get("/admin/publishing/publishedpolicy/?outdated=yes").content.decode()
    assert policy.public_id in outdated and unpublished.organization_name not in outdated
    current = client.get("/admin/publishing/publishedpolicy/?outdated=no").content.decode()
    assert policy.public_id not in current and unpublished.organization_name in current


@pytest.mark.parametrize("query", ["", "?outdated=yes", "?outdated=no"])
def test_the_admin_list_costs_the_same_queries_however_many_versions(client, published, query):
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, policy = published
    admin = User.objects.create_superuser("root5", "root5@example.com", "a-long-password-for-tests")
    client.force_login(admin)
    url = "/admin/publishing/publishedpolicy/" + query
    client.get(url)  # the session and permissions are cached after the first request
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    version = policy.versions.get()
    for n in range(5):
        version.pk, version.number = None, n + 2
        version.save()
        extra = PublishedPolicy.objects.create(organization_name=f"Org {n}")
        copy = PolicyVersion.objects.get(pk=version.pk)
        copy.pk, copy.policy, copy.number = None, extra, 1
        copy.save()
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    clause_queries = [q for q in many.captured_queries if 'FROM "library_clause"' in q["sql"]]
    assert len(clause_queries) == 1  # the filter and the columns share one read per request
