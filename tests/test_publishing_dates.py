"""Publishing asks for the version's effective date and keeps the notice the policy promised (issue 12, 6)."""

from __future__ import annotations

import datetime as dt
import html
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from policybuilder.derived import long_date
from policybuilder.drafts.models import Draft
from policybuilder.library.models import Clause
from policybuilder.library.revisions import library_changed
from policybuilder.publishing.models import PolicyVersion, PublishedPolicy
from policybuilder.publishing.notice import promised_notice
from policybuilder.publishing.services import compare_sections, summarise
from policybuilder.questionnaire import PAGES_BY_KEY, QUESTIONS_BY_PATH
from tests.support.examples import example_raw
from tests.support.hostile import PAYLOADS
from tests.support.publishing import publish, suggested_date
from tests.support.wizard import complete_wizard, form_data

pytestmark = pytest.mark.django_db

V1_DATE = "2026-01-15"  # small-shop's effective date


def shop(days: int = 14, methods: tuple[str, ...] = ("website", "email")) -> dict:
    answers = example_raw("small-shop")
    assert answers["organization"]["effective_date"] == V1_DATE
    answers["policy_changes"] = {"notice_methods": list(methods), "effective_after_days": days}
    return answers


def today() -> dt.date:
    return timezone.localdate()


def change_the_library() -> None:
    Clause.objects.filter(key="introduction.who-we-are").update(body="Revised. {{ organization.name }}")
    library_changed()


def review(client, draft) -> str:
    return client.get(reverse("draft-review", args=[draft.token])).content.decode()


def post(client, draft, **data):
    return client.post(reverse("draft-publish", args=[draft.token]), data)


def input_value(page: str, name: str) -> str:
    match = re.search(rf'<input type="[a-z]+" name="{name}" value="([^"]*)"', page)
    assert match, f"no {name} input with a value"
    return html.unescape(match.group(1))


def is_ticked(page: str, name: str) -> bool:
    match = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', page)
    assert match, f"no {name} checkbox"
    return " checked" in match.group(0)


@pytest.fixture
def first_version(client, db_library):
    """Small-shop, promising email and this page 14 days ahead, published as version 1 on its own date."""
    draft = complete_wizard(client, shop())
    assert suggested_date(client, draft) == V1_DATE  # version 1: the date answered on the first page
    assert "Published version 1." in publish(client, draft, follow=True).content.decode()
    change_the_library()  # so that there is something new to publish
    return draft, PublishedPolicy.objects.get(draft=draft)


def test_version_2_defaults_to_today_plus_the_promised_notice_not_version_1s_date(client, first_version):
    draft, _ = first_version
    page = review(client, draft)
    expected = today() + dt.timedelta(days=14)
    assert input_value(page, "effective_date") == expected.isoformat() != V1_DATE
    assert (
        f"Suggested: today plus the 14 days of notice your policy promises, {long_date(expected.isoformat())}. "
        f"Version 2 does not keep the date of version 1 (January 15, 2026)." in html.unescape(page)
    )
    publish(client, draft)
    assert PolicyVersion.objects.get(number=2).effective_date == expected


def test_the_reminder_names_the_promised_channels_and_days_in_the_questionnaires_words(client, first_version):
    draft, _ = first_version
    page = html.unescape(review(client, draft))
    labels = {c.value: c.label.lower() for c in QUESTIONS_BY_PATH["policy_changes.notice_methods"].choices}
    assert labels["email"] == "by email"  # the reminder's words are the question's own labels
    assert (
        f"Your policy says you will tell people about changes {labels['website']} and by email, "
        "14 days before they take effect. Give that notice when you publish, at least 14 days before "
        "the date below." in page
    )


def test_the_reminder_and_default_follow_the_published_promise_not_the_drafts_new_one(client, first_version):
    """People were promised 14 days by version 1: a draft that now says 0 days does not shorten that."""
    draft, _ = first_version
    client.post(
        reverse("draft-step", args=[draft.token, "changes"]) + "?return=review",
        form_data(PAGES_BY_KEY["changes"], shop(days=0, methods=("website",))),
    )
    assert Draft.objects.get(pk=draft.pk).answers["policy_changes"]["effective_after_days"] == 0
    page = html.unescape(review(client, draft))
    assert "by email, 14 days before they take effect" in page
    assert input_value(page, "effective_date") == (today() + dt.timedelta(days=14)).isoformat()


def test_promises_read_naturally_for_one_channel_and_for_none_of_days():
    one = promised_notice({"policy_changes": {"notice_methods": ["in_app"], "effective_after_days": 1}})
    assert one.sentence() == (
        "Your policy says you will tell people about changes with a notice in the app or site, "
        "1 day before they take effect."
    )
    immediate = promised_notice({})  # stored answers leave defaults out: website, 0 days
    assert immediate.sentence() == (
        "Your policy says you will tell people about changes by updating this page and its date, and that "
        "changes take effect when they are posted, a material change only once people have been told."
    )


def test_the_chosen_date_is_the_versions_date_in_every_format_and_on_every_page(client, first_version):
    draft, policy = first_version
    chosen = today() + dt.timedelta(days=20)
    written = long_date(chosen.isoformat())
    response = publish(client, draft, follow=True, effective_date=chosen.isoformat())
    assert f"Published version 2. It takes effect on {written}." in response.content.decode()
    version = PolicyVersion.objects.get(number=2)
    assert version.effective_date == chosen and not version.notice_confirmed
    assert (
        version.answers["organization"]["effective_date"] == chosen.isoformat()
    )  # rebuilds what was published
    base = f"/policies/{policy.public_id}/"
    texts = {fmt: client.get(f"{base}v/2/download.{fmt}").content for fmt in ("html", "md", "txt", "pdf")}
    texts["pdf"] = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(texts["pdf"])).pages).encode()
    for fmt, data in texts.items():
        text = " ".join(data.decode().split())
        assert f"Effective date: {written}" in text or f">{written}</time>" in text, fmt
        assert f"This version of our policy takes effect on {written}." in text, fmt
        assert "January 15, 2026" not in text, fmt
    assert f"Effective {chosen:%B} {chosen.day}, {chosen.year}" in client.get(base).content.decode()
    assert written in client.get(f"{base}history/").content.decode()
    assert f"-{chosen.isoformat()}-v2.pdf" in client.get(f"{base}v/2/download.pdf")["Content-Disposition"]
    old = client.get(f"{base}v/1/download.txt").content.decode()
    assert "Effective date: January 15, 2026" in old  # version 1 keeps its own date
    # The draft takes the published date: its own downloads say what the published policy says.
    assert Draft.objects.get(pk=draft.pk).answers["organization"]["effective_date"] == chosen.isoformat()
    draft_text = client.get(reverse("draft-download", args=[draft.token, "txt"])).content.decode()
    assert f"Effective date: {written}" in " ".join(draft_text.split())


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the date this version takes effect."),
        ("2026-02-30", "Enter the effective date as a real date, written YYYY-MM-DD"),
        ("99999-01-01", "Enter the effective date as a real date, written YYYY-MM-DD"),
        ("tomorrow", "Enter the effective date as a real date, written YYYY-MM-DD"),
        ("9999-12-31", "A policy dated more than 2 years ahead is almost certainly a typing mistake"),
        ("2026-01-16", "A new version cannot take effect before today"),
    ],
)
def test_bad_dates_get_a_message_and_keep_what_was_typed_and_ticked(client, first_version, typed, message):
    draft, _ = first_version
    response = post(client, draft, effective_date=typed, confirm_notice="on")
    page = response.content.decode()
    assert response.status_code == 200 and message in html.unescape(page)
    assert "Nothing was published" in page
    assert input_value(page, "effective_date") == typed
    assert is_ticked(page, "confirm_notice")
    assert PolicyVersion.objects.count() == 1


def test_the_retroactive_message_cites_the_ftc_act(client, first_version):
    draft, _ = first_version
    yesterday = today() - dt.timedelta(days=1)
    page = html.unescape(post(client, draft, effective_date=yesterday.isoformat()).content.decode())
    assert "until now your public page showed version 1" in page and "(FTC Act §5)" in page


def test_hostile_dates_never_fail_and_come_back_escaped(client, first_version):
    draft, _ = first_version
    for payload in [*PAYLOADS, "2026-01-01\x00", "9" * 5000, "２０２７-０１-０１", "-1-01-01"]:
        response = post(client, draft, effective_date=payload)
        assert response.status_code == 200, payload
        assert "<script>alert" not in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_a_date_sooner_than_the_promised_notice_needs_the_tick(client, first_version):
    draft, _ = first_version
    soon = today() + dt.timedelta(days=3)
    page = html.unescape(post(client, draft, effective_date=soon.isoformat()).content.decode())
    notice_ends = long_date((today() + dt.timedelta(days=14)).isoformat())
    assert f"{long_date(soon.isoformat())} is less than the 14 days of notice your policy promises" in page
    assert f"(that would be {notice_ends})" in page
    assert input_value(page, "effective_date") == soon.isoformat()
    assert PolicyVersion.objects.count() == 1
    post(client, draft, effective_date=soon.isoformat(), confirm_notice="on")
    version = PolicyVersion.objects.get(number=2)
    assert version.effective_date == soon and version.notice_confirmed


def test_today_is_allowed_without_a_tick_when_the_policy_promises_no_notice(client, db_library):
    draft = complete_wizard(client, shop(days=0))
    publish(client, draft)
    change_the_library()
    page = html.unescape(review(client, draft))
    assert input_value(page, "effective_date") == today().isoformat()
    assert 'name="confirm_notice"' not in page
    assert "Suggested: today. Your policy lets changes take effect when they are posted" in page
    post(client, draft, effective_date=today().isoformat())
    assert PolicyVersion.objects.get(number=2).effective_date == today()


def test_a_later_version_never_takes_effect_before_the_one_it_replaces(client, db_library):
    answers = shop(days=0)
    later = today() + dt.timedelta(days=60)
    answers["organization"]["effective_date"] = later.isoformat()
    draft = complete_wizard(client, answers)
    publish(client, draft)
    change_the_library()
    page = html.unescape(review(client, draft))
    assert input_value(page, "effective_date") == later.isoformat()
    assert "the date version 1 takes effect; version 2 cannot take effect before it" in page
    refused = html.unescape(post(client, draft, effective_date=today().isoformat()).content.decode())
    assert (
        f"Version 2 cannot take effect before version 1, which takes effect on {long_date(later.isoformat())}"
        in refused
    )
    assert PolicyVersion.objects.count() == 1


def test_compliance_errors_tick_and_the_date_survive_a_refused_date(client, db_library):
    answers = shop()
    answers["organization"].pop("postal_address", None)  # commercial email without an address: an error
    draft = complete_wizard(client, answers)
    page = post(client, draft, effective_date="2026-13-01", confirm_errors="yes").content.decode()
    assert is_ticked(page, "confirm_errors") and input_value(page, "effective_date") == "2026-13-01"
    unticked = html.unescape(post(client, draft, effective_date=V1_DATE).content.decode())
    assert "The compliance review has 1 error(s)" in unticked
    assert input_value(unticked, "effective_date") == V1_DATE
    assert not PolicyVersion.objects.exists()


def test_a_new_date_alone_is_not_a_new_version(client, db_library):
    draft = complete_wizard(client, shop())
    publish(client, draft)
    later = (today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("draft-publish", args=[draft.token]), {"effective_date": later}, follow=True
    )
    assert "A new effective date alone does not make a new version." in response.content.decode()
    assert PolicyVersion.objects.count() == 1


def test_after_a_new_date_the_review_and_the_diff_count_only_real_changes(client, db_library):
    draft = complete_wizard(client, shop())
    publish(client, draft)
    Clause.objects.filter(key="cookies.what-they-are").update(body="A cookie is a small file a site stores.")
    library_changed()
    publish(client, draft)  # on today + 14 days, not January 15
    assert "Your policy reads exactly like version 2." in review(client, draft)
    policy = PublishedPolicy.objects.get(draft=draft)
    diff = client.get(f"/policies/{policy.public_id}/diff/?from=1&to=2").content.decode()
    # The introduction quotes each version's own date; that alone is not a change to announce.
    assert '<p class="lead" id="diff-summary">Changed: Cookies and similar technologies.</p>' in diff
    new = long_date((today() + dt.timedelta(days=14)).isoformat())
    assert f"Version 1: effective January 15, 2026. Version 2: effective {new}." in diff


def test_the_admin_shows_each_versions_effective_date(admin_client, first_version):
    draft, policy = first_version
    chosen = today() + dt.timedelta(days=20)
    publish(admin_client, draft, effective_date=chosen.isoformat())
    written = f"{chosen:%B} {chosen.day}, {chosen.year}"
    listing = admin_client.get("/admin/publishing/publishedpolicy/").content.decode()
    assert "in effect from" in listing.lower() and written in listing
    change = admin_client.get(f"/admin/publishing/publishedpolicy/{policy.pk}/change/").content.decode()
    assert f"Version 2: effective {written}" in change and "Version 1: effective January 15, 2026" in change


@pytest.mark.parametrize("english", ["us", "international"])
def test_a_new_date_alone_is_no_change_in_either_english(english):
    """ "1 May 2026" outside the US, "May 1, 2026" in it: either way the date is the version's own."""
    old_date, new_date = dt.date(2026, 5, 1), dt.date(2026, 6, 1)

    def intro(date):
        return [
            {
                "key": "introduction",
                "title": "About",
                "text": f"Takes effect on {long_date(date.isoformat(), english)}.",
            }
        ]

    changes = compare_sections(intro(old_date), intro(new_date), dates=(old_date, new_date))
    assert summarise(changes) == "No changes."
