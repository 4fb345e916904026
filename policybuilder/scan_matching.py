"""What a site scan saw, matched to the catalogue's services, and which addresses a scan may visit.

The scanner (a headless browser, issue 15) records observations: the
requests each page made and the cookies it found. This module is the plain
Python between those observations and the questionnaire:

* ``match_observations`` turns them into **matches with evidence** — which
  catalogue service each request or cookie points to, and on which pages —
  and lists the third-party hosts no service explains. The matching reads only
  the catalogue's detection hints (``ServiceSpec.hosts``, ``script_paths``,
  ``cookie_patterns``; see ``catalogue``), so staff who edit a hint in the admin
  change what a scan recognises, and nothing else keeps a copy of them.
* ``address_refusal`` says why a URL must not be fetched by the scanner: a
  scan is a browser fetching what a stranger typed, so anything that resolves
  to a private, loopback, link-local, reserved or cloud-metadata address is
  refused (server-side request forgery). The browser layer calls it for the
  first request, every redirect and every subresource.

Everything here is untrusted text from someone else's site: it is kept as
data (never markup) and cut to a bounded length.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

from policybuilder.clause_library import Library, ServiceSpec

MAX_TEXT = 200  # an observed host, path, cookie name or page address, as kept
NOT_FOUND = "was not found on the internet (check the address)"  # a name that does not resolve
MAX_PAGES_PER_EVIDENCE = 5  # pages named for one piece of evidence ("on /, /blog and 3 more")

# The instance-metadata addresses of cloud providers, refused whatever their range says.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254"),
     ipaddress.ip_address("100.100.100.200")}
)  # fmt: skip


def _clip(text: str) -> str:
    return text[:MAX_TEXT]


@dataclass(frozen=True)
class ObservedRequest:
    """One request a page made (or tried to make: hosts that cannot be reached still count)."""

    url: str
    page: str  # the path of the page that made it, such as "/checkout"


@dataclass(frozen=True)
class ObservedCookie:
    """A cookie, or a key in local or session storage, found after a page loaded."""

    name: str
    domain: str  # the cookie's domain ("" for storage keys, which belong to the site)
    page: str


@dataclass(frozen=True)
class Evidence:
    """Why a service was matched: what was seen ("host", "script" or "cookie"), and where."""

    kind: str
    detail: str  # the host, script path or cookie name seen
    pages: tuple[str, ...]

    def describe(self) -> str:
        """ "connect.facebook.net requested on / and /checkout" — for the wizard's suggestion."""
        verb = {"host": "requested", "script": "loaded", "cookie": "set"}[self.kind]
        shown = list(self.pages[:MAX_PAGES_PER_EVIDENCE])
        more = len(self.pages) - len(shown)
        if not shown:
            return f"{self.detail} {verb}"
        if more:
            where = ", ".join(shown) + f" and {more} more"
        else:
            where = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        return f"{self.detail} {verb} on {where}"


@dataclass(frozen=True)
class ServiceMatch:
    key: str
    name: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class UnknownHost:
    """A third-party host that no catalogue service explains, with the pages that load it."""

    host: str
    pages: tuple[str, ...]


@dataclass(frozen=True)
class ScanMatches:
    services: tuple[ServiceMatch, ...]
    unknown_hosts: tuple[UnknownHost, ...]


def host_matches(host: str, hint: str) -> bool:
    """A hint matches its own host and that host's subdomains (``catalogue`` says so)."""
    host, hint = host.lower().rstrip("."), hint.lower()
    return host == hint or host.endswith("." + hint)


@cache
def _glob(pattern: str) -> re.Pattern[str]:
    """A catalogue glob: ``*`` is the only wildcard, everything else is literal."""
    parts = re.split(r"(\*)", pattern)
    return re.compile("".join(".*" if part == "*" else re.escape(part) for part in parts))


def glob_matches(value: str, pattern: str) -> bool:
    return _glob(pattern).fullmatch(value) is not None


def _site_host(site_url: str) -> str:
    host = (urlsplit(site_url).hostname or "").lower()
    return host.removeprefix("www.")


def is_first_party(host: str, site_url: str) -> bool:
    """The site's own host, its ``www.`` twin and its subdomains (cdn.shop.example for shop.example)."""
    site = _site_host(site_url)
    return bool(site) and host_matches(host.removeprefix("www."), site)


def _service_evidence(
    service: ServiceSpec, requests: Sequence[ObservedRequest], cookies: Sequence[ObservedCookie]
) -> tuple[Evidence, ...]:
    """What points to this service, each detail once, with the pages it was seen on (in order)."""
    found: dict[tuple[str, str], list[str]] = {}

    def add(kind: str, detail: str, page: str) -> None:
        pages = found.setdefault((kind, _clip(detail)), [])
        if page not in pages:
            pages.append(_clip(page))

    for request in requests:
        parts = urlsplit(request.url)
        host = (parts.hostname or "").lower()
        if any(host_matches(host, hint) for hint in service.hosts):
            add("host", host, request.page)
        elif any(glob_matches(parts.path, pattern) for pattern in service.script_paths):
            add("script", parts.path, request.page)
    distinctive = bool(found)
    for cookie in cookies:
        patterns = [p for p in service.cookie_patterns if glob_matches(cookie.name, p)]
        if patterns:
            add("cookie", cookie.name, cookie.page)
            distinctive = distinctive or any(not _PLAIN_WORD.fullmatch(p) for p in patterns)
    if not distinctive:
        return ()  # only plain-word cookies ("cart", "crumb"): too common to name a service alone
    return tuple(Evidence(kind, detail, tuple(pages)) for (kind, detail), pages in found.items())


_PLAIN_WORD = re.compile(r"[a-z]+")


def match_observations(
    library: Library,
    site_url: str,
    requests: Sequence[ObservedRequest],
    cookies: Sequence[ObservedCookie] = (),
) -> ScanMatches:
    """The catalogue services the observations point to, in catalogue order, and the third-party
    hosts none of them explains.

    A script path alone (``/matomo.js``) matches on any host, the site's own included: that is how
    self-hosted tools are seen. A host explained by any matched hint is not "unknown".
    """
    matches = []
    for service in library.services:
        evidence = _service_evidence(service, requests, cookies)
        if evidence:
            matches.append(ServiceMatch(service.key, service.name, evidence))
    matches = _without_shadowed(matches)
    explained = {e.detail for match in matches for e in match.evidence if e.kind == "host"}
    unknown: dict[str, list[str]] = {}
    for request in requests:
        host = _clip((urlsplit(request.url).hostname or "").lower())
        if not host or host in explained or is_first_party(host, site_url):
            continue
        if any(host_matches(host, hint) for service in library.services for hint in service.hosts):
            continue
        pages = unknown.setdefault(host, [])
        if request.page not in pages:
            pages.append(_clip(request.page))
    return ScanMatches(
        services=tuple(matches),
        unknown_hosts=tuple(UnknownHost(host, tuple(pages)) for host, pages in sorted(unknown.items())),
    )


def _without_shadowed(matches: list[ServiceMatch]) -> list[ServiceMatch]:
    """Leave out a service whose evidence is all shared with another service that has more.

    Some services share a host: connect.facebook.net serves both Meta Pixel and the Facebook
    social plug-ins, www.googletagmanager.com both Google Analytics and Tag Manager. When one of
    them also has evidence of its own (Meta Pixel's ``_fbp`` cookie), the shared host is its
    evidence, not the other's; when neither has more, both stay, for the owner to choose.
    """
    details = {m.key: {(e.kind, e.detail) for e in m.evidence} for m in matches}
    return [m for m in matches if not any(details[m.key] < details[other.key] for other in matches)]


# --- Which addresses a scan may fetch ---------------------------------------------------------

Resolver = Callable[[str], Iterable[str]]


def resolve(host: str) -> list[str]:
    """Every address the host resolves to (IPv4 and IPv6), as text."""
    return sorted({str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)})


def _address_problem(address: ipaddress.IPv4Address | ipaddress.IPv6Address, allow_loopback: bool) -> str:
    address = _unmapped(address)  # ::ffff:127.0.0.1 is 127.0.0.1
    if address in METADATA_ADDRESSES:
        return "a cloud metadata address"
    if address.is_loopback:
        return "" if allow_loopback else "a loopback address (this machine)"
    for name, flag in (
        ("an unspecified address", address.is_unspecified),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("a reserved address", address.is_reserved),
        ("a private network address", address.is_private),
    ):
        if flag:
            return name
    if not address.is_global:
        return "an address that is not on the public internet"
    return ""


def address_refusal(url: str, *, allow_loopback: bool = False, resolver: Resolver = resolve) -> str | None:
    """Why the scanner must not fetch ``url`` (None when it may).

    Only ``http`` and ``https``; the host must resolve, and every address it resolves to must be
    public. ``allow_loopback`` is for tests and local development, never production (the fixture
    sites of the tests are served on 127.0.0.1).
    """
    return vet_address(url, allow_loopback=allow_loopback, resolver=resolver)[1]


def vet_address(
    url: str, *, allow_loopback: bool = False, resolver: Resolver = resolve
) -> tuple[tuple[str, ...], str | None]:
    """The addresses ``url``'s host resolves to, and why they must not be fetched (None when they
    may). The scanning proxy connects to exactly these addresses, so a DNS answer that changes
    between the check and the connection cannot get through (DNS rebinding)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 -- reading it raises ValueError for a port out of range
    except ValueError:
        return (), "it is not a valid web address"
    if parts.scheme not in ("http", "https"):
        return (), "only http:// and https:// addresses can be scanned"
    host = (parts.hostname or "").rstrip(".")
    if not host:
        return (), "it has no host name"
    if parts.username or parts.password:
        return (), "addresses with a user name or password are not scanned"
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    try:
        addresses = [literal] if literal is not None else [ipaddress.ip_address(a) for a in resolver(host)]
    except (OSError, ValueError):
        return (), f"{_clip(host)} {NOT_FOUND}"
    if not addresses:
        return (), f"{_clip(host)} {NOT_FOUND}"
    for address in addresses:
        problem = _address_problem(address, allow_loopback)
        if problem:
            return (), f"{_clip(host)} leads to {problem}"
    # One spelling per address (::ffff:127.0.0.1 is 127.0.0.1), so comparisons with the app's own
    # addresses cannot be dodged by writing one the other way.
    return tuple(str(_unmapped(address)) for address in addresses), None


def plain_address(text: str) -> str:
    """An address in one spelling, for comparisons: ``::ffff:127.0.0.1`` is ``127.0.0.1``."""
    try:
        return str(_unmapped(ipaddress.ip_address(text)))
    except ValueError:
        return text


def is_forbidden_host(host: str, port: int | None, forbidden: frozenset[str]) -> bool:
    """Whether ``host`` (on ``port``) is one of the app's own names: "policy.example.org" (any
    port), "127.0.0.1:8000" (that port only) or ".example.org" (the domain and its subdomains),
    as in ``ALLOWED_HOSTS``."""
    host = host.lower().rstrip(".")
    if host in forbidden or (port is not None and f"{host}:{port}" in forbidden):
        return True
    return any(name.startswith(".") and (host == name[1:] or host.endswith(name)) for name in forbidden)


def _unmapped(
    address: ipaddress.IPv4Address | ipaddress.IPv6Address,
) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address
