"""Every owner-facing page at desktop and phone widths (issue 16): axe-core finds nothing serious,
nothing scrolls sideways, and a screenshot of each is kept in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.accessibility import assert_accessible
from tests.support.browser import screenshot
from tests.test_preview_browser import open_step_from_example

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": 1280, "phone": 390}


def check(page, name: str, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
    assert_accessible(page, name)
    screenshot(page, name)


@pytest.mark.parametrize("size", WIDTHS)
def test_owner_pages_pass_axe_and_fit(page, live_server, loaded_library, size):
    width = WIDTHS[size]
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="An online shop")).to_be_visible()
    check(page, f"home-{size}", width)

    page.get_by_role("button", name="Start from this example").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Review your answers")
    summary = page.locator(".review-summary")
    expect(summary).to_be_in_viewport()  # the summary and its actions are at the top, even on a phone
    expect(summary.get_by_role("link", name="Download")).to_be_in_viewport()
    check(page, f"review-{size}", width)
    summary.get_by_role("link", name="Publish").click()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_be_in_viewport()

    page.goto(page.url.replace("/review/", "/step/cookies/"))
    expect(page.locator(".progress-legend")).to_contain_text("not reached yet")
    check(page, f"step-cookies-{size}", width)
    page.get_by_role("button", name="Save and continue later").click()
    expect(page.get_by_role("heading", name="Email me this link")).to_be_visible()
    check(page, f"saved-{size}", width)


def test_why_we_ask_opens_with_the_keyboard(page, live_server, loaded_library):
    open_step_from_example(page, live_server, "kids-learning-app", "children")
    why = page.locator("details.why")
    expect(why.locator("p.law")).to_be_hidden()
    why.locator("summary").focus()
    page.keyboard.press("Enter")
    expect(why.locator("p.law")).to_contain_text("COPPA")
