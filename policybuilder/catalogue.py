"""The service catalogue's vocabularies, and what a catalogue entry's facts may say.

Each catalogue entry (``clause_library.ServiceSpec``) is a set of facts about
one third-party service — what kinds of service it is, who runs it and where,
its role, whether it sets identifiers, tracks people across sites or is used
for advertising, what data it receives, and how a site scan could recognise
it. The policy text, the compliance review and a site scan are derived from
these facts, so they are declared once, here, with their labels.

Roles
-----
``processor``
    A service provider acting for the business and on its instructions
    (hosting, payments, email delivery, most analytics sold to the business).
    The policy can say it processes data *on our behalf*.
``third_party``
    An independent company that also uses the data for its own purposes
    (advertising networks, social plug-ins, "sign in with", embeds that
    profile viewers). The policy must say so and point to its own policy and,
    where it publishes one, its opt-out.
``self_hosted``
    Software that runs on the business's own servers and sends nothing to
    anyone (self-hosted Matomo, a WooCommerce plug-in). The policy names no
    recipient for it.

What the flags mean together
----------------------------
* ``sets_cookies``: stores cookies or similar identifiers (local storage,
  device or advertising IDs) on the visitor's device. Cookieless tools
  (Plausible, Fathom) are not counted among cookies.
* ``cross_site_tracking``: follows people across other companies' sites or
  apps. It says "other companies collect information about your activities
  over time and across websites" true of the policy (CalOPPA's disclosure).
* ``advertising``: used for advertising. Giving data to it is a "share" (for
  cross-context behavioural advertising) under California law whatever the
  contract calls it, so the policy cannot claim "we do not sell or share".
* ``dpf_certified``: the company that runs the service is certified under the
  EU–US Data Privacy Framework (and its UK Extension), so a transfer of
  personal data to it from the EU/EEA rests on the European Commission's
  adequacy decision of 10 July 2023 (GDPR Art. 45), and from the UK on the
  UK's data bridge. A US company that is not certified needs another
  safeguard, normally standard contractual clauses (Art. 46). It is the only
  flag an entry may leave out (false: no certification is claimed), since it
  says nothing about a company outside the US.

Combinations:

* ``self_hosted`` with ``cross_site_tracking`` or ``advertising`` is refused:
  nothing leaves the business's servers, so nobody can track or advertise
  with it (``fact_problems`` enforces it).
* ``dpf_certified`` is refused for a company whose ``country`` is not ``US``
  (the Framework certifies US organisations only) and for ``self_hosted``
  software (nothing is transferred, so no transfer needs a basis).
* ``processor`` with ``advertising`` is allowed and is a judgement call:
  a conversion tag configured under a provider's "restricted data
  processing" terms may be a processor, yet targeted advertising is still a
  "share" in California. The ``advertising`` flag, not the role, decides that.
* ``processor`` with ``cross_site_tracking`` says the provider keeps a
  profile across its customers' sites under the business's contract (rare);
  most trackers are ``third_party``.
* ``third_party`` without ``advertising`` is an independent controller with
  purposes of its own that are not advertising (a shipping carrier, a wallet
  such as PayPal, an embedded map).

Detection hints (``hosts``, ``script_paths``, ``cookie_patterns``) are plain
data for a later site scan: a host matches itself and its subdomains; a
script path and a cookie pattern are globs whose only wildcard is ``*``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from policybuilder.countries import is_country


@dataclass(frozen=True)
class Term:
    """One value of a vocabulary, with the label people read."""

    value: str
    label: str


class Vocabulary:
    """A fixed, ordered set of values with labels (kinds, roles, data categories)."""

    def __init__(self, name: str, terms: Iterable[Term]) -> None:
        self.name = name
        self.terms = tuple(terms)
        self.labels = {term.value: term.label for term in self.terms}
        self.values = tuple(self.labels)

    def __contains__(self, value: object) -> bool:
        return value in self.labels

    def choices(self) -> list[tuple[str, str]]:
        return [(term.value, term.label) for term in self.terms]

    def ordered(self, values: Iterable[str]) -> tuple[str, ...]:
        """Known values in the vocabulary's order, each once (so equal sets compare and export equal)."""
        wanted = set(values)
        return tuple(value for value in self.values if value in wanted)

    def unknown(self, values: Iterable[Any]) -> list[str]:
        return [str(value) for value in values if value not in self.labels]

    def describe(self) -> str:
        return ", ".join(self.values)


KINDS = Vocabulary(
    "kind",
    [
        Term("analytics", "Analytics"),
        Term("advertising", "Advertising and marketing pixels"),
        Term("email", "Email and newsletter services"),
        # ``payment`` is the value existing answers and clause conditions use: never rename it.
        Term("payment", "Payments and wallets"),
        Term("platform", "E-commerce and site platforms"),
        Term("hosting", "Hosting and CDN"),
        Term("support", "Customer support and chat"),
        Term("monitoring", "Error monitoring"),
        Term("media", "Embedded media and maps"),
        Term("fonts", "Fonts"),
        Term("social", "Social widgets"),
        Term("mobile_sdk", "Mobile SDKs (ads, analytics, crash reporting)"),
        Term("shipping", "Shipping and fulfilment"),
    ],
)

# The catalogue question that offers every service, whatever its kind (``Question.catalogue``).
ANY_KIND = "any"

# The wizard lists each service once, under the first of its kinds in this order: the most
# specific kind wins (Meta Pixel is found under advertising, not analytics; Firebase under
# mobile SDKs), and search finds a service under any name.
PICKER_ORDER = (
    "mobile_sdk", "advertising", "platform", "payment", "email", "support", "analytics",
    "monitoring", "hosting", "media", "fonts", "social", "shipping",
)  # fmt: skip


def picker_kind(kinds: Iterable[str]) -> str:
    """The kind a service is listed under in the wizard (see ``PICKER_ORDER``; a test keeps it whole)."""
    return next((kind for kind in PICKER_ORDER if kind in kinds), PICKER_ORDER[-1])


PROCESSOR, THIRD_PARTY, SELF_HOSTED = "processor", "third_party", "self_hosted"
ROLES = Vocabulary(
    "role",
    [
        Term(PROCESSOR, "Service provider acting for the business (processor)"),
        Term(THIRD_PARTY, "Independent third party that also uses data for its own purposes"),
        Term(SELF_HOSTED, "Self-hosted: runs on the business's own servers and sends nothing to anyone"),
    ],
)

DATA_CATEGORIES = Vocabulary(
    "data category",
    [
        Term("identifiers", "Identifiers such as IP address and cookie or device IDs"),
        Term("device", "Device and browser information"),
        Term("usage", "Usage and interactions"),
        Term("location", "Approximate location"),
        Term("contact", "Contact details"),
        Term("payment", "Payment details"),
        Term("purchases", "Purchase details"),
        Term("content", "Messages and content"),
        Term("session_recordings", "Session recordings"),
    ],
)

# The fields whose values are lists, and the vocabulary each is checked against (None: a shape check).
LIST_FIELDS = ("kinds", "data_categories", "hosts", "script_paths", "cookie_patterns")
# The flags every entry states (a data file must give them), and those it may leave out (false).
FLAG_FIELDS = ("sets_cookies", "cross_site_tracking", "advertising")
OPTIONAL_FLAG_FIELDS = ("dpf_certified",)
DPF_COUNTRY = "US"  # the EU–US Data Privacy Framework certifies organisations in the United States only

MAX_HINTS = 30  # hosts, paths or cookie patterns per service
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_SCRIPT_PATH = re.compile(r"^/[A-Za-z0-9._~%+/*-]*$")
_COOKIE_PATTERN = re.compile(r"^[A-Za-z0-9._*-]+$")


def country_problem(code: str) -> str | None:
    """The company's country: an ISO 3166-1 alpha-2 code from the one list (``countries``)."""
    if not is_country(code):
        return f"{code!r} is not an ISO 3166-1 alpha-2 country code (two capital letters, e.g. US, IE, DE)"
    return None


def host_problem(host: str) -> str | None:
    """A host name such as ``connect.facebook.net`` (it also matches its subdomains)."""
    labels = host.split(".")
    if len(host) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        shape = "lower-case letters, digits, hyphens and dots, e.g. cdn.example.com"
        return f"{host!r} is not a host name ({shape})"
    if labels[-1].isdigit():
        return f"{host!r} is an address, not a host name"
    return None


def script_path_problem(path: str) -> str | None:
    """A URL path such as ``/en_US/fbevents.js``; ``*`` stands for any characters."""
    if len(path) > 200 or not _SCRIPT_PATH.match(path):
        return (
            f"{path!r} is not a script path (it starts with / and holds letters, digits and . _ ~ % + - * / "
            "only: no spaces, query strings or quotes)"
        )
    return None


def cookie_pattern_problem(pattern: str) -> str | None:
    """A cookie name such as ``_fbp``, or a glob such as ``_ga*`` (``*`` is the only wildcard)."""
    if len(pattern) > 100 or not _COOKIE_PATTERN.match(pattern):
        return (
            f"{pattern!r} is not a cookie-name pattern (letters, digits, . _ - and the wildcard * only, "
            "no spaces)"
        )
    if not pattern.strip("*"):
        return f"{pattern!r} would match every cookie; name part of the cookie"
    return None


_HINT_CHECKS = {
    "hosts": host_problem,
    "script_paths": script_path_problem,
    "cookie_patterns": cookie_pattern_problem,
}
_VOCABULARIES = {"kinds": KINDS, "data_categories": DATA_CATEGORIES}


def links_checked_problem(value: str) -> str | None:
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return f"{value!r} is not a date written as YYYY-MM-DD"
    if len(value) != 10:
        return f"{value!r} is not a date written as YYYY-MM-DD"
    return None


def fact_problems(facts: Any) -> list[tuple[str, str]]:
    """(field, message) for each fact of a catalogue entry that is out of its vocabulary or shape.

    ``facts`` is anything with the ``ServiceSpec`` attributes. Link addresses
    are checked by ``clause_library.service_url_problem``.
    """
    problems: list[tuple[str, str]] = []
    if not facts.kinds:
        problems.append(("kinds", "choose at least one kind"))
    for name, vocabulary in _VOCABULARIES.items():
        unknown = vocabulary.unknown(getattr(facts, name))
        if unknown:
            listed = ", ".join(map(repr, unknown))
            problems.append((name, f"{listed} is not a {vocabulary.name} ({vocabulary.describe()})"))
    if facts.role not in ROLES:
        problems.append(("role", f"{facts.role!r} is not a role ({ROLES.describe()})"))
    # Empty only on rows a migration could not complete (staff fill it in); files and forms require it.
    if facts.country and (problem := country_problem(facts.country)) is not None:
        problems.append(("country", problem))
    for name, check in _HINT_CHECKS.items():
        values = getattr(facts, name)
        if len(values) > MAX_HINTS:
            problems.append((name, f"at most {MAX_HINTS} entries"))
        if len(set(values)) != len(values):
            problems.append((name, "lists the same entry twice"))
        problems += [(name, message) for value in values if (message := check(value))]
    if facts.links_checked and (problem := links_checked_problem(facts.links_checked)):
        problems.append(("links_checked", problem))
    if facts.dpf_certified and facts.country != DPF_COUNTRY:
        message = (
            "the EU–US Data Privacy Framework certifies US organisations only, and this company's "
            f"country is {facts.country or 'not given'}"
        )
        problems.append(("dpf_certified", message))
    if facts.role == SELF_HOSTED:
        nothing_out = "a self-hosted service sends nothing out, so it cannot"
        if facts.cross_site_tracking:
            problems.append(("cross_site_tracking", f"{nothing_out} track people across sites"))
        if facts.advertising:
            problems.append(("advertising", f"{nothing_out} be used for advertising"))
        if facts.dpf_certified:
            message = f"{nothing_out} transfer personal data, and the Data Privacy Framework does not apply"
            problems.append(("dpf_certified", message))
        if facts.opt_out_url:
            message = "a self-hosted service has no provider-run opt-out; leave it empty"
            problems.append(("opt_out_url", message))
    return problems
