"""A site scan's observations matched to the catalogue, and the addresses a scan refuses (issue 15).

The browser side of the scan comes later; these tests feed the observations a
browser would record, including requests to real services' hosts that cannot be
reached from here (a request that fails still shows what the page tried to load).
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from policybuilder.clause_library import Library, read_library_file
from policybuilder.scan_matching import (
    ObservedCookie,
    ObservedRequest,
    address_refusal,
    glob_matches,
    host_matches,
    match_observations,
)

LIBRARY = read_library_file()
SHOP = "https://shop.example"


def keys(matches) -> list[str]:
    return [match.key for match in matches.services]


def test_a_shop_with_analytics_advertising_and_payments_is_recognised_with_its_evidence():
    requests = [
        ObservedRequest("https://www.googletagmanager.com/gtag/js?id=G-1", "/"),
        ObservedRequest("https://connect.facebook.net/en_US/fbevents.js", "/"),
        ObservedRequest("https://connect.facebook.net/en_US/fbevents.js", "/checkout"),
        ObservedRequest("https://js.stripe.com/v3/", "/checkout"),
        ObservedRequest("https://shop.example/static/app.js", "/"),
    ]
    cookies = [ObservedCookie("_ga", ".shop.example", "/"), ObservedCookie("_fbp", ".shop.example", "/")]
    matches = match_observations(LIBRARY, SHOP, requests, cookies)
    assert {"google_analytics", "meta_pixel", "stripe"} <= set(keys(matches))
    meta = next(match for match in matches.services if match.key == "meta_pixel")
    assert "connect.facebook.net requested on / and /checkout" in [e.describe() for e in meta.evidence]
    analytics = next(match for match in matches.services if match.key == "google_analytics")
    assert "_ga set on /" in [e.describe() for e in analytics.evidence]
    assert matches.unknown_hosts == ()  # the site's own scripts are first-party


def test_a_self_hosted_tool_is_seen_by_its_script_path_on_the_sites_own_host():
    matches = match_observations(LIBRARY, SHOP, [ObservedRequest("https://shop.example/matomo.js", "/")])
    assert "matomo_self_hosted" in keys(matches)
    assert matches.unknown_hosts == ()


def test_an_unknown_tracker_is_listed_with_its_pages_and_a_near_miss_host_is_not_a_match():
    requests = [
        ObservedRequest("https://cdn.tracker.example/t.js", "/"),
        ObservedRequest("https://cdn.tracker.example/t.js", "/blog"),
        # "notfacebook.net" is not a subdomain of facebook.net: no Meta match.
        ObservedRequest("https://evil-connect.notfacebook.net/x", "/"),
    ]
    matches = match_observations(LIBRARY, SHOP, requests)
    assert "meta_pixel" not in keys(matches)
    assert [(u.host, u.pages) for u in matches.unknown_hosts] == [
        ("cdn.tracker.example", ("/", "/blog")),
        ("evil-connect.notfacebook.net", ("/",)),
    ]


def test_a_hint_edited_by_staff_changes_what_a_scan_recognises():
    library = Library(
        sections=LIBRARY.sections,
        services=tuple(
            replace(s, hosts=("pixel.tracker.example",)) if s.key == "tiktok_pixel" else s
            for s in LIBRARY.services
        ),
    )
    request = [ObservedRequest("https://pixel.tracker.example/p.js", "/")]
    assert "tiktok_pixel" in keys(match_observations(library, SHOP, request))
    assert "tiktok_pixel" not in keys(match_observations(LIBRARY, SHOP, request))


def test_hints_match_subdomains_and_globs_only_where_the_catalogue_says():
    assert host_matches("www.google-analytics.com", "google-analytics.com")
    assert not host_matches("google-analytics.com.evil.example", "google-analytics.com")
    assert glob_matches("_ga_ABC123", "_ga_*") and not glob_matches("x_ga_ABC", "_ga_*")
    assert not glob_matches("_gaXa", "_ga.a")  # a dot is a dot, not "any character"


def test_untrusted_text_from_a_site_is_kept_short():
    long_host = "a" * 60 + "." + "b" * 60 + "." + "c" * 60 + "." + "d" * 60 + ".example"
    matches = match_observations(LIBRARY, SHOP, [ObservedRequest(f"https://{long_host}/x", "/" + "p" * 500)])
    (unknown,) = matches.unknown_hosts
    assert len(unknown.host) <= 200 and len(unknown.pages[0]) <= 200


# --- Addresses a scan refuses (server-side request forgery) -----------------------------------


def resolver(table):
    return lambda host: table[host]


@pytest.mark.parametrize(
    ("url", "table", "reason"),
    [
        ("ftp://shop.example/", {}, "only http:// and https://"),
        ("file:///etc/passwd", {}, "only http:// and https://"),
        ("http://127.0.0.1:8000/", {}, "loopback"),
        ("http://[::1]/", {}, "loopback"),
        ("http://10.0.0.5/", {}, "private network"),
        ("http://192.168.1.1/admin", {}, "private network"),
        ("http://169.254.169.254/latest/meta-data/", {}, "cloud metadata"),
        ("http://[::ffff:127.0.0.1]/", {}, "loopback"),
        ("http://0.0.0.0/", {}, "unspecified"),
        ("http://224.0.0.1/", {}, "multicast"),
        # A public-looking name that resolves to a private address, or to several with one private.
        ("https://intranet.example/", {"intranet.example": ["10.1.2.3"]}, "private network"),
        ("https://mixed.example/", {"mixed.example": ["93.184.216.34", "127.0.0.1"]}, "loopback"),
        ("https://user:pw@shop.example/", {}, "user name or password"),
        ("https://shop.example:99999/", {}, "not a valid web address"),
        ("https://nowhere.example/", {"nowhere.example": []}, "was not found on the internet"),
    ],
)
def test_private_and_odd_addresses_are_refused_with_a_reason(url, table, reason):
    refusal = address_refusal(url, resolver=resolver(table))
    assert refusal is not None and reason in refusal


def test_a_public_address_is_allowed_and_loopback_only_when_tests_ask():
    assert (
        address_refusal("https://shop.example/", resolver=resolver({"shop.example": ["93.184.216.34"]}))
        is None
    )
    assert address_refusal("http://127.0.0.1:8000/", allow_loopback=True) is None
    # The metadata address stays refused even where loopback is allowed.
    assert "metadata" in (address_refusal("http://169.254.169.254/", allow_loopback=True) or "")


def test_cookies_set_before_any_click_contradict_a_consent_promise_banner_or_not(library):
    from policybuilder.scan_report import CookieRecord, ScanReport
    from policybuilder.scan_review import review_scan

    ga = CookieRecord("_ga", "shop.example", "/", 34_000_000, False, False, "Lax", True, "/")
    answers = {"cookies": {"use": "yes", "consent": True}}
    for banner, words in [
        ("", "saw no consent banner"),
        ("consent tool #onetrust-banner-sdk", "saw a consent banner"),
    ]:
        report = ScanReport(
            "https://shop.example/", "2026-12-01T00:00:00+00:00", 1.0, cookies=(ga,), consent_banner=banner
        )
        finding = next(f for f in review_scan(library, report, answers) if f.key == "cookies:consent")
        assert words in finding.message and finding.contradicts
        assert finding.evidence == ("_ga, set by Google Analytics",)
    # Without the promise, or with only a first-party cookie no service explains, nothing to flag.
    assert all(
        f.key != "cookies:consent"
        for f in review_scan(library, report, {"cookies": {"use": "yes", "consent": False}})
    )
    plain = ScanReport(
        "https://shop.example/",
        "x",
        1.0,
        cookies=(CookieRecord("sessionid", "shop.example", "/", None, True, False, "Lax", True, "/"),),
    )
    assert all(f.key != "cookies:consent" for f in review_scan(library, plain, answers))


def test_the_cookie_table_answer_leaves_out_rows_the_answer_would_refuse(library):
    from policybuilder.scan_report import CookieRecord, ScanReport, StorageKey
    from policybuilder.scan_review import cookie_table_answer

    nameless = CookieRecord("", "shop.example", "/", None, False, False, "Lax", True, "/")
    good = CookieRecord("_ga", "shop.example", "/", 34_000_000, False, False, "Lax", True, "/")
    report = ScanReport(
        "https://shop.example/",
        "x",
        1.0,
        cookies=(nameless, good),
        storage=(StorageKey("evil\u202ekey", "local", "/"), StorageKey("cart", "local", "/")),
    )
    assert [row["name"] for row in cookie_table_answer(library, report)] == ["_ga", "cart"]
