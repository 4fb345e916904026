"""Values clause text can use besides the answers, derived from the answers and the catalogue.

Declared once here and used by the sandbox's name check (``templating``),
by assembly (which builds them) and by the coverage report (which counts the
answers they read as read by the templates).
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from policybuilder import catalogue
from policybuilder.applicable_laws import (
    APPLIES,
    STATE_NAMES,
    Verdict,
    established_in_region,
    in_group,
    laws_for,
    state_law,
    us_law_may_reach,
)
from policybuilder.clause_library import Library, ServiceSpec
from policybuilder.countries import (
    DIGITAL_CONSENT_AGES,
    EU_ADEQUATE,
    GERMAN_AUTHORITIES,
    RECORDS_RETENTION,
    RECORDS_RETENTION_ELSEWHERE,
    SUPERVISORY_AUTHORITIES,
    UK_ADEQUATE,
    UNITED_STATES,
    country_in_sentence,
    country_names,
)
from policybuilder.locales import locale_for
from policybuilder.questionnaire import FIXED_BASES, SENSITIVE_DATA, SENSITIVE_PERMITTED_USES, USE_PURPOSES


@dataclass(frozen=True)
class NamedService:
    """A third-party service as a clause sees it: its name, links and facts (see ``catalogue``).

    A service the person added themselves (``tools.unlisted``) has only what
    they said: a name, perhaps a company and a website, one kind and a role
    ("" when they were not sure). Its links are empty and every flag is
    ``None`` (unknown), so a clause can tell "unknown" from "no" with
    ``is none`` — except ``advertising``, which its kind "advertising" says.
    """

    name: str
    company: str = ""
    privacy_url: str = ""
    opt_out_url: str = ""
    partner_info_url: str = ""
    website: str = ""
    country: str = ""
    role: str = ""
    kinds: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    sets_cookies: bool | None = None
    cross_site_tracking: bool | None = None
    advertising: bool | None = None
    dpf_certified: bool | None = None
    known: bool = False  # the catalogue's facts describe it (links, data categories and flags)

    @classmethod
    def from_spec(cls, service: ServiceSpec) -> NamedService:
        """The entry's own values for every field a clause sees that a ``ServiceSpec`` has.

        Remembered per entry (entries are frozen): trial renders build the same services for
        every sample profile, and a library check runs dozens of them.
        """
        return _named_from_spec(service)

    @classmethod
    def from_record(cls, record: Mapping[str, str]) -> NamedService:
        """A service the person described (``tools.unlisted``): only what they said."""
        role = record["role"] if record["role"] in catalogue.ROLES else ""
        return cls(
            name=record["name"],
            company=record["company"],
            website=record["website"],
            role=role,
            kinds=(record["kind"],),
            advertising=True if record["kind"] == "advertising" else None,
        )


_SHARED_FIELDS = tuple(
    f.name for f in fields(NamedService) if f.name in {g.name for g in fields(ServiceSpec)}
)


@functools.lru_cache(maxsize=1024)
def _named_from_spec(service: ServiceSpec) -> NamedService:
    return NamedService(**{name: getattr(service, name) for name in _SHARED_FIELDS}, known=True)


# The services chosen, built once per set of answers and handed to each value that reads them.
Services = Sequence[NamedService]


@dataclass(frozen=True)
class DerivedValue:
    name: str
    reads: tuple[str, ...]  # the answer paths it is computed from
    help: str
    build: Callable[[Library, Mapping[str, Any], Services], Any]


_SERVICE_PATHS = ("tools.services", "tools.unlisted")


def chosen_services(library: Library, answers: Mapping[str, Any]) -> list[ServiceSpec]:
    """The catalogue entries the answers choose, whose facts the compliance review reads.

    A service outside the catalogue has no facts to read, so it is not here.
    """
    return [s for key in answers["tools"]["services"] if (s := library.service(key)) is not None]


def _services(library: Library, answers: Mapping[str, Any]) -> list[NamedService]:
    """Every service chosen: the catalogue's in the order chosen, then those the person added."""
    chosen = [NamedService.from_spec(service) for service in chosen_services(library, answers)]
    return chosen + [NamedService.from_record(record) for record in answers["tools"]["unlisted"]]


def _where(
    test: Callable[[NamedService], bool],
) -> Callable[[Library, Mapping[str, Any], Services], list[NamedService]]:
    def build(library: Library, answers: Mapping[str, Any], services: Services) -> list[NamedService]:
        return [service for service in services if test(service)]

    return build


def _is_analytics(service: NamedService) -> bool:
    """An analytics tool that is not used for advertising (those are listed as advertising)."""
    return "analytics" in service.kinds and service.advertising is not True


# Kinds with a part of their own in the policy; a service of none of them is among ``other_services``.
_OWN_PARTS = ("analytics", "advertising", "payment")


def _is_other(service: NamedService) -> bool:
    return service.advertising is not True and not any(kind in service.kinds for kind in _OWN_PARTS)


def long_date(iso: str, english: str = "us") -> str:
    """ "May 1, 2026" (US) or "1 May 2026" (international): a date as the policy writes it."""
    date = dt.date.fromisoformat(iso)
    return f"{date:%B} {date.day}, {date.year}" if english == "us" else f"{date.day} {date:%B} {date.year}"


def _policy(library: Library, answers: Mapping[str, Any], services: Services) -> dict[str, str]:
    english = locale_for(answers).english
    return {
        "effective_date": long_date(answers["organization"]["effective_date"], english),
        "english": english,
    }


# The verdicts of the answers being derived from: five values read them, and working them out
# is a fifth of building the values (``derived_values`` sets it for its own duration).
_verdicts: contextvars.ContextVar[list[Verdict] | None] = contextvars.ContextVar("verdicts", default=None)


def _laws_for(library: Library, answers: Mapping[str, Any]) -> list[Verdict]:
    known = _verdicts.get()
    return known if known is not None else laws_for(library, answers)


def _laws(library: Library, answers: Mapping[str, Any], services: Services) -> dict[str, str]:
    return {verdict.key: verdict.status for verdict in _laws_for(library, answers)}


def _us_states(library: Library, answers: Mapping[str, Any], services: Services) -> list[dict[str, str]]:
    states = []
    for verdict in _laws_for(library, answers):
        if verdict.status == APPLIES and in_group(verdict, "states"):
            law = state_law(verdict.key)
            states.append({"code": law.state, "state": STATE_NAMES[law.state], "law": law.name})
    return sorted(states, key=lambda state: state["state"])


def _european_laws(library: Library, answers: Mapping[str, Any]) -> list[str]:
    """``gdpr`` and/or ``uk-gdpr``, those of the two that apply."""
    return [v.key for v in _laws_for(library, answers) if v.status == APPLIES and in_group(v, "europe")]


def _legal_bases(library: Library, answers: Mapping[str, Any], services: Services) -> dict[str, str]:
    """Each purpose chosen with its GDPR legal basis ("" while unanswered), when the GDPR or UK GDPR
    applies; empty otherwise, so the policy gives bases only to readers whose law asks for them."""
    if not _european_laws(library, answers):
        return {}
    gdpr = answers.get("gdpr", {})
    return {
        purpose: FIXED_BASES.get(purpose) or gdpr.get(f"basis_{purpose}") or ""
        for purpose in answers["use"]["purposes"]
    }


# How a transfer out of the EU/EEA (``eu``) or the UK (``uk``) is safeguarded, by what the catalogue
# says of the recipient (GDPR Art. 44-46; UK GDPR Art. 45-46): an adequacy decision or UK data bridge
# for its country, the Data Privacy Framework (or its UK Extension) for a certified US company, and
# otherwise the standard contractual clauses (the IDTA or the UK Addendum from the UK).
ADEQUACY, DPF, CONTRACT_CLAUSES = "adequacy", "dpf", "contract_clauses"


def transfer_mechanism(law_key: str, service: NamedService) -> str:
    """The safeguard of a transfer to this service under one law (``gdpr``/``uk-gdpr``); "" when the
    service is in the law's own region, runs on the business's systems, or its country is unknown."""
    country = service.country
    if not service.known or service.role == catalogue.SELF_HOSTED or not country:
        return ""
    if established_in_region(country, law_key):
        return ""
    adequate = EU_ADEQUATE if law_key == "gdpr" else UK_ADEQUATE
    if country in adequate:
        return ADEQUACY
    if country == UNITED_STATES and service.dpf_certified:
        return DPF
    return CONTRACT_CLAUSES


def _transfers(library: Library, answers: Mapping[str, Any], services: Services) -> list[dict[str, Any]]:
    laws = _european_laws(library, answers)
    transfers = []
    for service in services:
        mechanisms = {key: transfer_mechanism(key, service) for key in laws}
        if any(mechanisms.values()):
            transfers.append(
                {
                    "service": service,
                    "country": country_names()[service.country],
                    "eu": mechanisms.get("gdpr", ""),
                    "uk": mechanisms.get("uk-gdpr", ""),
                }
            )
    return transfers


def _supervisory_authority(library: Library, answers: Mapping[str, Any], services: Services) -> str:
    """The lead authority of a business established in the EU/EEA: its country's, or in Germany its
    state's (BDSG §40); "" outside the EU/EEA."""
    country = answers["organization"]["country"]
    if country == "DE" and (state := answers["gdpr"]["german_state"]):
        return GERMAN_AUTHORITIES[state]
    return SUPERVISORY_AUTHORITIES.get(country, "")


def _digital_consent(library: Library, answers: Mapping[str, Any], services: Services) -> dict[str, Any]:
    """The age of digital consent of the business's country when the GDPR or UK GDPR applies there;
    empty otherwise (a business outside Europe follows each child's country, 13 to 16)."""
    country = answers["organization"]["country"]
    if not _european_laws(library, answers) or country not in DIGITAL_CONSENT_AGES:
        return {}
    return {"age": DIGITAL_CONSENT_AGES[country], "country": country_in_sentence(country)}


# The CCPA's categories of personal information (Cal. Civ. Code 1798.140(v)(1)), in its order, and
# the answers and catalogue facts that put information in each. Sensitive information is listed
# only under "sensitive" (1798.140(ae)), so what the policy says of it (sold, shared) is said once:
# its protected characteristics and biometrics have no rows of their own. "content" (what people
# write to the business) is not one of the statute's letters; it is listed so nothing is left out.
CCPA_CATEGORIES = (
    "identifiers", "customer_records", "commercial", "internet", "geolocation", "professional", "content",
    "inferences", "sensitive",
)  # fmt: skip
_GIVEN = {
    "identifiers": ("name", "email", "postal_address", "phone"),
    # Names, addresses and phone numbers are customer records too; they are listed once, as identifiers.
    "customer_records": ("payment_card",),
    "commercial": ("purchase_history",),
    "professional": ("company_details",),
    "content": ("user_content", "communications", "profile"),
    "sensitive": ("account_credentials", *(value for value, _ in SENSITIVE_DATA)),
}
SENSITIVE = frozenset(value for value, _ in SENSITIVE_DATA)
_AUTOMATIC = {
    "identifiers": ("ip_address",),
    "internet": ("browser_device", "access_times", "pages_visited", "session_interactions", "referrers",
                 "isp"),
}  # fmt: skip
# A catalogue entry's data categories, as the CCPA's.
_FROM_SERVICE_DATA = {
    "identifiers": "identifiers", "contact": "identifiers", "device": "internet", "usage": "internet",
    "session_recordings": "internet", "location": "geolocation", "payment": "customer_records",
    "purchases": "commercial", "content": "content",
}  # fmt: skip


def sensitive_uses_beyond(answers: Mapping[str, Any]) -> list[str]:
    """The uses of sensitive information beyond those that need no right to limit (11 CCR 7027(m))."""
    return [use for use in answers["collection"]["sensitive_uses"] if use not in SENSITIVE_PERMITTED_USES]


def _ccpa_categories(
    library: Library, answers: Mapping[str, Any], services: Services
) -> list[dict[str, Any]]:
    """Each CCPA category the business collects, with what 11 CCR 7011(e) asks of it, as keys.

    ``examples`` are answer values (or ``cookie_ids``, ``device_ids``, ``orders``, ``approximate_location``,
    ``profiles``); ``sources``: ``you``, ``device``, ``derived``; ``purposes``: ``use`` purposes
    (for sensitive information, its own uses) or ``analytics``, ``advertising``, ``profiling``;
    ``recipients``: the first kinds of the services that handle it on the business's behalf
    (``service_providers``, ``affiliates`` from the answers); ``own_purposes`` and ``role_unknown``:
    the first kinds of the other services that receive it (not for advertising); ``sold`` from the answers;
    ``shared_with``: the advertising tools that receive it (a tool added by the person, whose data
    nobody recorded, is counted for identifiers and activity); ``may_reach_advertising``: sensitive
    information collected where advertising tools run, which no one can promise they never see.
    """
    collection, use, us_privacy = answers["collection"], answers["use"], answers["us_privacy"]
    given = set(collection["personal_data"]) | set(collection["sensitive_data"])
    automatic = set(collection["automatic_data"])
    purposes = list(use["purposes"])
    outside = [service for service in services if service.role != "self_hosted"]
    advertising = [service for service in outside if service.advertising is True]
    sells = bool(answers["sharing"]["sells_personal_data"])
    sold_categories = set(us_privacy["sold_categories"]) if sells else set()
    kinds = set(answers["services"]["kinds"])

    def receives(service: NamedService, category: str) -> bool:
        if not service.known:  # nothing recorded: identifiers and activity, as tools of its kind take
            return category in ("identifiers", "internet")
        return any(_FROM_SERVICE_DATA.get(data) == category for data in service.data_categories)

    categories = []
    for key in CCPA_CATEGORIES:
        examples = [value for value in _GIVEN.get(key, ()) if value in given]
        examples += [value for value in _AUTOMATIC.get(key, ()) if value in automatic]
        sources = ["you"] if any(value in given for value in examples) else []
        if key == "identifiers":
            if answers["cookies"]["use"] == "yes" or any(s.sets_cookies or s.advertising for s in outside):
                examples.append("cookie_ids")  # advertising tools recognize browsers, whatever else they do
            if "mobile_app" in kinds or any("mobile_sdk" in s.kinds for s in outside):
                examples.append("device_ids")
        if key == "commercial" and ("online_store" in kinds or "order_form" in collection["sources"]):
            examples.append("orders")
        if key == "geolocation" and any(receives(s, key) for s in outside if s.known):
            examples.append("approximate_location")
        if key == "internet" and not examples and any(receives(s, key) or s.advertising for s in outside):
            examples.append("pages_visited")
        if key == "inferences" and (us_privacy["profiling"] or "personalize" in purposes):
            examples.append("profiles")  # what the business infers (advertising tools' own are theirs)
        sold_only = key in sold_categories and not examples  # said to be sold: listed, even if not collected
        if not examples and not sold_only:
            continue
        device = {"cookie_ids", "device_ids", "approximate_location", "precise_geolocation"}
        if any(value in automatic or value in device for value in examples):
            sources.append("device")
        if key == "inferences":
            sources = ["derived"]
        # Every advertising tool takes identifiers and activity (that is how it targets ads).
        everyone = key in ("identifiers", "internet")
        shared_with = [s.name for s in advertising if (everyone or receives(s, key)) and key != "sensitive"]
        if key in ("internet", "geolocation"):
            reasons = [p for p in purposes if p in ("improve_services", "security_fraud", "personalize")]
            reasons += ["analytics"] if any("analytics" in s.kinds for s in outside) else []
        elif key == "inferences":
            reasons = [p for p in purposes if p == "personalize"]
            reasons += ["profiling"] if us_privacy["profiling"] else []
        elif key == "sensitive":
            # Its own uses when asked (sensitive information beyond log-ins); else the permitted ones.
            reasons = list(collection["sensitive_uses"]) or [
                p for p in purposes if p in SENSITIVE_PERMITTED_USES
            ]
        else:
            reasons = list(purposes)  # a copy: "advertising" is added per category below
        reasons += ["advertising"] if shared_with else []
        others = [s for s in outside if s.advertising is not True and s.kinds and receives(s, key)]
        recipients = list(dict.fromkeys(s.kinds[0] for s in others if s.role == "processor"))
        if key not in ("internet", "geolocation", "inferences"):
            recipients += ["service_providers"] if answers["sharing"]["service_providers"] else []
            recipients += ["affiliates"] if answers["sharing"]["affiliates"] else []
        if key == "sensitive":
            sold = sells and us_privacy["sells_sensitive"] != "no"
        else:
            sold = key in sold_categories
        categories.append({
            "key": key,
            "examples": examples,
            "sources": sources,
            "purposes": list(dict.fromkeys(reasons)),
            "recipients": recipients,
            "own_purposes": list(dict.fromkeys(s.kinds[0] for s in others if s.role == "third_party")),
            "role_unknown": list(dict.fromkeys(s.kinds[0] for s in others if not s.role)),
            "sold": sold,
            "shared_with": shared_with,
            "may_reach_advertising": key == "sensitive" and bool(advertising and given & SENSITIVE),
        })  # fmt: skip
    return categories


DERIVED: tuple[DerivedValue, ...] = (
    DerivedValue(
        "used_services",
        _SERVICE_PATHS,
        "every service chosen, from the catalogue and added by the person, each with name, company, "
        "country, privacy_url, opt_out_url, partner_info_url, website, role (processor, third_party, "
        "self_hosted, or empty when not known), kinds, data_categories, known (the catalogue describes "
        "it) and the flags sets_cookies, cross_site_tracking and advertising (none when not known)",
        lambda library, answers, services: list(services),
    ),
    DerivedValue(
        "analytics_tools",
        _SERVICE_PATHS,
        "the chosen analytics tools not used for advertising (same fields)",
        _where(_is_analytics),
    ),
    DerivedValue(
        "advertising_tools",
        _SERVICE_PATHS,
        "the chosen services used for advertising (same fields)",
        _where(lambda service: service.advertising is True),
    ),
    DerivedValue(
        "tracking_tools",
        _SERVICE_PATHS,
        "the chosen services the catalogue says track people across other sites (same fields)",
        _where(lambda service: service.cross_site_tracking is True),
    ),
    DerivedValue(
        "cookie_tools",
        _SERVICE_PATHS,
        "the chosen services the catalogue says set cookies or similar identifiers (same fields)",
        _where(lambda service: service.sets_cookies is True),
    ),
    DerivedValue(
        "unknown_advertising",
        _SERVICE_PATHS,
        "the advertising services the person added, whose cookies and tracking nobody recorded: no "
        "sentence may deny either beside them (same fields)",
        _where(lambda service: service.advertising is True and not service.known),
    ),
    DerivedValue(
        "payment_processors",
        _SERVICE_PATHS,
        "the chosen payment services and wallets (same fields)",
        _where(lambda service: "payment" in service.kinds),
    ),
    DerivedValue(
        "email_services",
        _SERVICE_PATHS,
        "the chosen email and newsletter services (same fields)",
        _where(lambda service: "email" in service.kinds),
    ),
    DerivedValue(
        "other_services",
        _SERVICE_PATHS,
        "the chosen services that are not analytics, advertising or payment services, such as "
        "hosting, email, support or shipping (same fields)",
        _where(_is_other),
    ),
    DerivedValue(
        "policy",
        ("organization.effective_date", "organization.country", "organization.english"),
        "policy.effective_date: the effective date written out (“May 1, 2026”, or “1 May 2026” in "
        "international English); policy.english: “us” or “international” (see spelling())",
        _policy,
    ),
)
_LAW_PATHS = (
    "reach.for_profit", "reach.revenue", "reach.states", "reach.people", "reach.data_revenue",
    "reach.sba_small", "california.applies", "sharing.sells_personal_data", "children.directed_to_children",
    "children.knowingly_collects_under_13", "email_marketing.sends_commercial_email",
    "email_marketing.other_channels", "organization.effective_date", "collection.sensitive_data",
    "organization.country", "reach.europe", "reach.elsewhere", "cookies.use", *_SERVICE_PATHS,
)  # fmt: skip
DERIVED += (
    DerivedValue(
        "laws",
        _LAW_PATHS,
        "which laws apply on the effective date, by key (ccpa, caloppa, coppa, can-spam, tcpa, us-tx …): "
        "“applies”, “may_apply” or “does_not_apply”, as the review's “Laws that apply to you” shows",
        _laws,
    ),
    DerivedValue(
        "sensitive_beyond_permitted",
        ("collection.sensitive_uses",),
        "the uses of sensitive information beyond those that need no right to limit it (11 CCR "
        "7027(m)): advertising, inferences, marketing and the like; empty when there are none",
        lambda library, answers, services: sensitive_uses_beyond(answers),
    ),
    DerivedValue(
        "supervisory_authority",
        ("organization.country", "gdpr.german_state"),
        "the data protection authority of the EU/EEA country where the business is established (in "
        "Germany, of its state when gdpr.german_state says which), by the name people know it by (“the "
        "Irish Data Protection Commission (DPC)”); empty outside the EU/EEA, where a business has no lead "
        "authority",
        _supervisory_authority,
    ),
    DerivedValue(
        "legal_bases",
        (*_LAW_PATHS, "use.purposes", *(f"gdpr.basis_{p}" for p, _ in USE_PURPOSES if p not in FIXED_BASES)),
        "when the GDPR or the UK GDPR applies: each purpose of use.purposes with its legal basis (contract, "
        "legal_obligation, legitimate_interests, consent, soft_opt_in; “” while unanswered); empty otherwise",
        _legal_bases,
    ),
    DerivedValue(
        "transfers",
        _LAW_PATHS,
        "the chosen services that receive information outside the EU/EEA or the UK, when the GDPR or the "
        "UK GDPR applies: each with service, country (its name), and eu and uk: how the transfer is "
        "safeguarded under each law (adequacy, dpf, contract_clauses; “” when it is no transfer or that law "
        "does not apply)",
        _transfers,
    ),
    DerivedValue(
        "digital_consent",
        (*_LAW_PATHS,),
        "when the GDPR or the UK GDPR applies and the business is established in Europe: age (13 to 16), "
        "the age from which a child can consent alone under the law of its country (GDPR Art. 8), and "
        "country (its name as a sentence uses it: “the United Kingdom”); empty otherwise",
        _digital_consent,
    ),
    DerivedValue(
        "joint_controllers",
        _SERVICE_PATHS,
        "the chosen services run by independent companies that collect information through their tools "
        "on our pages (cookies, tracking or advertising): under the GDPR, the business decides that "
        "collection jointly with them (Art. 26; CJEU Fashion ID, C-40/17) (same fields)",
        _where(
            lambda service: service.known
            and service.role == catalogue.THIRD_PARTY
            and bool(service.sets_cookies or service.cross_site_tracking or service.advertising)
        ),
    ),
    DerivedValue(
        "us_law",
        ("organization.country", "reach.states"),
        "true unless the business is outside the US and serves no one there: US-only wording (a law "
        "enforcement delay of breach notice, the CCPA's “household”) needs it",
        lambda library, answers, services: us_law_may_reach(answers),
    ),
    DerivedValue(
        "records_retention",
        ("organization.country",),
        "how long invoices and accounting records are kept, by the law of the business's country, in words "
        "that finish “we keep invoices and accounting records …”",
        lambda library, answers, services: RECORDS_RETENTION.get(
            answers["organization"]["country"], RECORDS_RETENTION_ELSEWHERE
        ),
    ),
    DerivedValue(
        "us_states",
        _LAW_PATHS,
        "the states other than California whose privacy law applies, by state name, each with code "
        "(“TX”), state (“Texas”) and law (its name)",
        _us_states,
    ),
    DerivedValue(
        "ccpa_categories",
        (
            "collection.personal_data",
            "collection.sensitive_data",
            "collection.sensitive_uses",
            "collection.automatic_data",
            "us_privacy.sold_categories",
            "collection.sources",
            "use.purposes",
            "cookies.use",
            "services.kinds",
            "sharing.sells_personal_data",
            "sharing.service_providers",
            "sharing.affiliates",
            "us_privacy.sells_sensitive",
            "us_privacy.profiling",
            *_SERVICE_PATHS,
        ),  # fmt: skip
        "the CCPA categories of personal information collected (key: identifiers, customer_records, "
        "commercial, internet, geolocation, professional, content, inferences, sensitive), each with "
        "examples, sources, purposes, recipients (kinds of services acting for us, service_providers, "
        "affiliates), own_purposes and role_unknown (kinds of the other services that receive it), sold "
        "(true or false), shared_with (the advertising tools' names) and may_reach_advertising",
        _ccpa_categories,
    ),
)
DERIVED_NAMES = frozenset(value.name for value in DERIVED)


def derived_values(library: Library, answers: Mapping[str, Any]) -> dict[str, Any]:
    services = _services(library, answers)
    token = _verdicts.set(laws_for(library, answers))
    try:
        return {value.name: value.build(library, answers, services) for value in DERIVED}
    finally:
        _verdicts.reset(token)
