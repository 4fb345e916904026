"""Values clause text can use besides the answers, derived from the answers and the catalogue.

Declared once here and used by the sandbox's name check (``templating``),
by assembly (which builds them) and by the coverage report (which counts the
answers they read as read by the templates).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from policybuilder import catalogue
from policybuilder.clause_library import Library, ServiceSpec
from policybuilder.locales import locale_for


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


def sells_or_shares(library: Library, answers: Mapping[str, Any]) -> bool:
    """Whether the business sells personal information or gives it to advertising tools (a "share"
    under California law, whatever the contract calls it: see ``catalogue``)."""
    advertises = any(service.advertising is True for service in _services(library, answers))
    return bool(answers["sharing"]["sells_personal_data"]) or advertises


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
DERIVED_NAMES = frozenset(value.name for value in DERIVED)


def derived_values(library: Library, answers: Mapping[str, Any]) -> dict[str, Any]:
    services = _services(library, answers)
    return {value.name: value.build(library, answers, services) for value in DERIVED}
