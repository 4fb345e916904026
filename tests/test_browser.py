"""In a real browser (Playwright driving Debian's Chromium): reading and downloading a policy."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.support.browser import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_navigates_the_policy_with_contents_and_back_links(
    page, live_server, loaded_library, requests_seen
):
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Read the policy").first.click()  # "An online shop", listed first
    page.wait_for_url("**/examples/small-shop/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Juniper & Rye Ceramics Privacy Policy")
    screenshot(page, "example-small-shop")

    page.get_by_role("navigation").get_by_role("link", name="Cookies and similar technologies").click()
    expect(page).to_have_url(re.compile(r"#section-cookies$"))  # hash changes land asynchronously
    heading = page.get_by_role("heading", name="Cookies and similar technologies", level=2)
    expect(heading).to_be_in_viewport()  # scrolling may be animated

    page.locator("#section-cookies").get_by_role("link", name="Back to top").click()
    expect(page).to_have_url(re.compile(r"#top$"))

    hosts = {urlsplit(url).netloc for url in requests_seen if url.startswith("http")}
    assert hosts == {urlsplit(live_server.url).netloc}, f"third-party requests: {hosts}"


def test_keyboard_user_can_skip_to_content_and_reach_downloads(page, live_server, loaded_library):
    page.goto(live_server.url + "/examples/saas/")
    focused = page.locator(":focus")
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Skip to content")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#main$"))
    page.keyboard.press("Tab")
    expect(focused).to_have_text("← All examples")
    page.keyboard.press("Tab")
    expect(focused).to_have_text("Start from this example")
    for label in ["HTML", "PDF", "Word", "Markdown", "Plain text"]:
        page.keyboard.press("Tab")
        expect(focused).to_have_text(label)


@pytest.mark.parametrize(
    ("label", "suffix", "magic"), [("HTML", ".html", b"<!DOCTYPE html>"), ("PDF", ".pdf", b"%PDF-")]
)
def test_downloads_arrive_with_their_content(
    page, live_server, loaded_library, tmp_path, label, suffix, magic
):
    page.goto(live_server.url + "/examples/kids-learning-app/")
    with page.expect_download() as info:
        page.get_by_role("link", name=label, exact=True).click()
    download = info.value
    assert download.suggested_filename == f"sprout-letters-inc-privacy-policy-2026-04-22{suffix}"
    path = Path(tmp_path / download.suggested_filename)
    download.save_as(path)
    data = path.read_bytes()
    assert data.startswith(magic)
    if suffix == ".html":
        # The downloaded file stands alone: open it from disk and read it.
        page.goto(path.as_uri())
        expect(page.get_by_role("heading", level=1)).to_have_text("Sprout Letters Inc. Privacy Policy")
        expect(page.get_by_role("heading", name="Children's privacy")).to_be_visible()
        page.set_viewport_size({"width": 390, "height": 844})
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        screenshot(page, "downloaded-policy-phone")
