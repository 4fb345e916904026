"""Words spelt differently in US and international English, for policies written in either.

Clause text holds both spellings where they differ, as ``spelling("behavior",
"behaviour")``, so staff review both in the admin like any other wording, and
the policy prints the one its locale asks for (see ``locales``). The pairs
below are how the library's checks notice a word written in one spelling only
(a problem, like an unknown answer key), and how the short version, whose
wording is ours, follows the locale too.
"""

from __future__ import annotations

import re

# US spelling -> international (Oxford-neutral British) spelling. Lower case; capitals follow the text.
PAIRS: dict[str, str] = {
    "analyze": "analyse",
    "analyzed": "analysed",
    "analyzes": "analyses",
    "analyzing": "analysing",
    "authorize": "authorise",
    "authorized": "authorised",
    "behavior": "behaviour",
    "behavioral": "behavioural",
    "behaviors": "behaviours",
    "catalog": "catalogue",
    "center": "centre",
    "color": "colour",
    "customize": "customise",
    "customized": "customised",
    "favor": "favour",
    "fulfill": "fulfil",
    "honor": "honour",
    "honored": "honoured",
    "honoring": "honouring",
    "honors": "honours",
    "minimize": "minimise",
    "minimized": "minimised",
    "optimize": "optimise",
    "organization": "organisation",
    "organizations": "organisations",
    "personalize": "personalise",
    "personalized": "personalised",
    "personalizing": "personalising",
    "personalization": "personalisation",
    "prioritize": "prioritise",
    "recognize": "recognise",
    "recognized": "recognised",
    "recognizes": "recognises",
    "summarize": "summarise",
    "utilize": "utilise",
}
INTERNATIONAL_TO_US = {international: us for us, international in PAIRS.items()}
_WORD = re.compile(r"[A-Za-z]+")


def spell(text: str, english: str) -> str:
    """Our own fixed wording in the locale's spelling (never run over names people typed)."""
    if english == "us":
        return _WORD.sub(lambda m: _same_case(m.group(0), INTERNATIONAL_TO_US), text)
    return _WORD.sub(lambda m: _same_case(m.group(0), PAIRS), text)


def _same_case(word: str, table: dict[str, str]) -> str:
    other = table.get(word.lower())
    if other is None:
        return word
    if word.isupper():
        return other.upper()
    return other[0].upper() + other[1:] if word[0].isupper() else other


def one_sided_words(text: str) -> list[str]:
    """The words in ``text`` that have another spelling in the other English, in order, once each."""
    found: list[str] = []
    for match in _WORD.finditer(text):
        word = match.group(0).lower()
        if (word in PAIRS or word in INTERNATIONAL_TO_US) and word not in found:
            found.append(word)
    return found


def pair_for(word: str) -> tuple[str, str]:
    """(US, international) for a word written in either spelling."""
    word = word.lower()
    return (word, PAIRS[word]) if word in PAIRS else (INTERNATIONAL_TO_US[word], word)
