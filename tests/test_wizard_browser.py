"""The wizard in a real browser: Playwright driving Debian's Chromium against the live server."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from policybuilder.answers import default_answers
from policybuilder.drafts.forms import field_name
from policybuilder.questionnaire import PAGES_BY_KEY, Kind
from tests.support.accessibility import assert_accessible
from tests.support.browser import screenshot, third_party_hosts
from tests.support.examples import example_raw

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

def fill_page(page, answers: dict[str, Any]) -> None:
    """Answer the visible questions of the current wizard page, as a person would."""
    key = page.url.rstrip("/").split("/")[-1].split("?")[0]
    defaults = default_answers()
    for question in PAGES_BY_KEY[key].questions:
        name = field_name(question)
        value = answers.get(question.section, {}).get(question.key, defaults[question.section][question.key])
        if question.kind is Kind.SERVICE_RECORDS:
            fill_service_rows(page, name, value)
            continue
        if not page.locator(f'[name="{name}"]').first.is_visible():
            continue
        if question.kind is Kind.BOOL:
            page.locator(f'[name="{name}"][value="{"yes" if value else "no"}"]').check()
        elif question.kind is Kind.CHOICE:
            page.locator(f'[name="{name}"][value="{value}"]').check()
        elif question.kind in (Kind.MULTI, Kind.CATALOGUE):
            for box in page.locator(f'[name="{name}"]').all():
                box.set_checked(box.get_attribute("value") in value)
        elif question.kind is Kind.COUNTRY:
            page.locator(f'[name="{name}"]').select_option(value or "")
        elif question.key == "effective_date":
            page.locator(f'[name="{name}"]').fill(value or "")
        else:
            page.locator(f'[name="{name}"]').fill("" if value is None else str(value))


def fill_service_rows(page, name: str, records: list[dict[str, str]]) -> None:
    """Add each service not in the list with the "Add a service" button, as a person would."""
    for index, record in enumerate(records):
        if not page.locator(f'[name="{name}-{index}-name"]').is_visible():
            page.get_by_role("button", name="Add a service").click()
        page.locator(f'[name="{name}-{index}-name"]').fill(record["name"])
        page.locator(f'[name="{name}-{index}-company"]').fill(record.get("company", ""))
        page.locator(f'[name="{name}-{index}-kind"]').select_option(record["kind"])
        page.locator(f'[name="{name}-{index}-role"]').select_option(record.get("role") or "unknown")
        page.locator(f'[name="{name}-{index}-website"]').fill(record.get("website", ""))


def submit(page, name: str) -> None:
    """Press a button that posts the page and wait for the page that answers it.

    ``wait_for_load_state`` right after a click returns at once for the page still shown, so
    reading ``page.url`` then could see the old page; waiting for the navigation cannot.
    """
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()


def complete(page, live_server, answers, *, shots: str = "", check_a11y: bool = False) -> None:
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    for number in range(1, 30):
        if "/review/" in page.url:  # read after the navigation finished: the page now shown
            return
        fill_page(page, answers)
        if check_a11y:
            assert_accessible(page, page.url)
        if shots:
            screenshot(page, f"{shots}-{number:02d}-{page.url.rstrip('/').split('/')[-1]}")
        submit(page, "Save and continue")
    raise AssertionError("never reached the review page")


@pytest.mark.parametrize("example", ["small-shop", "saas", "kids-learning-app"])
def test_three_businesses_complete_the_wizard_with_their_branches(
    page, live_server, loaded_library, example, requests_seen, console_errors
):
    answers = example_raw(example)
    complete(page, live_server, answers, shots=f"wizard-{example}", check_a11y=example == "small-shop")
    expect(page.get_by_text("Every question is answered")).to_be_visible()
    preview = page.locator("#preview")
    expect(preview).to_contain_text(answers["organization"]["name"])
    if example == "kids-learning-app":
        expect(preview).to_contain_text("Children's Online Privacy Protection Act")
    if example == "saas":
        expect(preview).to_contain_text("Hotjar")
        expect(preview).to_contain_text("Analytics tools")
    assert_accessible(page, "review")
    screenshot(page, f"wizard-{example}-review")
    assert third_party_hosts(requests_seen, live_server.url) == set()
    assert console_errors == []  # no CSP violation, no script error, no missing icon


def test_change_an_answer_from_review_and_see_the_preview_follow(page, live_server, loaded_library):
    complete(page, live_server, example_raw("small-shop"))
    page.locator("#review-cookies").locator("xpath=..").get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cookies and tracking")
    purposes = page.locator("#div_id_cookies__purposes")
    expect(purposes).to_be_visible()
    with page.expect_response(lambda r: "/preview/" in r.url):
        page.locator('[name="cookies__use"][value="no"]').check()
    expect(purposes).to_be_hidden()  # the dependent question hides when the answer changes
    # Google Analytics still sets cookies: the preview says so rather than "no cookies".
    expect(page.locator("#preview")).to_contain_text("We do not set cookies ourselves.")
    page.get_by_role("button", name="Save and return to review").click()
    page.wait_for_url("**/review/")
    # Taking Google Analytics off the list of services makes "no cookies" true.
    page.locator("#review-tools").locator("xpath=..").get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Services you use")
    page.get_by_label("Search for a service").fill("google analytics")
    expect(page.get_by_role("status").filter(has_text="match")).to_contain_text("2 services match.")
    expect(page.get_by_label("Hotjar", exact=False)).to_be_hidden()
    expect(page.get_by_label("Stripe (Stripe, Inc.)")).to_be_visible()  # chosen: never hidden by a search
    page.get_by_label("Google Analytics (Google LLC)").uncheck()
    page.get_by_role("button", name="Save and return to review").click()
    page.wait_for_url("**/review/")
    preview = page.locator("#preview")
    # Stripe and PayPal still set cookies: the policy names them, and only them.
    cookies = preview.get_by_role("region", name="Cookies and similar technologies")
    expect(cookies).to_contain_text("We do not set cookies ourselves.")
    expect(cookies).to_contain_text("PayPal")
    expect(preview).not_to_contain_text("Google Analytics")


def test_reload_mid_way_and_resume_by_link_in_a_fresh_browser(page, live_server, loaded_library, browser):
    answers = example_raw("saas")
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    for _ in range(4):
        fill_page(page, answers)
        submit(page, "Save and continue")
    page.locator('[name="use__purposes"][value="personalize"]').check()  # typed, not saved yet
    page.reload()
    expect(page.locator("#step-count")).to_contain_text("Step 5 of")
    fill_page(page, answers)
    page.get_by_role("button", name="Save and continue later").click()  # saves this page too
    expect(page.locator("#draft-link")).to_have_value(re.compile(r"/d/[^/]+/"))
    link = page.locator("#draft-link").input_value()
    screenshot(page, "wizard-saved-link")
    fresh = browser.new_context()
    other = fresh.new_page()
    other.goto(link)
    expect(other.get_by_role("heading", level=1)).to_contain_text("Services you use")  # the first unanswered step
    other.get_by_role("link", name="About you").click()
    expect(other.get_by_label("Name of your business or organization")).to_have_value(answers["organization"]["name"])
    fresh.close()


def test_downloads_of_html_and_pdf(page, live_server, loaded_library, tmp_path):
    answers = example_raw("kids-learning-app")
    complete(page, live_server, answers)
    with page.expect_download() as html_info:
        page.get_by_role("link", name="HTML", exact=True).click()
    html_path = tmp_path / html_info.value.suggested_filename
    html_info.value.save_as(html_path)
    assert html_info.value.suggested_filename == "sprout-letters-inc-privacy-policy-2026-04-22.html"
    assert "Sprout Letters Inc. Privacy Policy" in html_path.read_text()

    with page.expect_download() as pdf_info:
        page.get_by_role("link", name="PDF", exact=True).click()
        page.get_by_text("Preparing your PDF").wait_for()  # progress, while the page stays usable
        expect(page.get_by_role("link", name="Markdown")).to_be_enabled()
    pdf_path = Path(tmp_path / pdf_info.value.suggested_filename)
    pdf_info.value.save_as(pdf_path)
    assert pdf_info.value.suggested_filename.endswith(".pdf")
    text = " ".join(p.extract_text() for p in PdfReader(pdf_path).pages)
    assert "Sprout Letters Inc." in text and "Children" in text
    page.get_by_text("Your PDF is ready.").wait_for()


def test_complete_a_policy_with_the_keyboard_only(page, live_server, loaded_library):
    def tab_to(predicate_js: str, limit: int = 80) -> None:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate_js):
                return
        raise AssertionError(f"keyboard focus never reached {predicate_js}")

    page.goto(live_server.url + "/")
    tab_to("document.activeElement.textContent.trim() === 'Start a new policy'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/step/organization/$"))
    for name, text in (
        ("organization__name", "Keyboard Cafe"),
        ("organization__website", "https://cafe.example"),
        ("organization__email", "hi@cafe.example"),
    ):
        tab_to(f"document.activeElement.name === '{name}'")
        page.keyboard.type(text)
    for _ in range(20):
        answer_page_with_the_keyboard(page)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if "/review/" in page.url:  # read after the navigation finished
            break
    expect(page.get_by_text("Every question is answered")).to_be_visible()
    tab_to("document.activeElement.textContent.trim() === 'Markdown'")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert (
        info.value.suggested_filename
        == f"keyboard-cafe-privacy-policy-{default_answers()['organization']['effective_date']}.md"
    )


# What has keyboard focus, for answering a page with keys alone.
FOCUSED = """() => {
  const el = document.activeElement;
  const group = el.name ? [...document.getElementsByName(el.name)] : [];
  return {text: el.textContent.trim(), type: el.type || "", name: el.name || "", value: el.value || "",
          answered: group.some((input) => input.checked), first: group[0] === el};
}"""


def answer_page_with_the_keyboard(page) -> None:
    """Tab through the page answering what it asks, as a keyboard user would; stop on "Save and continue".

    Nothing is preselected, so each yes/no or choice gets the arrow key (the second option: "No", or
    the more cautious choice), the two check-box questions that need one get Space on their first
    box, and a number question gets a number.
    """
    for _ in range(200):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["text"] == "Save and continue":
            return
        if focused["type"] == "radio" and not focused["answered"]:
            page.keyboard.press("ArrowDown")
        elif focused["type"] == "checkbox" and focused["first"] and not focused["answered"]:
            if focused["name"] in ("services__kinds", "policy_changes__notice_methods"):
                page.keyboard.press("Space")
        elif focused["type"] == "text" and focused["name"] == "policy_changes__effective_after_days":
            if not focused["value"]:
                page.keyboard.type("30")
    raise AssertionError("keyboard focus never reached “Save and continue”")


def test_a_suggested_answer_is_one_click_and_never_chosen_for_you(page, live_server, loaded_library):
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    raw = example_raw("saas")
    raw["collection"]["sources"] = sorted({*raw["collection"].get("sources", []), "newsletter"})
    while "/step/email/" not in page.url:
        fill_page(page, raw)
        submit(page, "Save and continue")
    question = page.get_by_role("group", name="Do you send newsletters or promotional email?")
    expect(question).to_contain_text("Suggested: Yes — you said people sign up for a newsletter.")
    expect(question.get_by_label("Yes")).not_to_be_checked()
    expect(question.get_by_label("No")).not_to_be_checked()
    question.get_by_role("button", name="Use this answer").click()
    expect(question.get_by_label("Yes")).to_be_checked()
    expect(question.get_by_label("Yes")).to_be_focused()
    assert_accessible(page, "email page with a suggestion")


def test_error_summary_is_announced_and_links_to_the_field(page, live_server, loaded_library):
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    page.get_by_label("Website address").fill("not a url")
    submit(page, "Save and continue")
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Please check 3 answers")
    expect(page.locator("#error-summary")).to_be_focused()
    summary.get_by_role("link", name="Website address").click()
    expect(page.locator('[name="organization__website"]')).to_be_focused()
    expect(page.get_by_label("Website address")).to_have_value("not a url")
    assert_accessible(page, "organization with errors")
    screenshot(page, "wizard-errors")


def test_home_and_policy_pages_are_accessible_and_fit_a_phone(page, live_server, loaded_library):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    assert_accessible(page, "home")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(page, "home-phone")
    page.goto(live_server.url + "/examples/saas/")
    assert_accessible(page, "example policy")


def test_the_wizard_works_without_javascript(browser, live_server, loaded_library):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    complete(page, live_server, example_raw("brochure-site"))
    expect(page.get_by_text("Every question is answered")).to_be_visible()
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF", exact=True).click()  # a plain link without the script
    assert info.value.suggested_filename == "maple-street-tutoring-privacy-policy-2026-03-01.pdf"
    context.close()


def test_a_step_fits_a_phone(page, live_server, loaded_library):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    fill_page(page, example_raw("small-shop"))
    submit(page, "Save and continue")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "services on a phone")
    screenshot(page, "wizard-step-phone")


def test_publish_change_publish_again_and_read_the_diff(page, live_server, loaded_library):
    complete(page, live_server, example_raw("saas"))
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_role("status").first).to_contain_text("Published version 1.")
    public_url = page.locator("#public-url").inner_text()

    page.locator("#review-security").locator("xpath=..").get_by_role("link", name="Change").click()
    page.locator('[name="security__measures"][value="vulnerability_scanning"]').uncheck()
    page.get_by_role("button", name="Save and return to review").click()
    expect(page.locator("#pending-changes")).to_contain_text(
        "Publishing now would change: How we protect your information."
    )
    # Version 2 is suggested for today plus the 30 days' notice the policy promises, not version 1's date.
    today = dt.date.today()
    in_30_days = today + dt.timedelta(days=30)
    date_input = page.get_by_label("Version 2 takes effect on")
    expect(date_input).to_have_value(in_30_days.isoformat())
    expect(page.locator("#notice-reminder")).to_contain_text(
        "by updating this page and its date, by email and with a notice in the app or site, 30 days before"
    )
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    date_input.fill(tomorrow)
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.locator("#publish-errors")).to_contain_text("Nothing was published")
    expect(page.locator("#confirm-notice")).to_contain_text(
        "is less than the 30 days of notice your policy promises"
    )
    expect(page.get_by_label("Version 2 takes effect on")).to_have_value(tomorrow)
    assert_accessible(page, "review with a refused date")
    date_input = page.get_by_label("Version 2 takes effect on")
    date_input.fill(in_30_days.isoformat())
    page.get_by_role("button", name="Publish a new version").click()
    expect(page.get_by_role("status").first).to_contain_text("Published version 2.")

    page.goto(public_url)
    expect(page.locator(".policy-meta")).to_contain_text("Version 2")
    expect(page.locator(".policy-meta")).to_contain_text(
        f"Effective {in_30_days:%B} {in_30_days.day}, {in_30_days.year}"
    )
    page.get_by_role("link", name="Version history").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#diff-summary")).to_have_text("Changed: How we protect your information.")
    expect(page.locator("del").first).to_contain_text(
        "we regularly scan our systems for security vulnerabilities"
    )
    assert_accessible(page, "policy diff")
    screenshot(page, "published-diff")

    # On a phone: the dropped bullet labelled in words, unchanged sections one line, no sideways scroll.
    page.set_viewport_size({"width": 390, "height": 844})
    expect(page.locator(".diff-removed").first).to_contain_text("Removed:")
    unchanged = page.locator("details.diff-unchanged summary").first
    expect(unchanged).to_have_text(re.compile(r"^\d+ sections? unchanged$"))
    unchanged.click()
    expect(page.locator("details.diff-unchanged").first.get_by_role("listitem").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "policy diff on a phone")
    screenshot(page, "published-diff-phone")


def test_find_services_by_search_and_add_one_not_listed_on_a_phone(page, live_server, loaded_library):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    raw = example_raw("small-shop")
    while "/step/tools/" not in page.url:
        fill_page(page, raw)
        submit(page, "Save and continue")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Services you use")
    search = page.get_by_label("Search for a service")
    search.fill("klav")
    expect(page.get_by_text("1 service matches.")).to_be_visible()
    expect(page.get_by_role("group", name="Analytics")).to_be_hidden()  # groups with no match fold away
    page.get_by_label("Klaviyo (Klaviyo, Inc.)").check()
    search.fill("no such service")
    expect(page.get_by_text("No service in the list matches.")).to_be_visible()
    expect(page.get_by_label("Klaviyo (Klaviyo, Inc.)")).to_be_visible()  # a chosen service stays in view
    search.press("Escape")
    expect(page.get_by_label("Stripe (Stripe, Inc.)")).to_be_visible()
    # Rows for services not in the list appear one at a time, focused, from the keyboard.
    page.get_by_role("button", name="Add a service").focus()
    page.keyboard.press("Enter")
    expect(page.locator('[name="tools__unlisted-0-name"]')).to_be_focused()
    page.keyboard.type("Corner Courier")
    page.locator('[name="tools__unlisted-0-kind"]').select_option("shipping")
    page.locator('[name="tools__unlisted-0-role"]').select_option("processor")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "services on a phone")
    screenshot(page, "wizard-services-phone")
    submit(page, "Save and continue")
    expect(page.locator("#preview")).to_contain_text("Corner Courier delivers orders.")
    expect(page.locator("#preview")).to_contain_text("Klaviyo")


def test_a_business_serving_no_one_in_the_us_is_not_asked_us_size_questions(page, live_server, loaded_library):
    page.goto(live_server.url + "/")
    submit(page, "Start a new policy")
    raw = example_raw("berlin-saas")
    while "/step/reach/" not in page.url:
        fill_page(page, raw)
        submit(page, "Save and continue")
    people = page.get_by_role("group", name=re.compile("how many people's information"))
    expect(people).to_be_visible()
    page.get_by_label("No one in the US").check()
    expect(people).to_be_hidden()  # the page script follows the answer before anything is saved
    page.get_by_label("No one in the US").uncheck()
    expect(people).to_be_visible()
