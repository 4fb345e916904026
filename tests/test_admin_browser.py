"""A clause editor's day, in a real browser: edit, get an error, fix, preview, save, revert."""

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from policybuilder.library.models import Clause
from policybuilder.library.permissions import ensure_clause_editors
from tests.support.accessibility import assert_accessible
from tests.support.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in_as_clause_editor(page, live_server) -> None:
    editor = User.objects.create_user("lawyer", password="a-long-password-for-tests", is_staff=True)
    # Earlier transactional tests flush the tables, including the group its migration made.
    editor.groups.add(ensure_clause_editors(Group, Permission))
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Username").fill("lawyer")
    page.get_by_label("Password").fill("a-long-password-for-tests")
    page.get_by_role("button", name="Log in").click()


def test_clause_editor_edits_previews_saves_and_reverts(page, live_server, loaded_library, console_errors):
    log_in_as_clause_editor(page, live_server)
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
    assert clause.body.startswith("A cookie is a small text file") and clause.version == 1  # its text again
    assert [e for e in console_errors if "Content Security Policy" in e] == []


def _box(page, selector: str) -> dict:
    box = page.locator(selector).bounding_box()
    assert box, f"{selector} is not shown"
    return box


def test_the_clause_list_and_editor_at_desktop_and_phone_widths(page, live_server, loaded_library):
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in_as_clause_editor(page, live_server)
    expect(page.get_by_role("link", name="View site")).to_have_attribute("href", "/")
    page.get_by_role("link", name="Clauses").click()
    expect(page.get_by_role("columnheader", name="Text (first words)")).to_be_visible()
    row = page.get_by_role("row").filter(
        has=page.get_by_role("link", name="cookies.what-they-are", exact=True)
    )
    expect(row).to_contain_text("A cookie is a small text file")
    expect(row).to_contain_text("Cookies and similar technologies")
    screenshot(page, "admin-clause-list")
    assert_accessible(page, "clause list")

    row.get_by_role("link", name="cookies.what-they-are").click()
    body, panel = page.locator("#id_body"), page.locator(".clause-preview-panel")
    expect(panel).to_contain_text("Example: small-shop: included")
    # Without scrolling, the text and its preview are both on screen, side by side.
    assert page.evaluate("window.scrollY") == 0
    expect(body).to_be_in_viewport()
    expect(panel.get_by_role("heading", name="What it says now, for sample businesses")).to_be_in_viewport()
    editor, preview = _box(page, "#id_body"), _box(page, ".clause-preview-panel")
    assert preview["x"] >= editor["x"] + editor["width"], (editor, preview)  # to the right of the text
    assert preview["y"] < 800 and preview["y"] <= editor["y"] + editor["height"]  # level with it
    assert editor["width"] >= 400  # room to write
    body.fill("A cookie is a tiny file your browser keeps for {{ organization.name }}.")
    page.get_by_role("button", name="Preview against samples").click()
    expect(panel).to_contain_text("Preview against sample businesses (not saved)")
    expect(panel).to_contain_text("a tiny file your browser keeps for Juniper & Rye Ceramics.")
    expect(panel).to_be_in_viewport()
    screenshot(page, "admin-clause-edit-desktop")
    assert_accessible(page, "clause editor at 1280px")

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    editor, preview = _box(page, "#id_body"), _box(page, ".clause-preview-panel")
    assert preview["y"] >= editor["y"] + editor["height"]  # stacked: the preview under the text
    assert editor["x"] >= 0 and editor["x"] + editor["width"] <= 390  # the text box fits the phone
    assert preview["x"] >= 0 and preview["x"] + preview["width"] <= 390
    screenshot(page, "admin-clause-edit-phone")
    assert_accessible(page, "clause editor at 390px")
