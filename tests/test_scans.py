"""Scanning from the wizard, the task queue, the review page and the published-policy rescans.

The scans run in real Chromium against fixture sites on 127.0.0.1 (``SCAN_ALLOW_LOOPBACK`` on, as
in tests and development only). The task worker is django-tasks' own ``db_worker``, run with
``--batch`` so it does what is queued and stops.
"""

from __future__ import annotations

import dataclasses
import json
import re
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from policybuilder.devtools.fixture_sites import FixtureSite, Page, brochure_pages, html, shop_pages
from policybuilder.drafts.models import Draft
from policybuilder.publishing.models import PublishedPolicy
from policybuilder.renderers import FORMATS
from policybuilder.scans.admin import OutOfDateFilter
from policybuilder.scans.models import SiteScan
from tests.support.examples import example_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard

pytestmark = [pytest.mark.django_db, pytest.mark.browser]


@pytest.fixture(autouse=True)
def _loopback(settings):
    settings.SCAN_ALLOW_LOOPBACK = True


@pytest.fixture
def shop():
    with FixtureSite(shop_pages()) as site:
        yield site


def run_worker() -> None:
    """django-tasks' own worker, once through the queue. It closes the database connection between
    tasks, which would end the test's transaction: here that step does nothing."""
    with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
        call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


@pytest.fixture
def draft(client, db_library):
    """A finished draft of the small shop, which already lists Google Analytics and Stripe."""
    draft = complete_wizard(client, example_raw("small-shop"))
    draft.refresh_from_db()
    return draft


def scan_through_the_wizard(client, draft, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("scan-start", args=[draft.token]), {"url": url, "back": "tools"})
    assert response.status_code == 302
    scan = SiteScan.objects.get(draft=draft)
    assert response["Location"] == reverse("scan-results", args=[draft.token, scan.token]) + "?back=tools"
    return scan, response["Location"]


def test_a_scan_is_queued_not_run_in_the_request_and_its_page_shows_progress(
    client, draft, shop, django_capture_on_commit_callbacks
):
    scan, url = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    assert scan.status == SiteScan.Status.QUEUED and shop.hits == []  # nothing fetched yet
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(url).content.decode()
    assert "Scanning your website" in page and "The scan starts in a moment." in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page


def test_the_worker_scans_and_the_results_offer_each_finding_with_its_evidence(
    client, draft, shop, django_capture_on_commit_callbacks
):
    scan, url = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    run_worker()
    scan.refresh_from_db()
    assert scan.status == SiteScan.Status.DONE and scan.pages_done == 7
    page = client.get(url).content.decode()
    # The draft lists Google Analytics and Stripe already: the shop's Meta Pixel contradicts it.
    assert "Your answers say otherwise" in page
    assert "Your site uses Meta Pixel, and your answers do not list it." in page
    assert "connect.facebook.net requested on /, /products and /blog" in page
    assert "Google Analytics" not in re.sub(r"<table.*?</table>", "", page, flags=re.S)  # already said
    assert "Add this cookie table to my policy" in page


def test_one_click_accepts_a_finding_and_the_policy_follows(
    client, draft, shop, django_capture_on_commit_callbacks
):
    scan, url = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    run_worker()
    response = client.post(
        reverse("scan-accept", args=[draft.token, scan.token]), {"key": "service:meta_pixel", "back": "tools"}
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert "meta_pixel" in draft.answers["tools"]["services"]
    assert "Meta Pixel" in client.get(reverse("draft-download", args=[draft.token, "md"])).content.decode()
    assert "Your site uses Meta Pixel" not in client.get(url).content.decode()


def test_use_all_accepts_every_finding(client, draft, shop, django_capture_on_commit_callbacks):
    scan, url = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    run_worker()
    keys = re.findall(r'name="key" value="([^"]+)"', client.get(url).content.decode())
    client.post(reverse("scan-accept", args=[draft.token, scan.token]), {"key": keys})
    draft.refresh_from_db()
    assert "advertising" in draft.answers["cookies"]["purposes"]
    assert "Your answers already say everything this scan saw." in client.get(url).content.decode()


def test_the_cookie_table_goes_into_every_format(client, draft, shop, django_capture_on_commit_callbacks):
    scan, _ = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    run_worker()
    client.post(reverse("scan-accept", args=[draft.token, scan.token]), {"action": "table"})
    draft.refresh_from_db()
    assert [row["name"] for row in draft.answers["cookies"]["table"]] == [
        "sessionid", "cart", "_ga", "_fbp", "shop_recently_viewed",
    ]  # fmt: skip
    md = client.get(reverse("draft-download", args=[draft.token, "md"])).content.decode()
    assert (
        "| \\_ga | Google Analytics (Google LLC) | Analytics: counts visits and how pages are used | 13 months | First party |"
        in md
    )
    text = client.get(reverse("draft-download", args=[draft.token, "txt"])).content.decode()
    assert "_fbp\n  Provider: Meta Pixel (Meta Platforms, Inc.)\n" in text
    page = client.get(reverse("draft-download", args=[draft.token, "html"])).content.decode()
    assert "<td>shop_recently_viewed</td>" in page
    # The cookies page shows the table read-only and keeps it through a save.
    cookies_page = client.get(reverse("draft-step", args=[draft.token, "cookies"])).content.decode()
    assert "Leave the cookie table out of the policy" in cookies_page


def test_a_scan_with_no_worker_says_so_instead_of_spinning(client, draft, shop, settings):
    settings.SCAN_WORKER_GRACE_SECONDS = 0
    scan, _ = SiteScan.objects.create(url=shop.url, host="127.0.0.1", draft=draft), None
    state = client.get(reverse("scan-status", args=[draft.token, scan.token])).json()
    assert state["status"] == "queued" and not state["finished"]
    assert "seems to be stopped" in state["problem"] and "manage.py db_worker" in state["problem"]


def test_addresses_that_cannot_be_scanned_get_a_clear_message_and_no_scan(client, draft):
    for url, message in [
        ("", "Give your website&#x27;s address first"),
        ("http://10.0.0.8/", "leads to a private network address"),
        ("http://testserver/", "this app&#x27;s own address"),
        ("ftp://files.example/", "only http:// and https:// addresses"),
    ]:
        response = client.post(
            reverse("scan-start", args=[draft.token]), {"url": url, "back": "cookies"}, follow=True
        )
        assert response.redirect_chain[-1][0].endswith("/step/cookies/#scan"), url
        assert message in response.content.decode(), url
    assert not SiteScan.objects.exists()


def test_a_site_is_scanned_at_most_n_times_an_hour_by_anyone(client, draft, shop, settings):
    settings.SCAN_PER_SITE_PER_HOUR = 2
    for _ in range(2):
        SiteScan.objects.create(url=shop.url, host="127.0.0.1", status=SiteScan.Status.DONE)
    response = client.post(reverse("scan-start", args=[draft.token]), {"url": shop.url}, follow=True)
    assert "has been scanned 2 times in the last hour" in response.content.decode()


def test_a_second_request_while_scanning_returns_the_same_scan(client, draft, shop):
    first = client.post(reverse("scan-start", args=[draft.token]), {"url": shop.url})
    second = client.post(reverse("scan-start", args=[draft.token]), {"url": shop.url})
    assert first["Location"] == second["Location"] and SiteScan.objects.count() == 1


def test_scans_are_private_to_their_draft(client, draft, shop, db_library):
    scan = SiteScan.objects.create(url=shop.url, host="127.0.0.1", draft=draft)
    other = Draft.objects.create(answers={})
    assert client.get(reverse("scan-results", args=[other.token, scan.token])).status_code == 404
    assert client.get(reverse("scan-results", args=[draft.token, "x" * 24])).status_code == 404
    assert len(scan.token) >= 24


def test_the_review_page_shows_what_the_site_contradicts_with_a_one_click_fix(
    client, draft, shop, django_capture_on_commit_callbacks
):
    scan, _ = scan_through_the_wizard(client, draft, shop.url, django_capture_on_commit_callbacks)
    run_worker()
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Your website says otherwise" in review and "Your site uses Meta Pixel" in review
    response = client.post(
        reverse("scan-accept", args=[draft.token, scan.token]),
        {"key": "service:meta_pixel", "next": "review"},
    )
    assert response["Location"] == reverse("draft-review", args=[draft.token]) + "#messages"
    assert (
        "Your site uses Meta Pixel"
        not in client.get(reverse("draft-review", args=[draft.token])).content.decode()
    )


def test_the_scan_box_is_on_the_first_services_and_cookies_pages(client, draft):
    for page in ("organization", "tools", "cookies"):
        html_page = client.get(reverse("draft-step", args=[draft.token, page])).content.decode()
        assert "Scan my website" in html_page and 'value="https://juniperandrye.example"' in html_page
    assert (
        "Scan my website"
        not in client.get(reverse("draft-step", args=[draft.token, "rights"])).content.decode()
    )


def test_a_failed_scan_says_why_and_offers_to_try_again(client, draft, django_capture_on_commit_callbacks):
    pages = {"/": Page(status=302, headers={"Location": "http://192.168.0.1/"})}
    with FixtureSite(pages) as site:
        scan, url = scan_through_the_wizard(client, draft, site.url, django_capture_on_commit_callbacks)
        run_worker()
    page = client.get(url).content.decode()
    assert "The home page could not be opened: 192.168.0.1 leads to a private network address." in page
    assert "Scan my website" in page


# --- Published policies stay true ----------------------------------------------------------------


def test_a_published_policy_whose_site_adds_a_tracker_shows_up_as_out_of_date(
    client, db_library, admin_client
):
    pages = brochure_pages()
    with FixtureSite(pages) as site:
        raw = example_raw("small-shop")
        raw["organization"]["website"] = site.url.rstrip("/")
        draft = complete_wizard(client, raw)
        publish(client, draft)
        policy = PublishedPolicy.objects.get(draft=draft)

        out = StringIO()
        call_command("rescan_published", stdout=out, stderr=StringIO())
        assert out.getvalue() == f"{policy.public_id} {site.url.rstrip('/')}: up to date\n"

        # The site adds TikTok Pixel.
        pages["/"] = Page(
            html(
                "Oak",
                '<h1>Oak</h1><a href="/privacy">Privacy</a>',
                '<script src="https://analytics.tiktok.com/i18n/pixel/events.js"></script>',
            )
        )
        with override_settings(SCAN_PER_SITE_PER_HOUR=10):
            call_command("rescan_published", stdout=out, stderr=StringIO())
    assert "out of date, 1 difference(s):" in out.getvalue()
    scan = SiteScan.objects.filter(policy=policy).first()
    assert [item["key"] for item in scan.drift] == ["service:tiktok_pixel"]

    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Your published policy is out of date" in review
    assert re.search(r"Since \d{4}-\d\d-\d\d: Your site uses TikTok Pixel", review)

    # One click puts it in the draft; the published policy stays out of date until a new version says it.
    client.post(
        reverse("scan-accept", args=[draft.token, scan.token]),
        {"key": "service:tiktok_pixel", "next": "review"},
    )
    draft.refresh_from_db()
    assert "tiktok_pixel" in draft.answers["tools"]["services"]
    assert (
        "Your published policy is out of date"
        in client.get(reverse("draft-review", args=[draft.token])).content.decode()
    )
    publish(client, draft, confirm_errors="on", confirm_notice="on")
    assert policy.versions.count() == 2
    assert (
        "Your published policy is out of date"
        not in client.get(reverse("draft-review", args=[draft.token])).content.decode()
    )

    admin_page = admin_client.get(
        reverse("admin:scans_sitescan_changelist") + f"?{OutOfDateFilter.parameter_name}=out_of_date"
    ).content.decode()
    assert (
        "Your site uses TikTok Pixel" in admin_page
        and policy.organization_name.replace("&", "&amp;") in admin_page
    )


# --- The command line ------------------------------------------------------------------------


def test_scansite_prints_services_cookies_and_forms(shop):
    out = StringIO()
    call_command(
        "scansite",
        shop.url,
        "--library-file",
        "policybuilder/library/data/library.yaml",
        stdout=out,
        stderr=StringIO(),
    )
    text = out.getvalue()
    assert (
        "Meta Pixel (meta_pixel): connect.facebook.net requested on /, /products and /blog; _fbp set on /"
        in text
    )
    assert "  _ga  Google Analytics (Google LLC)  13 months  First party" in text
    assert "  /blog “Get our newsletter”: an email address" in text


def test_scansite_json_feeds_buildpolicy_scan(shop, tmp_path, db_library):
    scan_file = tmp_path / "scan.json"
    call_command("scansite", shop.url, "--json", "-o", str(scan_file), stderr=StringIO())
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(example_raw("small-shop")))
    out, err = StringIO(), StringIO()
    call_command("buildpolicy", str(answers), "--scan", str(scan_file), "-f", "md", stdout=out, stderr=err)
    assert "| \\_fbp | Meta Pixel (Meta Platforms, Inc.) |" in out.getvalue()
    assert "contradiction: Your site uses Meta Pixel, and your answers do not list it." in err.getvalue()


def test_scansite_refuses_an_address_it_must_not_scan():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="private network address"):
        call_command("scansite", "http://10.9.8.7/")


def test_buildpolicy_refuses_a_broken_scan_file_with_the_field(tmp_path, db_library):
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(example_raw("small-shop")))
    from django.core.management.base import CommandError

    for content, message in [
        ("{not json", "not JSON"),
        (
            '{"format": 1, "site_url": "x", "started_at": "x", "seconds": 1, "cookies": [{"name": 5}]}',
            "cookies[0].name should be text",
        ),
        ('{"format": 7}', "format is 7; expected 1"),
    ]:
        scan_file = tmp_path / "scan.json"
        scan_file.write_text(content)
        with pytest.raises(CommandError, match=re.escape(message)):
            call_command("buildpolicy", str(answers), "--scan", str(scan_file))


# --- The PDF is rendered ahead, in the background -------------------------------------------


def test_the_review_page_queues_the_pdf_and_the_download_is_served_from_the_cache(
    client, draft, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.get(reverse("draft-review", args=[draft.token]))
        client.get(reverse("draft-review", args=[draft.token]))  # queued once, not twice
    assert DBTaskResult.objects.filter(task_path__endswith="prerender_pdf_task").count() == 1
    run_worker()

    def no_render(document):
        raise AssertionError("the PDF was rendered again")

    monkeypatch.setitem(FORMATS, "pdf", dataclasses.replace(FORMATS["pdf"], render=no_render))
    response = client.get(reverse("draft-download", args=[draft.token, "pdf"]))
    assert response.status_code == 200 and b"".join(response).startswith(b"%PDF-")


def test_the_deploy_check_refuses_loopback_scanning_in_production(settings):
    from policybuilder.checks import scanner_stays_off_loopback

    settings.DEBUG = False
    assert [e.id for e in scanner_stays_off_loopback(None)] == ["policybuilder.E002"]
    settings.SCAN_ALLOW_LOOPBACK = False
    assert scanner_stays_off_loopback(None) == []


def test_the_cookies_page_keeps_the_table_through_a_save_and_can_leave_it_out(client, draft):
    from policybuilder.questionnaire import PAGES_BY_KEY
    from tests.support.wizard import form_data

    rows = [
        {
            "name": "_ga",
            "provider": "Google Analytics (Google LLC)",
            "purpose": "Analytics",
            "duration": "13 months",
            "party": "First party",
        }
    ]
    answers = {**draft.answers, "cookies": {**draft.answers["cookies"], "table": rows}}
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    url = reverse("draft-step", args=[draft.token, "cookies"])
    page = client.get(url).content.decode()
    assert "<td>_ga</td>" in page and "Leave the cookie table out of the policy" in page
    data = form_data(PAGES_BY_KEY["cookies"], answers)
    assert client.post(url, data).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["cookies"]["table"] == rows
    # A purpose can be said in the owner's words; too long a purpose is refused and nothing is lost.
    client.post(url, {**data, "cookies__table-purpose-0": "Counts visits to our pages"})
    draft.refresh_from_db()
    assert draft.answers["cookies"]["table"][0]["purpose"] == "Counts visits to our pages"
    refused = client.post(url, {**data, "cookies__table-purpose-0": "x" * 121}).content.decode()
    assert "cookie 1: purpose must have 1 to 120 characters" in refused.lower()
    assert 'value="' + "x" * 121 + '"' in refused and "<td>_ga</td>" in refused
    client.post(url, {**data, "cookies__table-remove": "1"})
    draft.refresh_from_db()
    assert draft.answers["cookies"]["table"] == []
    tampered = {**data, "cookies__table": '[{"name": "x"}]'}
    response = client.post(url, tampered)
    content = response.content.decode()
    assert response.status_code == 200, content
    assert "Cookie table: Cookie 1: must be an object with name, provider" in content


def test_what_a_site_says_about_itself_stays_text(client, draft, django_capture_on_commit_callbacks):
    hostile = "<img src=x onerror=alert(1)>"
    body = (
        f'<form><legend>{hostile.replace("<", "&lt;")}</legend><input type="email" name="email"></form>'
        '<script>localStorage.setItem("\\x3cscript>alert(2)\\x3c/script>", "1");</script>'
    )
    # The shop's answers list every kind of field: make the email address new to them.
    answers = {**draft.answers, "collection": {**draft.answers["collection"], "personal_data": ["name"]}}
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    with FixtureSite({"/": Page(html("Hi", body))}) as site:
        scan, url = scan_through_the_wizard(client, draft, site.url, django_capture_on_commit_callbacks)
        run_worker()
    page = client.get(url).content.decode()
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and hostile not in page
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in page and "<script>alert(2)" not in page
    client.post(reverse("scan-accept", args=[draft.token, scan.token]), {"action": "table"})
    md = client.get(reverse("draft-download", args=[draft.token, "md"])).content.decode()
    assert "\\<script\\>alert(2)\\</script\\>" in md
    html_policy = client.get(reverse("draft-download", args=[draft.token, "html"])).content.decode()
    assert "<script>alert(2)" not in html_policy


def test_scans_are_rate_limited_per_person_counting_only_scans_that_start(client, draft, shop, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "scan": "2/h"}
    settings.SCAN_PER_SITE_PER_HOUR = 100
    statuses = []
    for url in [shop.url, "http://10.0.0.1/", "notaurl", shop.url, shop.url]:
        SiteScan.objects.filter(draft=draft).update(status=SiteScan.Status.DONE)  # not one scan waiting
        statuses.append(client.post(reverse("scan-start", args=[draft.token]), {"url": url}).status_code)
    assert statuses == [302, 302, 302, 302, 429]  # two typing mistakes did not use up the limit
    assert SiteScan.objects.count() == 2


def test_scanning_from_a_wizard_page_keeps_what_was_typed_there(client, db_library, shop):
    from policybuilder.drafts.services import create_draft
    from policybuilder.questionnaire import PAGES_BY_KEY
    from tests.support.wizard import form_data

    draft = create_draft()
    raw = example_raw("small-shop")
    raw["organization"]["website"] = shop.url.rstrip("/")
    data = form_data(PAGES_BY_KEY["organization"], raw) | {"scan_url": ""}
    response = client.post(reverse("scan-start", args=[draft.token]) + "?page=organization", data)
    assert response.status_code == 302 and "/scan/" in response["Location"]
    draft.refresh_from_db()
    assert draft.answers["organization"]["name"] == "Juniper & Rye Ceramics"
    assert "organization" in draft.completed_pages
    assert SiteScan.objects.get().url == shop.url.rstrip("/")  # the website typed on the page


def test_a_bad_address_is_explained_inside_the_scan_box(client, draft):
    response = client.post(
        reverse("scan-start", args=[draft.token]) + "?page=tools",
        {"scan_url": "http://10.0.0.1/"},
        follow=True,
    )
    page = response.content.decode()
    box = page[page.index('id="scan"') :]
    assert 'role="alert" id="scan-error">We can&#x27;t scan http://10.0.0.1/' in box
    assert "private network address" not in page[: page.index('id="scan"')]  # not lost at the top


def test_a_stuck_or_superseded_scan_never_blocks_a_draft(client, draft, shop):
    import datetime as dt

    from django.utils import timezone

    stuck = SiteScan.objects.create(
        url="https://old.example/",
        host="old.example",
        draft=draft,
        status=SiteScan.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(days=3),
    )
    response = client.post(reverse("scan-start", args=[draft.token]), {"url": shop.url})
    new = SiteScan.objects.exclude(pk=stuck.pk).get()
    assert response["Location"].startswith(reverse("scan-results", args=[draft.token, new.token]))
    stuck.refresh_from_db()
    assert stuck.status == SiteScan.Status.FAILED and "stopped without finishing" in stuck.error
    # Asking for another address replaces a scan still waiting for the worker.
    client.post(reverse("scan-start", args=[draft.token]), {"url": shop.url + "about"})
    new.refresh_from_db()
    assert new.status == SiteScan.Status.FAILED and new.error.startswith("Replaced by a scan of")
