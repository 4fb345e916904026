"""The service catalogue as facts: the shipped entries, the vocabularies every write path enforces,
the self-hosted rule, the admin, export/import, the migration and what clause text can read."""

from __future__ import annotations

import copy
import io

import pytest
import yaml
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command
from django.urls import reverse

from policybuilder import catalogue
from policybuilder.assembly import assemble
from policybuilder.clause_library import (
    DATA_FILE,
    ClauseSpec,
    LibraryFileError,
    dump_library,
    library_from_data,
    read_library_file,
)
from policybuilder.countries import is_country
from policybuilder.library.models import Service
from policybuilder.library.permissions import CLAUSE_EDITORS
from policybuilder.library.selectors import load_library
from policybuilder.library_checks import check_clause, clause_trial_library
from tests.support.catalogue import service_form

SHIPPED = yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


# --- The shipped catalogue -------------------------------------------------------------


def test_the_catalogue_has_at_least_80_entries_and_every_kind_has_one(library):
    assert len(library.services) >= 80
    for kind in catalogue.KINDS.values:
        assert library.catalogue_keys()[kind], f"no service of kind {kind}"


def test_every_shipped_entry_states_its_kinds_role_country_and_tracking_facts():
    for entry in SHIPPED["services"]:
        for fact in (
            "kinds",
            "company",
            "country",
            "role",
            "sets_cookies",
            "cross_site_tracking",
            "advertising",
        ):
            assert fact in entry, f"{entry['key']} does not state {fact}"
        assert entry["kinds"] and entry["role"] in catalogue.ROLES, entry["key"]
        assert is_country(entry["country"]), entry["key"]
        assert all(isinstance(entry[flag], bool) for flag in catalogue.FLAG_FIELDS), entry["key"]


def test_links_checked_is_a_date_or_absent_and_some_entries_are_checked(library):
    checked = [s for s in library.services if s.links_checked]
    assert checked and all(catalogue.links_checked_problem(s.links_checked) is None for s in checked)


def test_the_corrections_from_review_are_in_the_catalogue(library):
    service = library.service
    assert service("paypal").company == "PayPal, Inc."
    assert service("plausible").privacy_url == "https://plausible.io/data-policy"
    assert (
        service("google_analytics").partner_info_url
        == "https://policies.google.com/technologies/partner-sites"
    )
    assert "Contentsquare" in service("hotjar").company and "Contentsquare" in service("heap").company
    cloud, self_hosted = service("matomo"), service("matomo_self_hosted")
    assert cloud.role == "processor" and cloud.privacy_url != "https://matomo.org/privacy-policy/"
    assert self_hosted.role == "self_hosted" and not self_hosted.privacy_url
    assert not service("plausible").sets_cookies and not service("fathom").sets_cookies
    pixel = service("meta_pixel")
    assert (
        pixel.advertising and pixel.cross_site_tracking and {"advertising", "analytics"} <= set(pixel.kinds)
    )


def test_the_data_privacy_framework_is_stated_for_certified_us_companies_only(library):
    certified = [s for s in library.services if s.dpf_certified]
    assert certified and all(s.country == "US" and s.role != "self_hosted" for s in certified)
    assert library.service("google_analytics").dpf_certified and library.service("stripe").dpf_certified
    # A federal agency cannot be certified (the Framework is for companies the FTC or DOT oversee).
    assert not library.service("usps").dpf_certified
    assert not library.service("crisp").dpf_certified  # an EU company: nothing to certify
    written = [entry["key"] for entry in SHIPPED["services"] if "dpf_certified" in entry]
    assert sorted(written) == sorted(s.key for s in certified)  # written only where true


def test_a_catalogue_is_the_services_whose_kinds_include_it(library):
    keys = library.catalogue_keys()
    assert "meta_pixel" in keys["analytics"] and "meta_pixel" in keys["advertising"]
    assert "stripe" in keys["payment"] and "stripe" not in keys["analytics"]


# --- The loader and the importer refuse facts outside their vocabularies and shapes ----------


def _with_plausible(**changes) -> dict:
    data = copy.deepcopy(SHIPPED)
    entry = next(s for s in data["services"] if s["key"] == "plausible")
    for name, value in changes.items():
        if value is None:
            del entry[name]
        else:
            entry[name] = value
    return data


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"kinds": ["analytics", "crypto"]}, "kinds: 'crypto' is not a kind"),
        ({"kinds": []}, "kinds: choose at least one kind"),
        ({"kinds": "analytics"}, "kinds: must be a list of strings"),
        ({"role": "controller"}, "role: 'controller' is not a role (processor, third_party, self_hosted)"),
        ({"role": None}, "missing role"),
        ({"country": "USA"}, "country: 'USA' is not an ISO 3166-1 alpha-2 country code"),
        ({"country": "XX"}, "country: 'XX' is not an ISO 3166-1 alpha-2 country code"),
        ({"data_categories": ["dna"]}, "data_categories: 'dna' is not a data category"),
        ({"sets_cookies": "no"}, "sets_cookies: must be true or false"),
        ({"advertising": None}, "missing advertising"),
        ({"dpf_certified": "yes"}, "dpf_certified: must be true or false"),
        (
            {"dpf_certified": True},
            "dpf_certified: the EU–US Data Privacy Framework certifies US organisations only",
        ),
        ({"hosts": ["https://plausible.io"]}, "hosts: 'https://plausible.io' is not a host name"),
        ({"hosts": ["plausible io"]}, "is not a host name"),
        ({"hosts": ["127.0.0.1"]}, "is an address, not a host name"),
        ({"script_paths": ["js/script.js"]}, "script_paths: 'js/script.js' is not a script path"),
        ({"script_paths": ["/js/script.js?v=1"]}, "is not a script path"),
        ({"cookie_patterns": ["_ga *"]}, "cookie_patterns: '_ga *' is not a cookie-name pattern"),
        ({"cookie_patterns": ["**"]}, "would match every cookie"),
        ({"cookie_patterns": ["_pk_id", "_pk_id"]}, "lists the same entry twice"),
        ({"links_checked": "yesterday"}, "links_checked: 'yesterday' is not a date written as YYYY-MM-DD"),
        ({"partner_info_url": "http://plausible.io/x"}, "partner_info_url: must be an https:// address"),
        ({"colour": "blue"}, "unknown fields colour"),
    ],
)
def test_the_loader_refuses_facts_outside_their_vocabulary_naming_the_entry_and_field(changes, message):
    with pytest.raises(LibraryFileError, match="services\\[\\d+\\]") as refused:
        library_from_data(_with_plausible(**changes))
    assert message in str(refused.value)


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"cross_site_tracking": True}, "cannot track people across sites"),
        ({"advertising": True}, "cannot be used for advertising"),
        ({"opt_out_url": "https://matomo.org/"}, "has no provider-run opt-out"),
    ],
)
def test_a_self_hosted_service_cannot_track_across_sites_or_advertise(changes, message):
    data = copy.deepcopy(SHIPPED)
    entry = next(s for s in data["services"] if s["key"] == "matomo_self_hosted")
    entry.update(changes)
    with pytest.raises(LibraryFileError, match=message):
        library_from_data(data)
    assert library_from_data(SHIPPED).service("matomo_self_hosted").role == "self_hosted"


def test_self_hosted_software_cannot_be_certified_under_the_data_privacy_framework():
    data = copy.deepcopy(SHIPPED)
    entry = next(s for s in data["services"] if s["key"] == "woocommerce")
    assert (entry["country"], entry["role"]) == ("US", "self_hosted")  # only the role can be the reason
    entry["dpf_certified"] = True
    with pytest.raises(
        LibraryFileError, match="woocommerce.*dpf_certified: a self-hosted service sends nothing"
    ):
        library_from_data(data)


def test_a_us_company_may_be_certified_and_an_entry_that_leaves_it_out_is_not():
    assert not library_from_data(_with_plausible()).service("plausible").dpf_certified
    data = _with_plausible(country="US", dpf_certified=True)
    assert library_from_data(data).service("plausible").dpf_certified


def test_a_third_party_or_processor_may_track_and_advertise():
    for role in ("third_party", "processor"):
        data = _with_plausible(role=role, cross_site_tracking=True, advertising=True)
        assert library_from_data(data).service("plausible").advertising


# --- Export and import --------------------------------------------------------------------


def test_every_fact_survives_the_file_round_trip(library):
    again = library_from_data(yaml.safe_load(dump_library(library)))
    for service in library.services:
        assert again.service(service.key) == service
    pixel = again.service("meta_pixel")
    assert pixel.hosts == ("connect.facebook.net", "facebook.com")
    assert (
        pixel.cookie_patterns == ("_fbp", "_fbc", "fr")
        and pixel.links_checked == library.service("meta_pixel").links_checked
    )


@pytest.mark.django_db
def test_exporting_the_database_and_importing_an_edit_changes_just_the_facts_edited(db_library, tmp_path):
    path = tmp_path / "library.yaml"
    call_command("export_library", str(path), stderr=io.StringIO())
    data = yaml.safe_load(path.read_text())
    exported = {s["key"]: s for s in data["services"]}
    assert (
        exported["google_analytics"]["partner_info_url"]
        == "https://policies.google.com/technologies/partner-sites"
    )
    assert set(library_from_data(data).services) == set(read_library_file().services)  # lossless
    exported["fathom"].update(
        hosts=["cdn.usefathom.com"],
        cookie_patterns=["_fathom*"],
        data_categories=["usage"],
        links_checked="2026-11-30",
    )
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = io.StringIO()
    call_command("import_library", str(path), "--dry-run", stdout=out)
    assert "change service fathom" in out.getvalue() and "Would change: 0 new, 1 changed" in out.getvalue()
    call_command("import_library", str(path), stdout=io.StringIO())
    fathom = Service.objects.get(key="fathom")
    assert (fathom.hosts, fathom.cookie_patterns, fathom.data_categories, fathom.links_checked) == (
        ["cdn.usefathom.com"],
        ["_fathom*"],
        ["usage"],
        "2026-11-30",
    )
    assert fathom.history.count() == 2


@pytest.mark.django_db
def test_the_data_privacy_framework_goes_from_the_file_to_the_database_and_back(editor_client, tmp_path):
    shipped = {s.key: s.dpf_certified for s in read_library_file().services}
    assert {s.key: s.dpf_certified for s in Service.objects.all()} == shipped
    path = tmp_path / "library.yaml"

    def exported() -> dict:
        call_command("export_library", str(path), stderr=io.StringIO())
        return {s["key"]: s for s in yaml.safe_load(path.read_text())["services"]}

    services = exported()
    assert services["stripe"]["dpf_certified"] is True and "dpf_certified" not in services["plausible"]
    assert {s.key: s.dpf_certified for s in read_library_file(path).services} == shipped
    # Unticked in the admin, it is false in the database, the snapshot policies read and the export.
    assert _post(editor_client, "stripe", dpf_certified=False).status_code == 302
    assert (
        not Service.objects.get(key="stripe").dpf_certified
        and not load_library().service("stripe").dpf_certified
    )
    assert "dpf_certified" not in exported()["stripe"]


@pytest.mark.django_db
def test_importing_a_file_with_an_unknown_kind_is_refused_and_changes_nothing(db_library, tmp_path):
    data = _with_plausible(kinds=["analytics", "crypto"], name="Plausible renamed")
    path = tmp_path / "library.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(CommandError, match="'crypto' is not a kind"):
        call_command("import_library", str(path))
    assert Service.objects.get(key="plausible").name == "Plausible Analytics"


# --- The admin ----------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db_library):
    user = User.objects.create_user("editor", password="long-enough-password-1", is_staff=True)
    user.groups.add(Group.objects.get(name=CLAUSE_EDITORS))
    client.force_login(user)
    return client


def _post(editor_client, key: str, **changes):
    service = Service.objects.get(key=key)
    url = reverse("admin:library_service_change", args=[service.pk])
    return editor_client.post(url, service_form(service, **changes))


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key, changes, message",
    [
        (
            "plausible",
            {"kinds": ["analytics", "crypto"]},
            "Select a valid choice. crypto is not one of the available choices.",
        ),
        ("plausible", {"kinds": []}, "This field is required."),
        (
            "plausible",
            {"role": "controller"},
            "Select a valid choice. controller is not one of the available choices.",
        ),
        ("plausible", {"country": "XX"}, "&#x27;XX&#x27; is not an ISO 3166-1 alpha-2 country code"),
        (
            "plausible",
            {"data_categories": ["dna"]},
            "Select a valid choice. dna is not one of the available choices.",
        ),
        ("plausible", {"hosts": "plausible.io\nhttps://evil.example/x"}, "is not a host name"),
        ("plausible", {"cookie_patterns": "_pk id"}, "is not a cookie-name pattern"),
        ("plausible", {"script_paths": "/js/<script>.js"}, "is not a script path"),
        ("plausible", {"partner_info_url": "http://plausible.io/"}, "must be an https:// address"),
        ("plausible", {"links_checked": "tomorrow"}, "Enter a valid date."),
        ("matomo_self_hosted", {"advertising": True}, "a self-hosted service sends nothing out"),
        ("matomo_self_hosted", {"cross_site_tracking": True}, "cannot track people across sites"),
        ("plausible", {"dpf_certified": True}, "certifies US organisations only"),
        ("woocommerce", {"dpf_certified": True}, "cannot transfer personal data"),
        ("stripe", {"country": "IE"}, "certifies US organisations only"),
    ],
)
def test_the_service_form_refuses_facts_outside_their_vocabulary_with_a_message(
    editor_client, key, changes, message
):
    before = Service.objects.get(key=key)
    response = _post(editor_client, key, **changes)
    assert response.status_code == 200 and message in response.content.decode()
    after = Service.objects.get(key=key)
    facts = ("kinds", "role", "country", "hosts", "advertising", "dpf_certified")
    assert [getattr(after, name) for name in facts] == [getattr(before, name) for name in facts]


@pytest.mark.django_db
def test_the_service_form_edits_every_fact_and_history_keeps_it(editor_client):
    response = _post(
        editor_client,
        "fathom",
        kinds=["analytics", "monitoring"],
        country="ca",
        data_categories=["usage", "device"],
        hosts="cdn.usefathom.com\n\n usefathom.com ",
        script_paths="/script.js",
        cookie_patterns="",
        links_checked="2026-11-30",
        partner_info_url="https://usefathom.com/data",
    )
    assert response.status_code == 302
    fathom = Service.objects.get(key="fathom")
    assert fathom.kinds == ["analytics", "monitoring"] and fathom.country == "CA"
    assert fathom.data_categories == ["device", "usage"]  # in the vocabulary's order
    assert fathom.hosts == ["cdn.usefathom.com", "usefathom.com"] and fathom.cookie_patterns == []
    assert fathom.links_checked == "2026-11-30"
    assert fathom.history.first().hosts == ["cdn.usefathom.com", "usefathom.com"]
    form = editor_client.get(reverse("admin:library_service_change", args=[fathom.pk])).content.decode()
    assert (
        'type="checkbox" name="kinds" value="monitoring"' in form
        and "cdn.usefathom.com\nusefathom.com</textarea>" in form
    )


@pytest.mark.django_db
def test_the_service_list_filters_by_kind_role_and_advertising_and_shows_unchecked_links(editor_client):
    page = lambda query: editor_client.get("/admin/library/service/" + query).content.decode()  # noqa: E731
    payments = page("?kind=payment")
    assert "Stripe" in payments and "Mixpanel" not in payments
    assert "Matomo (self-hosted)" in page("?role__exact=self_hosted") and "Stripe" not in page(
        "?role__exact=self_hosted"
    )
    assert "TikTok Pixel" in page("?advertising__exact=1") and "Plausible" not in page(
        "?advertising__exact=1"
    )
    unchecked = page("?links_checked=no")
    assert "Mixpanel" in unchecked and "Stripe" not in unchecked and "not checked" in unchecked
    assert "Klaviyo" in page("?q=klaviyo")


@pytest.mark.django_db
def test_the_coverage_page_lists_services_whose_links_are_not_checked(editor_client):
    html = editor_client.get(reverse("admin:library_clause_coverage")).content.decode()
    section = html.split("Services whose links are not checked", 1)[1]
    assert "<li>Mixpanel</li>" in section and "<li>Stripe</li>" not in section


# --- What clause text can read -----------------------------------------------------------

FACTS_BODY = """\
{% for tool in analytics_tools %}
- {{ tool.name }}: {{ tool.role or "unknown" }}, {{ tool.country or "?" }}, \
cookies {{ "unknown" if tool.sets_cookies is none else tool.sets_cookies }}, \
tracking {{ "unknown" if tool.cross_site_tracking is none else tool.cross_site_tracking }}, \
ads {{ "unknown" if tool.advertising is none else tool.advertising }}, {{ join(tool.kinds) or "no kinds" }}, \
{{ join(tool.data_categories) or "no categories" }}{% if tool.partner_info_url %}, {{ link("how it uses data", tool.partner_info_url) }}{% endif +%}
{% endfor %}
{% for p in payment_processors %}{{ p.name }} is {{ p.role or "unknown" }}. {% endfor %}
"""


def test_clause_text_can_read_each_services_facts(library, make_answers):
    clause = ClauseSpec(key="trial.facts", section="trial", order=1, body=FACTS_BODY)
    assert check_clause(clause, library) == []
    answers = make_answers(
        tools={
            "services": ["google_analytics", "plausible", "paypal"],
            "unlisted": [
                {"name": "Acme Stats", "kind": "analytics"},
                {"name": "Local Bank", "kind": "payment", "role": "processor"},
            ],
        },
    )
    text = assemble(clause_trial_library(clause, library), answers).sections[0].markdown
    assert (
        "Google Analytics: third\\_party, US, cookies True, tracking True, ads False, analytics, "
        "identifiers, device, usage and location, [how it uses data](<https://policies.google.com/technologies/partner-sites>)"
    ) in text
    assert "Plausible Analytics: processor, EE, cookies False, tracking False, ads False" in text
    assert (
        "Acme Stats: unknown, ?, cookies unknown, tracking unknown, ads unknown, analytics, no categories"
        in text
    )
    assert "PayPal is third\\_party. Local Bank is processor." in text


def test_a_misspelt_fact_is_refused_when_the_clause_is_saved(library):
    clause = ClauseSpec(
        key="trial.typo",
        section="trial",
        order=1,
        body="{% for tool in analytics_tools %}{{ tool.rol }}{% endfor %}",
    )
    assert any("rol" in problem.message for problem in check_clause(clause, library))


# --- The migration ----------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_each_kind_into_kinds_and_lets_the_loader_update_untouched_rows():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from policybuilder.library.services import _hash, sync_library

    executor = MigrationExecutor(connection)
    executor.migrate([("library", "0004_library_revision")])
    old_apps = executor.loader.project_state([("library", "0004_library_revision")]).apps
    OldService = old_apps.get_model("library", "Service")
    untouched = {
        "kind": "payment",
        "name": "Stripe",
        "company": "Stripe, Inc.",
        "privacy_url": "https://stripe.com/privacy",
        "opt_out_url": "",
    }
    OldService.objects.create(key="stripe", shipped_hash=_hash(untouched), **untouched)
    paypal = {**untouched, "name": "PayPal", "company": "PayPal, Inc.", "privacy_url": ""}
    OldService.objects.create(
        key="paypal", shipped_hash=_hash(paypal), **{**paypal, "name": "PayPal (edited)"}
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    stripe, paypal = Service.objects.get(key="stripe"), Service.objects.get(key="paypal")
    assert (stripe.kinds, paypal.kinds, paypal.role) == (["payment"], ["payment"], "third_party")
    report = sync_library(read_library_file())
    assert "service stripe" in report.updated and "service paypal" in report.kept_edits  # staff edits stay
    stripe.refresh_from_db()
    assert stripe.role == "processor" and stripe.country == "US" and stripe.hosts


@pytest.mark.django_db(transaction=True)
def test_the_certification_migration_lets_the_loader_bring_it_to_untouched_rows_only():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from policybuilder.library.services import _hash, sync_library

    before = [("library", "0006_answers_v2_names")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    OldService = executor.loader.project_state(before).apps.get_model("library", "Service")
    shipped = {s.key: s for s in read_library_file().services}
    for key, name in (("stripe", None), ("hubspot", "HubSpot (edited)")):
        values = {n: list(v) if isinstance(v, tuple) else v for n, v in shipped[key].editable().items()}
        del values["dpf_certified"]  # the fields as loaded before the migration
        OldService.objects.create(
            key=key, shipped_hash=_hash(values), **{**values, "name": name or values["name"]}
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert not Service.objects.filter(dpf_certified=True).exists()  # a new fact starts false everywhere
    report = sync_library(read_library_file())
    assert "service stripe" in report.updated and "service hubspot" in report.kept_edits
    assert (
        Service.objects.get(key="stripe").dpf_certified
        and not Service.objects.get(key="hubspot").dpf_certified
    )


def test_the_wizard_lists_every_kind_of_service_under_one_of_its_kinds(library):
    assert sorted(catalogue.PICKER_ORDER) == sorted(catalogue.KINDS.values)
    groups = library.catalogue_choices()[catalogue.ANY_KIND]
    keys = [key for _, choices in groups for key, _ in choices]
    assert sorted(keys) == sorted(s.key for s in library.services)  # each service once
