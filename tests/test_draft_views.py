"""The wizard through the Django test client: drafts, validation, routing, review, downloads, upload."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft, draft_save_page
from policybuilder.questionnaire import PAGES_BY_KEY
from tests.support.examples import EXAMPLES, example_raw
from tests.support.wizard import complete_wizard, form_data

pytestmark = pytest.mark.django_db

ORG = {
    "organization": {
        "name": "Acme Widgets",
        "website": "https://acme.example",
        "email": "privacy@acme.example",
    }
}


def step(draft, key, review=False):
    return reverse("draft-step", args=[draft.token, key]) + ("?return=review" if review else "")


def test_start_creates_a_draft_behind_an_unguessable_link(client, db_library):
    response = client.post(reverse("draft-start"))
    draft = Draft.objects.get()
    assert len(draft.token) >= 43 and re.fullmatch(r"[A-Za-z0-9_-]+", draft.token)  # 256 bits
    assert response["Location"] == step(draft, "organization")
    assert client.get(reverse("draft-start")).status_code == 405


def test_wrong_or_expired_token_is_404(client, db_library):
    draft = create_draft()
    for url in (step(draft, "organization"), reverse("draft-review", args=[draft.token])):
        assert client.get(url.replace(draft.token, draft.token[:-2] + "xx")).status_code == 404
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - dt.timedelta(days=91))
    assert client.get(step(draft, "organization")).status_code == 404
    assert client.get(reverse("draft-resume", args=["x" * 300])).status_code == 404


def test_post_without_csrf_token_is_refused(db_library):
    draft = create_draft()
    strict = Client(enforce_csrf_checks=True)
    response = strict.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    assert response.status_code == 403
    assert strict.post(reverse("draft-start")).status_code == 403
    assert Draft.objects.get(pk=draft.pk).completed_pages == []


def test_invalid_submission_keeps_input_and_explains_each_problem(client, db_library):
    draft = create_draft()
    data = form_data(
        PAGES_BY_KEY["organization"], {"organization": {"name": "Acme <b>", "website": "ftp://acme"}}
    )
    response = client.post(step(draft, "organization"), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Acme &lt;b&gt;"' in html and 'value="ftp://acme"' in html
    assert 'id="error-summary"' in html and "Please check 2 answers" in html
    assert (
        '<a href="#id_organization__website">Website address: &quot;ftp://acme&quot; is not a web address'
        in html
    )
    assert '<a href="#id_organization__email">Privacy contact email: An answer is required.</a>' in html
    assert Draft.objects.get(pk=draft.pk).answers == {}


def test_valid_page_is_saved_and_the_next_applicable_page_follows(client, db_library):
    draft = create_draft()
    response = client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    assert response["Location"] == step(draft, "services")
    draft.refresh_from_db()
    assert draft.answers["organization"]["name"] == "Acme Widgets"
    assert draft.completed_pages == ["organization"]
    page = client.get(step(draft, "organization")).content.decode()
    assert 'value="Acme Widgets"' in page  # reload keeps every saved answer
    # With the US request pages and the European page: where the business is and whom it serves are
    # not said yet.
    assert "Step 1 of 18" in page


def test_skipped_page_cannot_be_forced_through(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    data = form_data(PAGES_BY_KEY["california"], {"california": {"do_not_track": "honored"}})
    assert client.post(step(draft, "california"), data).status_code == 404
    assert client.get(step(draft, "california"))["Location"] == step(draft, "us-requests")
    draft.refresh_from_db()
    assert "california" not in draft.answers and "california" not in draft.completed_pages


def test_branching_adds_pages_and_changes_the_count(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    response = client.post(
        step(draft, "children"),
        form_data(PAGES_BY_KEY["children"], {"children": {"directed_to_children": True}}),
    )
    assert response["Location"] == step(draft, "parental-consent")
    assert "Step 10 of 19" in client.get(step(draft, "parental-consent")).content.decode()


def test_answers_to_skipped_questions_do_not_leak_into_the_policy(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    cookies = PAGES_BY_KEY["cookies"]
    client.post(
        step(draft, "cookies"), form_data(cookies, {"cookies": {"use": "yes", "purposes": ["advertising"]}})
    )
    client.post(
        step(draft, "cookies"),
        {**form_data(cookies, {"cookies": {"use": "no"}}), "cookies__purposes": ["advertising"]},
    )
    review = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Our services do not use cookies." in review
    assert "advertisements" not in review
    # The answer is kept for if they change their mind back.
    page = client.get(step(draft, "cookies")).content.decode()
    assert re.search(r'value="advertising"[^>]*checked', page)


def test_save_and_continue_later_shows_the_private_link(client, db_library):
    draft = create_draft()
    response = client.post(
        step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG, action="later")
    )
    assert response["Location"] == reverse("draft-saved", args=[draft.token])
    page = client.get(response["Location"]).content.decode()
    assert f"http://testserver/d/{draft.token}/" in page and "Copy link" in page
    assert client.get(f"/d/{draft.token}/")["Location"] == step(draft, "services")


def test_continue_form_finds_a_draft_from_its_link_or_says_it_cannot(client, db_library):
    draft = create_draft()
    response = client.post(
        reverse("draft-continue"), {"link": f"https://policies.example/d/{draft.token}/review/"}
    )
    assert response["Location"] == reverse("draft-resume", args=[draft.token])
    response = client.post(reverse("draft-continue"), {"link": "A" * 43})
    assert (
        response.status_code == 400
        and "We could not find a draft with that link" in response.content.decode()
    )
    response = client.post(reverse("draft-continue"), {"link": "not a link"})
    assert "does not look like a Policy Builder link" in response.content.decode()


def test_the_continue_form_posts_the_link_so_no_address_carries_it(client, db_library):
    home = client.get("/").content.decode()
    form = re.search(r'<form method="(\w+)" action="/continue/"[^>]*>(.*?)</form>', home, re.S)
    assert form and form[1] == "post" and 'name="csrfmiddlewaretoken"' in form[2]
    # A link in a query string (an old bookmark, a hand-made address) opens nothing and is not echoed.
    draft = create_draft()
    for method in (client.get, client.head):
        response = method(reverse("draft-continue"), {"link": draft.token})
        assert response.status_code == 302 and response["Location"] == reverse("home")
    csrf_client = Client(enforce_csrf_checks=True)
    assert csrf_client.post(reverse("draft-continue"), {"link": draft.token}).status_code == 403


def test_review_points_at_what_is_missing_before_offering_downloads(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Before you can download your policy" in html
    assert f'href="{step(draft, "services", review=True)}"' in html
    assert reverse("draft-download", args=[draft.token, "pdf"]) not in html
    assert client.get(reverse("draft-download", args=[draft.token, "pdf"]))["Location"].endswith("/review/")


@pytest.mark.parametrize("example", ["small-shop", "kids-learning-app"])
def test_completing_the_wizard_builds_the_same_policy_as_the_answers_file(
    client, db_library, example, tmp_path
):
    answers = example_raw(example)
    draft = complete_wizard(client, answers)
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Every question is answered" in html
    response = client.get(reverse("draft-download", args=[draft.token, "md"]))
    name = answers["organization"]["name"]
    assert response["Content-Disposition"].endswith(
        f'-privacy-policy-{answers["organization"]["effective_date"]}.md"'
    )
    out = tmp_path / "cli.md"
    call_command(
        "buildpolicy", str(EXAMPLES[0].parent / f"{example}.json"), "-f", "md", "-o", str(out), stderr=None
    )
    assert response.content == out.read_bytes()
    assert name.split()[0] in response.content.decode()


def test_answers_json_round_trips_through_upload(client, db_library):
    draft = complete_wizard(client, example_raw("saas"))
    exported = client.get(reverse("draft-download", args=[draft.token, "json"]))
    assert exported["Content-Type"] == "application/json"
    upload = SimpleUploadedFile("answers.json", exported.content, content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": upload})
    copy = Draft.objects.latest("created_at")
    assert response["Location"] == reverse("draft-review", args=[copy.token])
    again = client.get(reverse("draft-download", args=[copy.token, "json"]))
    assert json.loads(again.content) == json.loads(exported.content)
    first = client.get(reverse("draft-download", args=[draft.token, "txt"])).content
    assert client.get(reverse("draft-download", args=[copy.token, "txt"])).content == first


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b"{not json",
            "Answers file is not valid JSON: Expecting property name enclosed in double quotes at line 1 column 2.",
        ),
        (b"\xff\xfe\x00", "Answers file is not UTF-8 text."),
        (
            json.dumps({"cookies": {"use": "sometimes"}}).encode(),
            "cookies.use: &quot;sometimes&quot; is not one of yes, no, maybe_future",
        ),
        (b" " * (257 * 1024), "Answers file is larger than the limit of 256 KiB."),
    ],
)
def test_bad_upload_lists_the_problems_and_creates_nothing(client, db_library, content, expected):
    upload = SimpleUploadedFile("answers.json", content, content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": upload})
    assert response.status_code == 400
    assert expected in response.content.decode()
    assert Draft.objects.count() == 0


def test_preview_shows_unsaved_answers_without_saving(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    url = reverse("draft-preview", args=[draft.token, "cookies"])
    response = client.post(
        url, form_data(PAGES_BY_KEY["cookies"], {"cookies": {"use": "yes", "purposes": ["shopping_cart"]}})
    )
    assert "to remember what is in your shopping cart" in response.content.decode()
    draft.refresh_from_db()
    assert "cookies" not in draft.answers


def test_two_tabs_saving_different_pages_lose_nothing(db_library):
    draft = create_draft()
    tab_one, tab_two = Draft.objects.get(pk=draft.pk), Draft.objects.get(pk=draft.pk)
    draft_save_page(draft=tab_one, page=PAGES_BY_KEY["organization"], values={"organization.name": "Acme"})
    draft_save_page(
        draft=tab_two, page=PAGES_BY_KEY["security"], values={"security.measures": ["encryption_at_rest"]}
    )
    draft.refresh_from_db()
    assert draft.answers == {
        "organization": {"name": "Acme"},
        "security": {"measures": ["encryption_at_rest"]},
    }
    assert draft.completed_pages == ["organization", "security"]


def test_purge_removes_only_drafts_untouched_for_the_configured_period(db_library, settings):
    settings.DRAFT_EXPIRY_DAYS = 30
    old, fresh = create_draft(), create_draft()
    Draft.objects.filter(pk=old.pk).update(updated_at=timezone.now() - dt.timedelta(days=31))
    call_command("purge_drafts", stdout=None)
    assert list(Draft.objects.values_list("pk", flat=True)) == [fresh.pk]


def test_step_pages_cost_a_fixed_number_of_queries(client, db_library, django_assert_num_queries):
    from policybuilder.library.models import Clause, Section
    from policybuilder.library.revisions import library_changed

    draft = create_draft()
    data = form_data(PAGES_BY_KEY["organization"], ORG)
    # The first page offers a site scan: one more query for the draft's latest scan.
    with django_assert_num_queries(6):  # draft + library revision + library (3) + latest scan
        client.get(step(draft, "organization"))
    with django_assert_num_queries(3):  # draft + library revision (the snapshot is reused) + latest scan
        client.get(step(draft, "organization"))
    with django_assert_num_queries(6):  # draft + revision + locked re-read + update (+ savepoints)
        client.post(step(draft, "organization"), data)
    section = Section.objects.create(key="bulk", title="Bulk", order=999)
    Clause.objects.bulk_create(
        Clause(key=f"bulk.{n}", section=section, order=n, body="Text.\n") for n in range(200)
    )
    library_changed()
    with django_assert_num_queries(5):
        client.get(step(draft, "services"))


def test_review_shows_the_compliance_findings_with_links_to_fix_them(client, db_library):
    draft = complete_wizard(client, example_raw("saas"))
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    assert "Compliance review: 1 warning, 1 note" in html
    assert "The policy names the safeguard of each transfer out of Europe" in html
    assert f"{step(draft, 'tools', review=True)}#div_id_tools__unlisted" in html
    progress = client.get(step(draft, "tools")).content.decode()
    # The step list says it in words, not only with a coloured mark.
    assert 'class="finding-tag severity-warning" aria-hidden="true">Warning</span>' in progress
    assert "the compliance review has warnings here" in progress
    # The "Fix" link lands on a page that says what the review found, beside the question to change.
    assert "The compliance review on this step" in progress
    assert "The policy names the safeguard of each transfer out of Europe" in progress
    assert 'href="#div_id_tools__unlisted"' in progress
    assert "The compliance review on this step" not in client.get(step(draft, "use")).content.decode()


# --- No answer the person did not give (issue 12, section 1) ----------------------------------


def test_yes_no_and_choice_questions_start_with_nothing_chosen(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    html = client.get(step(draft, "sharing")).content.decode()
    assert 'name="sharing__sells_personal_data"' in html
    assert not re.search(r'<input[^>]*name="sharing__[a-z_]+"[^>]*checked', html)
    html = client.get(step(draft, "services")).content.decode()
    assert not re.search(r'<input[^>]*name="services__kinds"[^>]*checked', html)  # no "website" for them


def test_a_page_saved_without_answers_names_every_unanswered_question_and_saves_nothing(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    response = client.post(step(draft, "sharing"), {"action": "next"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Do you sell, trade or rent personal information? Not answered yet: choose an answer." in html
    assert (
        "Do you share it with companies in your own group (a parent company, subsidiaries or sister companies)? Not answered yet"
        in html
    )
    draft.refresh_from_db()
    assert "sharing" not in draft.completed_pages and "sharing" not in draft.answers


def test_save_for_later_keeps_what_is_answered_and_leaves_the_page_unfinished(client, db_library):
    draft = create_draft(answers=ORG, completed_pages=["organization"])
    response = client.post(step(draft, "sharing"), {"action": "later", "sharing__sells_personal_data": "no"})
    assert response["Location"] == reverse("draft-saved", args=[draft.token])
    draft.refresh_from_db()
    # The optional text box left empty is saved empty; no yes/no question is answered for the person.
    assert draft.answers["sharing"] == {"sells_personal_data": False, "other_recipients": ""}
    assert "sharing" not in draft.completed_pages
    html = client.get(step(draft, "sharing")).content.decode()
    assert re.search(r'<input[^>]*name="sharing__sells_personal_data"[^>]*value="no"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="sharing__affiliates"[^>]*checked', html)


def test_an_earlier_answer_is_offered_as_a_suggestion_not_chosen(client, db_library):
    answers = {**ORG, "collection": {"sources": ["newsletter"]}}
    draft = create_draft(answers=answers, completed_pages=["organization", "collection"])
    html = client.get(step(draft, "email")).content.decode()
    assert "Suggested: <strong>Yes</strong> — you said people sign up for a newsletter." in html
    assert 'data-field="email_marketing__sends_commercial_email" data-value="yes"' in html
    assert not re.search(r'<input[^>]*name="email_marketing__sends_commercial_email"[^>]*checked', html)


def test_a_hurried_run_that_accepts_nothing_never_reaches_a_policy(client, db_library):
    """Clicking "Save and continue" on every page without answering publishes no statement."""
    client.post(reverse("draft-start"))
    draft = Draft.objects.get()
    draft_save_page(
        draft=draft,
        page=PAGES_BY_KEY["organization"],
        values={
            "organization.name": "Acme",
            "organization.website": "https://acme.example",
            "organization.email": "privacy@acme.example",
        },
    )
    for page_key in ("services", "sharing", "cookies", "children", "email", "rights", "extras"):
        response = client.post(step(draft, page_key), {"action": "next"})
        assert response.status_code == 200 and "Not answered yet" in response.content.decode()
    draft.refresh_from_db()
    assert draft.completed_pages == ["organization"]
    review = client.get(reverse("draft-review", args=[draft.token]))
    assert client.get(reverse("draft-download", args=[draft.token, "txt"])).status_code != 200
    assert review.status_code == 200


def test_the_country_decides_spelling_and_paper_and_a_bad_code_is_refused_clearly(client, db_library):
    draft = create_draft()
    data = form_data(
        PAGES_BY_KEY["organization"], {**ORG, "organization": {**ORG["organization"], "country": "DE"}}
    )
    assert client.post(step(draft, "organization"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["organization"]["country"] == "DE"
    html = client.post(step(draft, "organization"), {**data, "organization__country": "XX"}).content.decode()
    assert "Select a valid choice. XX is not one of the available choices." in html
    draft.refresh_from_db()
    assert draft.answers["organization"]["country"] == "DE"  # nothing lost


def test_each_suggestion_gives_the_reason_that_holds_for_this_draft(client, db_library):
    """Two drafts with the same suggested value but different reasons never see each other's reason."""
    accounts = create_draft(answers={**ORG, "collection": {"sources": ["registration"]}})
    store = create_draft(answers={**ORG, "services": {"kinds": ["online_store"]}})
    assert "people register for accounts" in client.get(step(accounts, "cookies")).content.decode()
    html = client.get(step(store, "cookies")).content.decode()
    assert "online stores almost always use cookies" in html and "register for accounts" not in html


def test_save_for_later_on_the_first_page_keeps_the_name_typed_so_far(client, db_library):
    draft = create_draft()
    response = client.post(step(draft, "organization"), {"action": "later", "organization__name": "Bakery"})
    assert response["Location"] == reverse("draft-saved", args=[draft.token])
    draft.refresh_from_db()
    assert draft.answers["organization"]["name"] == "Bakery" and draft.completed_pages == []


def test_the_toll_free_question_is_toggled_by_the_online_only_answer_on_its_page(client, db_library):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    page = client.get(step(draft, "us-requests")).content.decode()
    field = re.search(r'<input[^>]*name="us_privacy__toll_free_number"[^>]*>', page)
    assert field is not None
    assert "data-when" in field.group(0) and "us_privacy__online_only" in field.group(0)
    assert "Only needed if you answer “No” to “Do you do business only online" in page
    # The CCPA ruled out (a non-profit): the page is not asked at all.
    reach = {"reach": {"for_profit": "no", "revenue": "under_25m", "states": ["CA"], "people": "under_10k",
                       "data_revenue": "none", "sba_small": "yes"}}  # fmt: skip
    client.post(step(draft, "reach"), form_data(PAGES_BY_KEY["reach"], reach))
    assert client.get(step(draft, "us-requests")).status_code == 302


def _csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_a_step_page_served_again_carries_a_token_of_its_own_that_saves(db_library):
    """A step page seen before comes from memory, with a CSRF token made for this response (every
    form on it), and saving with that token works, without a CSRF token of another visitor."""
    draft = create_draft()
    other = Client(enforce_csrf_checks=True)
    first = other.get(step(draft, "organization")).content.decode()
    person = Client(enforce_csrf_checks=True)
    person.get(step(draft, "organization"))
    again = person.get(step(draft, "organization")).content.decode()
    token = _csrf(again)
    assert token != _csrf(first)
    assert again.count(token) == again.count("csrfmiddlewaretoken") >= 1
    assert "csrf-token-of-this-response" not in again
    data = {"csrfmiddlewaretoken": token, **form_data(PAGES_BY_KEY["organization"], ORG)}
    assert person.post(step(draft, "organization"), data).status_code == 302
    assert Draft.objects.get(pk=draft.pk).answers["organization"]["name"] == "Acme Widgets"


def test_a_remembered_step_page_follows_every_save_and_shows_a_message_once(client, db_library):
    draft = create_draft()
    client.get(step(draft, "children"))  # remembered, before anything is answered
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    page = client.get(step(draft, "organization")).content.decode()
    assert 'value="Acme Widgets"' in page
    children = {"children": {"directed_to_children": True, "knowingly_collects_under_13": False}}
    response = client.post(
        step(draft, "children"), form_data(PAGES_BY_KEY["children"], children), follow=True
    )
    assert "Because of your answer" in response.content.decode()  # the step added, said once
    again = client.get(response.redirect_chain[-1][0]).content.decode()
    assert "Because of your answer" not in again


def test_the_scan_box_of_a_remembered_page_follows_the_scan(client, db_library):
    from policybuilder.scans.models import SiteScan

    draft = create_draft()
    scan = SiteScan.objects.create(url="https://acme.example", host="acme.example", draft=draft)
    assert "Last scan: waiting to start" in client.get(step(draft, "organization")).content.decode()
    SiteScan.objects.filter(pk=scan.pk).update(status=SiteScan.Status.FAILED, finished_at=timezone.now())
    assert "Last scan: could not scan" in client.get(step(draft, "organization")).content.decode()


@pytest.mark.parametrize("review", [False, True])
def test_a_step_page_seen_before_shows_the_answers_saved_since(client, db_library, review):
    draft = create_draft()
    client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], ORG))
    assert 'value="Acme Widgets"' in client.get(step(draft, "organization", review)).content.decode()
    renamed = {"organization": {**ORG["organization"], "name": "Acme Gadgets"}}
    client.post(step(draft, "organization", review), form_data(PAGES_BY_KEY["organization"], renamed))
    page = client.get(step(draft, "organization", review)).content.decode()
    assert 'value="Acme Gadgets"' in page and "Acme Widgets" not in page


def test_a_step_page_seen_yesterday_is_made_again_today(client, db_library, monkeypatch):
    """An effective date not given yet is today's: a page remembered yesterday suggests yesterday."""
    from policybuilder.drafts.views import common

    class Tomorrow(dt.date):
        @classmethod
        def today(cls):
            return dt.date(2031, 5, 6)

    draft = create_draft()
    client.get(step(draft, "organization"))
    monkeypatch.setattr(common.dt, "date", Tomorrow)
    assert 'value="2031-05-06"' in client.get(step(draft, "organization")).content.decode()
