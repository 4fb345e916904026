"""Hostile requests end to end: every page that shows people's text, every file the app reads,
and guessed links. Each gets a clean answer (a page, a 400 with a message, or a 404), never a 500.

The renderers' own guarantees are tested in test_hostile_input.py; this file goes
through HTTP, the public pages and the admin.
"""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from markdown_it import MarkdownIt

from policybuilder.drafts.models import Draft, new_token
from policybuilder.drafts.services import create_draft
from policybuilder.publishing.models import PublishedPolicy
from tests.support.examples import example_raw
from tests.support.hostile import PAYLOADS, hostile_raw
from tests.support.publishing import publish
from tests.support.wizard import complete_wizard

pytestmark = pytest.mark.django_db

OUR_SCRIPTS = ("/static/", "/admin/jsi18n/", "/embed.js")  # /embed.js: the app's own, served by a view
LINK_ATTRIBUTES = {"href", "src", "action", "formaction", "srcset", "data", "poster"}


class PageAudit(HTMLParser):
    """What a page would make a browser run or fetch."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            value = value or ""
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            if name in LINK_ATTRIBUTES and (
                "evil.example" in value or value.lower().startswith("javascript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        found = dict(attrs)
        source = found.get("src") or ""
        if tag == "script" and found.get("type") != "application/json" and not source.startswith(OUR_SCRIPTS):
            self.problems.append(f"<script src={source!r}> that is not one of the app's scripts")
        if tag in ("img", "object", "embed") and not source.startswith("/static/"):
            self.problems.append(f"<{tag} src={source!r}> element")


def audit(html: str) -> list[str]:
    parser = PageAudit()
    parser.feed(html)
    return parser.problems + [
        f"raw payload {payload!r}"
        for payload in ("<script>alert('x')</script>", "<img src=x onerror=alert(1)>")
        if payload in html
    ]


@pytest.fixture(params=PAYLOADS, ids=range(len(PAYLOADS)))
def hostile_policy(request, client, db_library):
    """A draft answered with one payload in every free-text field, published."""
    draft = complete_wizard(client, hostile_raw(request.param))
    # The hostile answers leave compliance errors (no postal address for a children's service):
    # publishing them needs the owner's confirmation.
    response = publish(client, draft, confirm_errors="yes")
    assert response.status_code == 302
    return request.param, draft, PublishedPolicy.objects.get(draft=draft)


def test_every_page_showing_the_answers_stays_inert(client, admin_client, hostile_policy):
    payload, draft, policy = hostile_policy
    pages = {
        "review": reverse("draft-review", args=[draft.token]),
        "organization step": reverse("draft-step", args=[draft.token, "organization"]),
        "parental consent step": reverse("draft-step", args=[draft.token, "parental-consent"]),
        "saved": reverse("draft-saved", args=[draft.token]),
        "public page": reverse("policy", args=[policy.public_id]),
        "embed": reverse("policy-embed", args=[policy.public_id]),
        "history": reverse("policy-history", args=[policy.public_id]),
        "download html": reverse("draft-download", args=[draft.token, "html"]),
    }
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        assert audit(response.content.decode()) == [], name
    for url in (
        reverse("admin:publishing_publishedpolicy_changelist"),
        reverse("admin:publishing_publishedpolicy_change", args=[policy.pk]),
    ):
        response = admin_client.get(url)
        assert response.status_code == 200 and audit(response.content.decode()) == [], url
    markdown = client.get(reverse("draft-download", args=[draft.token, "md"])).content.decode()
    # As any Markdown viewer would show it (CommonMark passes raw HTML through):
    assert audit(MarkdownIt("commonmark").render(markdown)) == []


def test_a_hostile_form_post_is_shown_back_as_text(client, db_library):
    draft = create_draft()
    url = reverse("draft-step", args=[draft.token, "organization"])
    data = {
        "organization__name": PAYLOADS[1],
        "organization__website": "javascript:alert(1)",
        "organization__email": '"><script>alert(1)</script>@x.example',
        "organization__postal_address": PAYLOADS[0],
        "organization__effective_date": "<b>2026</b>",
        "action": "next",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # errors shown, nothing saved
    html = response.content.decode()
    assert "is not a web address" in html and "Please check" in html
    assert audit(html) == []
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html  # kept, as text, for correcting


# Malformed and oversized answers files -----------------------------------------------------

NESTED = b"[" * 100_000 + b"]" * 100_000


def _file(**sections) -> bytes:
    raw = example_raw("brochure-site")
    for section, values in sections.items():
        raw.setdefault(section, {}).update(values)
    return json.dumps(raw).encode()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(b"", "The submitted file is empty.", id="empty"),
        pytest.param(b"   \n", "Answers file is not valid JSON", id="blank"),
        pytest.param(NESTED, "Answers file is nested too deeply to be an answers file.", id="deep"),
        pytest.param(
            b'{"n": ' + b"9" * 5000 + b"}", "Answers file holds a number too long to read.", id="bigint"
        ),
        pytest.param(b'{"n": NaN}', "Answers file holds NaN, which is not allowed in JSON.", id="nan"),
        pytest.param(b'{"n": -Infinity}', "holds -Infinity, which is not allowed in JSON", id="infinity"),
        pytest.param(b"[1, 2, 3]", "(top level): must be a JSON object, not a list", id="list"),
        pytest.param(b'"just text"', "(top level): must be a JSON object, not a string", id="string"),
        pytest.param(b"null", "(top level): must be a JSON object, not null", id="null"),
        pytest.param(
            _file(organization={"name": "A\ud800B"}),
            "organization.name: contains control characters",
            id="surrogate",
        ),
        pytest.param(
            _file(organization={"name": "A\x00B"}), "organization.name: contains control characters", id="nul"
        ),
        pytest.param(
            _file(organization={"name": "N" * 5000}),
            "organization.name: is 5000 characters long; the limit is",
            id="long-text",
        ),
        pytest.param(
            _file(tools={"unlisted": [{"name": f"Processor {n}", "kind": "payment"} for n in range(500)]}),
            "tools.unlisted: has 500 services; the limit is",
            id="many-items",
        ),
        pytest.param(
            _file(organization={"name": ["not", "text"]}),
            "organization.name: must be text, not a list",
            id="type",
        ),
        pytest.param(_file(surprise={"x": 1}), "surprise", id="unknown-section"),
        pytest.param(b"\x00\x01\x02garbage", "Answers file is not valid JSON", id="binary"),
    ],
)
def test_malformed_answers_files_get_a_message_and_create_nothing(client, db_library, content, expected):
    upload = SimpleUploadedFile("answers.json", content, content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": upload})
    assert response.status_code == 400
    assert expected in response.content.decode().replace("&quot;", '"')
    assert Draft.objects.count() == 0


def test_an_answers_file_with_a_byte_order_mark_is_accepted(client, db_library):
    upload = SimpleUploadedFile("answers.json", b"\xef\xbb\xbf" + _file(), content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": upload})
    assert response.status_code == 302 and Draft.objects.count() == 1


def test_a_request_body_over_the_limit_is_refused_cleanly(client, db_library):
    big = SimpleUploadedFile("answers.json", b" " * (3 * 1024 * 1024), content_type="application/json")
    response = client.post(reverse("draft-upload"), {"answers_file": big})
    assert response.status_code in (400, 413)
    assert Draft.objects.count() == 0


# Guessed links ------------------------------------------------------------------------------


def _near_miss(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


@pytest.mark.parametrize(
    "guess",
    [
        pytest.param("near", id="one-character-off"),
        pytest.param("random", id="random-token"),
        pytest.param("x" * 65, id="too-long"),
        pytest.param("1", id="short"),
        pytest.param("' OR '1'='1", id="sql"),
        pytest.param("%00", id="nul"),
        pytest.param("a\x00b", id="real-nul"),  # PostgreSQL refuses NUL in a text literal: never sent
        pytest.param("ünïcødé", id="unicode"),
    ],
)
def test_guessed_links_are_404_on_every_draft_url(client, db_library, guess):
    draft = complete_wizard(client, example_raw("brochure-site"))
    token = {"near": _near_miss(draft.token), "random": new_token()}.get(guess, guess)
    gets = [
        reverse("draft-resume", args=[token]),
        reverse("draft-step", args=[token, "organization"]),
        reverse("draft-saved", args=[token]),
        reverse("draft-review", args=[token]),
        reverse("draft-download", args=[token, "pdf"]),
        reverse("draft-download", args=[token, "json"]),
    ]
    posts = [
        reverse("draft-step", args=[token, "organization"]),
        reverse("draft-preview", args=[token, "organization"]),
        reverse("draft-publish", args=[token]),
        reverse("draft-email-link", args=[token]),
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    for url in posts:
        assert client.post(url, {"organization__name": "Mallory"}).status_code == 404, url
    assert Draft.objects.get(pk=draft.pk).answers["organization"]["name"] != "Mallory"


@pytest.mark.parametrize("odd", ["a%00b", "%C3%BC", "x" * 80, "a.b"])
def test_odd_public_and_scan_addresses_are_404(client, db_library, odd):
    draft = complete_wizard(client, example_raw("brochure-site"))
    for url in (
        f"/policies/{odd}/",
        f"/policies/{odd}.json",
        f"/policies/{odd}/v/1/",
        f"/policies/{odd}/v/1.json",
        f"/policies/{odd}/history/",
        f"/policies/{odd}/diff/",
        f"/policies/{odd}/embed/",
        f"/d/{draft.token}/scan/{odd}/",
        f"/d/{draft.token}/scan/{odd}/status/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_near_miss_and_a_wild_guess_look_and_cost_the_same(client, db_library):
    """No oracle: the answer and the database work do not depend on how close a guess is."""
    draft = create_draft()

    def attempt(token: str) -> tuple[bytes, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("draft-review", args=[token]))
        assert response.status_code == 404
        return response.content, len(queries)

    near, wild = attempt(_near_miss(draft.token)), attempt(new_token())
    assert near == wild
    assert near[1] == 1  # one indexed equality look-up, whatever the guess
