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
        (
            {"body": "Hello\n{% if cookies.use %}\nno end"},
            "body",
            "An “if” is opened on line 2 but never closed: add {% endif %}",
        ),
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
    # The text of version 1 again is version 1 again (a published policy built from it is up to date).
    assert clause.body.strip() == original.body.strip() and clause.version == 1
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


# --- What a legal editor meets (issue 16, section 6) ---------------------------------------


def test_the_clause_list_shows_section_first_words_and_state(editor_client):
    Clause.objects.filter(key="cookies.none").update(enabled=False)
    html = editor_client.get(CHANGELIST).content.decode()
    assert "Text (first words)" in html
    row = html[html.find(">cookies.none</a>") :]
    row = row[: row.find("</tr>")]
    assert "Cookies and similar technologies" in row  # its section
    assert '<td class="field-text_start">Our services do not use cookies.' in row  # plain, no Markdown
    assert 'name="form-' in row and "checked" not in row.split('name="form-')[-1]  # shown as disabled
    intro = html[html.find(">introduction.who-we-are</a>") :]
    start = intro[intro.find('class="field-text_start">') :].split("</td>")[0]
    assert "This policy is from [organization.name]" in start and "{{" not in start and start.endswith("…")
    assert len(start.split(">", 1)[1].split()) <= 13  # twelve words and the ellipsis

    found = editor_client.get(CHANGELIST, {"q": "do not use cookies"}).content.decode()
    assert ">cookies.none</a>" in found and ">introduction.who-we-are</a>" not in found
    disabled = editor_client.get(CHANGELIST, {"enabled__exact": "0"}).content.decode()
    assert ">cookies.none</a>" in disabled and ">introduction.who-we-are</a>" not in disabled
    section = Section.objects.get(key="cookies")
    in_section = editor_client.get(CHANGELIST, {"section__id__exact": section.pk}).content.decode()
    assert ">cookies.none</a>" in in_section and ">introduction.who-we-are</a>" not in in_section


def test_the_reason_for_a_change_is_kept_in_the_history(editor_client, editor):
    clause = Clause.objects.get(key="cookies.none")
    page = editor_client.get(change_url(clause)).content.decode()
    assert "Reason for the change" in page and 'name="change_reason"' in page
    reason = "Plainer wording asked for by the lawyer"
    data = clause_form(clause, body="We never use cookies.", change_reason=reason)
    assert editor_client.post(change_url(clause), data).status_code == 302
    record = clause.history.first()
    assert (record.history_change_reason, record.history_user, record.version) == (reason, editor, 2)
    history = editor_client.get(reverse("admin:library_clause_history", args=[clause.pk])).content.decode()
    assert reason in history
    clause.refresh_from_db()
    assert not hasattr(clause, "change_reason")  # not the clause's own data


def _outdated_column(client) -> str:
    html = client.get("/admin/publishing/publishedpolicy/").content.decode()
    return html[html.find('<td class="field-outdated">') :].split("</td>")[0].split(">")[-1]


def test_a_revert_is_recorded_and_a_clause_back_at_its_published_text_is_not_outdated(
    client, editor_client, admin_user
):
    import datetime as dt

    from policybuilder.publishing.models import PolicyVersion, PublishedPolicy

    clause = Clause.objects.get(key="cookies.none")
    policy = PublishedPolicy.objects.create(organization_name="Maple Street Tutoring")
    PolicyVersion.objects.create(
        policy=policy,
        number=1,
        effective_date=dt.date(2026, 1, 1),
        answers={},
        clause_versions=[["cookies.none", clause.version]],
        sections=[],
        content_hash="0" * 64,
        html="",
        markdown="",
        text="",
        pdf=b"",
    )
    operator = client
    operator.force_login(admin_user)
    assert _outdated_column(operator) == "none"

    editor_client.post(change_url(clause), clause_form(clause, body="We never use cookies."))
    assert _outdated_column(operator) == "cookies.none"

    original = clause.history.last()
    revert_url = reverse("admin:library_clause_simple_history", args=[clause.pk, original.history_id])
    form = editor_client.get(revert_url).content.decode()
    assert 'name="change_reason"' in form  # a revert can say why, too
    data = clause_form(clause, body=original.body, change_reason="The lawyer preferred the old text")
    assert editor_client.post(revert_url, data).status_code == 302

    clause.refresh_from_db()
    assert clause.version == 1
    assert clause.history.first().history_change_reason == (
        "Reverted to version 1: The lawyer preferred the old text"
    )
    history = editor_client.get(reverse("admin:library_clause_history", args=[clause.pk])).content.decode()
    assert "Reverted to version 1: The lawyer preferred the old text" in history
    assert _outdated_column(operator) == "none"

    # A new text after the revert gets a number no earlier text had.
    editor_client.post(change_url(clause), clause_form(clause, body="Cookies? None here."))
    clause.refresh_from_db()
    assert clause.version == 3 and _outdated_column(operator) == "cookies.none"


def test_a_revert_without_a_reason_still_says_what_it_did(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    editor_client.post(change_url(clause), clause_form(clause, body="We never use cookies."))
    original = clause.history.last()
    revert_url = reverse("admin:library_clause_simple_history", args=[clause.pk, original.history_id])
    editor_client.post(revert_url, clause_form(clause, body=original.body))
    assert clause.history.first().history_change_reason == "Reverted to version 1"


def test_a_misspelt_answer_key_gets_a_did_you_mean(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    response = editor_client.post(change_url(clause), clause_form(clause, body="By {{ organization.nmae }}."))
    html = response.content.decode()
    assert (
        "line 1: unknown answer key &#x27;organization.nmae&#x27; — did you mean organization.name?" in html
    )


def test_an_unclosed_if_is_explained_in_an_editors_words(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    body = "We do not use cookies.\n\n{% if cookies.use == 'no' %}\nReally none."
    html = editor_client.post(change_url(clause), clause_form(clause, body=body)).content.decode()
    assert "An “if” is opened on line 3 but never closed: add {% endif %}" in html
    assert "Unexpected end of template" not in html and "Jinja" not in html


def test_the_preview_sits_beside_the_editor_from_the_start(editor_client):
    clause = Clause.objects.get(key="cookies.none")
    html = editor_client.get(change_url(clause)).content.decode()
    workspace = html[html.find('<div class="clause-workspace">') :]
    assert workspace.find('id="id_body"') < workspace.find('class="clause-preview-panel')  # editor first
    assert "What it says now, for sample businesses" in workspace
    assert "Example: brochure-site: <span" in workspace and "Our services do not use cookies." in workspace


def test_the_admin_names_the_site_and_hides_internal_tables(client, editor_client, admin_user):
    index = editor_client.get("/admin/").content.decode()
    assert (
        "Policy Builder administration" in index and "<title>Clause library and published policies" in index
    )
    assert '<a href="/">View site</a>' in index
    assert "Clauses" in index and "Published policies" not in index and "Users" not in index
    client.force_login(admin_user)
    operator = client.get("/admin/").content.decode()
    for shown in ("Clauses", "Published policies", "Site scans", "Users", "Access attempts"):
        assert shown in operator, shown
    for hidden in ("Task results", "Access failures", "django_tasks"):
        assert hidden not in operator, hidden
    assert client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 404
