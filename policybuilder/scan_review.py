"""What a site scan means for the answers: suggestions with evidence, contradictions, the cookie table.

A scan report (``scan_report``) says what the site does; the answers say what the owner told us.
This module compares the two, for the wizard, the review page, ``buildpolicy --scan`` and the
rescans of published policies:

* ``review_scan`` returns one ``ScanFinding`` per thing the site does that the answers do not say,
  each with its evidence ("connect.facebook.net requested on / and /checkout") and the one
  ``AnswerChange`` that makes the answers say it. A finding **contradicts** the answers when the
  question it concerns has been answered otherwise ("your site sets _ga but your answers say no
  cookies"); otherwise it is a suggestion. Nothing is changed until the owner accepts a finding.
* ``cookie_rows`` builds the cookie table the policy prints when the owner attaches a scan: name,
  provider, purpose (from the catalogue's facts about the service that sets it), duration and
  first or third party.

Which catalogue service a request or cookie belongs to is decided by ``scan_matching`` from the
catalogue's detection hints; which answer a service, a cookie or a form field maps to is decided
here, once.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import asdict, dataclass
from typing import Any

from policybuilder.answer_kinds import CookieRecordsKind
from policybuilder.clause_library import Library, ServiceSpec
from policybuilder.questionnaire import PAGES, QUESTIONS_BY_PATH
from policybuilder.scan_matching import ScanMatches, glob_matches, match_observations
from policybuilder.scan_report import FORM_FIELD_KINDS, ScanReport, describe_duration

# A form field's kind → the collection.personal_data choice it shows the site collects.
FIELD_DATA = {
    "name": "name",
    "email": "email",
    "phone": "phone",
    "postal_address": "postal_address",
    "payment_card": "payment_card",
    "password": "account_credentials",
    "file_upload": "user_content",
}

# A service's kind → the cookies.purposes choice its cookies serve.
KIND_COOKIE_PURPOSE = {"analytics": "analytics", "advertising": "advertising"}


@dataclass(frozen=True)
class AnswerChange:
    """Add ``value`` to the list at ``path``, or set ``path`` to it (``add`` false)."""

    path: str  # "tools.services"
    value: Any
    add: bool = True

    def applied(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """A copy of ``answers`` with this change made (raw, per-step answers as drafts hold them)."""
        result = copy.deepcopy(dict(answers))
        step, _, name = self.path.partition(".")
        section = result.setdefault(step, {})
        if not isinstance(section, dict):
            section = result[step] = {}
        if self.add:
            current = section.get(name)
            values = list(current) if isinstance(current, list) else []
            if self.value not in values:
                values.append(self.value)
            section[name] = values
        else:
            section[name] = self.value
        return result

    def holds(self, answers: Mapping[str, Any]) -> bool:
        value = _answer(answers, self.path)
        return (isinstance(value, list) and self.value in value) if self.add else value == self.value


@dataclass(frozen=True)
class ScanFinding:
    key: str  # stable within a scan: "service:meta_pixel", "data:email" …
    message: str  # what the site does, in the owner's terms
    evidence: tuple[str, ...]
    change: AnswerChange | None  # None: nothing to accept (an unknown host, a missing link)
    contradicts: bool  # the answers say otherwise (not merely unsaid)
    page: str  # the wizard page of the question concerned, for the fix link


def _answer(answers: Mapping[str, Any], path: str) -> Any:
    step, _, name = path.partition(".")
    section = answers.get(step)
    return section.get(name) if isinstance(section, Mapping) else None


# Which wizard page asks each question: a finding contradicts an answer only on a page the owner
# saved (an answer the scan filled in a moment ago is not one they gave).
_PAGE_OF = {path: page.key for page in PAGES for path in page.paths}
Answered = Callable[[str], bool]


def _service_cookies(service: ServiceSpec, report: ScanReport) -> list[str]:
    names = [c.name for c in report.observed_cookies()]
    return [n for n in dict.fromkeys(names) if any(glob_matches(n, p) for p in service.cookie_patterns)]


def _unsaid(
    key: str,
    said: str,
    answered: bool,
    otherwise: str,
    evidence: tuple[str, ...],
    change: AnswerChange,
    page: str,
) -> ScanFinding:
    """A finding the answers do not cover: a contradiction when the question was answered
    (``said`` then ends with ``otherwise``), a suggestion when it was not."""
    return ScanFinding(
        key=key,
        message=f"{said}, and {otherwise}" if answered else f"{said}.",
        evidence=evidence,
        change=change,
        contradicts=answered,
        page=page,
    )


def review_scan(
    library: Library,
    report: ScanReport,
    answers: Mapping[str, Any],
    saved_pages: Collection[str] | None = None,
) -> list[ScanFinding]:
    """Everything the scan saw that the answers do not say, in the order of the questionnaire.

    ``saved_pages`` (a draft's completed pages) limits contradictions to questions on pages the
    owner saved; without it (an answers file, a published version) every given answer counts."""

    def answered(path: str) -> bool:
        return _answer(answers, path) is not None and (
            saved_pages is None or _PAGE_OF.get(path) in saved_pages
        )

    matches = match_observations(library, report.site_url, report.requests, report.observed_cookies())
    findings: list[ScanFinding] = []
    findings += _service_findings(library, matches, answers, answered)
    findings += _cookie_findings(library, report, matches, answers, answered)
    findings += _form_findings(report, answers, answered)
    findings += _other_findings(report, matches)
    return findings


def _service_findings(
    library: Library, matches: ScanMatches, answers: Mapping[str, Any], answered: Answered
) -> list[ScanFinding]:
    findings = []
    services_answered = answered("tools.services")
    for match in matches.services:
        change = AnswerChange("tools.services", match.key)
        if change.holds(answers):
            continue
        evidence = tuple(e.describe() for e in match.evidence)
        said = f"Your site uses {match.name}"
        findings.append(
            _unsaid(
                f"service:{match.key}",
                said,
                services_answered,
                "your answers do not list it.",
                evidence,
                change,
                "tools",
            )
        )
    return findings


def _cookie_findings(
    library: Library, report: ScanReport, matches: ScanMatches, answers: Mapping[str, Any], answered: Answered
) -> list[ScanFinding]:
    names = [c.name for c in report.cookies] + [s.name for s in report.storage]
    if not names:
        return []
    findings = []
    shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
    use = _answer(answers, "cookies.use")
    said_no = use in ("no", "maybe_future") and answered("cookies.use")
    if use != "yes":
        findings.append(
            ScanFinding(
                key="cookies:use",
                message=(
                    "Your site sets cookies or stores data in the browser, and your answers say it does not."
                    if said_no
                    else "Your site sets cookies or stores data in the browser."
                ),
                evidence=(f"set without any click: {shown}",),
                change=AnswerChange("cookies.use", "yes", add=False),
                contradicts=said_no,
                page="cookies",
            )
        )
    purposes_answered = answered("cookies.purposes")
    for purpose, label in (("analytics", "analytics"), ("advertising", "advertising")):
        setters = [
            (m.name, cookie)
            for m in matches.services
            if (service := library.service(m.key)) is not None and purpose in _cookie_purposes(service)
            for cookie in _service_cookies(service, report)
        ]
        change = AnswerChange("cookies.purposes", purpose)
        if not setters or change.holds(answers):
            continue
        evidence = tuple(f"{cookie}, set by {name}" for name, cookie in setters[:6])
        said, otherwise = f"Your site sets {label} cookies", "your answers do not list that purpose."
        findings.append(
            _unsaid(
                f"cookie-purpose:{purpose}", said, purposes_answered, otherwise, evidence, change, "cookies"
            )
        )
    # The scan never clicks, so every cookie it saw was set before anyone could agree to it.
    if _answer(answers, "cookies.consent") is True and answered("cookies.consent"):
        early = [
            f"{cookie}, set by {m.name}"
            for m in matches.services
            if (service := library.service(m.key)) is not None and _cookie_purposes(service)
            for cookie in _service_cookies(service, report)
        ]
        if early:
            findings.append(
                ScanFinding(
                    key="cookies:consent",
                    message=(
                        "Your answers say you ask before setting cookies that are not strictly necessary, "
                        + (
                            "and the scan saw a consent banner, but these were set before any click. "
                            if report.consent_banner
                            else "but the scan saw no consent banner and these were set before any click. "
                        )
                        + "Fix your site, or use this to stop the policy promising it."
                    ),
                    evidence=tuple(early[:6]),
                    change=AnswerChange("cookies.consent", False, add=False),
                    contradicts=True,
                    page="cookies",
                )
            )
    return findings


def _cookie_purposes(service: ServiceSpec) -> set[str]:
    """The cookie purposes a service's cookies serve: advertising for an advertising service (its
    measurement serves the ads), otherwise what its kinds say."""
    if service.advertising:
        return {"advertising"}
    return {KIND_COOKIE_PURPOSE[kind] for kind in service.kinds if kind in KIND_COOKIE_PURPOSE}


def _form_findings(report: ScanReport, answers: Mapping[str, Any], answered: Answered) -> list[ScanFinding]:
    pages: dict[str, list[str]] = {}
    for form in report.forms:
        for kind in form.fields:
            where = f"“{form.label}” on {form.page}" if form.label else f"a form on {form.page}"
            if where not in pages.setdefault(kind, []):
                pages[kind].append(where)
    data_answered = answered("collection.personal_data")
    findings = []
    for kind, label in FORM_FIELD_KINDS.items():
        if kind not in pages:
            continue
        change = AnswerChange("collection.personal_data", FIELD_DATA[kind])
        if change.holds(answers):
            continue
        evidence = tuple(f"asked in {where}" for where in pages[kind][:5])
        said = f"A form on your site asks for {label}"
        findings.append(
            _unsaid(
                f"data:{kind}",
                said,
                data_answered,
                "your answers do not list it.",
                evidence,
                change,
                "collection",
            )
        )
    return findings + _source_findings(report, answers, answered)


# How people give information (collection.sources), from what a form says it is for: its own words
# (heading, legend, button) or its page's address, and the fields it asks for.
_SOURCE_SIGNS: tuple[tuple[str, str, re.Pattern[str], frozenset[str]], ...] = (
    ("newsletter", "a newsletter sign-up", re.compile(r"newsletter|subscribe|mailing list", re.I),
     frozenset({"email"})),
    ("registration", "an account sign-up", re.compile(r"sign.?up|register|create.{0,12}account", re.I),
     frozenset({"password"})),
    ("order_form", "an order form", re.compile(r"checkout|order|pay|billing", re.I),
     frozenset({"payment_card", "postal_address"})),
    ("contact_form", "a contact form", re.compile(r"contact|get in touch|message us|enquir|inquir", re.I),
     frozenset({"email", "phone"})),
)  # fmt: skip


def _source_findings(report: ScanReport, answers: Mapping[str, Any], answered: Answered) -> list[ScanFinding]:
    """A form whose words say what it is for, asking for what such a form asks for: a sign-up for
    a newsletter or an account, an order form, a contact form."""
    findings = []
    for source, what, words, fields in _SOURCE_SIGNS:
        where = [
            f"“{form.label}” on {form.page}" if form.label else f"a form on {form.page}"
            for form in report.forms
            if fields & set(form.fields) and (words.search(form.label) or words.search(form.page))
        ]
        change = AnswerChange("collection.sources", source)
        if not where or change.holds(answers):
            continue
        said = f"Your site has {what}"
        evidence = tuple(dict.fromkeys(where))[:5]
        findings.append(
            _unsaid(
                f"source:{source}",
                said,
                answered("collection.sources"),
                "your answers do not list it among the ways people give you information.",
                evidence,
                change,
                "collection",
            )
        )
    return findings


def _other_findings(report: ScanReport, matches: ScanMatches) -> list[ScanFinding]:
    findings = []
    for unknown in matches.unknown_hosts:
        findings.append(
            ScanFinding(
                key=f"unknown:{unknown.host}",
                message=(
                    f"Your site loads something from {unknown.host}, which the catalogue does not know. "
                    "If it collects information, add it under “Services not in the list”."
                ),
                evidence=(f"requested on {', '.join(unknown.pages[:5])}",),
                change=None,
                contradicts=False,
                page="tools",
            )
        )
    if not report.privacy_link:
        findings.append(
            ScanFinding(
                key="link:privacy",
                message=(
                    "Your home page has no link to a privacy policy. California's CalOPPA asks for a "
                    "conspicuous “privacy” link on the home page (Cal. Bus. & Prof. Code 22575(a), 22577(b))."
                ),
                evidence=("no link with “privacy” in its words or address on /",),
                change=None,
                contradicts=False,
                page="organization",
            )
        )
    return findings


# --- The cookie table ------------------------------------------------------------------------


@dataclass(frozen=True)
class CookieRow:
    name: str
    provider: str
    purpose: str
    duration: str
    party: str  # "First party" or "Third party"


_PURPOSE_WORDS = {
    "advertising": "Advertising: measures ads and who sees them",
    "analytics": "Analytics: counts visits and how pages are used",
    "payment": "Payments and fraud checks",
    "support": "Customer support chat",
    "platform": "Runs the shop or site platform",
    "hosting": "Delivers the site and protects it from attacks",
    "monitoring": "Finds errors in the site",
    "media": "Shows embedded media",
    "social": "Social sharing buttons",
    "email": "Newsletter sign-up and email",
    "fonts": "Loads fonts",
}


def cookie_purpose(service: ServiceSpec) -> str:
    """A cookie's purpose, from the facts of the service that sets it (advertising first)."""
    if service.advertising:
        return _PURPOSE_WORDS["advertising"]
    for kind in service.kinds:
        if kind in _PURPOSE_WORDS:
            return _PURPOSE_WORDS[kind]
    return "Used by " + service.name


def cookie_rows(library: Library, report: ScanReport) -> list[CookieRow]:
    """One row per cookie and storage key the scan found.

    The provider is the matched service whose cookie pattern the name fits (the same matching as
    the suggestions). A cookie no service explains is attributed to the site (first party) or to
    its domain, and its purpose is left to the policy's own list of purposes rather than guessed.
    """
    rows = []
    entries: list[tuple[str, str, bool, str]] = [
        (c.name, c.domain, c.first_party, describe_duration(c.duration_seconds)) for c in report.cookies
    ]
    entries += [
        (s.name, "", True, "Until the tab is closed" if s.area == "session" else "Until you clear it")
        for s in report.storage
    ]
    matches = match_observations(library, report.site_url, report.requests, report.observed_cookies())
    matched = [s for m in matches.services if (s := library.service(m.key)) is not None]
    for name, domain, first_party, duration in entries:
        service = next((s for s in matched if any(glob_matches(name, p) for p in s.cookie_patterns)), None)
        if service is not None:
            provider, purpose = f"{service.name} ({service.company})", cookie_purpose(service)
        elif first_party:
            provider, purpose = "This website", "One of the purposes listed above"
        else:
            provider, purpose = domain, "One of the purposes listed above"
        rows.append(
            CookieRow(name, provider, purpose, duration, "First party" if first_party else "Third party")
        )
    return rows


def cookie_table_answer(library: Library, report: ScanReport) -> list[dict[str, str]]:
    """The cookie table as the ``cookies.table`` answer: each row cut to its field's length, and a
    row the answer would refuse (a nameless cookie, control characters in a storage key) left out,
    so attaching a scan never leaves the cookies page unsaveable."""
    question = QUESTIONS_BY_PATH["cookies.table"]
    kind = question.kind
    assert isinstance(kind, CookieRecordsKind)
    answer = []
    for row in cookie_rows(library, report):
        record = {field: str(value)[: kind.MAX_TEXT[field]] for field, value in asdict(row).items()}
        try:
            kind.clean(question, [record], {})
        except ValueError:
            continue
        answer.append(record)
    return answer[: question.max_items]
