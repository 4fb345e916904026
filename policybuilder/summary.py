"""The short version: a few plain lines at the top of every policy, each linking to its full section.

People read the top of a policy and little else, so the summary answers the
five questions they come with (what is collected, why, who receives it, what
they can do, how to reach us) in short bullet points. It is derived from the
same answers and catalogue values as the clauses, never from the clause text,
and it says less, never more: a point appears only when the answers support
it, and a point whose full section is missing from the policy is left out
rather than pointing nowhere. Wording lives here (not in the clause library)
because it is assembled from answers in fixed patterns, with the reader's
words for each choice kept beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from policybuilder import markdown
from policybuilder.document import DocumentSection, RenderedClause
from policybuilder.locales import locale_for
from policybuilder.spelling import spell
from policybuilder.wording import join_list

KEY = "short-version"
TITLE = "The short version"
# How many items a point names (the full section lists them all).
MOST_NAMED = 4


@dataclass(frozen=True)
class SummaryPoint:
    heading: str  # "What we collect"
    text: str  # plain text: escaped when written as Markdown
    section_key: str  # the full section it links to


# The reader's words for each choice of the questions the summary reads. The questionnaire's labels
# speak to the owner ("Messages they send you"); these speak to the reader. A test checks that every
# choice has its words, so a new choice cannot silently drop out of the summary.
GIVEN = {
    "name": "name",
    "email": "email address",
    "postal_address": "postal address",
    "phone": "phone number",
    "payment_card": "payment card details",
    "account_credentials": "username and password",
    "company_details": "company details",
    "purchase_history": "purchase history",
    "user_content": "what you post",
    "communications": "messages to us",
    "profile": "profile",
}
SENSITIVE = {
    "government_id": "government ID numbers",
    "precise_geolocation": "precise location",
    "racial_ethnic": "racial or ethnic origin",
    "citizenship": "citizenship",
    "religion": "beliefs",
    "union": "union membership",
    "health": "health information",
    "sex_life": "sex life or sexual orientation",
    "biometric": "biometric data",
    "genetic": "genetic data",
    "neural": "neural data",
}
PURPOSES = {
    "provide_services": "provide our service",
    "personalize": "personalize what you see",
    "improve_services": "improve our services",
    "customer_support": "answer your questions",
    "process_transactions": "process payments and orders",
    "contests_surveys": "run contests and surveys",
    "service_emails": "send notices about our service",
    "marketing_emails": "send newsletters and marketing emails",
    "aggregate_statistics": "count visits and use in total",
    "legal_compliance": "comply with the law",
    "security_fraud": "keep our service secure",
    "authentication": "check who you are when you sign in",
}
# What each right lets people do (keys are the rights questions').
RIGHTS = {
    "access": "ask for a copy of your information",
    "correct": "correct it",
    "delete": "ask us to delete it",
    "withdraw_consent": "withdraw consent you gave",
    "opt_out_marketing": "opt out of marketing messages",
}
# Who may receive information, by the sharing answer that says so.
RECIPIENTS = {
    "service_providers": "service providers who work for us",
    "affiliates": "companies in our group",
    "legal_requests": "others when the law requires it or to protect people's rights and safety",
    "business_transfers": "a buyer if our business is sold",
}


def summary_points(answers: Mapping[str, Any], derived: Mapping[str, Any]) -> list[SummaryPoint]:
    """The points the answers support, in reading order (before checking which sections exist)."""
    points = []
    collection = answers["collection"]
    given = [GIVEN[value] for value in collection["personal_data"]]
    parts = []
    if given:
        parts.append(f"What you give us, such as your {join_list(given[:MOST_NAMED])}.")
    elif collection["other_data"]:  # only what the owner listed in their own words: not named here
        parts.append("Details you give us, listed in full below.")
    sensitive = [SENSITIVE[value] for value in collection["sensitive_data"]]
    if sensitive:
        parts.append(
            f"This includes sensitive information, such as your {join_list(sensitive[:MOST_NAMED])}."
        )
    if collection["automatic_data"]:
        parts.append("Some details of your device and visits are recorded automatically.")
    if parts:
        points.append(SummaryPoint("What we collect", " ".join(parts), "collection"))

    english = locale_for(answers).english
    purposes = [spell(PURPOSES[value], english) for value in answers["use"]["purposes"]]
    own_purposes = bool(answers["use"]["other_purposes"])  # in the owner's words: listed below
    if purposes:
        more = ", and for the other purposes below" if len(purposes) > MOST_NAMED or own_purposes else ""
        points.append(SummaryPoint("Why", f"To {join_list(purposes[:MOST_NAMED])}{more}.", "use"))
    elif own_purposes:
        points.append(SummaryPoint("Why", "For the purposes listed in full below.", "use"))

    # Self-hosted tools send nothing to anyone; advertising tools are named for what they are.
    def sent_to(name: str) -> list[str]:
        return [service.name for service in derived.get(name, ()) if service.role != "self_hosted"]

    advertisers = sent_to("advertising_tools")
    measurers, processors = sent_to("analytics_tools"), sent_to("payment_processors")
    others_used = sent_to("other_services")
    named = [f"analytics tools ({_names(measurers)})"] if measurers else []
    named += [f"payment processors ({_names(processors)})"] if processors else []
    named += [f"other services ({_names(others_used)})"] if others_used else []
    others = [words for key, words in RECIPIENTS.items() if answers["sharing"][key]]
    sentences = (
        ["We sell some of it to other businesses."] if answers["sharing"]["sells_personal_data"] else []
    )
    if advertisers:
        sentences.append(f"Advertising tools ({_names(advertisers)}) get some of it to show and measure ads.")
    sentences += [f"Our {join_list(named)} receive some of it."] if named else []
    if others:
        text = join_list(others)
        sentences.append(f"So may {text}." if sentences else text[:1].upper() + text[1:] + ".")
    if answers["sharing"]["other_recipients"]:  # in the owner's words, named in the full section
        sentences.append("So may others we name below." if sentences else "Others we name below.")
    if sentences:
        points.append(SummaryPoint("Who receives it", " ".join(sentences), "sharing"))

    rights = [words for key, words in RIGHTS.items() if answers["rights"][key]]
    if rights:
        points.append(SummaryPoint("Your choices", f"You can {join_list(rights)}.", "rights"))
    # The state sections say how to opt out of selling and sharing: the point links to the first.
    if answers["sharing"]["sells_personal_data"] or advertisers:
        where = "ccpa" if derived.get("laws", {}).get("ccpa") == "applies" else "us-states"
        states = bool(derived.get("us_states"))
        if where == "ccpa" or states:
            who = (
                "California or one of the other states we name"
                if where == "ccpa" and states
                else "California"
                if where == "ccpa"
                else "one of the states we name"
            )
            text = (
                f"If you live in {who}, you can opt out of our selling your information or using it "
                "for targeted ads."
            )
            points.append(SummaryPoint("Opting out", text, where))

    organization = answers["organization"]
    contact = f"Email {organization['email']}"
    if organization["phone"]:
        contact += f" or call {organization['phone']}"
    points.append(SummaryPoint("How to reach us", contact + ".", "contact"))
    return points


def _names(names: list[str]) -> str:
    """Up to ``MOST_NAMED`` names, then "and others" (the full section names them all)."""
    if len(names) <= MOST_NAMED:
        return join_list(names)
    return ", ".join(names[: MOST_NAMED - 1]) + " and others"


def summary_section(
    answers: Mapping[str, Any], derived: Mapping[str, Any], sections: Sequence[DocumentSection]
) -> DocumentSection | None:
    """The short version as a section of the document, linking to the sections it summarises.

    Returns None when no point has a section to link to (a library without them).
    """
    titles = {section.key: section.title for section in sections}
    lines = []
    for point in summary_points(answers, derived):
        if point.section_key not in titles:
            continue
        link = markdown.escape(titles[point.section_key], link_text=True)
        lines.append(
            f"- **{markdown.escape(point.heading)}:** {markdown.escape(point.text)} "
            f"[More: {link}](#section-{point.section_key})"
        )
    if not lines:
        return None
    text = "\n".join(lines) + "\n"
    clause = RenderedClause(key=KEY, version=1, markdown=text, html=markdown.to_html(text))
    return DocumentSection(key=KEY, title=TITLE, clauses=(clause,))
