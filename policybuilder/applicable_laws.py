"""Which US privacy laws apply to a business, and why: decided from the answers, explained in words.

Each law is declared once here with its citation and its test, from
``../shared/LAWS.md``; the review page, ``buildpolicy --laws`` and
``--check --format json`` all show this module's verdicts. A verdict is one of
``applies``, ``may_apply`` (the answers leave the test open: the reason says
what to check) and ``does_not_apply``. "Not sure" is an answer, and never
turns into a guess either way.

The questions give bands, not numbers (``reach.people``: people in the state
where the business has the most), so a state's count is known exactly only
when it is the only state chosen; otherwise the band is an upper bound. A
threshold is met for certain only when the whole band lies at or above it,
and ruled out only when the whole band lies below it.

Figures LAWS.md marks "verify" are stated as such in the reasons, never as
settled (the CCPA's inflation-adjusted revenue figure among them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policybuilder.clause_library import Library
from policybuilder.countries import EU_EEA, UNITED_KINGDOM, country_names

# The states with a comprehensive privacy law of their own, and Nevada and Washington: the choices
# of ``reach.states`` (the questionnaire asks about them; this module holds what each law asks).
US_PRIVACY_STATES = (
    ("CA", "California"), ("CO", "Colorado"), ("CT", "Connecticut"), ("DE", "Delaware"), ("IN", "Indiana"),
    ("IA", "Iowa"), ("KY", "Kentucky"), ("MD", "Maryland"), ("MN", "Minnesota"), ("MT", "Montana"),
    ("NE", "Nebraska"), ("NV", "Nevada"), ("NH", "New Hampshire"), ("NJ", "New Jersey"), ("OR", "Oregon"),
    ("RI", "Rhode Island"), ("TN", "Tennessee"), ("TX", "Texas"), ("UT", "Utah"), ("VA", "Virginia"),
    ("WA", "Washington"),
)  # fmt: skip

APPLIES, MAY_APPLY, DOES_NOT_APPLY = "applies", "may_apply", "does_not_apply"


def effective_date(answers: Mapping[str, Any]) -> dt.date:
    """The policy's effective date (today when not given): which laws are in force is decided on it."""
    value = answers.get("organization", {}).get("effective_date")
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else dt.date.today()
    except ValueError:
        return dt.date.today()


def sells_or_shares(library: Library, answers: Mapping[str, Any]) -> bool:
    """Whether the business sells personal information or gives it to advertising tools (a "share"
    under California law, whatever the contract calls it: see ``catalogue``): a catalogue entry's
    ``advertising`` fact (unless it runs on the business's own systems), or a service the person
    added as advertising. The compliance review reads the same facts (``compliance._ad_tools``)."""
    chosen = (library.service(key) for key in answers["tools"]["services"])
    return (
        bool(answers["sharing"]["sells_personal_data"])
        or any(s is not None and s.advertising and s.role != "self_hosted" for s in chosen)
        or any(record["kind"] == "advertising" for record in answers["tools"]["unlisted"])
    )


VERDICT_LABELS = {APPLIES: "Applies", MAY_APPLY: "May apply", DOES_NOT_APPLY: "Does not apply"}
STATE_NAMES = dict(US_PRIVACY_STATES)

# reach.people: (lowest, highest) people a year in the business's largest state; None: not sure.
PEOPLE = {
    "under_10k": (0, 9_999),
    "10k_to_25k": (10_000, 24_999),
    "25k_to_35k": (25_000, 34_999),
    "35k_to_50k": (35_000, 49_999),
    "50k_to_100k": (50_000, 99_999),
    "100k_to_175k": (100_000, 175_000),
    "over_175k": (175_001, 10**12),
}
# reach.data_revenue: (lowest, highest) percent of revenue from selling or sharing personal information.
DATA_REVENUE = {
    "none": (0, 0),
    "under_20": (0.01, 19.99),
    "20_to_25": (20, 25),
    "25_to_50": (25, 50),
    "over_50": (50.01, 100),
}


@dataclass(frozen=True)
class Verdict:
    key: str
    name: str
    citation: str
    status: str
    reason: str

    @property
    def label(self) -> str:
        return VERDICT_LABELS[self.status]

    def as_dict(self) -> dict[str, str]:
        return {
            "law": self.key,
            "name": self.name,
            "citation": self.citation,
            "status": self.status,
            "reason": self.reason,
        }


@dataclass(frozen=True)
class Threshold:
    """At least ``people`` residents a year, and (if ``revenue_share`` is not None) more than that
    percent of revenue from selling personal data (0: any revenue or discount from sales; with
    ``share_inclusive``, that percent or more, as Oregon counts it)."""

    people: int
    revenue_share: float | None = None
    share_inclusive: bool = False

    def describe(self, state: str) -> str:
        """ "100,000 or more Virginia residents a year", with "if more than 50% of its revenue …"."""
        text = f"{self.people:,} or more {state} residents a year"
        if self.revenue_share is None:
            return text
        if self.revenue_share == 0:
            return f"{text} if any of its revenue comes from selling personal data"
        share = (
            f"{self.revenue_share:g}% or more"
            if self.share_inclusive
            else f"more than {self.revenue_share:g}%"
        )
        return f"{text} if {share} of its revenue comes from selling personal data"


@dataclass(frozen=True)
class Amendment:
    """New thresholds from a date. ``any_sale``: offering personal data for sale is enough;
    ``any_sensitive``: processing any sensitive data is enough (``collection.sensitive_data``);
    ``verify``: LAWS.md marks the figures "verify", so they never rule the law out."""

    since: dt.date
    thresholds: tuple[Threshold, ...]
    note: str
    any_sale: bool = False
    any_sensitive: bool = False
    verify: bool = False


@dataclass(frozen=True)
class StateLaw:
    state: str  # two-letter code, one of reach.states' choices
    name: str
    citation: str
    in_force: dt.date
    thresholds: tuple[Threshold, ...] = ()
    min_revenue_25m: bool = False  # Utah, Tennessee: revenue of $25 million or more as well
    sba_model: bool = False  # Texas, Nebraska: every business but SBA small businesses
    sba_exempt: bool = False  # Minnesota: thresholds, and SBA small businesses are exempt
    amended: Amendment | None = None

    def current(self, today: dt.date) -> tuple[tuple[Threshold, ...], Amendment | None]:
        """The thresholds in force ``today``, and the amendment that set them, if any."""
        if self.amended is not None and today >= self.amended.since:
            return self.amended.thresholds, self.amended
        return self.thresholds, None


STATE_LAWS: tuple[StateLaw, ...] = (
    StateLaw("VA", "Virginia Consumer Data Protection Act", "Va. Code 59.1-575 ff.", dt.date(2023, 1, 1),
             (Threshold(100_000), Threshold(25_000, 50))),
    StateLaw("CO", "Colorado Privacy Act", "C.R.S. 6-1-1301 ff.; 4 CCR 904-3", dt.date(2023, 7, 1),
             (Threshold(100_000), Threshold(25_000, 0))),
    StateLaw("CT", "Connecticut Data Privacy Act", "Conn. Gen. Stat. 42-515 ff.", dt.date(2023, 7, 1),
             (Threshold(100_000), Threshold(25_000, 25)),
             amended=Amendment(dt.date(2026, 7, 1), (Threshold(35_000),),
                               "Since 1 July 2026 (SB 1295) it also covers any business that processes "
                               "sensitive data or offers personal data for sale, whatever its size",
                               any_sale=True, any_sensitive=True)),
    StateLaw("UT", "Utah Consumer Privacy Act", "Utah Code 13-61-101 ff.", dt.date(2023, 12, 31),
             (Threshold(100_000), Threshold(25_000, 50)), min_revenue_25m=True),
    StateLaw("TX", "Texas Data Privacy and Security Act", "Tex. Bus. & Com. Code ch. 541",
             dt.date(2024, 7, 1),
             sba_model=True),
    StateLaw("OR", "Oregon Consumer Privacy Act", "ORS 646A.570-.589", dt.date(2024, 7, 1),
             (Threshold(100_000), Threshold(25_000, 25, share_inclusive=True))),
    StateLaw("MT", "Montana Consumer Data Privacy Act", "Mont. Code 30-14-2801 ff.", dt.date(2024, 10, 1),
             (Threshold(50_000), Threshold(25_000, 25)),
             amended=Amendment(dt.date(2025, 10, 1), (Threshold(25_000), Threshold(15_000, 25)),
                               "Montana's thresholds since 1 October 2025 are still to verify against "
                               "the statute", verify=True)),
    StateLaw("IA", "Iowa Consumer Data Protection Act", "Iowa Code ch. 715D", dt.date(2025, 1, 1),
             (Threshold(100_000), Threshold(25_000, 50))),
    StateLaw("DE", "Delaware Personal Data Privacy Act", "6 Del. C. ch. 12D", dt.date(2025, 1, 1),
             (Threshold(35_000), Threshold(10_000, 20))),
    StateLaw("NE", "Nebraska Data Privacy Act", "Neb. Rev. Stat. 87-1101 ff.", dt.date(2025, 1, 1),
             sba_model=True),
    StateLaw("NH", "New Hampshire privacy law", "RSA ch. 507-H", dt.date(2025, 1, 1),
             (Threshold(35_000), Threshold(10_000, 25))),
    StateLaw("NJ", "New Jersey Data Privacy Act", "N.J.S.A. 56:8-166.4 ff.", dt.date(2025, 1, 15),
             (Threshold(100_000), Threshold(25_000, 0))),
    StateLaw("TN", "Tennessee Information Protection Act", "Tenn. Code 47-18-3201 ff.", dt.date(2025, 7, 1),
             (Threshold(175_000), Threshold(25_000, 50)), min_revenue_25m=True),
    StateLaw("MN", "Minnesota Consumer Data Privacy Act", "Minn. Stat. 325M.10-.21", dt.date(2025, 7, 31),
             (Threshold(100_000), Threshold(25_000, 25)), sba_exempt=True),
    StateLaw("MD", "Maryland Online Data Privacy Act", "Md. Com. Law 14-4701 ff.", dt.date(2025, 10, 1),
             (Threshold(35_000), Threshold(10_000, 20))),
    StateLaw("IN", "Indiana Consumer Data Protection Act", "Ind. Code 24-15", dt.date(2026, 1, 1),
             (Threshold(100_000), Threshold(25_000, 50))),
    StateLaw("KY", "Kentucky Consumer Data Protection Act", "KRS 367.3611 ff.", dt.date(2026, 1, 1),
             (Threshold(100_000), Threshold(25_000, 50))),
    StateLaw("RI", "Rhode Island Data Transparency and Privacy Protection Act", "R.I. Gen. Laws 6-48.1",
             dt.date(2026, 1, 1), (Threshold(35_000), Threshold(10_000, 20))),
)  # fmt: skip


def _band(table: Mapping[str, tuple[float, float]], value: str) -> tuple[float, float] | None:
    return table.get(value)


def _at_least(band: tuple[float, float] | None, minimum: float) -> bool | None:
    """True when the whole band is at or above ``minimum``, False when all of it is below, else None."""
    if band is None:
        return None
    low, high = band
    return True if low >= minimum else False if high < minimum else None


def _more_than(band: tuple[float, float] | None, share: float, *, inclusive: bool = False) -> bool | None:
    """Whether the whole band is above ``share`` percent (at or above, if ``inclusive``; any, for 0)."""
    if band is None:
        return None
    low, high = band
    if share == 0:  # any revenue from sales
        return True if low > 0 else False if high == 0 else None
    if inclusive:
        return True if low >= share else False if high < share else None
    return True if low > share else False if high <= share else None


def _all(results: Sequence[bool | None]) -> bool | None:
    return False if False in results else None if None in results else True


def _any(results: Sequence[bool | None]) -> bool | None:
    return True if True in results else None if None in results else False


@dataclass(frozen=True)
class _Reach:
    """What the answers say about where and how big the business is."""

    states: tuple[str, ...]
    people: tuple[float, float] | None
    data_revenue: tuple[float, float] | None
    revenue: str
    sba_small: str

    @classmethod
    def of(cls, answers: Mapping[str, Any]) -> _Reach:
        reach = answers["reach"]
        return cls(
            states=tuple(reach["states"]),
            people=_band(PEOPLE, reach["people"]),
            data_revenue=_band(DATA_REVENUE, reach["data_revenue"]),
            revenue=reach["revenue"],
            sba_small=reach["sba_small"],
        )

    def serves(self, state: str) -> bool | None:
        """Whether people in ``state`` are among those served (None: not said)."""
        if state in self.states or "all_states" in self.states:
            return True
        return False if self.states else None

    @property
    def where_unsaid(self) -> str:
        return "" if self.states else " You have not said where the people you serve live."

    def residents(self, state: str, minimum: int) -> bool | None:
        """Whether the business handles data about ``minimum`` or more residents of ``state`` a year."""
        result = _at_least(self.people, minimum)
        # The band counts the largest state; another state may have fewer people.
        only_state = [s for s in self.states if s not in ("outside_us", "other_states")] == [state]
        return False if result is False else result if only_state else None


def _threshold_met(threshold: Threshold, state: str, reach: _Reach) -> bool | None:
    people = reach.residents(state, threshold.people)
    if threshold.revenue_share is None:
        return people
    share = _more_than(reach.data_revenue, threshold.revenue_share, inclusive=threshold.share_inclusive)
    return _all([people, share])


_SBA = "small businesses as the US Small Business Administration defines them"
_CCPA_REVENUE = "revenue over $26,625,000 (the 2025 inflation-adjusted figure; verify the current one)"
_CCPA_TESTS = (
    f"annual {_CCPA_REVENUE}, or buying, selling or sharing the personal information of 100,000 or more "
    "California residents a year, or half or more of revenue from selling or sharing it (1798.140(d)(1))"
)


def _state_verdict(law: StateLaw, reach: _Reach, today: dt.date, *, sells: bool, sensitive: bool) -> Verdict:
    """A state law's verdict; ``sells``: the business said it sells personal information;
    ``sensitive``: it said it collects sensitive information."""
    state = STATE_NAMES[law.state]
    thresholds, amendment = law.current(today)

    def verdict(status: str, reason: str) -> Verdict:
        note = f" {amendment.note}." if amendment else ""
        return Verdict(
            f"us-{law.state.lower()}", f"{law.name} ({state})", law.citation, status, reason + note
        )

    if law.in_force > today:
        return verdict(
            DOES_NOT_APPLY, f"It takes effect on {law.in_force:%B} {law.in_force.day}, {law.in_force.year}."
        )
    serves = reach.serves(law.state)
    if serves is False:
        return verdict(DOES_NOT_APPLY, f"You said none of the people you serve live in {state}.")
    where = reach.where_unsaid
    if law.sba_model or (law.sba_exempt and reach.sba_small == "yes"):
        if reach.sba_small == "yes" and sells:
            return verdict(
                MAY_APPLY,
                f"It leaves out {_SBA}, except its rule on selling sensitive data; "
                "check whether what you sell includes any.",
            )
        if reach.sba_small == "yes":
            return verdict(
                DOES_NOT_APPLY, f"It leaves out {_SBA}, except its rule on selling sensitive data."
            )
        if reach.sba_small == "no" and serves:
            return verdict(APPLIES, f"It covers businesses serving people in {state} except {_SBA}.")
        return verdict(
            MAY_APPLY, f"It covers businesses serving people in {state} except {_SBA}; check yours.{where}"
        )
    if amendment and amendment.any_sale and sells and serves:
        return verdict(
            APPLIES, f"It covers any business that offers personal data of {state} residents for sale."
        )
    if amendment and amendment.any_sensitive and sensitive and serves:
        return verdict(
            APPLIES, f"It covers any business that processes sensitive data of {state} residents, as you do."
        )
    covered = "businesses handling personal information about " + ", or about ".join(
        threshold.describe(state) for threshold in thresholds
    )
    met = _any([_threshold_met(threshold, law.state, reach) for threshold in thresholds])
    if law.min_revenue_25m:
        met = _all([{"under_25m": False, "25m_to_27m": True, "over_27m": True}.get(reach.revenue), met])
        covered = covered.replace("businesses", "businesses with revenue of $25 million or more", 1)
    if met is False and amendment and (amendment.verify or (amendment.any_sensitive and sensitive)):
        why = "the figures are still to verify" if amendment.verify else "you process sensitive data"
        return verdict(MAY_APPLY, f"It covers {covered}; your answers are below that, but {why}.{where}")
    if met is False:
        return verdict(DOES_NOT_APPLY, f"It covers {covered}; your answers are below that.")
    if met is True and serves:
        return verdict(APPLIES, f"It covers {covered}, and yours is one.")
    return verdict(MAY_APPLY, f"It covers {covered}. Check how many you serve.{where}")


def _ccpa(answers: Mapping[str, Any], reach: _Reach, sells_or_shares: bool) -> Verdict:
    def verdict(status: str, reason: str) -> Verdict:
        name, citation = "CCPA/CPRA (California)", "Cal. Civ. Code 1798.100 ff.; 11 CCR 7000 ff."
        return Verdict("ccpa", name, citation, status, reason)

    if answers["reach"]["for_profit"] == "no":
        return verdict(DOES_NOT_APPLY, "It applies only to businesses run for profit (1798.140(d)).")
    in_california = True if answers["california"]["applies"] else reach.serves("CA")
    if in_california is False:
        return verdict(DOES_NOT_APPLY, "You said none of the people you serve live in California.")
    revenue = {"under_25m": False, "25m_to_27m": None, "over_27m": True}.get(reach.revenue)
    residents = reach.residents("CA", 100_000)
    # Buying counts too, and nothing asks about it: without selling or sharing, only too few
    # Californians rules this test out.
    volume = residents if sells_or_shares else (False if residents is False else None)
    share = _more_than(reach.data_revenue, 50, inclusive=True)
    met = _any([revenue, volume, share])
    where = (
        "" if in_california else " It applies only if you do business in California; you have not said where."
    )
    if met is True and in_california:
        why = (
            "your revenue is over $26,625,000 (the 2025 inflation-adjusted figure; verify the current one)"
            if revenue
            else "you buy, sell or share the personal information of 100,000 or more California residents"
            if volume
            else "half or more of your revenue comes from selling or sharing personal information"
        )
        return verdict(APPLIES, f"It applies because {why} (1798.140(d)(1)).")
    if met is False:
        return verdict(
            DOES_NOT_APPLY, f"It applies to businesses with {_CCPA_TESTS}; you meet none of these."
        )
    return verdict(MAY_APPLY, f"It applies to businesses with {_CCPA_TESTS}. Check your figures.{where}")


def _simple(
    key: str, name: str, citation: str, holds: bool, yes: str, no: str, *, certain: bool = True
) -> Verdict:
    """A law decided by one answer: ``yes`` or ``no`` is the reason."""
    status = (APPLIES if certain else MAY_APPLY) if holds else DOES_NOT_APPLY
    return Verdict(key, name, citation, status, yes if holds else no)


def applicable_laws(
    answers: Mapping[str, Any], *, sells_or_shares: bool, today: dt.date | None = None
) -> list[Verdict]:
    """Every law this module knows, with its verdict for these (normalised) answers.

    ``sells_or_shares``: the business sells personal information or gives it to
    advertising tools (a "share" in California), from the answers and the
    catalogue's facts (``derived``).
    """
    today = today or dt.date.today()
    reach = _Reach.of(answers)
    children = answers["children"]
    coppa = children["directed_to_children"] or children["knowingly_collects_under_13"]
    calls = bool({"phone", "text_messages"} & set(answers["email_marketing"]["other_channels"]))
    sends = answers["email_marketing"]["sends_commercial_email"]
    verdicts = [
        _ccpa(answers, reach, sells_or_shares),
        _simple(
            "caloppa", "CalOPPA (California)", "Cal. Bus. & Prof. Code 22575-22579",
            answers["california"]["applies"],
            "You collect personal information from California residents through a commercial site or app.",
            "You said you do not collect personal information from California residents.",
        ),
        _simple(
            "coppa", "COPPA (children under 13)", "15 U.S.C. 6501-6506; 16 CFR Part 312", coppa,
            "Your service is directed to children under 13, or you know you collect their information.",
            "Your service is not for children under 13 and you do not knowingly collect their information.",
        ),
        _can_spam(answers, reach, sends),
        _simple(
            "tcpa", "TCPA (marketing texts and calls)", "47 U.S.C. 227; 47 CFR 64.1200",
            calls and _in_us(answers, reach) is not False,
            "You may contact people by phone or text message. The TCPA covers marketing calls and texts sent "
            "to US numbers with an autodialer or a prerecorded voice, and telephone solicitations.",
            "You do not contact people by phone or text message."
            if not calls
            else "You contact people by phone or text message, but you are not in the US and serve no one "
            "there.",
            certain=False,
        ),
    ]  # fmt: skip
    sells = bool(answers["sharing"]["sells_personal_data"])
    sensitive = bool(answers["collection"]["sensitive_data"])
    verdicts += [_state_verdict(law, reach, today, sells=sells, sensitive=sensitive) for law in STATE_LAWS]
    european = _european(answers)
    verdicts += european + _eprivacy(answers, european) + _americas(answers)
    health = "health" in answers["collection"]["sensitive_data"]
    verdicts += [_nevada(reach, sells), _washington(reach, health)]
    order = {APPLIES: 0, MAY_APPLY: 1, DOES_NOT_APPLY: 2}
    return sorted(verdicts, key=lambda v: order[v.status])


def _in_us(answers: Mapping[str, Any], reach: _Reach) -> bool | None:
    """Whether the business is in the US or serves people there (None: neither is said)."""
    if answers["organization"]["country"] == "US" or set(reach.states) - {"outside_us"}:
        return True
    return False if reach.states == ("outside_us",) else None


def us_law_may_reach(answers: Mapping[str, Any]) -> bool:
    """Whether US law may reach the business: it is in the US or serves people there, or has not said
    that it does neither. Rules and text that speak only US law (CAN-SPAM's, the FTC's, state breach
    laws') stay silent for a business it cannot reach."""
    return _in_us(answers, _Reach.of(answers)) is not False


def _can_spam(answers: Mapping[str, Any], reach: _Reach, sends: bool) -> Verdict:
    """CAN-SPAM: commercial email, from a US business or to people in the US."""
    in_us = _in_us(answers, reach)
    if not sends:
        status, reason = DOES_NOT_APPLY, "You send no commercial email."
    elif in_us:
        status, reason = APPLIES, "You send commercial email."
    elif in_us is False:
        status, reason = (
            DOES_NOT_APPLY,
            "You send commercial email, but you are not in the US and serve no one there.",
        )
    else:
        status = MAY_APPLY
        reason = (
            "You send commercial email. It applies to email sent to people in the US; check whether you do."
        )
    return Verdict(
        "can-spam", "CAN-SPAM Act (commercial email)", "15 U.S.C. 7701-7713; 16 CFR 316", status, reason
    )


def _european(answers: Mapping[str, Any]) -> list[Verdict]:
    """The GDPR and the UK GDPR: where the business is established (Art. 3(1)), and whether it offers
    goods or services to, or monitors, people there (Art. 3(2))."""
    country = answers["organization"]["country"]
    targets = set(answers["reach"]["europe"])
    verdicts = []
    for key, name, citation, here, region, target in (
        ("gdpr", "GDPR (EU and EEA)", "Regulation (EU) 2016/679, Art. 3", country in EU_EEA, "the EU or EEA",
         "eu_eea"),
        ("uk-gdpr", "UK GDPR (United Kingdom)", "UK GDPR Art. 3; Data Protection Act 2018",
         country == UNITED_KINGDOM, "the United Kingdom", "uk"),
    ):  # fmt: skip
        if here:
            status = APPLIES
            reason = f"You are established in {country_names()[country]}, in {region} (Art. 3(1))."
        elif target in targets:
            status = APPLIES
            reason = (
                f"You offer goods or services to people in {region}, or monitor what they do (Art. 3(2))."
            )
        elif "not_sure" in targets or not country:
            status = MAY_APPLY
            reason = (
                f"It applies to businesses established in {region}, and to others that offer goods or "
                f"services to people there or monitor what they do (Art. 3). Check whether you do."
            )
        else:
            status = DOES_NOT_APPLY
            reason = (
                f"You are not established in {region} and do not offer goods or services to people there "
                "or monitor what they do (Art. 3)."
            )
        verdicts.append(Verdict(key, name, citation, status, reason))
    return verdicts


def _eprivacy(answers: Mapping[str, Any], european: Sequence[Verdict]) -> list[Verdict]:
    """The ePrivacy rules on cookies and electronic marketing, for a business the GDPR (the Directive as
    each country enacts it, e.g. Germany's TDDDG and UWG) or the UK GDPR (PECR) reaches: they apply to
    storing or reading on people's devices and to marketing by email or text, with or without personal
    data (Directive 2002/58/EC Art. 5(3), 13; PECR regs. 6, 22)."""
    cookies = answers["cookies"]["use"] == "yes"
    marketing = answers["email_marketing"]["sends_commercial_email"] or "text_messages" in (
        answers["email_marketing"]["other_channels"]
    )
    does = " and ".join(
        part for part, holds in (("you use cookies or similar technologies", cookies),
                                 ("you send marketing by email or text", marketing)) if holds
    )  # fmt: skip
    verdicts = []
    for verdict, key, name, citation in (
        (european[0], "eprivacy", "ePrivacy rules on cookies and marketing (EU and EEA)",
         "Directive 2002/58/EC Art. 5(3), 13, as each country enacts it (e.g. Germany's TDDDG §25, UWG §7)"),
        (european[1], "pecr", "PECR: cookies and electronic marketing (United Kingdom)",
         "Privacy and Electronic Communications Regulations 2003, regs. 6, 22"),
    ):  # fmt: skip
        if verdict.status == DOES_NOT_APPLY or not does:
            status = DOES_NOT_APPLY
            reason = (
                "It follows the data protection law of the same place, which does not reach you."
                if verdict.status == DOES_NOT_APPLY
                else "You use no cookies and send no marketing by email or text."
            )
        else:
            status = verdict.status
            law = "the GDPR" if key == "eprivacy" else "the UK GDPR"
            verb = "applies" if status == APPLIES else "may apply"
            reason = f"{does[0].upper()}{does[1:]}, and {law} {verb}"
            reason += " to you. Cookies that are not strictly necessary need consent first; so does most "
            reason += "marketing by email or text."
        verdicts.append(Verdict(key, name, citation, status, reason))
    return verdicts


def _americas(answers: Mapping[str, Any]) -> list[Verdict]:
    """Canada's PIPEDA (organisations handling personal information in commercial activity) and
    Brazil's LGPD (processing in Brazil, or offering goods or services to people there: Art. 3)."""
    country = answers["organization"]["country"]
    served = set(answers["reach"]["elsewhere"])
    commercial = answers["reach"]["for_profit"] == "yes"
    pipeda_reason = {
        "established": "You are a business in Canada, handling personal information in commercial "
        "activity.",
        "serves": "You serve people in Canada. PIPEDA reaches a business abroad with a real and substantial "
        "connection to Canada; Quebec, Alberta and British Columbia also have laws of their own.",
        "no": "You are not in Canada and did not say you serve people there, or you are not a business.",
    }
    if country == "CA" and commercial:
        pipeda = (APPLIES, pipeda_reason["established"])
    elif "canada" in served and commercial:
        pipeda = (MAY_APPLY, pipeda_reason["serves"])
    else:
        pipeda = (DOES_NOT_APPLY, pipeda_reason["no"])
    if country == "BR":
        lgpd = (APPLIES, "You are established in Brazil (Art. 3).")
    elif "brazil" in served:
        lgpd = (APPLIES, "You offer goods or services to people in Brazil, or collect information there "
                "(Art. 3).")
    else:
        lgpd = (DOES_NOT_APPLY, "You are not in Brazil and did not say you serve people there (Art. 3).")
    return [
        Verdict("pipeda", "PIPEDA (Canada)", "PIPEDA, S.C. 2000, c. 5", *pipeda),
        Verdict("lgpd", "LGPD (Brazil)", "LGPD, Lei 13.709/2018, Art. 3", *lgpd),
    ]


def _nevada(reach: _Reach, sells: bool) -> Verdict:
    serves = reach.serves("NV")
    status = DOES_NOT_APPLY if serves is False else MAY_APPLY
    reason = (
        "You said none of the people you serve live in Nevada."
        if serves is False
        else "It covers operators of commercial sites that collect information from Nevada residents and "
        "target Nevada, with no size threshold; the policy must give what NRS 603A.340 lists"
        + (
            ", and selling covered information needs a way for people to opt out (603A.345)."
            if sells
            else "."
        )
    )
    return Verdict("us-nv", "Nevada online privacy law (Nevada)", "NRS 603A.300-.360", status, reason)


def _washington(reach: _Reach, health: bool) -> Verdict:
    """``health``: the business said it collects health information."""
    serves = reach.serves("WA")
    covers = (
        "It covers anyone handling consumer health data of Washington residents, including what is "
        "inferred about health from other data, whatever their size"
    )
    if serves is False:
        status, reason = DOES_NOT_APPLY, "You said none of the people you serve live in Washington."
    elif not health:
        status = DOES_NOT_APPLY
        reason = (
            f"{covers}. You said you collect no health information; check that you infer none either "
            "(from what people buy or search for, for example)."
        )
    else:
        status = APPLIES if serves else MAY_APPLY
        reason = (
            f"{covers}, and you collect health information. It then requires a separate consumer health "
            "data privacy policy, linked from your home page, which Policy Builder does not write."
            + ("" if serves else reach.where_unsaid)
        )
    return Verdict("us-wa", "Washington My Health My Data Act (Washington)", "RCW 19.373", status, reason)


def laws_for(library: Library, answers: Mapping[str, Any], *, today: dt.date | None = None) -> list[Verdict]:
    """``applicable_laws`` with what the catalogue's facts say about selling and sharing, on the
    policy's effective date unless ``today`` is given (the policy and its review agree)."""
    on = today or effective_date(answers)
    return applicable_laws(answers, sells_or_shares=sells_or_shares(library, answers), today=on)


# The comprehensive state laws other than California's, with a "Your rights in other US states" section.
STATE_LAW_KEYS = frozenset(f"us-{law.state.lower()}" for law in STATE_LAWS)


def in_group(verdict: Verdict, group: str) -> bool:
    """Whether a law is one of a group: ``states`` (``STATE_LAW_KEYS``), ``us`` (they and the CCPA),
    ``europe`` (the GDPR and the UK GDPR), or one law by its key (``ccpa``, ``gdpr``, ``pipeda`` …)."""
    if group == "states":
        return verdict.key in STATE_LAW_KEYS
    if group == "us":
        return verdict.key == "ccpa" or verdict.key in STATE_LAW_KEYS
    if group == "europe":
        return verdict.key in ("gdpr", "uk-gdpr")
    return verdict.key == group


def established_in_region(country: str, law_key: str) -> bool:
    """Whether a business based in ``country`` is established where the GDPR (``gdpr``) or the UK GDPR
    (``uk-gdpr``) is the local law; one that is not, yet serves people there, needs a representative
    there (Art. 27) and has no lead supervisory authority."""
    return country in EU_EEA if law_key == "gdpr" else country == UNITED_KINGDOM


def state_law(key: str) -> StateLaw:
    """The state law with this verdict key (``us-tx``)."""
    return next(law for law in STATE_LAWS if f"us-{law.state.lower()}" == key)


def laws_by_status(verdicts: Sequence[Verdict]) -> list[tuple[str, str, list[Verdict]]]:
    """(status, label, verdicts) for each status that has any, in the order applies, may apply, does not."""
    return [
        (status, label, [v for v in verdicts if v.status == status])
        for status, label in VERDICT_LABELS.items()
        if any(v.status == status for v in verdicts)
    ]
