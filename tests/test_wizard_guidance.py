"""Where you are and what is wrong (issue 16): the step list, findings beside the questions, why the
number of steps moved, the home page and the review page's summary."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from policybuilder.drafts.models import Draft
from policybuilder.drafts.services import create_draft_from_file
from policybuilder.questionnaire import PAGES, PAGES_BY_KEY
from tests.support.examples import example_raw
from tests.support.wizard import complete_wizard, form_data

pytestmark = pytest.mark.django_db


def step(draft, key):
    return reverse("draft-step", args=[draft.token, key])


def start_draft(client) -> Draft:
    """A new draft, started as a person does: "Start a new policy"."""
    client.post(reverse("draft-start"))
    return Draft.objects.get()


def test_the_step_list_explains_its_marks_and_hides_findings_on_steps_not_reached(client, db_library):
    # The kids app's answers on the first pages only: later pages are not reached yet.
    response = client.post(reverse("draft-start"))
    draft = Draft.objects.get()
    answers = example_raw("kids-learning-app")
    for key in ("organization", "services"):
        client.post(step(draft, key), form_data(PAGES_BY_KEY[key], answers))
    html = client.get(step(draft, "reach")).content.decode()
    legend = html[html.index('class="progress-legend"') :]
    for words in ("saved", "needs an answer", "you are here", "not reached yet", "what the compliance review says"):
        assert words in legend
    children = re.search(r'<li class="state-todo">\s*<span>Children</span>(.*?)</li>', html, re.S)
    assert children is not None
    assert "(not reached yet)" in children.group(1)
    assert "finding-tag" not in children.group(1)  # nothing said about a step nobody has answered
    assert response.status_code == 302


def test_the_review_step_is_not_counted_as_a_step(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    html = client.get(step(draft, "cookies")).content.decode()
    total = int(re.search(r"Step \d+ of (\d+)", html).group(1))
    steps = re.search(r'<nav class="progress-steps".*?<ol>(.*?)</ol>', html, re.S).group(1)
    assert steps.count("<li ") == total
    assert "Review and download" not in steps  # listed after the numbered steps, not as one more


def test_a_finding_is_shown_under_the_question_it_concerns(client, db_library):
    draft = complete_wizard(client, example_raw("saas"))
    html = client.get(step(draft, "tools")).content.decode()
    field = html[html.index('id="div_id_tools__unlisted"') :]
    field = field[: field.index('id="div_id_', 10)] if 'id="div_id_' in field[10:] else field
    assert 'class="field-finding severity-warning"' in field
    assert "The policy names the safeguard of each transfer out of Europe" in field
    assert "TRANSFER-1" in field


def test_a_save_that_adds_steps_says_which_and_why(client, db_library):
    draft = start_draft(client)
    answers = example_raw("kids-learning-app")
    for page in PAGES:
        if page.key == "children":
            break
        client.post(step(draft, page.key), form_data(page, answers))
    response = client.post(step(draft, "children"), form_data(PAGES_BY_KEY["children"], answers), follow=True)
    html = response.content.decode()
    message = re.search(r"Because of your answers? to [^:]*: 1 step added \(“Parental consent \(COPPA\)”\)\.", html)
    assert message is not None, "the message names the step added and the answer that added it"
    assert "“Is your service directed to children under 13?”" in message.group(0)
    total = int(re.search(r"Step \d+ of (\d+)", html).group(1))
    assert f"You now have {total} steps." in html


def test_home_names_examples_by_business_and_leaves_the_command_line_to_the_readme(client, db_library):
    html = client.get(reverse("home")).content.decode()
    assert "buildpolicy" not in html and "command line" not in html
    assert "An online shop" in html and "A children&#x27;s learning app" in html
    assert reverse("example-start", args=["small-shop"]) in html
    fewest, most = map(int, re.search(r"Between (\d+) and (\d+) short steps", html).groups())
    assert most == len(PAGES) and 0 < fewest < most


def test_start_from_an_example_opens_its_answers_at_the_review(client, db_library):
    response = client.post(reverse("example-start", args=["small-shop"]), follow=True)
    draft = Draft.objects.get()
    assert response.redirect_chain[-1][0] == reverse("draft-review", args=[draft.token])
    assert draft.answers["organization"]["name"] == "Juniper & Rye Ceramics"
    assert "This draft starts from the example" in response.content.decode()
    about_you = reverse("draft-step", args=[draft.token, "organization"]) + "?return=review"
    assert f'<a href="{about_you}">“About you”</a>' in response.content.decode()
    assert client.get(reverse("example-start", args=["small-shop"])).status_code == 405
    assert client.post(reverse("example-start", args=["nope"])).status_code == 404


def test_review_starts_with_a_summary_and_its_actions(client, db_library):
    draft = complete_wizard(client, example_raw("saas"))
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    summary = html[html.index('class="review-summary"') : html.index("</section>", html.index('class="review-summary"'))]
    assert "<strong>Answers:</strong> complete" in summary
    assert "{#" not in html and "#}" not in html  # a template comment never shows as text
    assert '<a href="#compliance-heading">1 warning, 1 note</a>' in summary
    assert 'href="#downloads-heading">Download</a>' in summary
    assert 'href="#publish-heading">Publish</a>' in summary
    # Downloads and publishing come before the answers and the policy in the page (and on a phone).
    assert html.index('id="downloads-heading"') < html.index('class="review-answers"') < html.index('id="preview"')


def test_review_summary_of_an_unfinished_draft_points_to_what_is_missing(client, db_library):
    draft = create_draft_from_file(answers={"organization": example_raw("saas")["organization"]})
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    summary = html[html.index('class="review-summary"') :]
    assert re.search(r'<a href="#attention">\d+ steps need an answer</a>', summary)
    assert 'href="#downloads-heading"' not in summary[: summary.index("</section>")]


def test_a_bare_domain_gets_https_added_instead_of_an_error(client, db_library):
    draft = start_draft(client)
    answers = example_raw("small-shop")
    answers["organization"]["website"] = "crumbandco.com"
    response = client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], answers))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.answers["organization"]["website"] == "https://crumbandco.com"
    # What is not a web address at all still gets a clear error, and what was typed stays.
    answers["organization"]["website"] = "javascript:alert(1)"
    response = client.post(step(draft, "organization"), form_data(PAGES_BY_KEY["organization"], answers))
    assert response.status_code == 200
    assert "is not a web address starting with http:// or https://" in response.content.decode()


def test_why_we_ask_folds_its_law_citation(client, db_library):
    draft = start_draft(client)
    html = client.get(step(draft, "organization")).content.decode()
    assert re.search(r'<details class="why">\s*<summary>Why we ask</summary>', html)


def test_email_me_this_link_sends_it_once_and_keeps_no_address(client, db_library, mailoutbox):
    draft = start_draft(client)
    saved = reverse("draft-saved", args=[draft.token])
    send = reverse("draft-email-link", args=[draft.token])
    assert "Email me this link" in client.get(saved).content.decode()
    response = client.post(send, {"email": "not an address"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert mailoutbox == []
    response = client.post(send, {"email": "owner@crumbandco.example"}, follow=True)
    assert "We sent the link to that address." in response.content.decode()
    [mail] = mailoutbox
    assert mail.to == ["owner@crumbandco.example"]
    assert f"/d/{draft.token}/" in mail.body
    draft.refresh_from_db()
    assert "crumbandco" not in str(draft.answers)  # the address is not stored with the draft
    assert client.get(send).status_code == 405


def test_a_mail_server_that_fails_gives_a_clear_message_not_an_error_page(client, db_library, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2  # nobody listens
    draft = start_draft(client)
    response = client.post(reverse("draft-email-link", args=[draft.token]), {"email": "owner@example.com"})
    assert response.status_code == 503
    assert "We could not send the email just now. Copy the link above instead." in response.content.decode()


def test_other_entries_are_printed_as_written_and_marked_unchecked_in_the_review(client, db_library):
    answers = example_raw("small-shop")
    answers["collection"]["other_data"] = "- the names and addresses of people you send gifts to.\n\n<b>x</b>\n•"
    answers["use"]["other_purposes"] = "To print gift messages on orders"
    answers["sharing"]["other_recipients"] = "* shipping carriers, to deliver your orders;\n."
    draft = complete_wizard(client, answers)
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    preview = html[html.index('id="preview"') :]
    # One item per line: a pasted bullet, a closing stop, lines of punctuation dropped, "To" lowercased.
    assert "<li>the names and addresses of people you send gifts to</li>" in preview
    assert "<li>&lt;b&gt;x&lt;/b&gt;</li>" in preview
    assert "<li>to print gift messages on orders</li>" in preview
    assert "We also share personal information with:" in preview
    assert "<li>shipping carriers, to deliver your orders</li>" in preview
    assert "<li>•</li>" not in preview and "<li>.</li>" not in preview
    answers_part = html[html.index('class="review-answers"') : html.index('id="preview"')]
    assert answers_part.count("not checked by the compliance review") == 3


def test_own_paragraphs_are_added_to_their_sections_as_plain_text(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    page = client.get(step(draft, "extras")).content.decode()
    # One folded box per section of the policy, labelled with its title.
    assert "<summary>Cookies and similar technologies</summary>" in page
    # A section this shop's policy does not have says where its paragraph would go.
    assert re.search(r"<summary>[^<]*Canada[^<]*\(not in your policy now: printed under “Other information”\)", page)
    data = form_data(PAGES_BY_KEY["extras"], example_raw("small-shop"))
    data["extras__own_paragraphs-cookies"] = "Our kiln camera sets no cookies.\n\nIt is <b>only</b> a picture."
    data["extras__own_paragraphs-canada"] = "We ship to Canada through a partner in Toronto."
    assert client.post(step(draft, "extras"), data).status_code == 302
    html = client.get(reverse("draft-review", args=[draft.token])).content.decode()
    preview = html[html.index('id="preview"') :]
    cookies = preview[preview.index('id="section-cookies"') :]
    cookies = cookies[: cookies.index("</section>")]
    assert "<p>Our kiln camera sets no cookies.</p>\n<p>It is &lt;b&gt;only&lt;/b&gt; a picture.</p>" in cookies
    # The shop's policy has no Canada section: the paragraph goes to "Other information", never lost.
    other = preview[preview.index('id="section-own-paragraphs"') :]
    assert "Other information" in other and "a partner in Toronto" in other
    answers_part = html[html.index('class="review-answers"') : html.index('id="preview"')]
    assert "Cookies and similar technologies: Our kiln camera" in answers_part
    assert "not checked by the compliance review" in answers_part
    # The page shows what was written, open, when it comes back.
    page = client.get(step(draft, "extras")).content.decode()
    assert re.search(r'<details class="own-paragraph" open><summary>Cookies and similar technologies', page)


def test_one_address_gets_the_link_at_most_three_times_a_day(client, db_library, mailoutbox):
    draft = start_draft(client)
    send = reverse("draft-email-link", args=[draft.token])
    for _ in range(3):
        assert client.post(send, {"email": "Target@Example.com"}).status_code == 302
    response = client.post(send, {"email": "target@example.com"})
    assert response.status_code == 429
    assert "sent to that address three times today" in response.content.decode()
    assert len(mailoutbox) == 3


def test_without_a_mail_server_production_offers_no_email(client, db_library, settings, mailoutbox):
    settings.EMAIL_LINKS = False  # production without EMAIL_HOST: a console would log draft links
    draft = start_draft(client)
    assert "Email me this link" not in client.get(reverse("draft-saved", args=[draft.token])).content.decode()
    response = client.post(reverse("draft-email-link", args=[draft.token]), {"email": "a@example.com"})
    assert response.status_code == 404
    assert mailoutbox == []


def test_a_list_of_nothing_but_punctuation_is_no_answer(make_answers):
    from policybuilder.compliance import check_answers

    answers = make_answers(collection={"other_data": ".\n-\n•"}, sharing={"other_recipients": " ; "})
    assert answers["collection"]["other_data"] == "" and answers["sharing"]["other_recipients"] == ""
    # So "we collect nothing" can still be said, and no rule asks about a list that is not there.
    assert "COLLECT-1" not in {f.rule.id for f in check_answers(answers)}


def test_own_paragraphs_are_never_outdated_clauses_and_come_before_contact(library, make_answers):
    from policybuilder.assembly import assemble

    answers = make_answers(extras={"own_paragraphs": {"cookies": "Our kiln camera sets none.", "gone": "Kept."}})
    document = assemble(library, answers)
    assert not any(key.startswith("own.") for key, _ in document.clause_versions)
    keys = [section.key for section in document.sections]
    assert keys[-2:] == ["own-paragraphs", "contact"]  # the introduction promises contact comes last


def test_a_paragraph_for_a_section_no_longer_offered_is_shown_and_kept(client, db_library):
    draft = complete_wizard(client, example_raw("small-shop"))
    draft.refresh_from_db()
    draft.answers["extras"]["own_paragraphs"] = {"retired-section": "Written before staff removed it."}
    draft.save()
    page = client.get(step(draft, "extras")).content.decode()
    assert "Other information (written for “retired-section”)" in page
    data = form_data(PAGES_BY_KEY["extras"], example_raw("small-shop"))
    data["extras__own_paragraphs-retired-section"] = "Written before staff removed it."
    assert client.post(step(draft, "extras"), data).status_code == 302
    draft.refresh_from_db()
    assert draft.answers["extras"]["own_paragraphs"] == {"retired-section": "Written before staff removed it."}


@pytest.mark.parametrize(("example", "says_it"), [("small-shop", True), ("saas", False)])
def test_the_hosting_sentence_only_where_no_hosting_service_is_named(library, catalogue, example, says_it):
    from policybuilder.answers import validate_answers
    from policybuilder.assembly import assemble

    answers = validate_answers(example_raw(example), catalogue_keys=catalogue)
    text = "".join(c.markdown for s in assemble(library, answers).sections for c in s.clauses)
    # The SaaS example names Amazon Web Services as its host: a second, unnamed host would confuse.
    assert ("A hosting company stores our site" in text) is says_it


def test_a_follow_up_question_that_needs_an_answer_is_starred(client, db_library):
    draft = start_draft(client)
    html = client.get(step(draft, "breaches")).content.decode()
    label = re.search(r'<label\s+for="id_breach_notification__within_days"[^>]*>(.*?)</label>', html, re.S)
    assert label is not None and '<span class="asteriskField">*</span>' in label.group(1)
