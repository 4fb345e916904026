"""The site scan in real Chromium, against fixture websites served on 127.0.0.1.

The real services' hosts (connect.facebook.net, js.stripe.com …) cannot be reached from here: the
scanner's proxy cannot resolve them. The scan still records them, because it records what the
browser *tries* to fetch, and these tests rely on that: detection works from attempted requests.
"""

from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from policybuilder.clause_library import read_library_file
from policybuilder.devtools.fixture_sites import (
    FixtureSite,
    Page,
    brochure_pages,
    html,
    shop_pages,
    unknown_tracker_pages,
)
from policybuilder.scan_proxy import ProxyPolicy, ScanProxy
from policybuilder.scan_report import ScanReport
from policybuilder.scan_review import cookie_rows, review_scan
from policybuilder.scanner import ScanError, ScanLimits, ScannerUnavailable, scan_site

pytestmark = pytest.mark.browser
LIBRARY = read_library_file()


@pytest.fixture(scope="module")
def shop_report() -> ScanReport:
    with FixtureSite(shop_pages()) as site:
        return scan_site(site.url, allow_loopback=True)


def test_the_shop_scan_finds_its_analytics_advertising_and_payment_services(shop_report):
    findings = {f.key: f for f in review_scan(LIBRARY, shop_report, {})}
    assert {"service:google_analytics", "service:meta_pixel", "service:stripe"} <= set(findings)
    assert (
        findings["service:meta_pixel"].evidence[0]
        == "connect.facebook.net requested on /, /products and /blog"
    )
    assert "_fbp set on /" in findings["service:meta_pixel"].evidence
    assert findings["service:stripe"].evidence == ("js.stripe.com requested on /checkout",)
    # Shared hosts go to the service with evidence of its own; a plain-word cookie ("cart") names nothing.
    assert not {"service:facebook_social_plugins", "service:google_tag_manager", "service:shopify"} & set(
        findings
    )


def test_the_shop_scan_visits_linked_and_sitemap_pages_but_not_files_or_other_sites(shop_report):
    paths = [page.path for page in shop_report.pages]
    assert paths[0] == "/"
    assert {"/products", "/blog", "/login", "/checkout", "/privacy", "/about"} <= set(
        paths
    )  # /about: sitemap only
    assert "/catalog.pdf" not in paths
    assert all(page.status == 200 for page in shop_report.pages)
    assert shop_report.privacy_link.endswith("/privacy")


def test_the_shop_scan_records_cookies_set_by_header_and_by_script_with_durations(shop_report):
    cookies = {c.name: c for c in shop_report.cookies}
    assert set(cookies) == {"sessionid", "cart", "_ga", "_fbp"}
    assert cookies["sessionid"].duration_seconds is None and cookies["sessionid"].http_only
    assert 34_000_000 < cookies["_ga"].duration_seconds <= 34_190_000
    assert all(c.first_party for c in cookies.values())
    assert [s.name for s in shop_report.storage] == ["shop_recently_viewed"]
    rows = {row.name: row for row in cookie_rows(LIBRARY, shop_report)}
    assert rows["_ga"].provider == "Google Analytics (Google LLC)" and rows["_ga"].duration == "13 months"
    assert rows["_fbp"].purpose.startswith("Advertising")
    assert rows["sessionid"].provider == "This website" and rows["sessionid"].duration == "Session"


def test_the_shop_scan_finds_the_forms_and_what_they_ask_for(shop_report):
    forms = {form.page: form for form in shop_report.forms}
    assert forms["/blog"].label == "Get our newsletter" and forms["/blog"].fields == ("email",)
    assert set(forms["/login"].fields) == {"email", "password"}
    assert set(forms["/checkout"].fields) == {"name", "postal_address", "phone", "payment_card"}
    findings = {f.key: f for f in review_scan(LIBRARY, shop_report, {})}
    assert findings["data:email"].evidence == (
        "asked in “Get our newsletter” on /blog",
        "asked in “Sign in” on /login",
    )
    assert findings["data:password"].change.value == "account_credentials"
    # What a form is for, from its own words: the newsletter sign-up and the order form.
    assert findings["source:newsletter"].evidence == ("“Get our newsletter” on /blog",)
    assert findings["source:order_form"].evidence == ("“Pay” on /checkout",)
    assert "source:registration" not in findings  # a sign-in form is not a sign-up


def test_the_scan_contradicts_answers_that_say_otherwise(shop_report):
    answers = {
        "cookies": {"use": "no"},
        "tools": {"services": ["stripe"]},
        "collection": {"personal_data": ["email"]},
    }
    findings = {f.key: f for f in review_scan(LIBRARY, shop_report, answers)}
    assert findings["cookies:use"].contradicts
    assert findings["cookies:use"].message.endswith("and your answers say it does not.")
    assert findings["service:meta_pixel"].contradicts
    assert "service:stripe" not in findings and "data:email" not in findings  # already said
    # Accepting a finding makes the answers say it; the finding then goes away.
    answers = findings["cookies:use"].change.applied(answers)
    answers = findings["service:meta_pixel"].change.applied(answers)
    assert answers["tools"]["services"] == ["stripe", "meta_pixel"]
    after = {f.key for f in review_scan(LIBRARY, shop_report, answers)}
    assert "cookies:use" not in after and "service:meta_pixel" not in after


def test_a_consent_promise_without_a_banner_is_a_contradiction(shop_report):
    answers = {"cookies": {"use": "yes", "consent": True}}
    finding = next(f for f in review_scan(LIBRARY, shop_report, answers) if f.key == "cookies:consent")
    assert finding.contradicts and "_ga, set by Google Analytics" in finding.evidence


def test_a_scan_survives_a_json_round_trip(shop_report):
    again = ScanReport.from_json(json.loads(json.dumps(shop_report.to_json())))
    assert again == shop_report


def test_a_brochure_site_has_no_cookies_no_services_and_no_privacy_link():
    with FixtureSite(brochure_pages()) as site:
        report = scan_site(site.url, allow_loopback=True)
    assert [page.path for page in report.pages] == ["/", "/about"]
    assert report.cookies == () and report.storage == () and report.forms == ()
    keys = [f.key for f in review_scan(LIBRARY, report, {})]
    assert keys == ["link:privacy"]  # CalOPPA's conspicuous link


def test_an_unknown_tracker_is_listed_with_its_pages():
    with FixtureSite(unknown_tracker_pages()) as site:
        report = scan_site(site.url, allow_loopback=True)
    unknown = [f for f in review_scan(LIBRARY, report, {}) if f.key.startswith("unknown:")]
    assert [f.key for f in unknown] == ["unknown:cdn.unknown-tracker.example"]
    assert unknown[0].evidence == ("requested on /",) and unknown[0].change is None


def test_a_consent_banner_is_recognised():
    banner = (
        '<div style="position:fixed;bottom:0">We use cookies to measure visits. '
        "<button>Accept all</button><button>Reject</button></div>"
    )
    with FixtureSite({"/": Page(html("Cafe", "<h1>Cafe</h1>" + banner))}) as site:
        report = scan_site(site.url, allow_loopback=True)
    assert report.consent_banner.startswith("a cookie notice with buttons")


# --- Safety -------------------------------------------------------------------------------


def test_a_redirect_to_a_private_address_is_refused():
    pages = {"/": Page(status=302, headers={"Location": "http://10.1.2.3/admin"})}
    with FixtureSite(pages) as site, pytest.raises(ScanError, match="private network address"):
        scan_site(site.url, allow_loopback=True)


def test_a_subresource_on_the_metadata_address_is_refused_and_reported():
    body = '<h1>Hi</h1><img src="http://169.254.169.254/latest/meta-data/iam">'
    with FixtureSite({"/": Page(html("Hi", body))}) as site:
        report = scan_site(site.url, allow_loopback=True)
    assert [(r.url, r.reason) for r in report.refused] == [
        ("http://169.254.169.254/latest/meta-data/iam", "169.254.169.254 leads to a cloud metadata address")
    ]


def test_loopback_requests_go_through_the_proxy_too():
    """Chromium skips proxies for localhost unless told not to; the scan tells it (``<-loopback>``),
    so even loopback requests are vetted. The proxy sends every request with "Connection: close"
    (one vetted connection each); Chromium on its own would keep the connection alive."""
    with FixtureSite({"/x.js": Page("1", content_type="text/javascript")}) as other:
        body = f'<script src="{other.url}x.js"></script>'
        with FixtureSite({"/": Page(html("Hi", body))}) as site:
            scan_site(site.url, allow_loopback=True)
        assert other.hits == ["/x.js"]
        assert site.connection_headers[0] == other.connection_headers[0] == "close"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("file:///etc/passwd", "only http:// and https:// addresses"),
        ("http://127.0.0.1:1/", "loopback address"),
        ("http://169.254.169.254/", "cloud metadata address"),
        ("http://[::ffff:10.0.0.1]/", "private network address"),
        ("http://user:pass@shop.example/", "user name or password"),
    ],
)
def test_addresses_that_must_not_be_scanned_are_refused_before_chromium_starts(url, message):
    with pytest.raises(ScanError, match=message):
        scan_site(url)


def test_the_apps_own_host_is_never_scanned():
    with FixtureSite(brochure_pages()) as site, pytest.raises(ScanError, match="this app's own address"):
        scan_site(site.url, allow_loopback=True, forbidden_hosts=frozenset({"127.0.0.1"}))


def test_without_chromium_the_scan_says_so(settings):
    settings.SCAN_CHROMIUM = "/nonexistent/chromium"
    with FixtureSite(brochure_pages()) as site, pytest.raises(ScannerUnavailable, match="needs Chromium"):
        scan_site(site.url, allow_loopback=True)


def test_a_page_that_opens_pop_ups_and_starts_downloads_is_still_scanned():
    """Pop-ups are closed and downloads refused (accept_downloads=False); the scan goes on."""
    body = (
        '<h1>Hi</h1><a href="/about">About</a>'
        "<script>window.open('/about'); const a = document.createElement('a');"
        "a.href = '/file.bin'; a.download = 'x.bin'; document.body.append(a); a.click();</script>"
    )
    pages = {
        "/": Page(html("Hi", body)),
        "/about": Page(html("About", "<h1>About</h1>")),
        "/file.bin": Page("data", content_type="application/octet-stream"),
    }
    with FixtureSite(pages) as site:
        report = scan_site(site.url, allow_loopback=True, limits=ScanLimits(pages=2))
    assert [page.path for page in report.pages] == ["/", "/about"]


def test_the_time_limit_stops_a_scan_and_says_so():
    links = "".join(f'<a href="/p{n}">{n}</a>' for n in range(30))
    slow = '<script>setTimeout(() => {}, 10)</script><img src="/slow.png">'
    pages = {"/": Page(html("Hi", links))} | {f"/p{n}": Page(html("P", slow)) for n in range(30)}
    with FixtureSite(pages) as site:
        report = scan_site(site.url, allow_loopback=True, limits=ScanLimits(pages=30, seconds=4))
    assert len(report.pages) < 30
    assert report.notes and report.notes[0].startswith("Stopped after")


# --- The proxy: resolution is checked and used once ------------------------------------------


def test_the_proxy_connects_to_the_address_it_checked_not_a_later_answer():
    """DNS rebinding: the first answer is public, later ones private. The proxy asks once and
    connects to exactly what it vetted."""
    answers = iter([["93.184.216.34"], ["10.0.0.1"], ["10.0.0.1"]])
    connected: list[tuple[str, int]] = []

    def connect(address: tuple[str, int], timeout: float) -> socket.socket:
        connected.append(address)
        raise OSError("no network in tests")

    policy = ProxyPolicy(resolver=lambda host: next(answers), connect=connect)
    with ScanProxy(policy) as proxy:
        port = int(proxy.address.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"CONNECT rebind.example:443 HTTP/1.1\r\nHost: rebind.example:443\r\n\r\n")
            reply = client.recv(1024)
    assert connected == [("93.184.216.34", 443)]
    assert reply.startswith(b"HTTP/1.1 403")  # nothing answered, and nothing else was tried


def test_the_proxy_refuses_private_answers_and_says_why():
    policy = ProxyPolicy(resolver=lambda host: ["192.168.1.10"])
    with ScanProxy(policy) as proxy:
        port = int(proxy.address.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET http://router.example/ HTTP/1.1\r\nHost: router.example\r\n\r\n")
            reply = client.recv(1024)
    assert reply.startswith(b"HTTP/1.1 403") and b"private network address" in reply
    assert proxy.log.refused == {"router.example": "router.example leads to a private network address"}


def test_the_proxy_stops_at_the_byte_budget():
    big = "x" * 200_000
    with FixtureSite({"/big": Page(big, content_type="text/plain")}) as site:
        policy = ProxyPolicy(allow_loopback=True, byte_budget=50_000)
        with ScanProxy(policy) as proxy:
            port = int(proxy.address.rsplit(":", 1)[1])
            received = b""
            with socket.create_connection(("127.0.0.1", port)) as client:
                client.sendall(f"GET {site.url}big HTTP/1.1\r\nHost: x\r\n\r\n".encode())
                client.settimeout(5)
                while chunk := client.recv(65536):
                    received += chunk
    assert 50_000 <= len(received) < 150_000


def test_webrtc_cannot_send_udp_around_the_proxy():
    """STUN and TURN go over UDP to whatever address a page names, around any HTTP proxy (checked
    with Chromium 156: packets arrived): pages get no WebRTC at all."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    script = (
        "<script>try { const pc = new RTCPeerConnection({iceServers: [{urls: 'stun:127.0.0.1:PORT'}]});"
        "pc.createDataChannel('x'); pc.createOffer().then(o => pc.setLocalDescription(o));"
        "document.title = 'webrtc'; } catch (e) { document.title = 'no webrtc'; }</script>"
    ).replace("PORT", str(port))
    with FixtureSite({"/": Page(html("Hi", "<h1>Hi</h1>" + script))}) as site:
        scan_site(site.url, allow_loopback=True)
    with pytest.raises(TimeoutError):
        listener.recvfrom(2048)
    listener.close()


def test_a_page_that_keeps_the_browser_busy_is_stopped_by_the_watchdog():
    """A script that never yields blocks every call into the page; past the limit the scan's own
    Chromium is killed and the worker is free again."""
    body = "<h1>Hi</h1><script>addEventListener('load', () => setTimeout(() => { for (;;) {} }, 0));</script>"
    limits = ScanLimits(pages=3, seconds=3, page_seconds=2, watchdog_margin=2)
    with FixtureSite({"/": Page(html("Hi", body))}) as site:
        started = time.monotonic()
        with pytest.raises(ScanError, match="kept the browser busy past the scan's time limit"):
            scan_site(site.url, allow_loopback=True, limits=limits)
    assert time.monotonic() - started < 20


def test_the_proxy_forwards_one_request_per_connection_even_when_the_site_keeps_it_alive():
    """A second request on a kept-alive connection would go to the first site unvetted: the proxy
    reads nothing after the first request, and tells the browser to close."""
    seen: list[bytes] = []
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)

    def upstream() -> None:
        connection, _ = server.accept()
        connection.settimeout(3)
        try:
            while chunk := connection.recv(4096):
                seen.append(chunk)
                connection.sendall(
                    b"HTTP/1.1 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok"
                )
        except OSError:
            pass
        connection.close()

    threading.Thread(target=upstream, daemon=True).start()
    port = server.getsockname()[1]
    with ScanProxy(ProxyPolicy(allow_loopback=True)) as proxy:
        with socket.create_connection(("127.0.0.1", int(proxy.address.rsplit(":", 1)[1]))) as client:
            client.sendall(f"GET http://127.0.0.1:{port}/one HTTP/1.1\r\nHost: a\r\n\r\n".encode())
            reply = client.recv(4096)
            client.sendall(b"GET http://169.254.169.254/latest HTTP/1.1\r\nHost: b\r\n\r\n")
            time.sleep(0.5)
    assert b"Connection: close" in reply and b"keep-alive" not in reply
    assert b"".join(seen).count(b"GET ") == 1 and b"169.254" not in b"".join(seen)
    server.close()


def test_the_apps_own_address_cannot_be_reached_in_another_spelling():
    policy = ProxyPolicy(allow_loopback=True, forbidden_addresses=frozenset({"127.0.0.1"}))
    with ScanProxy(policy) as proxy:
        port = int(proxy.address.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as client:
            client.sendall(b"GET http://[::ffff:127.0.0.1]:9/ HTTP/1.1\r\nHost: x\r\n\r\n")
            reply = client.recv(1024)
    assert reply.startswith(b"HTTP/1.1 403") and b"this app's own address" in reply
