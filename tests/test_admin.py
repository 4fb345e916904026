"""Clause library administration: permissions, safe editing, preview, history, coverage, throttling."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from policybuilder.library.models import Clause, Section, Service
from policybuilder.library.permissions import CLAUSE_EDITORS
from policybuilder.library.revisions import library_changed
from tests.support.catalogue import service_form

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/library/clause/"


@pytest.fixture
def editor(db_library):
    user = User.objects.create_user("editor", password="long-enough-password-1")
    user.is_staff = True
    user.save()
    user.groups.add(Group.objects.get(name=CLAUSE_EDITORS))  # made by a migration
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def clause_form(clause: Clause, **changes) -> dict:
    data = {
        "key": clause.key,
        "section": clause.section_id,
        "order": clause.order,
        "enabled": "on" if clause.enabled else "",
        "laws": clause.laws,
        "condition": clause.condition,
        "body": clause.body,
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def change_url(clause: Clause) -> str:
    return reverse("admin:library_clause_change", args=[clause.pk])


def test_who_may_see_the_library(client, db_library, editor, admin_user):
    assert client.get(CHANGELIST)["Location"].startswith("/admin/login/")  # anonymous
    plain = User.objects.create_user("plain", password="long-enough-password-1")
    client.force_login(plain)
    assert client.get(CHANGELIST)["Location"].startswith("/admin/login/")  # not staff
    staff = User.objects.create_user("staff", password="long-enough-password-1", is_staff=True)
    client.force_login(staff)
    assert client.get(CHANGELIST).status_code == 403  # staff without the group
    client.force_login(editor)
    assert client.get(CHANGELIST).status_code == 200
    assert client.get("/admin/library/service/").status_code == 200
    assert client.get("/admin/auth/user/").status_code == 403  # editors cannot manage users
    assert client.get("/admin/drafts/draft/").status_code == 404  # drafts are not in the admin at all
    client.force_login(admin_user)
    assert client.get("/admin/auth/user/").status_code == 200


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"body": "Hello\n{% if cookies.use %}\nno end"}, "body", "line 3: Unexpected end of template"),
        ({"body": "We use {{ cookies.flavour }}."}, "body", "unknown answer key &#x27;cookies.flavour&#x27;"),
        (
            {"condition": 'cookies.use == "sometimes"'},
            "condition",
            "&#x27;sometimes&#x27; is not a choice of cookies.use",
        ),
        ({"condition": "cookie.use"}, "condition", "unknown name &#x27;cookie&#x27;"),
        ({"body": "Hi <script>alert(1)</script>"}, "body", "raw HTML is not allowed; write Markdown instead"),
        (
            {"body": "{{ organization.__class__ }}"},
            "body",
            "unknown answer key &#x27;organization.__class__&#x27;",
        ),
        ({"body": "{{ join.__globals__ }}"}, "body", "access to attribute &#x27;__globals__&#x27;"),
        ({"body": "{{ join(phrases(collection.personal_data, {})) }}"}, "body", "fails for sample"),
    ],
)
def test_a_clause_that_would_break_cannot_be_saved(editor_client, changes, field, message):
    clause = Clause.objects.get(key="cookies.none")
    response = editor_client.post(change_url(clause), clause_form(clause, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html, html[html.find("errorlist") - 200 : html.find("errorlist") + 600]
    clause.refresh_from_db()
    assert clause.version == 1 and clause.body.startswith("Our services do not use cookies.")


def test_preview_shows_each_sample_without_saving(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    data = clause_form(clause, body="We do not set any cookies, {{ organization.name }}.", _preview="1")
    html = editor_client.post(change_url(clause), data).content.decode()
    assert "Preview against sample businesses (not saved)" in html
    assert "Example: brochure-site" in html and "We do not set any cookies, Maple Street Tutoring." in html
    assert html.count('class="not-selected"') >= 2  # samples that use cookies do not select it
    clause.refresh_from_db()
    assert clause.version == 1 and "any cookies" not in clause.body


def test_saving_bumps_the_version_and_history_can_revert_it(editor_client, editor):
    clause = Clause.objects.get(key="cookies.none")
    response = editor_client.post(change_url(clause), clause_form(clause, body="We never use cookies."))
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.version == 2
    latest = clause.history.first()
    assert latest.history_user == editor and latest.body == "We never use cookies."

    original = clause.history.last()
    revert_url = reverse("admin:library_clause_simple_history", args=[clause.pk, original.history_id])
    form = editor_client.get(revert_url)
    assert form.status_code == 200 and "Our services do not use cookies." in form.content.decode()
    response = editor_client.post(revert_url, clause_form(clause, body=original.body))
    assert response.status_code == 302
    clause.refresh_from_db()
    assert clause.body.strip() == original.body.strip() and clause.version == 3
    assert clause.history.count() == 3


def test_history_shows_a_word_level_diff(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    editor_client.post(change_url(clause), clause_form(clause, body="Our services never use cookies.\n"))
    html = editor_client.get(reverse("admin:library_clause_history", args=[clause.pk])).content.decode()
    assert (
        '<div class="diff-changed">Our services <del>do not</del><ins>never</ins> use cookies.</div>' in html
    )


def test_bulk_disable_records_history(editor_client):
    ids = list(Clause.objects.filter(section__key="security").values_list("pk", flat=True))
    response = editor_client.post(CHANGELIST, {"action": "disable_clauses", "_selected_action": ids})
    assert response.status_code == 302
    assert not Clause.objects.filter(pk__in=ids, enabled=True).exists()
    assert all(Clause.objects.get(pk=pk).history.count() == 2 for pk in ids)


def test_reference_panel_lists_keys_from_the_questionnaire(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    html = editor_client.get(change_url(clause)).content.decode()
    assert "<code>cookies.use</code>" in html and "<code>maybe_future</code>" in html
    assert "<code>children.parental_consent_method</code>" in html


def test_coverage_page(editor_client):
    html = editor_client.get(reverse("admin:library_clause_coverage")).content.decode()
    assert "None: every answer key is used." in html
    assert "None: every enabled clause is selected by some sample answers." in html
    assert "Example: small-shop" in html


def test_coverage_page_reports_an_orphan_clause(editor_client):
    section = Section.objects.get(key="cookies")
    Clause.objects.create(key="cookies.orphan", section=section, order=999, condition="false", body="Never.")
    html = editor_client.get(reverse("admin:library_clause_coverage")).content.decode()
    assert "<code>cookies.orphan</code>" in html


def test_service_addresses_must_be_https(editor_client):
    service = Service.objects.get(key="stripe")
    data = service_form(service, privacy_url="http://stripe.com/privacy", opt_out_url="")
    html = editor_client.post(
        reverse("admin:library_service_change", args=[service.pk]), data
    ).content.decode()
    assert "Privacy policy address must be an https:// address." in html


def test_clause_list_costs_the_same_queries_whatever_its_length(editor_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(queries)

    before = count()
    section = Section.objects.get(key="cookies")
    Clause.objects.bulk_create(
        Clause(key=f"bulk.{n}", section=section, order=500 + n, body="Text.") for n in range(80)
    )
    assert count() == before


def test_failed_logins_are_throttled(client, editor):
    url = reverse("admin:login")
    for _ in range(4):
        response = client.post(url, {"username": "editor", "password": "wrong"})
        assert (
            response.status_code == 200
            and "Please enter the correct username and password" in response.content.decode()
        )
    assert client.post(url, {"username": "editor", "password": "wrong"}).status_code == 429
    response = client.post(url, {"username": "editor", "password": "long-enough-password-1"})
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()


def test_correct_login_works_before_the_limit(client, editor):
    response = client.post(
        reverse("admin:login"),
        {"username": "editor", "password": "long-enough-password-1", "next": CHANGELIST},
    )
    assert response.status_code == 302 and response["Location"] == CHANGELIST


def test_a_clause_broken_behind_the_admins_back_never_gives_users_a_server_error(client, db_library):
    from tests.support.examples import example_raw
    from tests.support.wizard import complete_wizard

    draft = complete_wizard(client, example_raw("brochure-site"))
    Clause.objects.filter(key="cookies.none").update(body="{{ organization.nickname }}")
    library_changed()
    response = client.get(reverse("draft-download", args=[draft.token, "pdf"]))
    assert response.status_code == 503
    assert "We cannot build your policy right now" in response.content.decode()
    review = client.get(reverse("draft-review", args=[draft.token]))
    assert review.status_code == 200 and "the clause library has an error" in review.content.decode()
