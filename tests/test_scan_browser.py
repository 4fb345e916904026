"""In Chromium: an owner scans their site from the wizard, watches the progress, and accepts a finding.

The task worker is django-tasks' own ``db_worker``, run once the scan is queued: the progress page
has to notice, by itself, when the scan ends.
"""

from __future__ import annotations

import re
import signal

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from policybuilder.devtools.fixture_sites import FixtureSite, shop_pages
from policybuilder.drafts.services import create_draft_from_file
from policybuilder.scans.models import SiteScan
from tests.support.browser import screenshot
from tests.support.examples import example_raw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker() -> None:
    """django-tasks' worker, once through the queue, in this (main) thread as its signal handling
    needs; the browser keeps polling on its own meanwhile. Its signal handlers are put back after."""
    saved = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    try:
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)


def test_scan_from_the_services_page_and_accept_a_finding(page, live_server, loaded_library, settings):
    settings.SCAN_ALLOW_LOOPBACK = True
    raw = example_raw("small-shop")
    draft = create_draft_from_file(answers=raw, given_sections=raw.keys())
    with FixtureSite(shop_pages()) as shop:
        page.goto(f"{live_server.url}/d/{draft.token}/step/tools/")
        box = page.get_by_role("region", name="Scan my website")
        box.get_by_label("Your website's address").fill(shop.url)
        box.get_by_label("Your website's address").press("Enter")  # scans, not "Save and continue"
        expect(page.get_by_role("heading", level=1)).to_have_text("Scanning your website")
        expect(page.get_by_role("status").filter(has_text="The scan starts in a moment.")).to_be_visible()
        run_worker()
        # The page script polls and reloads itself when the scan is done.
        expect(page.get_by_role("heading", level=1)).to_have_text("What your website does", timeout=15_000)
    screenshot(page, "scan-results")
    contradictions = page.get_by_role("region", name=re.compile("Your answers say otherwise"))
    finding = contradictions.get_by_role("listitem").filter(has_text="Your site uses Meta Pixel")
    expect(finding).to_contain_text("connect.facebook.net requested on /, /products and /blog")
    finding.get_by_role("button", name=re.compile("Use this")).click()
    expect(page.get_by_role("status").filter(has_text="1 answer updated from the scan.")).to_be_visible()
    expect(page.get_by_text("Your site uses Meta Pixel")).to_have_count(0)
    page.get_by_role("button", name="Add this cookie table to my policy").click()
    expect(page.get_by_text("The cookie table (5 rows) is now in your policy.")).to_be_visible()
    assert SiteScan.objects.get().status == SiteScan.Status.DONE

    page.goto(f"{live_server.url}/d/{draft.token}/review/")
    preview = page.locator("#preview")
    expect(preview.get_by_role("cell", name="_fbp", exact=True)).to_be_visible()
    # Meta Pixel is now in the answers; what the scan still contradicts is the advertising cookie.
    review = page.get_by_role("region", name=re.compile("Your website says otherwise"))
    expect(review.get_by_role("listitem")).to_have_count(1)
    expect(review).to_contain_text("Your site sets advertising cookies")
