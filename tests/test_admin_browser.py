"""A clause editor's day, in a real browser: edit, get an error, fix, preview, save, revert."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from policybuilder.library.models import Clause
from policybuilder.library.permissions import ensure_clause_editors
from tests.support.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clause_editor_edits_previews_saves_and_reverts(page, live_server, loaded_library, console_errors):
    editor = User.objects.create_user("lawyer", password="a-long-password-for-tests", is_staff=True)
    # Earlier transactional tests flush the tables, including the group its migration made.
    editor.groups.add(ensure_clause_editors(Group, Permission))

    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("lawyer")
    page.get_by_label("Password").fill("a-long-password-for-tests")
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Clauses").click()
    page.get_by_role("link", name="cookies.what-they-are").click()
    body = page.locator("#id_body")

    body.fill("A cookie is {{ cookies.flavour }}.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist").first).to_contain_text("unknown answer key 'cookies.flavour'")
    expect(body).to_have_value("A cookie is {{ cookies.flavour }}.")  # nothing typed is lost
    screenshot(page, "admin-clause-error")

    body.fill("A cookie is a small file your browser keeps for {{ organization.name }}'s site.")
    page.get_by_role("button", name="Preview against samples").click()
    preview = page.locator(".clause-preview")
    expect(preview).to_contain_text("Juniper & Rye Ceramics's site")
    expect(preview).to_contain_text("Example: brochure-site")  # a sample that does not use cookies: "No"
    screenshot(page, "admin-clause-preview")
    assert Clause.objects.get(key="cookies.what-they-are").version == 1  # preview saved nothing

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    clause = Clause.objects.get(key="cookies.what-they-are")
    assert clause.version == 2 and "small file" in clause.body

    page.goto(live_server.url + f"/admin/library/clause/{clause.pk}/history/")
    expect(page.locator(".text-diff ins").first).to_be_visible()
    screenshot(page, "admin-clause-history")
    page.locator("#change-history tbody tr").last.get_by_role("link").click()  # the oldest version
    page.get_by_role("button", name="Revert").click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")  # saved: now read it
    clause.refresh_from_db()
    assert clause.body.startswith("A cookie is a small text file") and clause.version == 3
    assert [e for e in console_errors if "Content Security Policy" in e] == []
