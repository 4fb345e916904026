"""Values clause text can use besides the answers, derived from the answers and the catalogue.

Declared once here and used by the sandbox's name check (``templating``),
by assembly (which builds them) and by the coverage report (which counts the
answers they read as read by the templates).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from policybuilder.clause_library import Library, ServiceSpec
from policybuilder.locales import locale_for


@dataclass(frozen=True)
class NamedService:
    """A third-party tool as a clause sees it: its name, links and facts (see ``catalogue``).

    A tool named outside the catalogue has only a name: empty links, no
    kinds or data categories, ``role`` "" and every flag ``None`` (unknown),
    so a clause can tell "unknown" from "no" with ``is none``.
    """

    name: str
    company: str = ""
    privacy_url: str = ""
    opt_out_url: str = ""
    partner_info_url: str = ""
    country: str = ""
    role: str = ""
    kinds: tuple[str, ...] = ()
    data_categories: tuple[str, ...] = ()
    sets_cookies: bool | None = None
    cross_site_tracking: bool | None = None
    advertising: bool | None = None

    @property
    def known(self) -> bool:
        return bool(self.role)

    @classmethod
    def from_spec(cls, service: ServiceSpec) -> NamedService:
        """The entry's own values for every field a clause sees (each is a ``ServiceSpec`` field too)."""
        return cls(**{f.name: getattr(service, f.name) for f in fields(cls)})


@dataclass(frozen=True)
class DerivedValue:
    name: str
    reads: tuple[str, ...]  # the answer paths it is computed from
    help: str
    build: Callable[[Library, Mapping[str, Any]], Any]


def _analytics_tools(library: Library, answers: Mapping[str, Any]) -> list[NamedService]:
    tools = [
        NamedService.from_spec(service)
        for key in answers["analytics"]["providers"]
        if (service := library.service(key)) is not None
    ]
    return tools + [NamedService(name) for name in answers["analytics"]["other_providers"]]


def _payment_processors(library: Library, answers: Mapping[str, Any]) -> list[NamedService]:
    processors = []
    for name in answers["sharing"]["payment_processors"]:
        service = library.find_service("payment", name)
        processors.append(NamedService.from_spec(service) if service else NamedService(name))
    return processors


def chosen_services(library: Library, answers: Mapping[str, Any]) -> list[ServiceSpec]:
    """The catalogue entries the answers choose, whose facts the compliance review reads.

    Analytics tools by key, and payment processors named in words that match an
    entry; a tool outside the catalogue has no facts to read, so it is not here.
    """
    chosen = [s for key in answers["analytics"]["providers"] if (s := library.service(key)) is not None]
    chosen += [
        s for name in answers["sharing"]["payment_processors"] if (s := library.find_service("payment", name))
    ]
    return list({service.key: service for service in chosen}.values())


def _tools_where(fact: str) -> Callable[[Library, Mapping[str, Any]], list[NamedService]]:
    """The chosen analytics tools for which a catalogue fact is true (tools outside the catalogue
    have no facts, so they are never counted)."""

    def build(library: Library, answers: Mapping[str, Any]) -> list[NamedService]:
        return [tool for tool in _analytics_tools(library, answers) if getattr(tool, fact) is True]

    return build


def long_date(iso: str, english: str = "us") -> str:
    """ "May 1, 2026" (US) or "1 May 2026" (international): a date as the policy writes it."""
    date = dt.date.fromisoformat(iso)
    return f"{date:%B} {date.day}, {date.year}" if english == "us" else f"{date.day} {date:%B} {date.year}"


def _policy(library: Library, answers: Mapping[str, Any]) -> dict[str, str]:
    english = locale_for(answers).english
    return {
        "effective_date": long_date(answers["organization"]["effective_date"], english),
        "english": english,
    }


DERIVED: tuple[DerivedValue, ...] = (
    DerivedValue(
        "analytics_tools",
        ("analytics.providers", "analytics.other_providers"),
        "the analytics tools chosen, each with name, company, country, privacy_url, opt_out_url, "
        "partner_info_url, role (processor, third_party, self_hosted), kinds, data_categories and the "
        "flags sets_cookies, cross_site_tracking and advertising (links and role empty, flags none, "
        "for tools outside the catalogue)",
        _analytics_tools,
    ),
    DerivedValue(
        "advertising_tools",
        ("analytics.providers",),
        "the chosen analytics tools the catalogue says are used for advertising (same fields)",
        _tools_where("advertising"),
    ),
    DerivedValue(
        "tracking_tools",
        ("analytics.providers",),
        "the chosen analytics tools the catalogue says track people across other sites (same fields)",
        _tools_where("cross_site_tracking"),
    ),
    DerivedValue(
        "cookie_tools",
        ("analytics.providers",),
        "the chosen analytics tools the catalogue says set cookies or similar identifiers (same fields)",
        _tools_where("sets_cookies"),
    ),
    DerivedValue(
        "payment_processors",
        ("sharing.payment_processors",),
        "the payment processors named, matched to the catalogue's payment services where possible "
        "(same fields)",
        _payment_processors,
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
    return {value.name: value.build(library, answers) for value in DERIVED}
