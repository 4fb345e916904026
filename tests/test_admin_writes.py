"""Every way staff write the library is checked against the whole library before anything is saved."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from policybuilder.drafts.services import create_draft
from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.permissions import CLAUSE_EDITORS
from policybuilder.library.revisions import library_changed
from tests.support.catalogue import service_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client, db_library):
    user = User.objects.create_user("editor", password="long-enough-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=CLAUSE_EDITORS))
    client.force_login(user)
    return client


def section_form(section: Section, **changes) -> dict:
    data = {"title": section.title, "order": section.order, "enabled": "on", "condition": section.condition}
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


@pytest.mark.parametrize(
    "condition, message",
    [
        ("organization.name.lenght > 0", "fails for sample"),
        ("1/0", "division by zero"),
        ("organization.nmae", "unknown answer key &#x27;organization.nmae&#x27;"),
    ],
)
def test_a_section_condition_that_would_break_policies_is_refused(editor_client, client, condition, message):
    section = Section.objects.get(key="cookies")
    url = reverse("admin:library_section_change", args=[section.pk])
    response = editor_client.post(url, section_form(section, condition=condition))
    assert response.status_code == 200 and message in response.content.decode()
    section.refresh_from_db()
    assert section.condition == ""
    assert client.get(reverse("example", args=["small-shop"])).status_code == 200


def test_a_service_address_that_clauses_could_not_link_to_is_refused(editor_client):
    service = Service.objects.get(key="plausible")
    data = service_form(service, privacy_url="https://plausible.io/privacy#it's")
    html = editor_client.post(
        reverse("admin:library_service_change", args=[service.pk]), data
    ).content.decode()
    assert "must not contain spaces, quotes, backslashes or angle brackets" in html
    service.refresh_from_db()
    assert "'" not in service.privacy_url


@pytest.fixture
def broken_disabled_clause(db_library) -> Clause:
    """A clause broken in the database directly (no form would save it), switched off."""
    clause = Clause.objects.create(
        key="cookies.broken",
        section=Section.objects.get(key="cookies"),
        order=999,
        enabled=False,
        body="{{ 1/0 }}",
    )
    library_changed()
    return clause


def test_switching_on_a_broken_clause_in_the_list_is_refused(editor_client, broken_disabled_clause):
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(broken_disabled_clause.pk),
        "form-0-order": "999",
        "form-0-enabled": "on",
        "_save": "Save",
    }
    response = editor_client.post("/admin/library/clause/?q=cookies.broken", data)
    assert "Nothing was saved: this would break clause cookies.broken" in response.content.decode()
    broken_disabled_clause.refresh_from_db()
    assert not broken_disabled_clause.enabled


def test_changing_a_clause_order_in_the_list_saves(editor_client, db_library):
    clause = Clause.objects.get(key="cookies.none")
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-0-id": str(clause.pk),
        "form-0-order": str(clause.order + 1),
        "form-0-enabled": "on" if clause.enabled else "",
        "_save": "Save",
    }
    response = editor_client.post(f"/admin/library/clause/?q={clause.key}", data)
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.order == int(data["form-0-order"])


def test_switching_on_a_broken_clause_with_the_bulk_action_is_refused(editor_client, broken_disabled_clause):
    data = {"action": "enable_clauses", "_selected_action": [str(broken_disabled_clause.pk)]}
    response = editor_client.post("/admin/library/clause/", data, follow=True)
    assert "Nothing was changed: this would break clause cookies.broken" in response.content.decode()
    broken_disabled_clause.refresh_from_db()
    assert not broken_disabled_clause.enabled


def test_keys_cannot_be_renamed_once_created(editor_client):
    section = Section.objects.get(key="cookies")
    url = reverse("admin:library_section_change", args=[section.pk])
    editor_client.post(url, {**section_form(section, title="Cookies and you"), "key": "renamed"})
    section.refresh_from_db()
    assert (section.key, section.title) == ("cookies", "Cookies and you")


def test_a_service_chosen_in_a_draft_cannot_be_deleted(editor_client):
    create_draft(answers={"tools": {"services": ["plausible"]}})
    service = Service.objects.get(key="plausible")
    url = reverse("admin:library_service_delete", args=[service.pk])
    page = editor_client.get(url).content.decode()
    assert "chosen in 1 draft(s)" in page
    editor_client.post(url, {"post": "yes"})
    assert Service.objects.filter(key="plausible").exists()
    unused = Service.objects.get(key="fathom")
    editor_client.post(reverse("admin:library_service_delete", args=[unused.pk]), {"post": "yes"})
    assert not Service.objects.filter(key="fathom").exists()


@pytest.mark.parametrize("body", ["{{ 1/0 }}", "{{ organization.nickname }}"])
def test_a_library_broken_in_the_database_gives_the_example_pages_the_friendly_page(client, db_library, body):
    Clause.objects.filter(key="introduction.who-we-are").update(body=body)
    library_changed()
    for url in (
        reverse("example", args=["small-shop"]),
        reverse("example-download", args=["small-shop", "md"]),
    ):
        response = client.get(url)
        assert response.status_code == 503
        assert "We cannot build your policy right now" in response.content.decode()


def _post_service(editor_client, service: Service, **changes) -> str:
    url = reverse("admin:library_service_change", args=[service.pk])
    return editor_client.post(url, service_form(service, **changes)).content.decode()


def test_the_kinds_of_a_service_can_change_even_while_people_use_it(editor_client):
    """Services are chosen from one list of every kind, so a kind is a fact like any other."""
    create_draft(answers={"tools": {"services": ["google_analytics"]}})
    chosen = Service.objects.get(key="google_analytics")
    _post_service(editor_client, chosen, kinds=["advertising"])
    chosen.refresh_from_db()
    assert chosen.kinds == ["advertising"]
