"""Published policies in a real browser: the embed on another site, sized to its content."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import expect

from policybuilder.publishing.models import PublishedPolicy
from tests.support.accessibility import assert_accessible
from tests.support.browser import screenshot
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def host_site() -> Iterator[tuple[str, dict[str, str]]]:
    """Another origin (its own port): serves whatever HTML is put in the returned dict under "/"."""
    pages: dict[str, str] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
            body = pages.get(self.path, "").encode()
            self.send_response(200 if body else 404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", pages
    server.shutdown()
    server.server_close()


def _frame_height(page) -> float:
    return page.evaluate("document.querySelector('iframe').getBoundingClientRect().height")


def test_the_resizing_snippet_fits_the_policy_on_another_site(
    page, live_server, loaded_library, client, host_site, console_errors
):
    draft = complete_wizard(client, example_raw("small-shop"))
    publish(client, draft)
    policy = PublishedPolicy.objects.get(draft=draft)
    host, pages = host_site
    pages["/"] = (
        "<!DOCTYPE html><html lang='en'><head><title>Juniper's shop</title>"
        "<style>body { font-family: Georgia, serif; max-width: 50rem; margin: 0 auto; }</style></head>"
        "<body><h1>Our privacy policy</h1>"
        f'<iframe src="{live_server.url}/policies/{policy.public_id}/embed/?font=inherit&amp;theme=dark"'
        ' title="Privacy policy" width="100%" height="600" data-policy-embed></iframe>'
        f'<script src="{live_server.url}/embed.js" async></script>'
        "<p>The end of the host page.</p></body></html>"
    )
    page.set_viewport_size({"width": 1000, "height": 800})
    page.goto(host + "/")
    # The frame grows from its 600 pixels to the policy's whole height...
    page.wait_for_function("document.querySelector('iframe').getBoundingClientRect().height > 2000")
    frame = page.frame_locator("iframe[data-policy-embed]")
    expect(frame.get_by_role("heading", level=1)).to_contain_text("Privacy Policy")
    inner = page.frames[1]
    content = inner.evaluate("Math.ceil(document.documentElement.getBoundingClientRect().height)")
    page.wait_for_function(
        f"Math.abs(document.querySelector('iframe').getBoundingClientRect().height - {content}) <= 2"
    )
    # ...so nothing scrolls inside it.
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight")
    # The host's font, sent by our script and applied as a plain font list; the dark theme.
    expect(frame.locator("body")).to_have_css("font-family", re.compile("Georgia"))
    expect(frame.locator("body")).to_have_css("background-color", "rgb(22, 24, 27)")
    screenshot(page, "embed-resizing")

    # A narrower page makes the policy taller, and the frame follows (ResizeObserver).
    wide = _frame_height(page)
    page.set_viewport_size({"width": 390, "height": 800})
    page.wait_for_function(f"document.querySelector('iframe').getBoundingClientRect().height > {wide + 200}")
    assert inner.evaluate("document.documentElement.scrollHeight <= window.innerHeight + 1")

    # A message from anyone else (here the host page itself) is ignored.
    before = _frame_height(page)
    page.evaluate("window.postMessage({type: 'policybuilder:height', height: 150}, '*')")
    page.wait_for_timeout(300)
    assert _frame_height(page) == before
    assert not [e for e in console_errors if "Content Security Policy" in e or "postMessage" in e]


def test_the_review_page_offers_both_snippets_and_a_live_example(page, live_server, loaded_library, client):
    draft = complete_wizard(client, example_raw("small-shop"))
    publish(client, draft)
    page.goto(f"{live_server.url}/d/{draft.token}/review/")
    page.get_by_text("Put the policy on your site").click()
    page.get_by_label("Colours").select_option("dark")
    page.get_by_label("Font").select_option("serif")
    expect(page.locator("#snippet-resizing")).to_have_value(
        re.compile(r"/embed/\?theme=dark&amp;font=serif\"")
    )
    expect(page.locator("#snippet-resizing")).to_have_value(
        re.compile(r'<script src="http://[^"]+/embed\.js" async>')
    )
    expect(page.locator("#snippet-iframe")).to_have_value(re.compile(r'/embed/\?theme=dark&amp;font=serif" '))
    # The example reloads the whole policy for each choice: on a busy machine that takes seconds.
    expect(page.locator("#embed-example")).to_have_attribute("src", re.compile(r"theme=dark&font=serif$"))
    example = page.frame_locator("#embed-example")
    expect(example.locator("body")).to_have_css("background-color", "rgb(22, 24, 27)", timeout=20_000)
    expect(example.locator("body")).to_have_css("font-family", re.compile("Georgia"), timeout=20_000)
    page.wait_for_function("document.getElementById('embed-example').getBoundingClientRect().height > 2000")
    assert_accessible(page, "review with the embed snippets open")
