"""Compliance review: when answers do not add up legally, or contradict each other.

Each rule is one declarative entry: an id, a severity, the law it comes from
(a citation, see ../shared/LAWS.md), the question to fix, a plain-language
message and a check over normalised answers.  Errors are impossible to miss
but block nothing: Policy Builder is not legal advice, and a person may
know better.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policybuilder.answers import Answers
from policybuilder.clause_library import ServiceSpec
from policybuilder.wording import join_list

SEVERITIES = ("error", "warning", "note")


@dataclass(frozen=True)
class Rule:
    id: str
    severity: str
    path: str  # the question to fix
    law: str
    message: str  # "{services}" is replaced by the names of the services that raised it
    # The check: the answers and the catalogue facts of the services they choose. A list of
    # service names (true when not empty) says which services raised the finding.
    applies: Callable[[Answers, Sequence[ServiceSpec]], bool | list[str]]


@dataclass(frozen=True)
class Finding:
    rule: Rule
    services: tuple[str, ...] = ()  # the services that raised it, for rules about catalogue facts

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


def _collects(a: Answers, item: str) -> bool:
    return item in a["collection"]["personal_data"]


def _names(services: Sequence[ServiceSpec], fact: Callable[[ServiceSpec], bool]) -> list[str]:
    """The names of the chosen services for which a catalogue fact holds (empty: none)."""
    return [service.name for service in services if fact(service)]


# Kinds of service that commonly set identifiers and follow people across sites: for a service
# outside the catalogue, whose facts nobody recorded, the review asks the owner to check.
_OFTEN_TRACK = frozenset({"analytics", "advertising", "social", "media", "mobile_sdk"})


def _unlisted(a: Answers, kinds: Collection[str]) -> list[str]:
    """The services the person added that are of one of these kinds and not self-hosted."""
    return [r["name"] for r in a["tools"]["unlisted"] if r["kind"] in kinds and r["role"] != "self_hosted"]


def _pays_through(a: Answers, services: Sequence[ServiceSpec]) -> bool:
    """Whether a payment service is chosen, from the catalogue or added by the person."""
    return bool(_names(services, lambda f: "payment" in f.kinds) or _unlisted(a, {"payment"}))


def _calendar_days(a: Answers) -> int:
    days = a["breach_notification"]["within_days"]
    # Five business days take at least seven calendar days.
    return -(-days * 7 // 5) if a["breach_notification"]["business_days"] else days


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
        "warning",
        "collection.retention",
        "COPPA, 16 CFR 312.10",
        "COPPA requires a written retention policy that says when children's information is deleted; "
        "state a fixed period.",
        lambda a, _: _coppa(a) and a["collection"]["retention"] != "fixed_period",
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
        lambda a, _: _sends(a) and not a["organization"]["postal_address"],
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
        lambda a, _: _sends(a) and not a["rights"]["opt_out_marketing"],
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
        lambda a, _: not _california(a),
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
        "CCPA-1",
        "warning",
        "sharing.sells_personal_data",
        "CCPA, Cal. Civ. Code 1798.120, 1798.135",
        "Businesses covered by the CCPA that sell personal information need a “Do Not Sell or Share My "
        "Personal Information” link and opt-out process, which this policy does not provide. "
        "Get legal advice.",
        lambda a, _: _california(a) and a["sharing"]["sells_personal_data"],
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
        "Cal. Civ. Code 1798.82; GDPR Art. 34",
        "The law requires notice of some data breaches; policies commonly say how you would give it, "
        "and yours does not.",
        lambda a, _: not a["breach_notification"]["channels"] and bool(a["collection"]["personal_data"]),
    ),
    Rule(
        "TRANSFER-1",
        "warning",
        "sharing.international_transfers",
        "GDPR Art. 13(1)(f), Art. 46",
        "You transfer information abroad; the GDPR asks you to name the safeguard (such as standard "
        "contractual clauses), which this policy does not.",
        lambda a, _: a["sharing"]["international_transfers"],
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
        lambda a, _: bool(a["collection"]["personal_data"]) and not a["security"]["measures"],
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
        lambda a, s: (
            not a["sharing"]["sells_personal_data"]
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
            not a["collection"]["personal_data"]
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
        "RETENTION-1",
        "note",
        "collection.retention",
        "GDPR Art. 13(2)(a)",
        "The GDPR asks for a retention period or the criteria that decide it; “as long as needed” may not "
        "be enough for European visitors.",
        lambda a, _: (
            a["organization"]["country"] not in ("", "US")
            and a["collection"]["retention"] == "as_long_as_needed"
            and bool(a["collection"]["personal_data"])
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}


class _Reads(Mapping[str, Any]):
    """Answers that note which answers a rule reads (``section.key`` paths, into ``seen``)."""

    def __init__(self, data: Mapping[str, Any], seen: set[str], section: str = "") -> None:
        self._data, self._seen, self._section = data, seen, section

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
    for rule in RULES:
        seen: set[str] = set()
        result = rule.applies(_Reads(answers, seen), services)  # type: ignore[arg-type]
        if result and not seen.intersection(unanswered):
            findings.append(Finding(rule, tuple(result) if isinstance(result, list) else ()))
    return sorted(findings, key=lambda f: SEVERITIES.index(f.rule.severity))
