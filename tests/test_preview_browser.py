"""The live preview follows the change (issue 16): in Chromium, at desktop and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.browser import screenshot
from tests.support.examples import ROOT

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_step_from_example(page, live_server, example: str, step: str) -> None:
    """A draft from a shipped example (uploaded, as a person may), opened at one step."""
    page.goto(live_server.url + "/")
    page.locator('input[type="file"]').set_input_files(str(ROOT / "docs" / "examples" / f"{example}.json"))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and review").click()
    page.goto(page.url.replace("/review/", f"/step/{step}/"))


def test_the_preview_opens_on_the_sections_this_page_shapes(page, live_server, loaded_library):
    open_step_from_example(page, live_server, "small-shop", "cookies")
    preview = page.locator("#preview")
    expect(preview.locator(".preview-shapes")).to_contain_text("Cookies and similar technologies")
    expect(preview.locator(".preview-shapes")).to_be_in_viewport()  # pinned above the scrolled text
    cookies = preview.get_by_role("region", name="Cookies and similar technologies")
    # The first section the page shapes is at the top of the box; without this the box starts at
    # the policy's title, thousands of pixels above it.
    first = preview.locator(".preview-shaped").first
    expect(first).to_be_in_viewport()
    expect(cookies).to_have_class("policy-section preview-shaped")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_changed_answer_is_scrolled_to_and_marked_in_the_preview(page, live_server, loaded_library, width):
    # A phone held upright: the preview is below the questions, out of sight.
    page.set_viewport_size({"width": width, "height": 900 if width > 390 else 600})
    open_step_from_example(page, live_server, "small-shop", "children")
    preview = page.locator("#preview")
    with page.expect_response(lambda r: "/preview/" in r.url):
        page.locator('[name="children__directed_to_children"][value="yes"]').check()
    changed = preview.locator(".preview-changed").first
    expect(changed).to_contain_text("Our services are directed to children under 13.")
    toast = page.locator("#preview-toast")
    if width == 390:
        # On a phone the preview is below the questions: the change is quoted at the foot of the
        # screen, and one tap shows it in place.
        expect(toast).to_be_in_viewport()
        expect(toast).to_contain_text("Changed in Children")
        expect(toast).to_contain_text("Our services are directed to children under 13.")
        screenshot(page, "preview-change-quoted-390")
        toast.get_by_role("link", name="Show it in the preview").click()
        expect(toast).to_be_hidden()
    else:
        expect(toast).to_be_hidden()  # the preview is in sight: nothing covers the questions
    expect(changed).to_be_in_viewport()  # the box scrolled to it: no scrolling inside it needed
    expect(page.locator("#preview-status")).to_contain_text("Preview updated: changed in")
    expect(page.locator("#preview-status")).to_contain_text("Children")
    if width == 1280:  # the person's place is kept: focus stays on what they answered
        expect(page.locator('[name="children__directed_to_children"][value="yes"]')).to_be_focused()
    assert_accessible(page, f"preview after a change at {width}px")
    screenshot(page, f"preview-follows-change-{width}")
