"""The questionnaire, defined once.

Every question a policy can depend on is declared here: its stable key, what
kind of value it takes, its label, the reason we ask (with the law, where one
applies), its choices and default, and when it applies.  Validation
(``answers``), the JSON Schema of the answers file, the clause-condition
checker and the wizard's forms are all derived from this module; nothing else
keeps its own list of keys or choices.

Keys are a public interface (answers files live in people's repositories):
never rename or reuse one; add a new key instead.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from policybuilder.answer_kinds import AnswerKind, Kind
from policybuilder.applicable_laws import (
    DOES_NOT_APPLY,
    US_PRIVACY_STATES,
    applicable_laws,
    effective_date,
    established_in_region,
    in_group,
)
from policybuilder.catalogue import ANY_KIND
from policybuilder.countries import GERMAN_STATES

SCHEMA_VERSION = 2


class _Today:
    """The default of a date that is today's when the answers are read (``TODAY``)."""

    def __repr__(self) -> str:
        return "TODAY"


# A default that changes every day: resolved when answers are read, always
# written out when answers are saved (so a saved file keeps its date).
TODAY: Any = _Today()


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class When:
    """A condition on an earlier answer, readable by people and by code.

    ``op`` is ``is`` (equals ``value``), ``in`` (one of ``value``), ``has``
    (a list answer contains ``value``), ``nonempty``, or ``not_only`` (a list
    answer is anything but ``value`` alone: "No one in the US" and nothing else).
    """

    path: str
    op: str
    value: Any

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        current = get_path(answers, self.path)
        if self.op == "is":
            return bool(current == self.value)
        if self.op == "in":
            return current in self.value
        if self.op == "has":
            return self.value in (current or ())
        if self.op == "nonempty":
            return bool(current)
        if self.op == "not_only":
            return list(current or ()) != [self.value]
        raise ValueError(f"unknown operator {self.op!r}")

    def describe(self) -> str:
        if self.op == "is":
            shown = str(self.value).lower() if isinstance(self.value, bool) else self.value
            return f"{self.path} is {shown}"
        if self.op == "in":
            return f"{self.path} is {' or '.join(self.value)}"
        if self.op == "has":
            return f"{self.path} includes {self.value}"
        if self.op == "not_only":
            return f"{self.path} is not just {self.value}"
        return f"{self.path} is not empty"

    def paths(self) -> tuple[str, ...]:
        return (self.path,)

    def explain(self) -> str:
        """The condition in the words of the questionnaire, for people."""
        asked = QUESTIONS_BY_PATH[self.path]
        labels = {choice.value: choice.label for choice in asked.choices}
        if self.op == "is" and isinstance(self.value, bool):
            return f"you answer “{'Yes' if self.value else 'No'}” to “{asked.label}”"
        if self.op in ("is", "in"):
            values = [self.value] if self.op == "is" else list(self.value)
            shown = " or ".join(f"“{labels.get(v, v)}”" for v in values)
            return f"you answer {shown} to “{asked.label}”"
        if self.op == "has":
            return f"you choose “{labels.get(self.value, self.value)}” for “{asked.label}”"
        if self.op == "not_only":
            return f"you choose more than “{labels.get(self.value, self.value)}” for “{asked.label}”"
        return f"you choose at least one option for “{asked.label}”"


@dataclass(frozen=True)
class AnyOf:
    """True when any of its conditions is."""

    conditions: tuple[When, ...]

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return any(condition(answers) for condition in self.conditions)

    def describe(self) -> str:
        return " or ".join(condition.describe() for condition in self.conditions)

    def paths(self) -> tuple[str, ...]:
        return tuple(c.path for c in self.conditions)

    def explain(self) -> str:
        return ", or ".join(condition.explain() for condition in self.conditions)


@dataclass(frozen=True)
class AllOf:
    """True when all of its conditions are.

    The parts about earlier pages are decided when the page is shown; the
    parts about answers on the same page go to the page script (``on_page``).
    """

    conditions: tuple[When | AnyOf | LawMayApply, ...]

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        return all(condition(answers) for condition in self.conditions)

    def describe(self) -> str:
        return " and ".join(condition.describe() for condition in self.conditions)

    def paths(self) -> tuple[str, ...]:
        return tuple(path for c in self.conditions for path in c.paths())

    def explain(self) -> str:
        return ", and ".join(condition.explain() for condition in self.conditions)


@dataclass(frozen=True)
class LawMayApply:
    """True unless the answers so far rule out every one of these laws (``applicable_laws``).

    Questions only a covered business needs (the CCPA's request methods, for
    example) are asked when the law applies and when it may: "Not sure" about
    size must not hide them. Selling or sharing is taken as possible here, since
    the services chosen are not known to a condition; the policy's text and the
    review use the real verdicts.
    """

    laws: str  # a group of ``applicable_laws.in_group``: "ccpa", "states", "us", "gdpr", "uk-gdpr", "europe"
    title: str  # how people know them: "the CCPA"
    # Only for a business that said it is established outside the region of the law (the GDPR's
    # Art. 27 representative): one that has not said where it is is not asked yet.
    outside: bool = False

    def __call__(self, answers: Mapping[str, Any]) -> bool:
        # The verdicts of these laws read only these answers; a dozen questions ask the same.
        reach = answers.get("reach", {})
        country = get_path(answers, "organization.country")
        key = (
            self.laws,
            self.outside,
            country,
            tuple((name, json.dumps(reach.get(name), sort_keys=True)) for name in sorted(reach)),
            get_path(answers, "california.applies"),
            get_path(answers, "sharing.sells_personal_data"),
            bool(get_path(answers, "collection.sensitive_data")),
            effective_date(answers),
        )
        found = _may_apply.get(key)
        if found is None:
            verdicts = applicable_laws(answers, sells_or_shares=True, today=key[-1])
            found = any(
                v.status != DOES_NOT_APPLY
                and in_group(v, self.laws)
                and not (self.outside and (not country or established_in_region(country, v.key)))
                for v in verdicts
            )
            if len(_may_apply) >= 256:
                _may_apply.clear()  # another thread may read meanwhile: it recomputes, never fails
            _may_apply[key] = found
        return found

    def describe(self) -> str:
        return (
            f"{self.title} may apply{' to a business established outside its region' * self.outside} "
            "(from the reach answers, california.applies, sharing.sells_personal_data, "
            "collection.sensitive_data, organization.country and the effective date)"
        )

    def paths(self) -> tuple[str, ...]:
        return ("reach.for_profit", "reach.revenue", "reach.states", "reach.europe", "reach.elsewhere",
                "reach.people", "reach.data_revenue", "reach.sba_small", "california.applies",
                "sharing.sells_personal_data", "collection.sensitive_data", "organization.effective_date",
                "organization.country")  # fmt: skip

    def explain(self) -> str:
        where = ", and you are established outside its region" if self.outside else ""
        return f"{self.title} may apply to you (see “Size and reach”){where}"


_may_apply: dict[tuple[Any, ...], bool] = {}


Condition = When | AnyOf | AllOf | LawMayApply


def on_page(condition: Condition, page_paths: Iterable[str], answers: Mapping[str, Any]) -> list[When] | None:
    """What the page script checks to show a question that depends on answers on its own page.

    None when the condition reads no answer on the page (it is decided before the page is shown).
    For ``AllOf``, the parts about other pages must hold already; the rest go to the script.
    """
    paths = set(page_paths)
    if isinstance(condition, When) and condition.path in paths:
        return [condition]
    if isinstance(condition, AnyOf) and set(condition.paths()) <= paths:
        return list(condition.conditions)
    if isinstance(condition, AllOf):
        here = [c for c in condition.conditions if isinstance(c, When) and c.path in paths]
        elsewhere = [c for c in condition.conditions if c not in here]
        if len(here) == 1 and all(c(answers) for c in elsewhere):
            return here
    return None


@dataclass(frozen=True)
class Suggestion:
    """An answer the wizard offers, never preselects, when an earlier answer points to it.

    ``because`` finishes "Suggested: Yes — …" in the person's terms ("you said
    people sign up for a newsletter"); the person still has to choose.
    """

    when: Condition
    value: Any
    because: str


@dataclass(frozen=True)
class Question:
    """One question, declared once; its ``kind`` (see ``answer_kinds``) says how its value behaves."""

    key: str
    kind: AnswerKind
    label: str
    help: str = ""
    choices: tuple[Choice, ...] = ()
    default: Any = None  # None: the kind's empty value; TODAY: the date the answers are read
    required: bool = False
    applies_when: Condition | None = None
    law: str = ""
    min_value: int | None = None
    max_value: int | None = None
    max_length: int = 200
    min_items: int = 0
    max_items: int = 30
    catalogue: str = ""  # for Kind.CATALOGUE: which catalogue (a kind such as "payment", or "any")
    autocomplete: str = ""  # the browser's autofill hint, when it differs from the kind's
    sample: Any = None  # the value trial renders use, when the kind's own sample would read oddly
    suggestions: tuple[Suggestion, ...] = ()  # offered in the wizard, first that holds wins
    # Whether the wizard starts it unanswered and needs an answer; None lets the kind decide
    # (``AnswerKind.asks_explicitly``). False only where the default claims nothing.
    asked_explicitly: bool | None = None
    # Read by the review, never by clause text directly: which laws apply (``applicable_laws``, and
    # through them which sections the policy has) or what a compliance rule needs to know.
    review_only: bool = False
    # Printed as the person writes it: the compliance review cannot check it, and the review says so.
    own_words: bool = False
    sample_alternatives: tuple[Any, ...] = ()  # more values worth a trial render each (``samples``)
    section: str = field(default="", compare=False)  # set by Step

    @property
    def path(self) -> str:
        return f"{self.section}.{self.key}"

    @property
    def choice_values(self) -> tuple[str, ...]:
        return tuple(choice.value for choice in self.choices)

    @property
    def dated_default(self) -> bool:
        """Whether the default is today's date (always written out when answers are saved)."""
        return self.default is TODAY

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return self.applies_when is None or self.applies_when(answers)

    @property
    def explicit(self) -> bool:
        """The wizard starts it unanswered and needs an answer (see ``AnswerKind.asks_explicitly``)."""
        if self.asked_explicitly is not None:
            return self.asked_explicitly
        return self.kind.asks_explicitly(self)

    def suggestion(self, answers: Mapping[str, Any]) -> Suggestion | None:
        """The answer earlier answers point to, if any (for the wizard to offer)."""
        return next((s for s in self.suggestions if s.when(answers)), None)

    def default_value(self, today: dt.date | None = None) -> Any:
        """A fresh copy of the default, so callers may mutate lists safely."""
        if self.default is TODAY:
            return (today or dt.date.today()).isoformat()
        if isinstance(self.default, list | tuple):
            return list(self.default)
        if self.default is None:
            return self.kind.empty(self)
        return self.default


@dataclass(frozen=True)
class Step:
    """One page of the wizard and one object in the answers file."""

    key: str
    title: str
    why: str
    questions: tuple[Question, ...]
    law: str = ""

    def __post_init__(self) -> None:
        for question in self.questions:
            object.__setattr__(question, "section", self.key)

    def question(self, key: str) -> Question:
        for question in self.questions:
            if question.key == key:
                return question
        raise KeyError(f"{self.key}.{key}")


def get_path(answers: Mapping[str, Any], path: str) -> Any:
    section, _, key = path.partition(".")
    return answers.get(section, {}).get(key)


def _choices(*pairs: tuple[str, str]) -> tuple[Choice, ...]:
    return tuple(Choice(value, label) for value, label in pairs)


def _bool(key: str, label: str, help: str = "", **kwargs: Any) -> Question:
    return Question(key=key, kind=Kind.BOOL, label=label, help=help, default=False, **kwargs)


PEOPLE_BANDS = (
    ("under_10k", "Fewer than 10,000"),
    ("10k_to_25k", "10,000 to 24,999"),
    ("25k_to_35k", "25,000 to 34,999"),
    ("35k_to_50k", "35,000 to 49,999"),
    ("50k_to_100k", "50,000 to 99,999"),
    ("100k_to_175k", "100,000 to 175,000"),
    ("over_175k", "More than 175,000"),
    ("not_sure", "Not sure"),
)
DATA_REVENUE_BANDS = (
    ("none", "None"),
    ("under_20", "Less than 20%"),
    ("20_to_25", "20% to 25%"),
    ("25_to_50", "25% to 50%"),
    ("over_50", "More than 50%"),
    ("not_sure", "Not sure"),
)

# Sensitive personal information as the CCPA (1798.140(ae)) and the state laws define it, beyond
# account log-ins (``collection.personal_data``): ``collection.sensitive_data``'s choices.
SENSITIVE_DATA = (
    ("government_id", "Social Security, driver's license, state ID or passport numbers"),
    ("precise_geolocation", "Precise location (within about 1,850 feet)"),
    ("racial_ethnic", "Racial or ethnic origin"),
    ("citizenship", "Citizenship or immigration status"),
    ("religion", "Religious or philosophical beliefs"),
    ("union", "Union membership"),
    ("health", "Health information, including mental health"),
    ("sex_life", "Sex life or sexual orientation"),
    ("biometric", "Biometric data used to identify people (face, fingerprint, voice)"),
    ("genetic", "Genetic data"),
    ("neural", "Neural data (information about brain or nervous system activity)"),
)

# What personal information is used for: ``use.purposes``, and (with two more) what sensitive
# information is used for.
USE_PURPOSES = (
    ("provide_services", "To provide and operate the service"),
    ("personalize", "To personalise what people see"),
    ("improve_services", "To improve the site and products"),
    ("customer_support", "To answer support requests"),
    ("process_transactions", "To process payments and orders"),
    ("contests_surveys", "To run contests, promotions and surveys"),
    ("service_emails", "To send service-related notices"),
    ("marketing_emails", "To send newsletters and promotional emails"),
    ("aggregate_statistics", "To compile aggregated statistics"),
    ("legal_compliance", "To comply with the law"),
    ("security_fraud", "To keep the service secure and prevent fraud"),
    ("authentication", "To verify who people are when they sign in"),
)
# The uses of sensitive information that need no right to limit it (11 CCR 7027(m), in the
# questionnaire's terms); any other use of it gives Californians that right (Cal. Civ. Code 1798.121).
SENSITIVE_PERMITTED_USES = frozenset(
    {"provide_services", "process_transactions", "customer_support", "legal_compliance", "security_fraud",
     "authentication", "service_emails"}
)  # fmt: skip
SENSITIVE_USES = (
    *USE_PURPOSES,
    ("advertising", "For advertising"),
    ("inferences", "To infer characteristics about people"),
)
# The CCPA's categories a business can sell (sensitive information is asked separately).
SALE_CATEGORIES = (
    ("identifiers", "Identifiers, such as names, email addresses and cookie IDs"),
    ("customer_records", "Customer records, such as postal addresses and phone numbers"),
    ("commercial", "Commercial information, such as purchase history"),
    ("internet", "Online activity, such as pages visited"),
    ("geolocation", "Approximate location"),
    ("professional", "Professional information"),
    ("content", "Content and messages people send"),
    ("inferences", "Inferences and profiles"),
)

# The special categories of personal data among ``SENSITIVE_DATA`` (GDPR Art. 9(1)): any of them needs
# a condition of Art. 9(2) besides a legal basis.
SPECIAL_CATEGORIES = ("racial_ethnic", "religion", "union", "health", "sex_life", "biometric", "genetic")
SPECIAL_CONDITIONS = (
    ("explicit_consent", "People's explicit consent (Art. 9(2)(a))"),
    ("employment", "Duties under employment or social security law (Art. 9(2)(b))"),
    ("vital_interests", "Protecting someone's life when they cannot consent (Art. 9(2)(c))"),
    ("made_public", "Information people have clearly made public themselves (Art. 9(2)(e))"),
    ("legal_claims", "Making, exercising or defending legal claims (Art. 9(2)(f))"),
    ("health_care", "Health or social care by professionals bound by secrecy (Art. 9(2)(h))"),
)
# The legal bases of GDPR Art. 6(1) a purpose can rest on, in the words of the questionnaire.
LEGAL_BASES = (
    ("contract", "Contract: it is needed to provide what people sign up for or buy (Art. 6(1)(b))"),
    ("legal_obligation", "Legal obligation: a law requires it (Art. 6(1)(c))"),
    ("legitimate_interests", "Legitimate interests: yours, weighed against people's rights (Art. 6(1)(f))"),
    ("consent", "Consent: people agree first and can withdraw (Art. 6(1)(a))"),
    ("soft_opt_in", "Consent; for customers, the “soft opt-in”: only your own similar products, and people "
                    "can refuse free of charge when they buy and in every email"),
)
# For each purpose of ``use.purposes``: the bases that can fit it, the one suggested first (LAWS.md,
# GDPR "Legal bases"), and why. Complying with the law always rests on the legal obligation.
PURPOSE_BASES: dict[str, tuple[tuple[str, ...], str, str]] = {
    "provide_services": (("contract", "legitimate_interests", "consent"), "contract",
                         "providing the service is what people sign up for"),
    "personalize": (("legitimate_interests", "consent", "contract"), "legitimate_interests",
                    "tailoring what people see is an interest you can weigh; use consent if it relies on "
                    "tracking or profiling"),
    "improve_services": (("legitimate_interests", "consent"), "legitimate_interests",
                         "improving your service is an interest you can weigh; analytics cookies still need "
                         "consent first"),
    "customer_support": (("contract", "legitimate_interests"), "contract",
                         "answering customers is part of the service they signed up for"),
    "process_transactions": (("contract", "legitimate_interests"), "contract",
                             "processing an order is needed to fulfil it"),
    "contests_surveys": (("consent", "contract", "legitimate_interests"), "consent",
                         "taking part is people's own choice"),
    "service_emails": (("contract", "legitimate_interests", "legal_obligation"), "contract",
                       "notices about an account are part of providing it"),
    "marketing_emails": (("consent", "soft_opt_in"), "consent",
                         "marketing email to people who are not customers needs their prior consent"),
    "aggregate_statistics": (("legitimate_interests", "consent"), "legitimate_interests",
                             "anonymous statistics are an interest you can weigh; cookies need consent"),
    "security_fraud": (("legitimate_interests", "legal_obligation"), "legitimate_interests",
                       "the GDPR itself names security and fraud prevention as legitimate interests"),
    "authentication": (("contract", "legitimate_interests"), "contract",
                       "checking who signs in is needed to keep an account"),
}  # fmt: skip
FIXED_BASES = {"legal_compliance": "legal_obligation"}  # a purpose with one possible basis is not asked


# The size questions only US laws read: not asked of a business that serves no one in the US.
_SERVES_US = When("reach.states", "not_only", "outside_us")
_AS_LONG_AS_NEEDED = When("collection.retention", "is", "as_long_as_needed")


def _kept_when(*collected: When) -> AllOf:
    """A retention period per kind of information: asked under "as long as needed", when the
    answers say that kind is collected."""
    return AllOf((_AS_LONG_AS_NEEDED, AnyOf(collected)))


_BASIS_LABELS = dict(LEGAL_BASES)
# Analytics that store or read on the device need consent first (ePrivacy Art. 5(3)); what they measure
# then rests on that consent (LAWS.md, GDPR "Legal bases").
_MEASURED_WITH_CONSENT = (
    Suggestion(
        When("cookies.purposes", "has", "analytics"),
        "consent",
        "you use cookies to measure traffic, which need consent first; what they measure then rests on it",
    ),
    Suggestion(
        When("cookies.consent", "is", True),
        "consent",
        "you ask visitors before setting analytics cookies, so what they measure rests on that consent",
    ),
)
# Suggestions that earlier answers make better than a purpose's usual one (first that holds wins).
_SUGGESTED_FIRST: dict[str, tuple[Suggestion, ...]] = {
    "improve_services": _MEASURED_WITH_CONSENT,
    "aggregate_statistics": _MEASURED_WITH_CONSENT,
    "marketing_emails": (
        Suggestion(
            When("email_marketing.consent", "is", "opt_out"),
            "soft_opt_in",
            "you add customers to your list without asking, which only the soft opt-in allows",
        ),
    ),
}
_EUROPE_MAY_APPLY = LawMayApply("europe", "the GDPR or the UK GDPR")
_CALIFORNIA = When("california.applies", "is", True)
_COPPA = AnyOf(
    (
        When("children.directed_to_children", "is", True),
        When("children.knowingly_collects_under_13", "is", True),
    )
)
_CCPA_MAY_APPLY = LawMayApply("ccpa", "the CCPA")
_STATES_MAY_APPLY = LawMayApply("states", "a state privacy law")
_STATES_OR_CCPA = LawMayApply("us", "the CCPA or a state privacy law")
_SENDS_EMAIL = When("email_marketing.sends_commercial_email", "is", True)
_NOTIFIES_BREACH = When("breach_notification.channels", "nonempty", None)

STEPS: tuple[Step, ...] = (
    Step(
        key="organization",
        title="About you",
        why="A privacy policy first says who is responsible for the information and how to reach "
        "them. Every law below asks for it.",
        questions=(
            Question(
                "name",
                Kind.TEXT,
                "Name of your business or organization",
                "The name people know you by; the policy calls you “we”.",
                required=True,
                autocomplete="organization",
                sample="Example Trading Co.",
            ),
            Question(
                "website",
                Kind.URL,
                "Website address",
                "The site this policy covers, for example www.example.com (https:// is added for you).",
                required=True,
            ),
            Question(
                "country",
                Kind.COUNTRY,
                "Country where you are based",
                "US businesses get US spelling and US Letter paper; everyone else gets international "
                "English and A4.",
                autocomplete="country",
            ),
            Question(
                "english",
                Kind.CHOICE,
                "Spelling and paper size",
                "Change it only if your readers expect the other one.",
                choices=_choices(
                    ("from_country", "Follow my country"),
                    ("us", "US English, US Letter paper"),
                    ("international", "International English, A4 paper"),
                ),
                default="from_country",
                asked_explicitly=False,  # "follow my country" claims nothing
            ),
            Question(
                "email",
                Kind.EMAIL,
                "Privacy contact email",
                "Where people send privacy questions and requests. CalOPPA and COPPA both expect "
                "a way to reach you.",
                required=True,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575; COPPA, 16 CFR 312.4(d)",
            ),
            Question(
                "phone",
                Kind.PHONE,
                "Phone number",
                "Optional. COPPA notices must list a phone number for the operator.",
                max_length=40,
                law="COPPA, 16 CFR 312.4(d)(1)",
            ),
            Question(
                "postal_address",
                Kind.LONG_TEXT,
                "Postal address",
                "Optional, but commercial email must carry a valid physical postal address "
                "(CAN-SPAM) and COPPA notices list the operator's address.",
                max_length=500,
                law="CAN-SPAM, 15 U.S.C. 7704(a)(5); COPPA, 16 CFR 312.4(d)(1)",
                sample="1 Example Street\nSpringfield, ST 00000",
            ),
            Question(
                "effective_date",
                Kind.DATE,
                "Effective date",
                "The date this version of the policy takes effect; CalOPPA requires the policy to "
                "state it. In an answers file, write it as YYYY-MM-DD, or leave it out to use today.",
                default=TODAY,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(4)",
            ),
            Question(
                "terms_url",
                Kind.URL,
                "Terms of use address",
                "Optional. If you publish terms of use, the policy links to them.",
            ),
        ),
    ),
    Step(
        key="services",
        title="What you offer",
        why="The policy has to say which products it covers, and some (installed software, "
        "cloud hosting) change where information goes.",
        questions=(
            Question(
                "kinds",
                Kind.MULTI,
                "What does this policy cover?",
                "Choose every kind of service you run under this policy.",
                choices=_choices(
                    ("website", "A website"),
                    ("online_store", "An online store"),
                    ("saas", "Software as a service (a web application)"),
                    ("mobile_app", "A mobile app"),
                    ("installed_software", "Software people install on their own computers"),
                ),
                default=["website"],
                min_items=1,
            ),
            _bool(
                "hosted_on_public_cloud",
                "Does another company host your site or app?",
                "For example Amazon Web Services, Google Cloud, Squarespace, Shopify, Wix or your web host. "
                "That company then stores people's information for you, and the policy says so. Answer "
                "No only if you run the servers yourself.",
            ),
            _bool(
                "installed_software_reports_usage",
                "Does your installed software send usage or diagnostic data back to you?",
                "If it does not, the policy can promise that what people do with it stays on "
                "their own devices.",
                applies_when=When("services.kinds", "has", "installed_software"),
            ),
        ),
    ),
    Step(
        key="reach",
        title="Size and reach",
        why="Which privacy laws apply depends on where you are, where the people you serve live, how "
        "many there are and how your business makes money. The review page shows each law with the "
        "reason it does or does not apply. If you are not sure, say so: the review then says what to "
        "check.",
        law="CCPA, Cal. Civ. Code 1798.140(d); state privacy laws (see the review)",
        questions=(
            Question(
                "for_profit",
                Kind.CHOICE,
                "Is your organization run for profit?",
                "The CCPA applies only to businesses run for profit.",
                choices=_choices(("yes", "Yes"), ("no", "No, it is a non-profit or public body")),
                default="yes",
                law="CCPA, Cal. Civ. Code 1798.140(d)",
                review_only=True,
            ),
            Question(
                "revenue",
                Kind.CHOICE,
                "What was your total revenue last year, worldwide?",
                "The CCPA applies above $26,625,000 (the figure adjusted for inflation from 2025; check the "
                "current one); "
                "the Utah and Tennessee laws start at $25 million.",
                choices=_choices(
                    ("under_25m", "Less than $25 million"),
                    ("25m_to_27m", "$25 million to $27 million"),
                    ("over_27m", "More than $27 million"),
                    ("not_sure", "Not sure"),
                ),
                default="not_sure",
                law="CCPA, Cal. Civ. Code 1798.140(d)(1)(A)",
                review_only=True,
                sample="over_27m",  # trial renders: every law applies
            ),
            Question(
                "states",
                Kind.MULTI,
                "Where in the US do the people whose information you handle live?",
                "Choose “Across the US” if they live in most states. Only states with a privacy law of "
                "their own are listed.",
                choices=_choices(
                    ("all_states", "Across the US"),
                    *US_PRIVACY_STATES,
                    ("other_states", "Only in other US states"),
                    ("outside_us", "No one in the US"),
                ),
                review_only=True,
                # With several states the count per state is unknown; alone, Minnesota and Oregon apply.
                sample_alternatives=(["MN"], ["OR"]),
            ),
            Question(
                "europe",
                Kind.MULTI,
                "Do you offer goods or services to people in Europe, or monitor what they do online?",
                "Monitoring includes analytics or advertising tools that follow what people do. The GDPR "
                "then applies wherever you are; the UK GDPR likewise for people in the UK. Leave both "
                "unticked if you do neither.",
                choices=_choices(
                    ("eu_eea", "People in the EU or EEA"),
                    ("uk", "People in the United Kingdom"),
                    ("not_sure", "Not sure"),
                ),
                law="GDPR Art. 3(2); UK GDPR Art. 3(2)",
                review_only=True,
                sample_alternatives=([],),  # a US business serving no one in Europe
            ),
            Question(
                "elsewhere",
                Kind.MULTI,
                "Do you offer goods or services to people in Canada or Brazil?",
                "Canada's PIPEDA and Brazil's LGPD ask for a few things of their own: the policy adds a "
                "short section for each. Leave both unticked if you do neither.",
                choices=_choices(("canada", "People in Canada"), ("brazil", "People in Brazil")),
                law="PIPEDA, S.C. 2000, c. 5; LGPD, Lei 13.709/2018, Art. 3",
                review_only=True,
                sample_alternatives=([],),
            ),
            Question(
                "people",
                Kind.CHOICE,
                "In the state where you have the most, about how many people's information do you handle "
                "in a year?",
                "Count customers, users, subscribers and visitors your systems recognize (by account or "
                "cookie, for example), but not your staff or business contacts. Some state laws also leave "
                "out people you only take a payment from. Most start at 35,000 or 100,000 people.",
                choices=_choices(*PEOPLE_BANDS),
                default="not_sure",
                applies_when=_SERVES_US,
                review_only=True,
                sample="over_175k",
            ),
            Question(
                "data_revenue",
                Kind.CHOICE,
                "What share of your revenue comes from selling or sharing personal information?",
                "Sharing includes letting advertising tools use it to target ads across other sites. "
                "Several laws apply at a lower number of people when you earn from selling data.",
                choices=_choices(*DATA_REVENUE_BANDS),
                default="not_sure",
                applies_when=_SERVES_US,
                review_only=True,
                sample="over_50",
            ),
            Question(
                "sba_small",
                Kind.CHOICE,
                "Is your business a small business under the US Small Business Administration's size "
                "standards?",
                "The Texas, Nebraska and Minnesota laws leave most such small businesses out.",
                choices=_choices(("yes", "Yes"), ("no", "No"), ("not_sure", "Not sure")),
                default="not_sure",
                law="Tex. Bus. & Com. Code 541.002",
                applies_when=_SERVES_US,
                review_only=True,
                sample="no",
            ),
        ),
    ),
    Step(
        key="collection",
        title="Information you collect",
        why="Listing what you collect, and how, is the heart of a privacy policy. CalOPPA "
        "requires the categories of personally identifiable information; COPPA and the GDPR "
        "ask for the same.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1)",
        questions=(
            Question(
                "personal_data",
                Kind.MULTI,
                "What do people give you?",
                "Choose everything people type in or send you.",
                choices=_choices(
                    ("name", "Name"),
                    ("email", "Email address"),
                    ("postal_address", "Postal address"),
                    ("phone", "Phone number"),
                    ("payment_card", "Payment card details"),
                    ("account_credentials", "Username and password"),
                    ("company_details", "Company name and size"),
                    ("purchase_history", "Purchase history"),
                    ("user_content", "Comments, reviews, feedback and other content they post"),
                    ("communications", "Messages they send you"),
                    ("profile", "A personal profile"),
                ),
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1)",
            ),
            Question(
                "other_data",
                Kind.LINES,
                "Anything else people give you that is not in the list?",
                "Optional. One per line, written to your customers as the policy is, for example “the "
                "names and addresses of people you send gifts to”. The policy lists each line as you "
                "write it.",
                max_length=1000,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1)",
                own_words=True,
                sample="the names and addresses of people you send gifts to",
            ),
            Question(
                "automatic_data",
                Kind.MULTI,
                "What is collected automatically when people use your service?",
                "Web servers and analytics tools record some of this by default; check your "
                "hosting and tools.",
                choices=_choices(
                    ("ip_address", "IP address"),
                    ("browser_device", "Browser and device type"),
                    ("access_times", "Date and time of each visit"),
                    ("pages_visited", "Pages visited"),
                    ("session_interactions", "Session details (response times, clicks, scrolling)"),
                    ("referrers", "The page people came from and the page they left to"),
                    ("isp", "Internet service provider"),
                ),
            ),
            Question(
                "sensitive_data",
                Kind.MULTI,
                "Do you collect any of these sensitive kinds of information?",
                "Leave all unticked if you collect none. The state privacy laws and the CCPA give these "
                "extra protection: most states need people's consent before you collect them.",
                choices=_choices(*SENSITIVE_DATA),
                law="CCPA, Cal. Civ. Code 1798.140(ae); e.g. Va. Code 59.1-575, 59.1-578(A)(5)",
            ),
            Question(
                "sensitive_uses",
                Kind.MULTI,
                "What do you use that sensitive information for?",
                "The policy says these uses and no others. Any use beyond providing what people ask for, "
                "security and legal duties gives Californians the right to limit it.",
                choices=_choices(*SENSITIVE_USES),
                applies_when=When("collection.sensitive_data", "nonempty", None),
                min_items=1,
                law="CCPA, Cal. Civ. Code 1798.121; 11 CCR 7027(m)",
            ),
            Question(
                "sources",
                Kind.MULTI,
                "Where do people give you information?",
                "The policy tells people at which moments you collect information.",
                choices=_choices(
                    ("registration", "When they register for an account"),
                    ("order_form", "When they place an order"),
                    ("newsletter", "When they sign up for a newsletter"),
                    ("survey", "When they answer a survey"),
                    ("contest", "When they enter a contest or promotion"),
                    ("contact_form", "When they fill in a contact form"),
                    ("support", "When they ask for support"),
                    ("forums", "When they post in forums or comments"),
                    ("email", "When they email you"),
                ),
            ),
            Question(
                "retention",
                Kind.CHOICE,
                "How long do you keep personal information?",
                "COPPA and the GDPR ask the policy to say how long you keep information; it is good "
                "practice everywhere.",
                choices=_choices(
                    ("as_long_as_needed", "As long as needed for the purposes described"),
                    ("not_stored", "We only use it to answer and do not store it"),
                    ("fixed_period", "For a fixed number of days"),
                ),
                default="as_long_as_needed",
                law="COPPA, 16 CFR 312.10; GDPR Art. 13(2)(a)",
            ),
            Question(
                "retention_days",
                Kind.INT,
                "Number of days you keep it",
                "After this many days you delete or anonymise it.",
                applies_when=When("collection.retention", "is", "fixed_period"),
                required=True,
                min_value=1,
                max_value=3650,
            ),
            # "As long as needed", made concrete per kind of information: the GDPR and the CCPA ask
            # for a period or the criteria for each category (GDPR Art. 13(2)(a); 11 CCR 7012(e)).
            Question(
                "retention_account_days",
                Kind.INT,
                "After someone closes their account, within how many days do you delete it?",
                "Optional. The policy then says you keep account information while the account is open "
                "and for this many days after it is closed. Leave it empty to say nothing more.",
                applies_when=_kept_when(
                    When("collection.personal_data", "has", "account_credentials"),
                    When("collection.sources", "has", "registration"),
                ),
                min_value=0,
                max_value=3650,
                law="GDPR Art. 13(2)(a); CCPA, 11 CCR 7012(e)",
                sample=30,
            ),
            Question(
                "retention_messages_months",
                Kind.INT,
                "For how many months do you keep messages and support requests?",
                "Optional. Counted from your last exchange with the person. Leave it empty to say nothing "
                "more.",
                applies_when=_kept_when(
                    When("collection.personal_data", "has", "communications"),
                    When("collection.sources", "has", "support"),
                    When("collection.sources", "has", "contact_form"),
                    When("collection.sources", "has", "email"),
                ),
                min_value=1,
                max_value=120,
                law="GDPR Art. 13(2)(a); CCPA, 11 CCR 7012(e)",
                sample=24,
            ),
            Question(
                "retention_logs_days",
                Kind.INT,
                "For how many days do you keep server logs with IP addresses?",
                "Optional. Check your hosting's settings; leave it empty to say nothing more.",
                applies_when=_kept_when(When("collection.automatic_data", "has", "ip_address")),
                min_value=1,
                max_value=3650,
                law="GDPR Art. 13(2)(a); CCPA, 11 CCR 7012(e)",
                sample=30,
            ),
        ),
    ),
    Step(
        key="use",
        title="How you use it",
        why="People have a right to know why you collect their information; the GDPR asks for each purpose.",
        law="GDPR Art. 13(1)(c)",
        questions=(
            Question(
                "purposes",
                Kind.MULTI,
                "What do you use personal information for?",
                "Choose every purpose. The policy must not leave one out, nor claim one you did not choose.",
                choices=_choices(*USE_PURPOSES),
            ),
            Question(
                "other_purposes",
                Kind.LINES,
                "Any other purpose not in the list?",
                "Optional. One per line, starting with “to”, for example “to print gift messages on "
                "orders”. The policy lists each line as you write it.",
                max_length=1000,
                law="GDPR Art. 13(1)(c)",
                own_words=True,
                sample="to print gift messages on orders",
            ),
        ),
    ),
    Step(
        key="tools",
        title="Services you use",
        why="The policy names every outside service that receives information about the people "
        "who use yours, and says what each one does with it. What it says about a listed service "
        "comes from the facts we keep about that service.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1); GDPR Art. 13(1)(e)",
        questions=(
            Question(
                "services",
                Kind.CATALOGUE,
                "Which of these services do you use?",
                "Include analytics, advertising pixels, payments, email, hosting, chat and any "
                "other tool built into your site or app. Search the list or browse it by kind.",
                catalogue=ANY_KIND,
                max_items=100,
            ),
            Question(
                "unlisted",
                Kind.SERVICE_RECORDS,
                "Services not in the list",
                "Add each one with its name, its kind and what it does with information. The "
                "policy names it and says no more about it than you do here.",
                max_items=40,
            ),
        ),
    ),
    Step(
        key="sharing",
        title="Sharing",
        why="CalOPPA requires the categories of third parties you share information with; CCPA "
        "requires a clear statement about selling it.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1); CCPA, Cal. Civ. Code 1798.120",
        questions=(
            _bool(
                "sells_personal_data",
                "Do you sell, trade or rent personal information?",
                "If you do not, the policy says so plainly.",
                law="CCPA, Cal. Civ. Code 1798.120",
            ),
            _bool(
                "service_providers",
                "Do other companies handle information for you, such as your web host, email or "
                "support tools?",
                suggestions=(
                    Suggestion(
                        When("services.hosted_on_public_cloud", "is", True),
                        True,
                        "you said another company hosts your site or app",
                    ),
                ),
            ),
            _bool(
                "affiliates",
                "Do you share it with companies in your own group (a parent company, subsidiaries or "
                "sister companies)?",
            ),
            _bool(
                "advance_notice_before_sharing",
                "Will you tell people before sharing it in any other way?",
            ),
            _bool(
                "legal_requests",
                "Will you disclose it when the law or a court requires, or to protect rights and safety?",
            ),
            _bool(
                "business_transfers",
                "Could it pass to a buyer or successor if your business is sold or merged?",
            ),
            _bool(
                "aggregate_to_advertisers",
                "Do you share statistics about your visitors (totals, never individuals) with advertisers or "
                "partners?",
            ),
            _bool(
                "international_transfers",
                "Is information stored or handled in another country than the one it came from (for "
                "example on servers abroad)?",
                "The GDPR requires you to tell people about transfers abroad.",
                law="GDPR Art. 13(1)(f)",
            ),
            Question(
                "other_recipients",
                Kind.LINES,
                "Anyone else you share information with, and why?",
                "Optional, for anyone the questions above and your list of services leave out. One per "
                "line, for example “shipping carriers, to deliver your orders”. The policy lists each "
                "line as you write it.",
                max_length=1000,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(1); GDPR Art. 13(1)(e)",
                own_words=True,
                sample="shipping carriers, to deliver your orders",
            ),
        ),
    ),
    Step(
        key="cookies",
        title="Cookies",
        why="Cookies and similar technologies must be disclosed; CalOPPA also asks whether "
        "others may track visitors across sites.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(5)-(6)",
        questions=(
            Question(
                "use",
                Kind.CHOICE,
                "Do you use cookies?",
                "Include cookies set by tools you embed, such as analytics or chat widgets.",
                choices=_choices(
                    ("yes", "Yes"),
                    ("no", "No"),
                    ("maybe_future", "Not now, but we may in the future"),
                ),
                default="no",
                suggestions=(
                    Suggestion(
                        When("services.kinds", "has", "online_store"),
                        "yes",
                        "online stores almost always use cookies to keep a shopping cart",
                    ),
                    Suggestion(
                        When("collection.sources", "has", "registration"),
                        "yes",
                        "people register for accounts, and keeping them signed in usually takes a cookie",
                    ),
                ),
            ),
            Question(
                "purposes",
                Kind.MULTI,
                "What are cookies used for on your site?",
                choices=_choices(
                    ("essential", "Making the site work"),
                    ("authentication", "Keeping people signed in"),
                    ("preferences", "Remembering settings such as language"),
                    ("shopping_cart", "Remembering a shopping cart"),
                    ("analytics", "Measuring traffic"),
                    ("advertising", "Advertising"),
                ),
                applies_when=When("cookies.use", "in", ("yes", "maybe_future")),
            ),
            _bool(
                "consent",
                "Do you ask visitors to agree before you set cookies that are not strictly necessary, and "
                "let them change their choice later?",
                "In the EU, the EEA and the UK, analytics, advertising and similar cookies need that consent "
                "first; a pre-ticked box is not consent.",
                applies_when=When("cookies.use", "is", "yes"),
                law="ePrivacy Directive 2002/58/EC Art. 5(3); UK PECR reg. 6",
            ),
            _bool(
                "web_beacons",
                "Do your pages or emails contain web beacons (tracking pixels)?",
                "Small invisible images that tell you when a page or email was opened.",
            ),
            Question(
                "table",
                Kind.COOKIE_RECORDS,
                "Cookie table",
                "From a scan of your website: each cookie with its provider, purpose and how long it "
                "lasts. The policy prints it in the cookies section.",
                applies_when=When("cookies.use", "is", "yes"),
                max_items=100,
                law="ePrivacy Directive 2002/58/EC Art. 5(3); "
                "CJEU C-673/17 Planet49 (duration, third parties)",
            ),
        ),
    ),
    Step(
        key="children",
        title="Children",
        why="The Children's Online Privacy Protection Act (COPPA) applies to sites directed to "
        "children under 13 or that knowingly collect their information.",
        law="COPPA, 16 CFR Part 312",
        questions=(
            _bool(
                "directed_to_children",
                "Is your service directed to children under 13?",
                law="COPPA, 16 CFR 312.2",
            ),
            _bool(
                "knowingly_collects_under_13",
                "Do you knowingly collect information from children under 13?",
                law="COPPA, 16 CFR 312.2",
            ),
            Question(
                "parental_consent_method",
                Kind.LONG_TEXT,
                "How do you get a parent's consent, and check that it really comes from the parent?",
                "COPPA requires verifiable parental consent before collecting a child's "
                "information. Describe your method (for example a signed form or a card "
                "transaction).",
                applies_when=_COPPA,
                required=True,
                max_length=1000,
                law="COPPA, 16 CFR 312.5",
            ),
            _bool(
                "age_screening",
                "Are children only part of your audience, and do you ask people's age before collecting "
                "their information?",
                "A service for a mixed audience may ask everyone's age, in a way that does not suggest an "
                "answer, and treat only those under 13 as children.",
                applies_when=When("children.directed_to_children", "is", True),
                law="COPPA, 16 CFR 312.2",
            ),
            _bool(
                "separate_disclosure_consent",
                "Can a parent agree to your collecting their child's information without agreeing to "
                "your disclosing it to third parties?",
                "COPPA requires that choice, unless the disclosure is an integral part of your service.",
                applies_when=_COPPA,
                law="COPPA, 16 CFR 312.5(a)(2)",
            ),
            _bool(
                "internal_operations",
                "Without a parent's consent, do you collect only persistent identifiers (such as a device "
                "ID or cookie) to keep your service running?",
                "COPPA allows that for internal operations: making the service work, security, "
                "personalizing content, contextual ads and capping how often an ad is shown. Never "
                "for behavioral ads or profiles.",
                applies_when=_COPPA,
                law="COPPA, 16 CFR 312.2, 312.5(c)(7)",
            ),
        ),
    ),
    Step(
        key="email_marketing",
        title="Commercial email",
        why="The CAN-SPAM Act sets rules for commercial email; policies usually promise to follow them.",
        law="CAN-SPAM Act, 15 U.S.C. 7704",
        questions=(
            _bool(
                "sends_commercial_email",
                "Do you send newsletters or promotional email?",
                law="CAN-SPAM Act, 15 U.S.C. 7704",
                suggestions=(
                    Suggestion(
                        When("collection.sources", "has", "newsletter"),
                        True,
                        "you said people sign up for a newsletter",
                    ),
                    Suggestion(
                        When("use.purposes", "has", "marketing_emails"),
                        True,
                        "you said you use information to send newsletters and promotional emails",
                    ),
                ),
            ),
            Question(
                "consent",
                Kind.CHOICE,
                "How do people join your mailing list?",
                choices=_choices(
                    ("opt_in", "Only by choosing to (the sign-up box is unticked)"),
                    ("opt_out", "Customers are added and may unsubscribe"),
                ),
                default="opt_in",
                applies_when=_SENDS_EMAIL,
            ),
            _bool(
                "uses_email_service_provider",
                "Do you send it through an email-marketing service?",
                "Under CAN-SPAM you stay responsible for what such a service sends for you.",
                applies_when=_SENDS_EMAIL,
                law="16 CFR 316.2(m)",
            ),
            Question(
                "other_channels",
                Kind.MULTI,
                "Other ways you may contact people",
                choices=_choices(
                    ("phone", "Telephone"),
                    ("text_messages", "Text messages"),
                    ("postal_mail", "Postal mail"),
                ),
            ),
            _bool(
                "call_consent",
                "Before you send people marketing texts or automated calls, do they agree in writing?",
                "The TCPA needs prior express written consent, such as a ticked box with the phone "
                "number and a statement that agreeing is not a condition of buying.",
                applies_when=AnyOf(
                    (
                        When("email_marketing.other_channels", "has", "text_messages"),
                        When("email_marketing.other_channels", "has", "phone"),
                    )
                ),
                law="TCPA, 47 CFR 64.1200(a)(2), (f)(9)",
            ),
        ),
    ),
    Step(
        key="breach_notification",
        title="Data breaches",
        why="State laws require notice of a data breach; the Fair Information Practices behind "
        "US privacy law expect you to say how you would tell people.",
        law="Cal. Civ. Code 1798.82; GDPR Art. 34",
        questions=(
            Question(
                "channels",
                Kind.MULTI,
                "How would you tell people about a data breach?",
                "Leave empty to make no promise in the policy.",
                choices=_choices(
                    ("email", "By email"),
                    ("in_site", "With a notice on the site"),
                    ("phone", "By phone"),
                    ("postal_mail", "By postal mail"),
                ),
            ),
            Question(
                "within_days",
                Kind.INT,
                "Within how many days?",
                "California requires notice within 30 calendar days of discovery from 2026.",
                default=30,
                min_value=1,
                max_value=365,
                applies_when=_NOTIFIES_BREACH,
                law="Cal. Civ. Code 1798.82",
            ),
            _bool(
                "business_days",
                "Are those business days rather than calendar days?",
                applies_when=_NOTIFIES_BREACH,
            ),
            _bool(
                "individual_redress",
                "Should the policy tell people they can go to court or complain to a regulator if you "
                "break the law on their information?",
                "Saying so is good practice in the US (the Fair Information Practices call it redress). "
                "Where the GDPR applies, the policy says instead that people can complain to a data "
                "protection authority.",
                applies_when=_SERVES_US,
            ),
        ),
    ),
    Step(
        key="rights",
        title="People's choices and rights",
        why="CalOPPA asks how people can review and change their information; the GDPR and CCPA "
        "give rights of access, correction and deletion.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(2); GDPR Art. 15-21",
        questions=(
            _bool("access", "Can people ask for a copy of their information?"),
            _bool("correct", "Can people correct or update their information?"),
            _bool("delete", "Can people ask you to delete their information?"),
            _bool("withdraw_consent", "Can people withdraw consent they gave?"),
            _bool(
                "opt_out_marketing",
                "Can people opt out of marketing messages?",
                "Every commercial email must offer a way to unsubscribe.",
                law="CAN-SPAM Act, 15 U.S.C. 7704(a)",
                suggestions=(
                    Suggestion(
                        _SENDS_EMAIL,
                        True,
                        "you send commercial email, and each one must let people unsubscribe",
                    ),
                ),
            ),
        ),
    ),
    Step(
        key="california",
        title="California",
        why="California's laws (CalOPPA, Shine the Light, and the minors' eraser law) apply when "
        "you collect information from California residents.",
        law="Cal. Bus. & Prof. Code 22575-22582; Cal. Civ. Code 1798.83",
        questions=(
            _bool(
                "applies",
                "Do you collect personal information from California residents?",
                "CalOPPA applies to operators that collect personally identifiable information from "
                "California residents, wherever the operator is.",
                applies_when=_SERVES_US,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(a)",
            ),
            Question(
                "do_not_track",
                Kind.CHOICE,
                "How do you respond to browsers' Do Not Track signals?",
                "CalOPPA requires you to say how you respond.",
                choices=_choices(
                    ("honored", "We honour them and stop tracking"),
                    ("not_honored", "We do not change what we do"),
                ),
                default="not_honored",
                applies_when=_CALIFORNIA,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(5)",
            ),
            _bool(
                "third_party_tracking_allowed",
                "Do you let other companies, such as advertising networks, track what your visitors do "
                "over time and on other sites?",
                applies_when=_CALIFORNIA,
                # Trial renders start from "no", so the variant without analytics tools reaches the
                # clause that says no one tracks (with a tool that tracks, the facts decide).
                sample=False,
                law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(6)",
            ),
            _bool(
                "shine_the_light",
                "Do you share personal information with others for their own direct marketing?",
                "If so, California's Shine the Light law lets customers ask what you shared.",
                applies_when=_CALIFORNIA,
                law="Cal. Civ. Code 1798.83",
            ),
            _bool(
                "minors",
                "Is your service directed to people under 18, or do you know that some registered users "
                "are under 18?",
                "California's law on minors' posts applies only then.",
                applies_when=_CALIFORNIA,
                law="Cal. Bus. & Prof. Code 22580(a), 22581(a)",
                suggestions=(
                    Suggestion(
                        When("children.directed_to_children", "is", True),
                        True,
                        "you said your service is directed to children under 13",
                    ),
                ),
            ),
            _bool(
                "minors_content_removal",
                "Can registered users under 18 remove content they posted?",
                "If they can post, California requires that they can remove it, or ask you to.",
                applies_when=When("california.minors", "is", True),
                law="Cal. Bus. & Prof. Code 22581",
            ),
        ),
    ),
    Step(
        key="us_privacy",
        title="US privacy rights",
        why="The CCPA and the other state privacy laws give people rights over their information "
        "and set out how they use them. These answers appear only when one of those laws may apply "
        "to you; the review says which ones do.",
        law="CCPA, Cal. Civ. Code 1798.100 ff.; state privacy laws",
        questions=(
            _bool(
                "online_only",
                "Do you do business only online, with people who deal with you directly?",
                "Then an email address is enough for Californians' privacy requests; otherwise the "
                "CCPA also asks for a toll-free number.",
                applies_when=_CCPA_MAY_APPLY,
                law="CCPA, Cal. Civ. Code 1798.130(a)(1)(A)",
                review_only=True,  # decides whether a toll-free number is needed
                sample=False,  # trial renders: with a toll-free number
            ),
            Question(
                "toll_free_number",
                Kind.PHONE,
                "Toll-free number for privacy requests",
                "People can call it to ask about, correct or delete their information.",
                max_length=40,
                applies_when=AllOf((_CCPA_MAY_APPLY, When("us_privacy.online_only", "is", False))),
                law="CCPA, Cal. Civ. Code 1798.130(a)(1)(A)",
            ),
            Question(
                "request_form_url",
                Kind.URL,
                "Address of your online form for privacy requests",
                "Optional. If you have one, the policy links to it besides your email address.",
                applies_when=_STATES_OR_CCPA,
            ),
            Question(
                "opt_out_url",
                Kind.URL,
                "Address of your “Do Not Sell or Share My Personal Information” page",
                "Needed if you sell personal information or let advertising tools use it. Link it from "
                "your home page too (most sites put it in the footer); the policy links to it.",
                applies_when=_STATES_OR_CCPA,
                law="CCPA, Cal. Civ. Code 1798.135(a); 11 CCR 7013, 7015",
            ),
            _bool(
                "honors_gpc",
                "Does your site treat a browser's Global Privacy Control signal as a request to opt out "
                "of selling and sharing?",
                "Browsers and extensions send this signal for people who turned it on. If you sell or "
                "share personal information, the CCPA and most state laws require you to honor it.",
                applies_when=_STATES_OR_CCPA,
                law="CCPA, Cal. Civ. Code 1798.135(e); 11 CCR 7025",
            ),
            Question(
                "limit_url",
                Kind.URL,
                "Address of your “Limit the Use of My Sensitive Personal Information” page",
                "Needed because you use sensitive information beyond what people ask for. Link it from "
                "your home page too (most sites put it in the footer).",
                applies_when=AllOf(
                    (
                        _CCPA_MAY_APPLY,
                        AnyOf(
                            tuple(
                                When("collection.sensitive_uses", "has", value)
                                for value, _ in SENSITIVE_USES
                                if value not in SENSITIVE_PERMITTED_USES
                            )
                        ),
                    )
                ),
                law="CCPA, Cal. Civ. Code 1798.135(a)(2)",
            ),
            _bool(
                "knows_under_16",
                "Do you know that some of the people whose information you collect are under 16?",
                "If you sell or share their information, the CCPA needs their opt-in first (a parent's "
                "under 13); several states ban it for minors.",
                applies_when=_STATES_OR_CCPA,
                law="CCPA, Cal. Civ. Code 1798.120(c)",
            ),
            _bool(
                "financial_incentives",
                "Do you offer discounts, rewards or other benefits in exchange for personal information?",
                "For example a discount for signing up to a newsletter, or a loyalty program.",
                applies_when=_CCPA_MAY_APPLY,
                law="CCPA, Cal. Civ. Code 1798.125(b); 11 CCR 7016",
            ),
            Question(
                "incentive_terms",
                Kind.LONG_TEXT,
                "Describe what you offer, for which information, and how you value that information",
                "The CCPA asks for the material terms and a good-faith estimate of the value of the "
                "information, with how you calculated it. People can withdraw at any time.",
                applies_when=When("us_privacy.financial_incentives", "is", True),
                required=True,
                max_length=2000,
                law="11 CCR 7016(b)",
            ),
            _bool(
                "profiling",
                "Do you use personal information for automated decisions with legal or similarly "
                "significant effects on people, such as on credit, housing, jobs or insurance?",
                "Most state laws let people opt out of such profiling.",
                applies_when=_STATES_MAY_APPLY,
                law="e.g. Va. Code 59.1-577(A)(5); Minn. Stat. 325M.12",
            ),
            _bool(
                "sensitive_consent",
                "Do you ask for people's consent before you collect their sensitive information?",
                "Most state laws require it (Utah and Iowa ask for notice and a chance to opt out).",
                applies_when=AllOf((_STATES_MAY_APPLY, When("collection.sensitive_data", "nonempty", None))),
                law="e.g. Va. Code 59.1-578(A)(5); Tex. Bus. & Com. Code 541.101(b)(4)",
            ),
            Question(
                "sells_sensitive",
                Kind.CHOICE,
                "Do you sell any of the sensitive information you collect?",
                "Texas requires a notice in the policy if you do; Maryland forbids it.",
                choices=_choices(
                    ("no", "No"),
                    ("sensitive", "Yes, but no biometric data"),
                    ("biometric", "Yes, including biometric data"),
                ),
                default="no",
                applies_when=AllOf(
                    (
                        When("sharing.sells_personal_data", "is", True),
                        When("collection.sensitive_data", "nonempty", None),
                    )
                ),
                law="Tex. Bus. & Com. Code 541.102(b)-(c); Md. Com. Law 14-4707(a)",
            ),
            Question(
                "sold_categories",
                Kind.MULTI,
                "Which kinds of personal information have you sold in the past 12 months?",
                "The CCPA and the state laws ask for the categories sold. Sensitive information is asked "
                "about separately.",
                choices=_choices(*SALE_CATEGORIES),
                applies_when=AllOf((When("sharing.sells_personal_data", "is", True), _STATES_OR_CCPA)),
                law="CCPA, Cal. Civ. Code 1798.130(a)(5); 11 CCR 7011(e)",
            ),
            Question(
                "buyers",
                Kind.TEXT,
                "What kinds of businesses buy it, and why?",
                "For example “data brokers, for their marketing lists” or “partner brands, to offer "
                "you their products”.",
                applies_when=AllOf((When("sharing.sells_personal_data", "is", True), _STATES_OR_CCPA)),
                required=True,
                law="CCPA, 11 CCR 7011(e); Tex. Bus. & Com. Code 541.102(a)",
            ),
        ),
    ),
    Step(
        key="gdpr",
        title="Europe and the UK",
        why="The GDPR and the UK GDPR list what a privacy policy must tell people (Art. 13): who is "
        "responsible and how to reach them, the legal basis of each use, and more. These answers appear "
        "only when one of those laws may apply to you; the review says which. The policy uses them once "
        "you say, under “Size and reach”, that you serve people in Europe or are based there.",
        law="GDPR Art. 13; UK GDPR Art. 13",
        questions=(
            *(
                Question(
                    f"{region}_representative",
                    Kind.CHOICE,
                    f"Have you appointed a representative in {where}?",
                    f"A business established outside {where} that offers goods or services to people there "
                    "must appoint one in writing, unless its processing is occasional, does not include "
                    "special categories of data on a large scale and is unlikely to put people at risk.",
                    choices=_choices(
                        ("appointed", "Yes, we have appointed one"),
                        ("exempt", "No, we are exempt: our processing is occasional and low-risk"),
                        ("not_yet", "No, not yet"),
                    ),
                    applies_when=LawMayApply(law, title, outside=True),
                    law=f"{citation} Art. 27",
                )
                for region, where, law, title, citation in (
                    ("eu", "the EU", "gdpr", "the GDPR", "GDPR"),
                    ("uk", "the UK", "uk-gdpr", "the UK GDPR", "UK GDPR"),
                )
            ),
            *(
                Question(
                    f"{region}_representative_contact",
                    Kind.LONG_TEXT,
                    f"Your representative in {where}: name, postal address and email",
                    "People and the supervisory authorities can contact them instead of you.",
                    applies_when=When(f"gdpr.{region}_representative", "is", "appointed"),
                    required=True,
                    max_length=500,
                    law=f"{citation} Art. 13(1)(a)",
                    sample=f"Example Representative Ltd\n1 Example Street\n{where} — rep@example.com",
                )
                for region, where, citation in (("eu", "the EU", "GDPR"), ("uk", "the UK", "UK GDPR"))
            ),
            Question(
                "german_state",
                Kind.CHOICE,
                "In which German state (Land) are you established?",
                "Companies in Germany answer to the data protection authority of their state; the policy "
                "names it as the one people can complain to.",
                choices=_choices(*((code, name) for code, name, _ in GERMAN_STATES)),
                applies_when=AllOf((_EUROPE_MAY_APPLY, When("organization.country", "is", "DE"))),
                law="GDPR Art. 13(2)(d), 77; BDSG §40",
            ),
            _bool(
                "dpo",
                "Have you appointed a data protection officer?",
                "You must if your core activities include monitoring people regularly and systematically "
                "on a large scale, or handling special categories of data on a large scale. In Germany, "
                "also when 20 or more people regularly handle personal information in your business.",
                applies_when=_EUROPE_MAY_APPLY,
                law="GDPR Art. 37; BDSG §38",
            ),
            Question(
                "dpo_contact",
                Kind.LONG_TEXT,
                "How people can reach your data protection officer",
                "An email or postal address is enough; the officer's name is optional.",
                applies_when=When("gdpr.dpo", "is", True),
                required=True,
                max_length=500,
                law="GDPR Art. 13(1)(b), 37(7)",
                sample="dpo@example.com",
            ),
            *(
                Question(
                    f"basis_{purpose}",
                    Kind.CHOICE,
                    f"On what legal basis do you use personal information {label[0].lower()}{label[1:]}?",
                    "",
                    choices=tuple(Choice(basis, _BASIS_LABELS[basis]) for basis in PURPOSE_BASES[purpose][0]),
                    applies_when=AllOf((_EUROPE_MAY_APPLY, When("use.purposes", "has", purpose))),
                    law="GDPR Art. 6(1), 13(1)(c)-(d)",
                    suggestions=(
                        *_SUGGESTED_FIRST.get(purpose, ()),
                        Suggestion(
                            When("use.purposes", "has", purpose), PURPOSE_BASES[purpose][1],
                            PURPOSE_BASES[purpose][2],
                        ),
                    ),
                )
                for purpose, label in USE_PURPOSES
                if purpose in PURPOSE_BASES
            ),
            Question(
                "special_conditions",
                Kind.MULTI,
                "On which condition do you handle special categories of data?",
                "Information about health, ethnic origin, religion, union membership, sex life, and "
                "genetic or biometric data may be handled only on one of these conditions, besides a legal "
                "basis. For most online services it is explicit consent.",
                choices=_choices(*SPECIAL_CONDITIONS),
                applies_when=AllOf(
                    (
                        _EUROPE_MAY_APPLY,
                        AnyOf(tuple(When("collection.sensitive_data", "has", k) for k in SPECIAL_CATEGORIES)),
                    )
                ),
                min_items=1,
                law="GDPR Art. 9(2)",
            ),
            _bool(
                "automated_decisions",
                "Do you make decisions about people by automated means alone that affect them legally or "
                "as much?",
                "For example, refusing credit, a contract or a job with no person involved. Recommending "
                "products or tailoring content does not count.",
                applies_when=_EUROPE_MAY_APPLY,
                law="GDPR Art. 13(2)(f), 22",
            ),
            Question(
                "automated_logic",
                Kind.LONG_TEXT,
                "How those decisions are made, and what they mean for people",
                "Say what information the decision uses, the main factors, and what happens to someone "
                "it goes against. The policy prints it as you write it.",
                applies_when=When("gdpr.automated_decisions", "is", True),
                required=True,
                max_length=1500,
                law="GDPR Art. 13(2)(f), 22(3)",
                sample="We check the details of each order against known patterns of card fraud.",
            ),
        ),
    ),
    Step(
        key="americas",
        title="Canada and Brazil",
        why="Canada's PIPEDA and Brazil's LGPD ask the policy to name the person who answers for privacy. "
        "These questions appear only when one of those laws may apply to you.",
        law="PIPEDA, Schedule 1, principle 4.8; LGPD Art. 41",
        questions=(
            Question(
                "privacy_officer",
                Kind.LONG_TEXT,
                "Who is accountable for privacy in your organization? Give a name or title, and an address",
                "PIPEDA asks the policy to say who answers for your compliance, and how to reach them.",
                applies_when=LawMayApply("pipeda", "PIPEDA"),
                required=True,
                max_length=500,
                law="PIPEDA, Schedule 1, principle 4.8.2(a)",
                sample="Privacy Officer, 1 Example Street, Toronto ON",
            ),
            Question(
                "encarregado",
                Kind.LONG_TEXT,
                "Your data protection officer for Brazil (encarregado): name and contact",
                "The LGPD asks you to publish who they are and how to reach them, preferably on your "
                "website.",
                applies_when=LawMayApply("lgpd", "the LGPD"),
                required=True,
                max_length=500,
                law="LGPD Art. 41 §1; ANPD Resolution 18/2024",
                sample="Maria Silva, dpo@example.com",
            ),
        ),
    ),
    Step(
        key="security",
        title="Security",
        why="People want to know how their information is protected; promise only what you do.",
        questions=(
            Question(
                "measures",
                Kind.MULTI,
                "How do you protect personal information?",
                choices=_choices(
                    ("encryption_in_transit", "Encryption in transit (HTTPS/TLS)"),
                    ("encryption_at_rest", "Encryption of stored data"),
                    ("vulnerability_scanning", "Regular vulnerability scanning"),
                    ("restricted_access", "Access limited to staff who need it"),
                    ("pci_dss_processor", "Payments through a PCI-DSS compliant processor"),
                    ("payment_data_not_stored", "Card details are never stored on our servers"),
                ),
            ),
        ),
    ),
    Step(
        key="policy_changes",
        title="Changes to this policy",
        why="CalOPPA requires you to describe how you tell people about material changes.",
        law="CalOPPA, Cal. Bus. & Prof. Code 22575(b)(3)",
        questions=(
            Question(
                "notice_methods",
                Kind.MULTI,
                "How will you announce changes?",
                choices=_choices(
                    ("website", "By updating this page and its date"),
                    ("email", "By email"),
                    ("in_app", "With a notice in the app or site"),
                ),
                default=["website"],
                min_items=1,
            ),
            Question(
                "effective_after_days",
                Kind.INT,
                "Changes take effect how many days after they are posted?",
                "0 means when they are posted.",
                default=0,
                min_value=0,
                max_value=365,
            ),
        ),
    ),
    Step(
        key="extras",
        title="Other things to mention",
        why="A few common situations that deserve a sentence of their own.",
        questions=(
            _bool("third_party_links", "Does your service link to other sites?"),
            _bool(
                "public_forums",
                "Can people post content that others can see (forums, comments, reviews)?",
                "Anything posted publicly can be read and collected by others.",
                suggestions=(
                    Suggestion(
                        When("collection.sources", "has", "forums"),
                        True,
                        "you said people post in forums or comments",
                    ),
                ),
            ),
            _bool(
                "account_security_responsibility",
                "Do people have accounts whose password they must keep secret?",
            ),
            Question(
                "own_paragraphs",
                Kind.OWN_PARAGRAPHS,
                "Add your own paragraph to a section",
                "Optional, for what the questions cannot say. Open a section and write in plain words; "
                "the paragraph is printed at the end of that section exactly as you write it (under "
                "“Other information” if your policy does not have that section).",
                max_length=2000,
                max_items=10,
                own_words=True,
            ),
        ),
    ),
)

STEPS_BY_KEY: dict[str, Step] = {step.key: step for step in STEPS}


def iter_questions() -> Iterator[Question]:
    for step in STEPS:
        yield from step.questions


QUESTIONS_BY_PATH: dict[str, Question] = {q.path: q for q in iter_questions()}


def question(path: str) -> Question:
    """The question at ``section.key``; raises KeyError for an unknown path."""
    return QUESTIONS_BY_PATH[path]


def questions_offering(kinds: Iterable[str]) -> list[Question]:
    """The questions a service of these kinds can be chosen in (its kinds' catalogues, and ``any``)."""
    offered = {ANY_KIND, *kinds}
    return [q for q in iter_questions() if q.kind is Kind.CATALOGUE and q.catalogue in offered]


def applicable_questions(answers: Mapping[str, Any]) -> Iterator[Question]:
    """Questions that apply given (normalised) answers, in questionnaire order."""
    for q in iter_questions():
        if q.applies(answers):
            yield q


@dataclass(frozen=True)
class Page:
    """One page of the browser wizard: a few questions, possibly from several sections.

    The answers file is grouped by ``STEPS`` (its sections); the wizard groups
    the same questions into pages so that a page whose questions all depend on
    an earlier answer (COPPA consent, CAN-SPAM details,
    California details) is skipped entirely when that answer rules it out.
    """

    key: str
    title: str
    why: str
    paths: tuple[str, ...]
    law: str = ""

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(QUESTIONS_BY_PATH[path] for path in self.paths)

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return any(q.applies(answers) for q in self.questions)


def _paths(section: str, *keys: str) -> tuple[str, ...]:
    step = STEPS_BY_KEY[section]
    return tuple(f"{section}.{key}" for key in (keys or [q.key for q in step.questions]))


def _page(section: str, *keys: str, key: str = "", title: str = "", why: str = "", law: str = "") -> Page:
    step = STEPS_BY_KEY[section]
    return Page(
        key=key or section,
        title=title or step.title,
        why=why or step.why,
        paths=_paths(section, *keys),
        law=law or step.law,
    )


PAGES: tuple[Page, ...] = (
    _page("organization"),
    _page("services"),
    _page("reach"),
    _page("collection"),
    _page("use"),
    _page("tools"),
    _page("sharing"),
    Page(
        key="cookies",
        title="Cookies and tracking",
        why=STEPS_BY_KEY["cookies"].why,
        paths=_paths("cookies"),
        law=STEPS_BY_KEY["cookies"].law,
    ),
    _page("children", "directed_to_children", "knowingly_collects_under_13"),
    _page(
        "children",
        "parental_consent_method",
        "age_screening",
        "separate_disclosure_consent",
        "internal_operations",
        key="parental-consent",
        title="Parental consent (COPPA)",
        why="COPPA requires verifiable parental consent before you collect a child's personal "
        "information, and your policy must tell parents how it works.",
        law="COPPA, 16 CFR 312.5",
    ),
    _page(
        "email_marketing",
        "sends_commercial_email",
        "other_channels",
        "call_consent",
        key="email",
        title="Email and messages",
    ),
    _page(
        "email_marketing",
        "consent",
        "uses_email_service_provider",
        key="commercial-email",
        title="Commercial email",
        why="The CAN-SPAM Act in the US and the ePrivacy rules in Europe set rules for every commercial "
        "email you send; the policy says how people join and leave your list.",
        law="CAN-SPAM Act, 15 U.S.C. 7704; ePrivacy Directive 2002/58/EC Art. 13",
    ),
    _page("breach_notification", key="breaches"),
    Page(
        key="rights",
        title=STEPS_BY_KEY["rights"].title,
        why=STEPS_BY_KEY["rights"].why,
        paths=_paths("rights") + ("california.applies",),
        law=STEPS_BY_KEY["rights"].law,
    ),
    _page(
        "california",
        "do_not_track",
        "third_party_tracking_allowed",
        "shine_the_light",
        "minors",
        "minors_content_removal",
        key="california",
        title="California notices",
        why=STEPS_BY_KEY["california"].why,
        law=STEPS_BY_KEY["california"].law,
    ),
    _page(
        "us_privacy",
        "online_only",
        "toll_free_number",
        "request_form_url",
        "opt_out_url",
        "honors_gpc",
        "knows_under_16",
        "financial_incentives",
        "incentive_terms",
        key="us-requests",
        title="Privacy requests in the US",
        why="The CCPA and the other state privacy laws say how people must be able to make requests and "
        "opt out of selling and sharing. This page appears because one of those laws may apply to you; "
        "the review says which ones do.",
    ),
    _page(
        "us_privacy",
        "limit_url",
        "profiling",
        "sensitive_consent",
        "sells_sensitive",
        "sold_categories",
        "buyers",
        key="us-sensitive",
        title="Sensitive information, profiling and sales",
        why="State privacy laws protect sensitive information and automated decisions about people more "
        "strictly than other information, and ask what you sell and to whom.",
    ),
    _page(
        "gdpr",
        "german_state",
        "eu_representative",
        "eu_representative_contact",
        "uk_representative",
        "uk_representative_contact",
        "dpo",
        "dpo_contact",
        "special_conditions",
        "automated_decisions",
        "automated_logic",
        key="europe",
    ),
    _page(
        "gdpr",
        *(f"basis_{purpose}" for purpose in PURPOSE_BASES),
        key="legal-bases",
        title="Legal bases (GDPR)",
        why="The GDPR lets you use personal information only on one of six legal bases, and your policy "
        "must give the basis of each use. Each use you chose has a suggestion; change it if it does "
        "not fit.",
        law="GDPR Art. 6(1), 13(1)(c)",
    ),
    _page("americas"),
    _page("security"),
    _page("policy_changes", key="changes"),
    _page("extras"),
)

PAGES_BY_KEY: dict[str, Page] = {page.key: page for page in PAGES}


def always_asked_pages() -> list[Page]:
    """The pages every person sees whatever they answer (a question on them always applies): with
    ``PAGES``, the range of step counts the home page gives."""
    return [page for page in PAGES if any(q.applies_when is None for q in page.questions)]


def applicable_pages(answers: Mapping[str, Any]) -> list[Page]:
    """The wizard's pages for these (normalised) answers, in order."""
    return [page for page in PAGES if page.applies(answers)]
