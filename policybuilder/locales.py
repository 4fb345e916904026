"""Which English a policy is written in, and on which paper it prints.

US businesses get US spelling ("personalize", "behavior") and US Letter paper;
businesses anywhere else get international English and A4. The country asked
on the first page decides, and ``organization.english`` can override it (a US
subsidiary of a European company may want either).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policybuilder.countries import UNITED_STATES


@dataclass(frozen=True)
class Locale:
    english: str  # "us" or "international"
    language: str  # the document's BCP 47 tag
    paper: str  # a CSS page size WeasyPrint knows

    @property
    def us(self) -> bool:
        return self.english == "us"


US = Locale("us", "en-US", "letter")
INTERNATIONAL = Locale("international", "en", "A4")


def locale_for(answers: Mapping[str, Any]) -> Locale:
    """The locale the answers ask for; without a country, US English (the library's own spelling)."""
    organization = answers["organization"]
    choice = organization.get("english", "from_country")
    if choice == "us":
        return US
    if choice == "international":
        return INTERNATIONAL
    country = organization.get("country", "")
    return INTERNATIONAL if country and country != UNITED_STATES else US
