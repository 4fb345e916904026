"""Compliance review: when answers do not add up legally, or contradict each other.

Each rule is one declarative entry: an id, a severity, the law it comes from
(a citation, see ../shared/LAWS.md), the question to fix, a plain-language
message and a check over normalised answers.  Errors are impossible to miss
but block nothing: Policy Builder is not legal advice, and a person may
know better.

Rules about the CCPA and the other US privacy laws ask ``applicable_laws``
whether a law applies (``_law``), on the policy's effective date, as the
policy's own text does; the verdicts are computed once per check. Details
LAWS.md marks "verify" say so in the rule's citation or message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policybuilder import catalogue
from policybuilder.answers import Answers
from policybuilder.applicable_laws import (
    APPLIES,
    DOES_NOT_APPLY,
    MAY_APPLY,
    STATE_LAWS,
    STATE_NAMES,
    applicable_laws,
    effective_date,
    us_law_may_reach,
)
from policybuilder.clause_library import ServiceSpec
from policybuilder.countries import CONSENT_AGES_TO_VERIFY
from policybuilder.derived import sensitive_uses_beyond
from policybuilder.questionnaire import PURPOSE_BASES, SPECIAL_CATEGORIES, USE_PURPOSES
from policybuilder.wording import join_list

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    path: str  # the question to fix
    law: str
    message: str  # "{services}" is replaced by the names of what raised it (services or states)
    # The check: the answers and the catalogue facts of the services they choose. A list of
    # names (true when not empty) says which services, or which states' laws, raised the finding.
    applies: Callable[[Answers, Sequence[ServiceSpec]], bool | list[str]]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    services: tuple[str, ...] = ()  # the services (or states) that raised it, for rules that name them

    @property
    def message(self) -> str:
        return self.rule.message.replace("{services}", join_list(self.services))

    @property
    def line(self) -> str:
        """`warning COPPA-3 organization.phone: …` — the command line's format."""
        return f"{self.rule.severity} {self.rule.id} {self.rule.path}: {self.message} ({self.rule.law})"

    def as_dict(self) -> dict[str, Any]:
        r = self.rule
        return {"id": r.id, "severity": r.severity, "path": r.path, "law": r.law, "message": self.message}


def _coppa(a: Answers) -> bool:
    return a["children"]["directed_to_children"] or a["children"]["knowingly_collects_under_13"]


def _california(a: Answers) -> bool:
    return a["california"]["applies"]


def _sends(a: Answers) -> bool:
    return a["email_marketing"]["sends_commercial_email"]


def _us_email(a: Answers, services: Sequence[ServiceSpec]) -> bool:
    """Whether CAN-SPAM reaches the email (a US business, or people in the US), or may."""
    return _law(a, services, "can-spam") != DOES_NOT_APPLY


def _collects(a: Answers, item: str) -> bool:
    return item in a["collection"]["personal_data"]


def _without_stated_basis(a: Answers) -> list[str]:
    """The purposes written in the owner's own words that do not name a legal basis (shortened)."""
    lines = a["use"]["other_purposes"].splitlines()
    return [f"“{line[:60]}”" for line in lines if "basis" not in line.casefold()]


def _gives_anything(a: Answers) -> bool:
    """Whether people give any personal information: from the list, or in the owner's own words."""
    return bool(a["collection"]["personal_data"]) or bool(a["collection"]["other_data"].strip())


def _names(services: Sequence[ServiceSpec], fact: Callable[[ServiceSpec], bool]) -> list[str]:
    """The names of the chosen services for which a catalogue fact holds (empty: none)."""
    return [service.name for service in services if fact(service)]


# Kinds of service that commonly set identifiers and follow people across sites: for a service
# outside the catalogue, whose facts nobody recorded, the review asks the owner to check.
_OFTEN_TRACK = frozenset({"analytics", "advertising", "social", "media", "mobile_sdk"})


def _unlisted(a: Mapping[str, Any], kinds: Collection[str]) -> list[str]:
    """The services the person added that are of one of these kinds and not self-hosted."""
    return [r["name"] for r in a["tools"]["unlisted"] if r["kind"] in kinds and r["role"] != "self_hosted"]


def _pays_through(a: Answers, services: Sequence[ServiceSpec]) -> bool:
    """Whether a payment service is chosen, from the catalogue or added by the person."""
    return bool(_names(services, lambda f: "payment" in f.kinds) or _unlisted(a, {"payment"}))


def _calendar_days(a: Answers) -> int:
    days = a["breach_notification"]["within_days"]
    # Five business days take at least seven calendar days.
    return -(-days * 7 // 5) if a["breach_notification"]["business_days"] else days


class _Laws:
    """Which laws apply to one set of answers: computed once per check, when a rule first asks.

    Selling or sharing is read as ``_sells_or_shares`` does, and laws are judged on the
    policy's effective date, as the policy's own text judges them.
    """

    def __init__(self, answers: Mapping[str, Any], services: Sequence[ServiceSpec]) -> None:
        self._answers, self._services = answers, services
        self._status: dict[str, str] | None = None

    @property
    def status(self) -> dict[str, str]:
        if self._status is None:
            answers = self._answers
            verdicts = applicable_laws(
                answers,
                sells_or_shares=_sells_or_shares(answers, self._services),
                today=effective_date(answers),
            )
            self._status = {verdict.key: verdict.status for verdict in verdicts}
        return self._status


class _Reads(Mapping[str, Any]):
    """Answers that note which answers a rule reads (``section.key`` paths, into ``seen``)."""

    def __init__(
        self, data: Mapping[str, Any], seen: set[str], section: str = "", laws: _Laws | None = None
    ) -> None:
        self._data, self._seen, self._section, self.laws = data, seen, section, laws

    def note(self, paths: Collection[str]) -> None:
        """Record answers read on the rule's behalf (by ``_law``)."""
        self._seen.update(paths)

    def __getitem__(self, key: str) -> Any:
        value = self._data[key]
        if self._section:
            self._seen.add(f"{self._section}.{key}")
            return value
        return _Reads(value, self._seen, key) if isinstance(value, Mapping) else value

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)


# The answers a law's verdict is decided by (``applicable_laws``): a rule that asks for a verdict
# reads them, and is left out while any is unanswered.
_CCPA_READS = (
    "reach.for_profit", "reach.revenue", "reach.states", "reach.people", "reach.data_revenue",
    "california.applies", "sharing.sells_personal_data", "tools.services", "tools.unlisted",
)  # fmt: skip
_STATE_READS = (
    "reach.revenue", "reach.states", "reach.people", "reach.data_revenue", "reach.sba_small",
    "sharing.sells_personal_data", "organization.effective_date", "collection.sensitive_data",
)  # fmt: skip


def _law(a: Answers, services: Sequence[ServiceSpec], key: str) -> str:
    """The verdict's status (``APPLIES``, ``MAY_APPLY``, ``DOES_NOT_APPLY``) for the law ``key``
    (``ccpa``, ``us-tx``, ``us-wa`` …), on the policy's effective date."""
    if isinstance(a, _Reads) and a.laws is not None:
        a.note(
            _CCPA_READS
            if key == "ccpa"
            else ("reach.states",)
            if key == "us-nv"
            else ("reach.states", "collection.sensitive_data")
            if key == "us-wa"
            else ("organization.country", "reach.europe")
            if key in _EUROPEAN
            else ("organization.country", "reach.states", "email_marketing.sends_commercial_email")
            if key == "can-spam"
            else _STATE_READS
        )
        return a.laws.status[key]
    return _Laws(a, services).status[key]


_EUROPEAN = ("gdpr", "uk-gdpr")
_ALL_KINDS = frozenset(catalogue.KINDS.values)
STATE_CODES = tuple(law.state for law in STATE_LAWS)


def _optional_cookies(a: Answers, services: Sequence[ServiceSpec], purposes: set[str]) -> bool:
    """Whether cookies for these purposes (``analytics``, ``advertising``) are set: said in the
    answers, or by a chosen tool that the catalogue says sets cookies and serves one of them
    (cookieless tools such as Plausible do not count)."""

    def sets_such_cookies(f: ServiceSpec) -> bool:
        serves = ("advertising" in purposes and f.advertising) or bool(purposes & set(f.kinds))
        return f.sets_cookies and f.role != "self_hosted" and serves

    return bool(purposes & set(a["cookies"]["purposes"])) or bool(_names(services, sets_such_cookies))


def _cookies_without_consent(
    a: Answers, services: Sequence[ServiceSpec], purposes: set[str], law: str
) -> bool:
    """Cookies for these purposes are set without asking first, and this law (``gdpr``, ``uk-gdpr``)
    applies: the shared situation of the ePrivacy and PECR rules."""
    return (
        a["cookies"]["use"] == "yes"
        and not a["cookies"]["consent"]
        and _optional_cookies(a, services, purposes)
        and _applies(a, services, law)
    )


def _european(a: Answers, services: Sequence[ServiceSpec]) -> bool:
    """Whether the GDPR or the UK GDPR applies, or may (the business has not said where it is, or
    is not sure whom it serves): their rules speak to a business they may reach, never to others."""
    return any(_law(a, services, key) != DOES_NOT_APPLY for key in _EUROPEAN)


def _applies(a: Answers, services: Sequence[ServiceSpec], key: str) -> bool:
    return _law(a, services, key) == APPLIES


_PURPOSE_LABELS = dict(USE_PURPOSES)


def _without_basis(a: Answers) -> list[str]:
    """The purposes chosen that have no legal basis yet, in the questionnaire's words."""
    return [
        _PURPOSE_LABELS[purpose].lower()
        for purpose in a["use"]["purposes"]
        if purpose in PURPOSE_BASES and not a["gdpr"][f"basis_{purpose}"]
    ]


def _relies_on(a: Answers, purposes: Sequence[str], *bases: str) -> bool:
    """Whether any of these purposes is chosen with one of these legal bases."""
    return any(p in a["use"]["purposes"] and a["gdpr"][f"basis_{p}"] in bases for p in purposes)


def _retention_unstated(a: Answers) -> bool:
    """ "As long as needed", with none of the periods per kind of information given."""
    c = a["collection"]
    periods = (c["retention_account_days"], c["retention_messages_months"], c["retention_logs_days"])
    return c["retention"] == "as_long_as_needed" and all(p is None for p in periods)


def _states_where(
    a: Answers, services: Sequence[ServiceSpec], status: str, codes: Collection[str]
) -> list[str]:
    """The names of the states among ``codes`` whose privacy law has this status."""
    return [STATE_NAMES[code] for code in codes if _law(a, services, f"us-{code.lower()}") == status]


def _effective(a: Answers) -> dt.date:
    """The policy's effective date (``questionnaire.effective_date``), read as an answer."""
    return effective_date({"organization": {"effective_date": a["organization"]["effective_date"]}})


def _on_or_after(a: Answers, day: dt.date) -> bool:
    """Whether the policy takes effect on or after ``day`` (laws are judged on its effective date)."""
    return _effective(a) >= day


def _serves(a: Answers, state: str) -> bool:
    """Whether the person said people in ``state`` are among those they serve (for laws with no
    size threshold; "not said" is the review's list of laws to point out)."""
    states = a["reach"]["states"]
    return state in states or "all_states" in states


def _sensitive(a: Answers, *items: str) -> bool:
    """Whether any of these sensitive kinds of information is collected (any at all, with none)."""
    chosen = a["collection"]["sensitive_data"]
    return bool(set(items) & set(chosen)) if items else bool(chosen)


def _ad_tools(a: Mapping[str, Any], services: Sequence[ServiceSpec]) -> list[str]:
    """The advertising services chosen (not self-hosted), from the catalogue or added by the person."""
    chosen = _names(services, lambda f: f.advertising and f.role != "self_hosted")
    return chosen + _unlisted(a, {"advertising"})


def _sells_or_shares(a: Mapping[str, Any], services: Sequence[ServiceSpec]) -> bool:
    """Whether the business sells personal information or lets advertising tools use it (a "share")."""
    return bool(a["sharing"]["sells_personal_data"]) or bool(_ad_tools(a, services))


def _sells_sensitive(a: Answers) -> bool:
    return a["us_privacy"]["sells_sensitive"] != "no"


def _under_16(a: Answers) -> bool:
    """Whether the business knows it has people under 16 (its COPPA answers say under 13)."""
    return a["us_privacy"]["knows_under_16"] or _coppa(a)


def _minors(a: Answers) -> bool:
    """Whether the business knows, or should know, it has people under 18."""
    return _under_16(a) or a["california"]["minors"]


def _stale(a: Answers) -> bool:
    """Whether the policy's effective date is more than 12 months ago."""
    today = dt.date.today()
    try:
        year_ago = today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        year_ago = today.replace(year=today.year - 1, day=28)
    return _effective(a) < year_ago


# Sensitive data needs opt-in consent under every state law but Utah's and Iowa's (notice and
# opt-out) and Maryland's (strictly necessary only, never sold: STATE-21 and STATE-1).
_OPT_IN_STATES = ("VA", "CO", "CT", "TX", "OR", "MT", "DE", "NE", "NH", "NJ", "TN", "MN", "IN", "KY", "RI")
# States whose law requires honoring a universal opt-out signal such as GPC, and from when;
# "(verify)" where LAWS.md has not confirmed the date.
_GPC_SINCE = (
    ("CO", dt.date(2024, 7, 1), ""), ("CT", dt.date(2025, 1, 1), ""), ("TX", dt.date(2025, 1, 1), ""),
    ("OR", dt.date(2026, 1, 1), ""), ("MT", dt.date(2025, 1, 1), ""), ("DE", dt.date(2026, 1, 1), ""),
    ("NE", dt.date(2025, 1, 1), " (its start date to verify)"), ("NH", dt.date(2025, 1, 1), ""),
    ("NJ", dt.date(2025, 7, 15), " (its start date to verify)"), ("MN", dt.date(2025, 7, 31), ""),
    ("MD", dt.date(2025, 10, 1), ""),
)  # fmt: skip


# The states whose comprehensive privacy law has a part in "Your rights in other US states" when it
# applies (Nevada's and Washington's laws have rules of their own: STATE-13, STATE-18, STATE-22).
_SECTION_STATES = tuple(law.state for law in STATE_LAWS)


def _gpc_states(a: Answers, services: Sequence[ServiceSpec]) -> list[str]:
    """The states whose law applies and requires honoring opt-out signals on the effective date."""
    return [
        STATE_NAMES[code] + verify
        for code, since, verify in _GPC_SINCE
        if _on_or_after(a, since) and _applies(a, services, f"us-{code.lower()}")
    ]


RULES: tuple[Rule, ...] = (
    Rule(
        "COPPA-1",
        "error",
        "children.parental_consent_method",
        "COPPA, 16 CFR 312.5",
        "You collect information from children under 13 but have not said how you get "
        "verifiable parental consent.",
        lambda a, _: _coppa(a) and not a["children"]["parental_consent_method"].strip(),
    ),
    Rule(
        "COPPA-2",
        "error",
        "collection.retention",
        "COPPA, 16 CFR 312.10",
        "COPPA requires a written retention policy that says when children's information is deleted, "
        "and forbids keeping it indefinitely. “As long as needed” sets no time. State a fixed period.",
        lambda a, _: _coppa(a) and a["collection"]["retention"] == "as_long_as_needed",
    ),
    Rule(
        "COPPA-3",
        "error",
        "organization.phone",
        "COPPA, 16 CFR 312.4(d)(1)",
        "A COPPA notice must give the operator's phone number.",
        lambda a, _: _coppa(a) and not a["organization"]["phone"],
    ),
    Rule(
        "COPPA-4",
        "error",
        "organization.postal_address",
        "COPPA, 16 CFR 312.4(d)(1)",
        "A COPPA notice must give the operator's postal address.",
        lambda a, _: _coppa(a) and not a["organization"]["postal_address"],
    ),
    Rule(
        "COPPA-5",
        "warning",
        "extras.public_forums",
        "COPPA, 16 CFR 312.4(d)(2)",
        "Children can make information public on your service; your parental consent must cover that, "
        "and parents must be told.",
        lambda a, _: _coppa(a) and a["extras"]["public_forums"],
    ),
    Rule(
        "COPPA-6",
        "error",
        "sharing.sells_personal_data",
        "COPPA, 16 CFR 312.5(a)(2)",
        "Selling or sharing children's information needs separate parental consent; this is rarely lawful.",
        lambda a, _: _coppa(a) and a["sharing"]["sells_personal_data"],
    ),
    Rule(
        "CANSPAM-1",
        "error",
        "organization.postal_address",
        "CAN-SPAM, 15 U.S.C. 7704(a)(5)(A)(iii)",
        "Commercial email must include a valid physical postal address; add yours.",
        lambda a, s: _sends(a) and not a["organization"]["postal_address"] and _us_email(a, s),
    ),
    Rule(
        "CANSPAM-2",
        "warning",
        "email_marketing.sends_commercial_email",
        "CAN-SPAM, 15 U.S.C. 7704",
        "You use information to send promotional emails but said you send no commercial email.",
        lambda a, _: "marketing_emails" in a["use"]["purposes"] and not _sends(a),
    ),
    Rule(
        "CANSPAM-3",
        "error",
        "rights.opt_out_marketing",
        "CAN-SPAM, 15 U.S.C. 7704(a)(3)-(4)",
        "Every commercial email must let people opt out; say that they can.",
        lambda a, s: _sends(a) and not a["rights"]["opt_out_marketing"] and _us_email(a, s),
    ),
    Rule(
        "CANSPAM-4",
        "note",
        "collection.sources",
        "CAN-SPAM, 15 U.S.C. 7704",
        "People sign up for a newsletter, but you said you send no commercial email.",
        lambda a, _: "newsletter" in a["collection"]["sources"] and not _sends(a),
    ),
    Rule(
        "CALOPPA-1",
        "note",
        "california.applies",
        "CalOPPA, Cal. Bus. & Prof. Code 22575(a)",
        "CalOPPA applies to operators of commercial sites that collect personally identifiable "
        "information from California residents, wherever the operator is; most consumer sites should "
        "answer yes.",
        # Silent when the reach answers already say no one served lives in California.
        lambda a, _: not _california(a) and (
            not a["reach"]["states"] or bool({"all_states", "CA"} & set(a["reach"]["states"]))
        ),
    ),
    Rule(
        "CALOPPA-2",
        "error",
        "california.third_party_tracking_allowed",
        "CalOPPA, Cal. Bus. & Prof. Code 22575(b)(6)",
        "You answered that other companies may not collect information about your visitors' activity "
        "across sites, but some of your tools do ({services}). The policy says they may, as CalOPPA "
        "requires. Answer yes, or remove these tools.",
        lambda a, s: (
            _california(a)
            and not a["california"]["third_party_tracking_allowed"]
            and _names(s, lambda f: f.cross_site_tracking)
        ),
    ),
    Rule(
        "CALOPPA-4",
        "warning",
        "california.third_party_tracking_allowed",
        "CalOPPA, Cal. Bus. & Prof. Code 22575(b)(6)",
        "Advertising cookies and many services outside our catalogue (such as analytics, advertising, "
        "social and embedded media) track visitors across sites; you said other companies may not. "
        "Check what your tools do.",
        lambda a, s: (
            _california(a)
            and not a["california"]["third_party_tracking_allowed"]
            and not _names(s, lambda f: f.cross_site_tracking)
            and (bool(_unlisted(a, _OFTEN_TRACK)) or "advertising" in a["cookies"]["purposes"])
        ),
    ),
    Rule(
        "MINORS-1",
        "warning",
        "california.minors_content_removal",
        "Cal. Bus. & Prof. Code 22581",
        "Your service is for minors or you know some registered users are under 18, and people can post "
        "publicly; California lets registered users under 18 remove what they posted, and the policy must "
        "say how.",
        lambda a, _: (
            _california(a)
            and a["california"]["minors"]
            and a["extras"]["public_forums"]
            and not a["california"]["minors_content_removal"]
        ),
    ),
    Rule(
        "BREACH-1",
        "warning",
        "breach_notification.within_days",
        "Cal. Civ. Code 1798.82 (as amended by SB 446)",
        "California requires breach notice within 30 calendar days of discovery; you promise a longer time.",
        lambda a, _: _california(a) and bool(a["breach_notification"]["channels"]) and _calendar_days(a) > 30,
    ),
    Rule(
        "BREACH-2",
        "note",
        "breach_notification.channels",
        "Cal. Civ. Code 1798.82 (and the other US states' breach laws)",
        "US state laws require notice of some data breaches; policies commonly say how you would give it, "
        "and yours does not.",
        # Where only European law reaches, the policy states its Art. 33-34 duties itself.
        lambda a, _: (
            not a["breach_notification"]["channels"]
            and _gives_anything(a)
            and us_law_may_reach(a)
        ),
    ),
    Rule(
        "TRANSFER-1",
        "warning",
        "tools.unlisted",
        "GDPR Art. 13(1)(f), 44-46; UK GDPR Art. 44-46",
        "The policy names the safeguard of each transfer out of Europe from what the catalogue knows of "
        "each service, but not for the services you added ({services}), whose country nobody recorded. "
        "If one of them receives information outside the EU/EEA or the UK, check its safeguard (an "
        "adequacy decision, the Data Privacy Framework, or standard contractual clauses) and say so.",
        lambda a, s: _european(a, s) and _unlisted(a, _ALL_KINDS),
    ),
    Rule(
        "PAY-1",
        "note",
        "tools.services",
        "PCI DSS (a card-industry standard, not a law, except NRS 603A.215 and Minn. Stat. 325E.64); "
        "FTC Act Section 5",
        "You collect payment card details but name no payment service and no payment-security measure. "
        "Card networks require PCI DSS by contract; people look for how their card details are handled.",
        lambda a, s: (
            _collects(a, "payment_card")
            and not _pays_through(a, s)
            and not {"pci_dss_processor", "payment_data_not_stored"} & set(a["security"]["measures"])
        ),
    ),
    Rule(
        "SEC-1",
        "warning",
        "security.measures",
        "FTC Act Section 5; Cal. Civ. Code 1798.81.5",
        "You collect card details or passwords but did not say you encrypt information in transit.",
        lambda a, _: (
            (_collects(a, "payment_card") or _collects(a, "account_credentials"))
            and "encryption_in_transit" not in a["security"]["measures"]
        ),
    ),
    Rule(
        "SEC-2",
        "note",
        "security.measures",
        "Cal. Civ. Code 1798.81.5 (a duty to keep information secure, not a duty to describe it); "
        "FTC Act Section 5",
        "Your policy describes no security measures. California requires reasonable security for personal "
        "information; saying what you do is not required, but people look for it, and what you say must "
        "be true.",
        lambda a, _: _gives_anything(a) and not a["security"]["measures"],
    ),
    Rule(
        "COOKIE-1",
        "error",
        "cookies.use",
        "FTC Act Section 5 (a false statement about cookies is deceptive)",
        "Some of your tools set cookies or similar identifiers on your visitors' devices ({services}), "
        "but you said you use no cookies.",
        lambda a, s: a["cookies"]["use"] == "no" and _names(s, lambda f: f.sets_cookies),
    ),
    Rule(
        "COOKIE-2",
        "warning",
        "cookies.use",
        "FTC Act Section 5",
        "You added services that are not in our catalogue ({services}) and said you use no cookies; most "
        "services of these kinds set cookies. Check what yours do.",
        lambda a, _: a["cookies"]["use"] == "no" and _unlisted(a, _OFTEN_TRACK),
    ),
    Rule(
        "SHARE-1",
        "error",
        "sharing.sells_personal_data",
        "CCPA, Cal. Civ. Code 1798.140(ah), 1798.135(a); FTC Act Section 5",
        "You answered that you do not sell personal information, but some of your tools use what they "
        "collect on your site for their own advertising ({services}). California law calls that "
        "“sharing”, so the policy says so instead of “we do not sell”. Answer that you do, or remove "
        "these tools. If the CCPA applies to you, you also need a “Do Not Sell or Share” opt-out.",
        # US law's "sharing": silent for a business that serves no one in the US (the GDPR's rules speak
        # to advertising tools there: consent before their cookies).
        lambda a, s: (
            not a["sharing"]["sells_personal_data"]
            and us_law_may_reach(a)
            and _names(s, lambda f: f.advertising and f.role != "self_hosted")
        ),
    ),
    Rule(
        "COLLECT-1",
        "error",
        "collection.personal_data",
        "CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1); FTC Act Section 5",
        "You said people give you no personal information, but you also said where they give it to you "
        "or that you email them; choose what they give you.",
        lambda a, _: (
            not _gives_anything(a)
            and (bool(a["collection"]["sources"]) or a["email_marketing"]["sends_commercial_email"])
        ),
    ),
    Rule(
        "FORUM-1",
        "warning",
        "extras.public_forums",
        "FTC Act Section 5",
        "People post in your forums or comments, but you said nobody can post content others can see.",
        lambda a, _: "forums" in a["collection"]["sources"] and not a["extras"]["public_forums"],
    ),
    Rule(
        "ACCOUNT-1",
        "note",
        "extras.account_security_responsibility",
        "FTC Act Section 5",
        "People choose passwords; consider telling them to keep them secret.",
        lambda a, _: (
            _collects(a, "account_credentials") and not a["extras"]["account_security_responsibility"]
        ),
    ),
    Rule(
        "DNT-1",
        "warning",
        "california.do_not_track",
        "CalOPPA, Cal. Bus. & Prof. Code 22575(b)(5); FTC Act Section 5",
        "Your policy promises to stop tracking when a browser sends a Do Not Track signal, but tools that "
        "track across sites or advertise run on your site ({services}). Make sure they stop for such "
        "browsers, or answer that you do not change what you do.",
        lambda a, s: (
            _california(a)
            and a["california"]["do_not_track"] == "honored"
            and _names(s, lambda f: f.cross_site_tracking or f.advertising)
        ),
    ),
    Rule(
        "COPPA-7",
        "error",
        "children.directed_to_children",
        "COPPA, 16 CFR 312.2, 312.5(a)(2)",
        "Your service is for children under 13, or you knowingly collect their information, but tools or "
        "cookies on it collect information for advertising or across sites ({services}). Behavioural ads "
        "are not an internal operation: they need verifiable parental consent, and separate consent to "
        "disclose children's information to third parties. Get legal advice.",
        lambda a, s: (
            _coppa(a)
            and (
                _names(s, lambda f: f.advertising or f.cross_site_tracking)
                or _unlisted(a, {"advertising"})
                or (["advertising cookies"] if "advertising" in a["cookies"]["purposes"] else [])
            )
        ),
    ),
    Rule(
        "EPRIVACY-1",
        "error",
        "cookies.consent",
        "ePrivacy Directive 2002/58/EC Art. 5(3); CJEU Planet49 (C-673/17); Germany TDDDG §25",
        "You set cookies for analytics or advertising, and the GDPR applies to you, but you said you do "
        "not ask visitors first. In the EU and EEA, cookies that are not strictly necessary need consent "
        "before they are set; a pre-ticked box is not consent.",
        lambda a, s: _cookies_without_consent(a, s, {"analytics", "advertising"}, "gdpr"),
    ),
    Rule(
        "EPRIVACY-2",
        "error",
        "cookies.consent",
        "UK PECR reg. 6 (as amended by the Data (Use and Access) Act 2025, s.112)",
        "You set advertising cookies, and the UK GDPR applies to you, but you said you do not ask visitors "
        "first. In the UK, advertising cookies need consent before they are set. Since 5 February 2026 "
        "some analytics cookies are exempt if people are told and can object.",
        lambda a, s: _cookies_without_consent(a, s, {"advertising"}, "uk-gdpr"),
    ),
    Rule(
        "EPRIVACY-3",
        "warning",
        "cookies.consent",
        "UK PECR reg. 6 and Sch. A1 (Data (Use and Access) Act 2025, s.112)",
        "You set analytics cookies for people in the UK without asking first. Since 5 February 2026 that "
        "needs no consent only when the cookies serve your own statistics to improve your service, people "
        "are told clearly, and they have a simple, free way to object; a tool that also uses the data for "
        "its own purposes does not qualify. Offer that way to object and describe it, or ask consent.",
        lambda a, s: _cookies_without_consent(a, s, {"analytics"}, "uk-gdpr"),
    ),
    Rule(
        "GDPR-1",
        "warning",
        "rights.access",
        "GDPR Art. 15-17; UK GDPR Art. 15-17",
        "The GDPR gives people the rights to a copy of their information, to correct it and to erase it, "
        "whatever you offer; the policy's European section says so. You did not offer all three under "
        "“Your choices and rights”. Offer them, and be ready to honor them.",
        lambda a, s: (
            not (a["rights"]["access"] and a["rights"]["correct"] and a["rights"]["delete"])
            and any(_applies(a, s, key) for key in _EUROPEAN)
        ),
    ),
    Rule(
        "RETENTION-1",
        "warning",
        "collection.retention",
        "GDPR Art. 13(2)(a)",
        "The GDPR asks for a retention period, or the criteria that decide it, for what you keep; “as long "
        "as needed” alone gives neither. Give the periods asked below it (accounts, messages, server logs), "
        "or a fixed period.",
        lambda a, s: _retention_unstated(a) and _gives_anything(a) and _european(a, s),
    ),
    # The GDPR's Article 13 items the answers leave open, and the ePrivacy rules on email.
    Rule(
        "GDPR-2",
        "error",
        "gdpr.basis_provide_services",
        "GDPR Art. 6(1), 13(1)(c); UK GDPR Art. 6(1), 13(1)(c)",
        "The GDPR asks for the legal basis of each use of personal information. Choose one for: "
        "{services}.",
        lambda a, s: _european(a, s) and _without_basis(a),
    ),
    Rule(
        "GDPR-3",
        "error",
        "gdpr.eu_representative",
        "GDPR Art. 27, 13(1)(a)",
        "You are established outside the EU but the GDPR applies to you: appoint a representative in an EU "
        "country in writing, unless your processing is occasional, involves no special categories of data "
        "on a large scale and is unlikely to put people at risk. The policy then gives their details.",
        lambda a, s: a["gdpr"]["eu_representative"] == "not_yet" and _european(a, s),
    ),
    Rule(
        "GDPR-4",
        "error",
        "gdpr.uk_representative",
        "UK GDPR Art. 27, 13(1)(a)",
        "You are established outside the UK but the UK GDPR applies to you: appoint a representative in "
        "the UK in writing, unless your processing is occasional and low-risk. The policy then gives their "
        "details.",
        lambda a, s: a["gdpr"]["uk_representative"] == "not_yet" and _european(a, s),
    ),
    Rule(
        "GDPR-5",
        "note",
        "gdpr.dpo",
        "BDSG §38(1)",
        "In Germany a business must also appoint a data protection officer when, as a rule, 20 or more "
        "people in it regularly handle personal information by computer. Check whether that is you.",
        lambda a, s: a["gdpr"]["dpo"] is False and a["organization"]["country"] == "DE" and _european(a, s),
    ),
    Rule(
        "GDPR-6",
        "warning",
        "gdpr.basis_improve_services",
        "ePrivacy Directive 2002/58/EC Art. 5(3); GDPR Art. 6(1)(a); Germany TDDDG §25",
        "Analytics tools that store or read identifiers on people's devices ({services}) need their consent "
        "first in the EU and the EEA, even when they run on your own servers, and what they measure then "
        "rests on that consent, not on legitimate interests. Choose consent, or use a cookieless tool (some "
        "authorities, such as France's CNIL, exempt strictly limited audience measurement).",
        lambda a, s: (
            _applies(a, s, "gdpr")
            and _relies_on(a, ("improve_services", "aggregate_statistics"), "legitimate_interests")
            and _names(s, lambda f: "analytics" in f.kinds and f.sets_cookies)
        ),
    ),
    Rule(
        "GDPR-7",
        "error",
        "email_marketing.consent",
        "ePrivacy Directive 2002/58/EC Art. 13(1)-(2); UK PECR reg. 22; Germany UWG §7(2)-(3)",
        "You add customers to your mailing list without asking, but the legal basis you chose for marketing "
        "email is consent alone. Marketing email needs prior consent, except the “soft opt-in”: your own "
        "similar products, to customers who could refuse when they bought and in every message. Choose the "
        "soft opt-in as the basis, or ask people first.",
        lambda a, s: (
            _sends(a)
            and a["email_marketing"]["consent"] == "opt_out"
            and _relies_on(a, ("marketing_emails",), "consent")
            and _european(a, s)
        ),
    ),
    Rule(
        "GDPR-8",
        "warning",
        "gdpr.basis_marketing_emails",
        "ePrivacy Directive 2002/58/EC Art. 13(2); UK PECR reg. 22(3)",
        "The soft opt-in covers only people whose email address you got when they bought from you (in the "
        "UK, or negotiated to), but you take no orders or payments. Choose consent as the basis.",
        lambda a, s: (
            _sends(a)
            and _relies_on(a, ("marketing_emails",), "soft_opt_in")
            and "process_transactions" not in a["use"]["purposes"]
            and "online_store" not in a["services"]["kinds"]
            and not _pays_through(a, s)
            and _european(a, s)
        ),
    ),
    Rule(
        "GDPR-9",
        "error",
        "gdpr.automated_decisions",
        "GDPR Art. 22(4), 9(2)(a)",
        "You make automated decisions with legal or similar effects and handle special categories of data. "
        "Such decisions may use that data only with people's explicit consent, or for a substantial public "
        "interest under law.",
        lambda a, s: (
            a["gdpr"]["automated_decisions"] is True
            and bool(set(a["collection"]["sensitive_data"]) & set(SPECIAL_CATEGORIES))
            and "explicit_consent" not in a["gdpr"]["special_conditions"]
            and _european(a, s)
        ),
    ),
    Rule(
        "GDPR-10",
        "warning",
        "rights.withdraw_consent",
        "GDPR Art. 7(3), 13(2)(c)",
        "Some uses rest on consent, and people can withdraw consent at any time, as easily as they gave it; "
        "the policy's European section says so. You did not offer it under “Your choices and rights”.",
        lambda a, s: (
            not a["rights"]["withdraw_consent"]
            and _relies_on(a, tuple(PURPOSE_BASES), "consent", "soft_opt_in")
            and _european(a, s)
        ),
    ),
    Rule(
        "GDPR-12",
        "warning",
        "tools.services",
        "GDPR Art. 9(1)-(2)",
        "Advertising tools ({services}) run on a service that handles special categories of data, such as "
        "health. What they record (the pages people visit, the events your app sends) can reveal that data "
        "to them, which needs people's explicit consent. Keep them away from those pages and events, or "
        "ask that consent.",
        lambda a, s: (
            bool(set(a["collection"]["sensitive_data"]) & set(SPECIAL_CATEGORIES))
            and _european(a, s)
            and _ad_tools(a, s)
        ),
    ),
    Rule(
        "GDPR-13",
        "warning",
        "tools.services",
        "GDPR Art. 8(1), 12(1)",
        "Your service is for children, and advertising tools ({services}) use what they collect for their "
        "own purposes. Below the age of digital consent (13 to 16 by country) a parent must give or "
        "approve consent, and what you tell children must be written so they understand it. Prefer ads "
        "that use no profile.",
        lambda a, s: a["children"]["directed_to_children"] and _european(a, s) and _ad_tools(a, s),
    ),
    Rule(
        "GDPR-11",
        "note",
        "organization.country",
        "GDPR Art. 8(1) (ages per the Commission's 2020 evaluation; this country's: verify)",
        "The policy gives the age from which a child can consent alone in your country. For your country "
        "that age is still to be confirmed against its national law; check it before you publish.",
        lambda a, s: a["organization"]["country"] in CONSENT_AGES_TO_VERIFY and _european(a, s),
    ),
    # Canada and Brazil.
    Rule(
        "PIPEDA-1",
        "note",
        "reach.elsewhere",
        "Quebec Law 25 (section: verify); PIPEDA, Schedule 1, principle 4.8",
        "If you serve people in Quebec, its own law also asks you to publish a confidentiality policy and "
        "your privacy officer's contact details. Check what it requires of you.",
        lambda a, s: _law(a, s, "pipeda") != DOES_NOT_APPLY,
    ),
    Rule(
        "LGPD-1",
        "error",
        "children.parental_consent_method",
        "LGPD Art. 14",
        "Your service is for children, and the LGPD applies to you: their information needs the specific "
        "consent of at least one parent, given prominently.",
        lambda a, s: _coppa(a) and _law(a, s, "lgpd") == APPLIES,
    ),
    Rule(
        "LGPD-2",
        "warning",
        "breach_notification.within_days",
        "LGPD; ANPD Resolution 15/2024",
        "Under the LGPD, a data breach that may put people at risk must be reported to the ANPD and to the "
        "people affected within 3 business days; you promise a longer time.",
        lambda a, s: (
            bool(a["breach_notification"]["channels"])
            and (a["breach_notification"]["within_days"] > 3)
            and _law(a, s, "lgpd") == APPLIES
        ),
    ),
    # What the owner wrote in their own words ("Other" entries) is printed as written; these rules
    # say where a law asks for something the review cannot check in free text.
    Rule(
        "OTHER-1",
        "warning",
        "use.other_purposes",
        "GDPR Art. 6(1), 13(1)(c)-(d); UK GDPR Art. 6(1), 13(1)(c)-(d)",
        "The GDPR asks for the legal basis of each use of personal information, and the policy says it "
        "follows each one. Give it in each purpose you added in your own words, for example “(legal "
        "basis: your consent)”; these say none: {services}.",
        lambda a, s: _european(a, s) and _without_stated_basis(a),
    ),
    Rule(
        "OTHER-4",
        "note",
        "collection.other_data",
        "CCPA, Cal. Civ. Code 1798.140(ae); Wash. RCW 19.373.020-.030; GDPR Art. 9(1)",
        "Check each line you added in your own words. If one is sensitive (health, such as allergies; "
        "biometric; precise location; beliefs), tick it under sensitive information too: several laws "
        "then ask for more, and the review can only check what is ticked.",
        lambda a, _: bool(a["collection"]["other_data"]),
    ),
    Rule(
        "OTHER-2",
        "warning",
        "collection.other_data",
        "CCPA, Cal. Civ. Code 1798.130(a)(5), 1798.140(v)(1); 11 CCR 7011(e)",
        "The CCPA section lists what you collect by the law's categories, and cannot place what you added "
        "in your own words. Check that one of the categories it lists covers each line.",
        lambda a, s: _applies(a, s, "ccpa") and bool(a["collection"]["other_data"].strip()),
    ),
    Rule(
        "OTHER-3",
        "warning",
        "sharing.other_recipients",
        "CCPA, Cal. Civ. Code 1798.130(a)(5); 11 CCR 7011(e)",
        "The CCPA section lists the kinds of recipients of personal information from your answers, and "
        "cannot place those you added in your own words. Check that its list covers each of them.",
        lambda a, s: _applies(a, s, "ccpa") and bool(a["sharing"]["other_recipients"].strip()),
    ),
    # The CCPA, when it applies (its verdict, from the reach answers, on the effective date).
    Rule(
        "CCPA-2",
        "error",
        "us_privacy.opt_out_url",
        "CCPA, Cal. Civ. Code 1798.135(a); 11 CCR 7015",
        "You sell or share personal information, so the CCPA requires a “Do Not Sell or Share My "
        "Personal Information” link. You gave no address for that page. Add one.",
        lambda a, s: (
            _applies(a, s, "ccpa")
            and _sells_or_shares(a, s)
            and not a["us_privacy"]["opt_out_url"]
            and not a["us_privacy"]["honors_gpc"]
        ),
    ),
    Rule(
        "CCPA-3",
        "warning",
        "us_privacy.opt_out_url",
        "CCPA, Cal. Civ. Code 1798.135(b); 11 CCR 7025(e)-(g)",
        "You sell or share personal information and gave no “Do Not Sell or Share” page. You may leave "
        "the link out only if you process opt-out preference signals such as GPC in a frictionless way, "
        "as the regulations describe. If you do not, add the page.",
        lambda a, s: (
            _applies(a, s, "ccpa")
            and _sells_or_shares(a, s)
            and not a["us_privacy"]["opt_out_url"]
            and a["us_privacy"]["honors_gpc"]
        ),
    ),
    Rule(
        "CCPA-4",
        "error",
        "us_privacy.honors_gpc",
        "CCPA, Cal. Civ. Code 1798.135(e); 11 CCR 7025(b)-(c)",
        "You sell or share personal information, so you must treat a browser's Global Privacy Control "
        "signal as a request to opt out. You said your site does not.",
        lambda a, s: _applies(a, s, "ccpa") and _sells_or_shares(a, s) and not a["us_privacy"]["honors_gpc"],
    ),
    Rule(
        "CCPA-5",
        "error",
        "us_privacy.limit_url",
        "CCPA, Cal. Civ. Code 1798.121, 1798.135(a)(2)",
        "You use sensitive information beyond what the CCPA permits, so you need a “Limit the Use of My "
        "Sensitive Personal Information” link. You gave no address for that page. Add one.",
        lambda a, s: (
            _applies(a, s, "ccpa") and bool(sensitive_uses_beyond(a)) and not a["us_privacy"]["limit_url"]
        ),
    ),
    Rule(
        "CCPA-6",
        "error",
        "us_privacy.toll_free_number",
        "CCPA, Cal. Civ. Code 1798.130(a)(1)(A)",
        "You do not do business only online, so the CCPA asks for two or more ways to send requests, "
        "including a toll-free number. Add one.",
        lambda a, s: (
            _applies(a, s, "ccpa")
            and not a["us_privacy"]["online_only"]
            and not a["us_privacy"]["toll_free_number"]
        ),
    ),
    Rule(
        "CCPA-8",
        "warning",
        "us_privacy.knows_under_16",
        "CCPA, Cal. Civ. Code 1798.120(c)-(d); 11 CCR 7072(a)",
        "You sell or share personal information and know some people are under 16. You may sell or "
        "share theirs only after they opt in: those aged 13 to 15 themselves, a parent for children "
        "under 13. Otherwise you must not. Make sure you have that process.",
        lambda a, s: _applies(a, s, "ccpa") and _sells_or_shares(a, s) and _under_16(a),
    ),
    Rule(
        "CCPA-9",
        "warning",
        "reach.people",
        "CCPA, Cal. Civ. Code 1798.140(d)(1)",
        "The CCPA may apply to you, but your answers leave it open, so the policy has no CCPA section. "
        "Check your revenue, how many Californians' information you buy, sell or share, and how much "
        "of your revenue comes from selling or sharing it. The review's list of laws says what to check.",
        lambda a, s: _law(a, s, "ccpa") == MAY_APPLY and (_california(a) or bool(a["reach"]["states"])),
    ),
    Rule(
        "CCPA-10",
        "warning",
        "organization.effective_date",
        "CCPA, Cal. Civ. Code 1798.130(a)(5)",
        "The CCPA requires you to update your privacy policy at least once every 12 months. Your "
        "policy's date is more than 12 months ago. Review the policy and give it a new date.",
        lambda a, s: _applies(a, s, "ccpa") and _stale(a),
    ),
    Rule(
        "CCPA-11",
        "note",
        "us_privacy.opt_out_url",
        "CCPA, 11 CCR 7012",
        "Because you sell or share personal information, the notice you give at or before collection "
        "must include the “Do Not Sell or Share” link. For example, put it next to sign-up forms and in "
        "your cookie banner.",
        lambda a, s: _applies(a, s, "ccpa") and _sells_or_shares(a, s),
    ),
    Rule(
        "CCPA-12",
        "note",
        "us_privacy.opt_out_url",
        "CCPA, Cal. Civ. Code 1798.135(a)",
        "Link your “Do Not Sell or Share My Personal Information” page from your home page, where people "
        "see it (most sites put the link in the footer of every page), and from your app's settings if "
        "you have an app. The policy links to it too.",
        lambda a, s: (
            _applies(a, s, "ccpa") and _sells_or_shares(a, s) and bool(a["us_privacy"]["opt_out_url"])
        ),
    ),
    Rule(
        "SALE-1",
        "error",
        "us_privacy.sold_categories",
        "CCPA, Cal. Civ. Code 1798.130(a)(5); 11 CCR 7011(e); Tex. Bus. & Com. Code 541.102(a)",
        "You sell personal information but have not said which kinds. The CCPA and the state laws ask "
        "the policy to list the categories sold; without them it marks none as sold.",
        lambda a, s: (
            a["sharing"]["sells_personal_data"]
            and not a["us_privacy"]["sold_categories"]
            and a["us_privacy"]["sells_sensitive"] == "no"
            and (_applies(a, s, "ccpa") or bool(_states_where(a, s, APPLIES, STATE_CODES)))
        ),
    ),
    Rule(
        "RETENTION-2",
        "warning",
        "collection.retention",
        "CCPA, Cal. Civ. Code 1798.100(a)(3); 11 CCR 7012(e)",
        "The CCPA asks how long you keep each category of personal information, or the criteria that "
        "decide it; “as long as needed” alone gives neither. Give the periods asked below it, or a fixed "
        "period.",
        lambda a, s: (
            _applies(a, s, "ccpa")
            and _retention_unstated(a)
            and (_gives_anything(a) or bool(a["collection"]["automatic_data"]))
        ),
    ),
    # The other state privacy laws, judged on the policy's effective date.
    Rule(
        "STATE-1",
        "error",
        "us_privacy.sells_sensitive",
        "Md. Com. Law 14-4707(a)",
        "Maryland's privacy law applies to you, and it forbids selling sensitive data. You said you "
        "sell some. Stop selling it.",
        lambda a, s: _applies(a, s, "us-md") and _sells_sensitive(a),
    ),
    Rule(
        "STATE-2",
        "error",
        "us_privacy.sells_sensitive",
        "Oregon HB 2008 (ORS 646A.570-.589)",
        "Oregon's privacy law applies to you, and since January 1, 2026 it forbids selling precise "
        "location data, even with consent. You collect precise location and sell sensitive information. "
        "Make sure location is not part of what you sell.",
        lambda a, s: (
            _sensitive(a, "precise_geolocation")
            and _sells_sensitive(a)
            and _on_or_after(a, dt.date(2026, 1, 1))
            and _applies(a, s, "us-or")
        ),
    ),
    Rule(
        "STATE-3",
        "error",
        "us_privacy.sells_sensitive",
        "Virginia SB 338 (Va. Code 59.1-578)",
        "Virginia's privacy law applies to you, and since July 1, 2026 it forbids selling precise "
        "location data, even with consent. You collect precise location and sell sensitive information. "
        "Make sure location is not part of what you sell.",
        lambda a, s: (
            _sensitive(a, "precise_geolocation")
            and _sells_sensitive(a)
            and _on_or_after(a, dt.date(2026, 7, 1))
            and _applies(a, s, "us-va")
        ),
    ),
    Rule(
        "STATE-4",
        "error",
        "us_privacy.sells_sensitive",
        "Connecticut PA 26-64 (Conn. Gen. Stat. 42-515 ff.)",
        "Connecticut's privacy law applies to you, and since October 1, 2026 it forbids selling, sharing "
        "or transferring precise location data, even with consent. You collect precise location and sell "
        "sensitive information. Make sure location is not part of what you sell or pass on.",
        lambda a, s: (
            _sensitive(a, "precise_geolocation")
            and _sells_sensitive(a)
            and _on_or_after(a, dt.date(2026, 10, 1))
            and _applies(a, s, "us-ct")
        ),
    ),
    Rule(
        "STATE-5",
        "error",
        "us_privacy.knows_under_16",
        "Md. Com. Law 14-4707(a)",
        "Maryland's privacy law applies to you, and it forbids selling the data of people you know, or "
        "should know, are under 18, or using it for targeted ads. You sell or share personal "
        "information and know some people are minors. Keep their data out of it.",
        lambda a, s: _applies(a, s, "us-md") and _sells_or_shares(a, s) and _minors(a),
    ),
    Rule(
        "STATE-6",
        "error",
        "us_privacy.knows_under_16",
        "Connecticut SB 1295 (Conn. Gen. Stat. 42-515 ff.)",
        "Connecticut's privacy law applies to you, and since July 1, 2026 it forbids selling the data "
        "of people you know are under 18, or using it for targeted ads. You sell or share personal "
        "information and know some people are minors. Keep their data out of it.",
        lambda a, s: (
            _on_or_after(a, dt.date(2026, 7, 1))
            and _applies(a, s, "us-ct")
            and _sells_or_shares(a, s)
            and _minors(a)
        ),
    ),
    Rule(
        "STATE-20",
        "warning",
        "us_privacy.knows_under_16",
        "Connecticut SB 3 (Conn. Gen. Stat. 42-515 ff.)",
        "Connecticut's privacy law applies to you, and it requires consent before you sell the data of "
        "people you know are under 18 or use it for targeted ads. You sell or share personal information "
        "and know some people are minors. Make sure you get that consent. From July 1, 2026 it is banned.",
        lambda a, s: (
            _on_or_after(a, dt.date(2024, 10, 1))
            and not _on_or_after(a, dt.date(2026, 7, 1))
            and _applies(a, s, "us-ct")
            and _sells_or_shares(a, s)
            and _minors(a)
        ),
    ),
    Rule(
        "STATE-7",
        "error",
        "us_privacy.knows_under_16",
        "Oregon HB 2008 (ORS 646A.570-.589)",
        "Oregon's privacy law applies to you, and since January 1, 2026 it forbids selling the data of "
        "people you know are under 16, or using it for targeted ads or profiling, even with consent. "
        "You do one of these and know some people are under 16. Keep their data out of it.",
        lambda a, s: (
            _on_or_after(a, dt.date(2026, 1, 1))
            and _applies(a, s, "us-or")
            and (_sells_or_shares(a, s) or a["us_privacy"]["profiling"])
            and _under_16(a)
        ),
    ),
    Rule(
        "STATE-8",
        "warning",
        "us_privacy.knows_under_16",
        "Colorado SB 24-041 (C.R.S. 6-1-1301 ff.)",
        "Colorado's privacy law applies to you, and since October 1, 2025 it requires consent before "
        "you sell the data of people you know are under 18, or use it for targeted ads or profiling. "
        "You do one of these and know some people are minors. Make sure you get that consent.",
        lambda a, s: (
            _on_or_after(a, dt.date(2025, 10, 1))
            and _applies(a, s, "us-co")
            and (_sells_or_shares(a, s) or a["us_privacy"]["profiling"])
            and _minors(a)
        ),
    ),
    Rule(
        "STATE-9",
        "warning",
        "us_privacy.knows_under_16",
        "N.J.S.A. 56:8-166.4 ff. (the ages, 13 to 16: verify)",
        "New Jersey's privacy law applies to you, and it requires consent before you sell the data of "
        "people you know are teenagers (13 to 16; verify the ages), or use it for targeted ads or "
        "profiling. You do one of these and know some people are under 16. Make sure you get that consent.",
        lambda a, s: (
            _applies(a, s, "us-nj")
            and (_sells_or_shares(a, s) or a["us_privacy"]["profiling"])
            and a["us_privacy"]["knows_under_16"]
        ),
    ),
    Rule(
        "STATE-10",
        "warning",
        "us_privacy.knows_under_16",
        "Montana SB 297 (Mont. Code 30-14-2801 ff.)",
        "Since October 1, 2025 Montana's rules protecting minors apply to any business serving people in "
        "Montana, whatever its size. You sell or share personal information and know some people are "
        "minors. Check what these rules ask of you (verify the ages they cover).",
        lambda a, s: (
            _serves(a, "MT")
            and _on_or_after(a, dt.date(2025, 10, 1))
            and _sells_or_shares(a, s)
            and _minors(a)
        ),
    ),
    Rule(
        "STATE-11",
        "warning",
        "sharing.sells_personal_data",
        "R.I. Gen. Laws 6-48.1-3 (verify)",
        "You serve people in Rhode Island and sell personal information. Rhode Island's law asks a "
        "commercial site that sells it to name every third party it sold or may sell it to (verify). "
        "This policy names categories, not companies. Publish that list.",
        lambda a, _: (
            a["sharing"]["sells_personal_data"] and _serves(a, "RI") and _on_or_after(a, dt.date(2026, 1, 1))
        ),
    ),
    Rule(
        "STATE-12",
        "error",
        "us_privacy.sensitive_consent",
        "US state privacy laws (all but Utah's, Iowa's and Maryland's), e.g. Va. Code 59.1-575 ff.",
        "The privacy laws of {services} apply to you and require people's consent before you process "
        "their sensitive information. You said you do not ask for it. Ask first. Consent does not make "
        "lawful what a state bans outright, such as selling precise location in some states.",
        lambda a, s: (
            _sensitive(a)
            and not a["us_privacy"]["sensitive_consent"]
            and _states_where(a, s, APPLIES, _OPT_IN_STATES)
        ),
    ),
    Rule(
        "STATE-21",
        "note",
        "collection.sensitive_data",
        "Md. Com. Law 14-4707(a)",
        "Maryland's privacy law applies to you. It lets you collect and use sensitive information only "
        "when strictly necessary to provide what the person asked for, and never sell it. Consent is "
        "not enough. Check each kind you collect.",
        lambda a, s: _sensitive(a) and _applies(a, s, "us-md"),
    ),
    Rule(
        "STATE-14",
        "error",
        "us_privacy.honors_gpc",
        "State privacy laws' universal opt-out duty (CO, CT, TX, OR, MT, DE, NE, NH, NJ, MN, MD; "
        "Nebraska's and New Jersey's start dates: verify)",
        "You sell or share personal information, and the privacy laws of {services} require you to "
        "treat a universal opt-out signal such as Global Privacy Control as a request to opt out. You "
        "said your site does not.",
        lambda a, s: _sells_or_shares(a, s) and not a["us_privacy"]["honors_gpc"] and _gpc_states(a, s),
    ),
    Rule(
        "STATE-15",
        "warning",
        "us_privacy.sensitive_consent",
        "Tex. Bus. & Com. Code 541.107",
        "You serve people in Texas and sell sensitive information. Texas requires consent for that even "
        "from small businesses, and you said you do not ask for it. Ask first.",
        lambda a, _: (
            _serves(a, "TX")
            and a["reach"]["sba_small"] == "yes"
            and _sells_sensitive(a)
            and not a["us_privacy"]["sensitive_consent"]
            and _on_or_after(a, dt.date(2024, 7, 1))
        ),
    ),
    Rule(
        "STATE-16",
        "warning",
        "reach.people",
        "US state privacy laws (see the review's list of laws)",
        "The privacy laws of {services} may apply to you, but your answers leave it open, so the policy "
        "does not cover them. Check the figures the review's list of laws gives for each.",
        lambda a, s: bool(a["reach"]["states"]) and _states_where(a, s, MAY_APPLY, _SECTION_STATES),
    ),
    Rule(
        "STATE-17",
        "warning",
        "collection.sensitive_data",
        "Colorado HB 24-1130 (C.R.S. 6-1-1301 ff.)",
        "You serve people in Colorado and collect biometric data. Since July 1, 2025 Colorado's "
        "biometric rules apply to any business, whatever its size. Check what they ask of you.",
        lambda a, _: _serves(a, "CO") and _sensitive(a, "biometric") and _on_or_after(a, dt.date(2025, 7, 1)),
    ),
    Rule(
        "STATE-18",
        "note",
        "sharing.sells_personal_data",
        "NRS 603A.345",
        "You serve people in Nevada and sell personal information. If you sell covered information for "
        "money (Nevada's narrow meaning of a sale), give a designated address for opt-out requests "
        "(email, toll-free number or website) and answer verified requests within 60 days (30 more if "
        "needed).",
        lambda a, _: a["sharing"]["sells_personal_data"] and _serves(a, "NV"),
    ),
    Rule(
        "STATE-13",
        "error",
        "collection.sensitive_data",
        "Washington My Health My Data Act, RCW 19.373.020(1)",
        "You collect health information and serve people in Washington. Washington's My Health My Data "
        "Act then requires a separate consumer health data privacy policy, linked from your homepage. "
        "Policy Builder does not write it.",
        lambda a, _: _sensitive(a, "health") and _serves(a, "WA") and _on_or_after(a, dt.date(2024, 3, 31)),
    ),
    Rule(
        "STATE-22",
        "warning",
        "reach.states",
        "Washington My Health My Data Act, RCW 19.373.020(1)",
        "You collect health information and have not said where the people you serve live. If any live "
        "in Washington, its My Health My Data Act requires a separate consumer health data privacy "
        "policy, which Policy Builder does not write.",
        lambda a, s: _sensitive(a, "health") and not a["reach"]["states"],
    ),
    Rule(
        "COPPA-8",
        "error",
        "children.separate_disclosure_consent",
        "COPPA, 16 CFR 312.5(a)(2)",
        "You disclose information to third parties, but parents cannot agree to your collecting their "
        "child's information without also agreeing to that. COPPA requires that choice, unless the "
        "disclosure is an integral part of your service.",
        lambda a, s: (
            _coppa(a)
            and not a["children"]["separate_disclosure_consent"]
            and (
                a["sharing"]["sells_personal_data"]
                or bool(_names(s, lambda f: f.role == "third_party"))
                or any(r["role"] == "third_party" for r in a["tools"]["unlisted"])
            )
        ),
    ),
    Rule(
        "COPPA-9",
        "warning",
        "children.internal_operations",
        "COPPA, 16 CFR 312.2, 312.5(c)(7)",
        "You rely on COPPA's exception for internal operations, but some services on your site use what "
        "they collect for their own purposes ({services}). That is not an internal operation. Keep them "
        "away from children's identifiers, or get parental consent.",
        lambda a, s: (
            _coppa(a)
            and a["children"]["internal_operations"]
            and (
                _names(
                    s,
                    lambda f: (
                        f.role == "third_party"
                        and f.sets_cookies
                        and not (f.advertising or f.cross_site_tracking)
                        and bool(_OFTEN_TRACK.intersection(f.kinds))
                    ),
                )
                + [
                    r["name"]
                    for r in a["tools"]["unlisted"]
                    if r["role"] == "third_party" and r["kind"] in _OFTEN_TRACK - {"advertising"}
                ]
            )
        ),
    ),
    Rule(
        "TCPA-1",
        "error",
        "email_marketing.call_consent",
        "TCPA, 47 CFR 64.1200(a)(2), (f)(9); 47 U.S.C. 227(b)(3)",
        "You send text messages or market to people, and you said they do not agree in writing before "
        "marketing texts or automated calls. Those need prior express written consent. Each message "
        "sent without it can cost $500 to $1,500.",
        lambda a, _: (
            bool({"phone", "text_messages"} & set(a["email_marketing"]["other_channels"]))
            and not a["email_marketing"]["call_consent"]
            # Support calls are no telephone solicitation: only texts or a business that markets.
            and (
                "text_messages" in a["email_marketing"]["other_channels"]
                or _sends(a)
                or "marketing_emails" in a["use"]["purposes"]
            )
        ),
    ),
    Rule(
        "TCPA-2",
        "warning",
        "rights.opt_out_marketing",
        "TCPA, 47 CFR 64.1200(a)(10)",
        "You send text messages but did not say people can opt out of marketing. They may revoke consent "
        "in any reasonable way, such as replying STOP, and you must honor it within 10 business days.",
        lambda a, _: (
            "text_messages" in a["email_marketing"]["other_channels"]
            and not a["rights"]["opt_out_marketing"]
            and _on_or_after(a, dt.date(2025, 4, 11))
        ),
    ),
    Rule(
        "CANSPAM-5",
        "warning",
        "email_marketing.uses_email_service_provider",
        "CAN-SPAM, 15 U.S.C. 7704; 16 CFR 316",
        "You said you send commercial email without an email-marketing service, but you chose one "
        "({services}). You stay responsible for what it sends for you. If you use it for marketing, "
        "answer yes.",
        lambda a, s: (
            _sends(a)
            and not a["email_marketing"]["uses_email_service_provider"]
            and (_names(s, lambda f: "email" in f.kinds) + _unlisted(a, {"email"}))
        ),
    ),
    Rule(
        "FTC-1",
        "warning",
        "tools.services",
        "FTC Act Section 5 (GoodRx 2023; BetterHelp 2023)",
        "You collect sensitive information, such as health information, and use advertising tools "
        "({services}). Their pixels can send what people do on your site to advertisers. The FTC has "
        "acted against that. Keep them off pages where people give such information.",
        lambda a, s: _sensitive(a) and us_law_may_reach(a) and _ad_tools(a, s),
    ),
    Rule(
        "FTC-2",
        "note",
        "collection.sensitive_data",
        "FTC Health Breach Notification Rule, 16 CFR 318.3-318.5 (timing: verify)",
        "You collect health information. If you offer a health app or personal health records and HIPAA "
        "does not cover you, an unauthorized disclosure counts as a breach. You must tell people within "
        "60 calendar days of discovery, and the FTC at the same time if 500 or more are affected (verify "
        "the timing).",
        lambda a, _: _sensitive(a, "health") and us_law_may_reach(a),
    ),
    Rule(
        "MINORS-2",
        "note",
        "california.minors",
        "Cal. Bus. & Prof. Code 22580",
        "Your service is for minors, or you know some registered users are under 18, and you use "
        "advertising tools ({services}). California forbids advertising products barred to minors, such "
        "as alcohol, firearms and tobacco, to them. Check which ads they show.",
        lambda a, s: _california(a) and a["california"]["minors"] and _ad_tools(a, s),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


def check_answers(
    answers: Answers, *, services: Sequence[ServiceSpec] = (), unanswered: Collection[str] = ()
) -> list[Finding]:
    """Every finding for these normalised answers: errors first, then warnings, then notes.

    ``services`` are the catalogue entries the answers choose (``derived.chosen_services``):
    rules about what a service does read their facts, never a guess from its kind.
    ``unanswered`` names answers the person has not given yet (the wizard's
    explicit questions, which hold their default meanwhile): a rule whose
    outcome was decided by reading one of them is left out, so the review
    never says "you said …" of something the person has not said. A rule's
    reads are recorded as it runs, so they are exactly the answers that
    decided it (``and``/``or`` stop early), with nothing declared by hand.
    """
    findings = []
    laws = _Laws(answers, services)  # the verdicts, computed once if any rule asks
    for rule in RULES:
        seen: set[str] = set()
        result = rule.applies(_Reads(answers, seen, laws=laws), services)  # type: ignore[arg-type]
        if result and not seen.intersection(unanswered):
            findings.append(Finding(rule, tuple(result) if isinstance(result, list) else ()))
    return sorted(findings, key=lambda f: SEVERITIES.index(f.rule.severity))
