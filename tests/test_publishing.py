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


WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def test_every_version_page_offers_word_and_json_and_the_word_file_downloads(client, published):
    import io

    import docx

    _, policy = published
    for page in (public(policy), public(policy, "v/1/")):
        html = client.get(page).content.decode()
        assert f'href="{public(policy, "v/1/download.docx")}" download>Word</a>' in html, page
        assert f'href="/policies/{policy.public_id}/v/1.json"' in html, page
    history = client.get(public(policy, "history/")).content.decode()
    assert f'href="/policies/{policy.public_id}/v/1.json"' in history
    assert f'href="/policies/{policy.public_id}.json"' in history

    response = client.get(public(policy, "v/1/download.docx"))
    assert response.status_code == 200 and response["Content-Type"] == WORD
    assert response["Content-Disposition"].endswith('-v1.docx"')
    assert "immutable" in response["Cache-Control"]  # frozen, like every published file
    word = docx.Document(io.BytesIO(response.content))
    assert word.paragraphs[0].text == "Juniper & Rye Ceramics Privacy Policy"
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == [
        s["title"] for s in policy.versions.get().sections
    ]


def test_a_version_published_before_word_files_offers_none_and_makes_none(client, published):
    _, policy = published
    PolicyVersion.objects.filter(policy=policy).update(docx=b"")  # as a row from before the field
    html = client.get(public(policy)).content.decode()
    assert "download.docx" not in html and "download.pdf" in html
    assert client.get(public(policy, "v/1/download.docx")).status_code == 404
    assert client.get(public(policy, "v/1/download.pdf")).status_code == 200
    document = client.get(f"/policies/{policy.public_id}.json").json()
    assert "docx" not in {f["format"] for f in document["formats"]}


def _json(client, url, **headers):
    response = client.get(url, headers=headers)
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    return response


def test_the_current_version_as_json(client, published):
    import json

    draft, policy = published
    version = policy.versions.get()
    response = _json(client, f"/policies/{policy.public_id}.json")
    assert response.status_code == 200
    document = response.json()
    assert document["organization"] == {"name": "Juniper & Rye Ceramics"}
    assert document["title"] == "Juniper & Rye Ceramics Privacy Policy"
    assert document["version"] == 1 and "current_version" not in document  # a version's JSON never changes
    assert document["effective_date"] == "2026-01-15"
    assert document["published_at"] == version.published_at.isoformat()

    sections = document["sections"]
    assert [s["heading"] for s in sections][:2] == ["The short version", "About this policy"]
    assert [s["heading"] for s in sections] == [s["title"] for s in version.sections]
    cookies = next(s for s in sections if s["id"] == "cookies")
    assert cookies["anchor"] == "section-cookies"
    assert cookies["url"] == f"http://testserver/policies/{policy.public_id}/v/1/#section-cookies"
    assert {"key": "cookies.what-they-are", "version": 1} in cookies["clauses"]
    assert cookies["html"].startswith("<") and "<script" not in cookies["html"]
    assert cookies["html"] in version.body_html  # the same sanitized HTML the public page shows
    assert "cookie" in cookies["text"] and "<" not in cookies["text"]
    assert sections[0]["clauses"] == []  # the short version is written from the answers, not the library
    stored = [[c["key"], c["version"]] for s in sections for c in s["clauses"]]
    assert stored == version.clause_versions
    assert [[c["key"], c["version"]] for c in document["clause_versions"]] == version.clause_versions

    base = f"http://testserver/policies/{policy.public_id}/"
    formats = {f["format"]: f for f in document["formats"]}
    assert list(formats) == ["html", "pdf", "docx", "md", "txt"]
    assert formats["docx"]["url"] == base + "v/1/download.docx" and formats["docx"]["content_type"] == WORD
    assert document["urls"] == {
        "page": base + "v/1/",
        "json": f"http://testserver/policies/{policy.public_id}/v/1.json",
        "current": base,
        "current_json": f"http://testserver/policies/{policy.public_id}.json",
        "history": base + "history/",
    }
    for url in [f["url"] for f in formats.values()] + list(document["urls"].values()):
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url

    raw = response.content.decode()
    assert draft.token not in raw and "/d/" not in raw and "answers" not in json.loads(raw)
    # The current version changes with the next publication: revalidated, by its ETag.
    assert {p.strip() for p in response["Cache-Control"].split(",")} == {"public", "no-cache"}
    again = client.get(f"/policies/{policy.public_id}.json", headers={"if-none-match": response["ETag"]})
    assert again.status_code == 304 and again["Access-Control-Allow-Origin"] == "*"


def test_each_version_as_json_and_only_json_gets_cors(client, published):
    draft, policy = published
    answers = example_raw("small-shop")
    answers["breach_notification"] = {}
    client.post(
        reverse("draft-step", args=[draft.token, "breaches"]) + "?return=review",
        form_data(PAGES_BY_KEY["breaches"], answers),
    )
    publish(client, draft)
    first = _json(client, f"/policies/{policy.public_id}/v/1.json")
    assert first.status_code == 200 and "immutable" in first["Cache-Control"]
    old, current = first.json(), _json(client, f"/policies/{policy.public_id}.json").json()
    assert (old["version"], current["version"]) == (1, 2)
    assert {s["id"] for s in old["sections"]} - {s["id"] for s in current["sections"]} == {"breaches"}
    assert old["urls"]["current_json"] == current["urls"]["current_json"]
    assert old["urls"]["page"].endswith("/v/1/") and old["formats"][0]["url"].endswith("/v/1/download.html")
    assert "Access-Control-Allow-Origin" not in client.get(public(policy))
    assert "Access-Control-Allow-Origin" not in client.get(public(policy, "v/1/download.md"))


@pytest.mark.parametrize(
    "path", ["unknown-public-id.json", "{id}/v/9.json", "{id}/v/0.json", "{id}/v/99999999999999999999.json", "{long}.json"]
)
def test_unknown_policies_and_versions_are_json_404s(client, published, path):
    _, policy = published
    response = _json(client, "/policies/" + path.format(id=policy.public_id, long="x" * 40))
    assert response.status_code == 404 and response.json() == {"error": "No such published policy or version."}


def test_a_huge_version_number_is_404_on_every_page(client, published):
    _, policy = published
    assert client.get(public(policy, "v/99999999999999999999/")).status_code == 404
    assert client.get(public(policy, "diff/?from=1&to=99999999999999999999")).status_code == 404


def test_the_json_document_costs_one_query_however_many_versions(client, published, django_assert_max_num_queries):
    _, policy = published
    version = policy.versions.get()
    for number in range(2, 7):
        version.pk, version.number = None, number
        version.save()
    for url, number in ((f"/policies/{policy.public_id}.json", 6), (f"/policies/{policy.public_id}/v/3.json", 3)):
        with django_assert_max_num_queries(1):
            assert client.get(url).json()["version"] == number


def test_the_pages_that_list_a_versions_files_never_read_them(client, published):
    """The policy's page, an earlier version's and the review's panel say which files a version has
    from their lengths: loading the PDF and the Word file on every view was most of their cost."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    draft, policy = published
    pages = (public(policy), public(policy, "v/1/"), reverse("draft-review", args=[draft.token]))
    for page in pages:
        with CaptureQueriesContext(connection) as queries:
            html = client.get(page).content.decode()
        assert "download.pdf" in html, page
        selects = " ".join(q["sql"] for q in queries if "publishing_policyversion" in q["sql"])
        for column in ('"pdf"', '"docx"'):
            read = selects.replace(f'LENGTH("publishing_policyversion".{column})', "")
            assert f'"publishing_policyversion".{column}' not in read, (page, column)
    assert client.get(public(policy, "v/1/download.pdf")).content.startswith(b"%PDF")
