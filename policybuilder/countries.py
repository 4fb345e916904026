"""Countries, by ISO 3166-1 alpha-2 code: one list for the questionnaire and the catalogue.

The names come from pycountry (the ISO 3166 data, maintained with the
standard), so neither the wizard's list nor the checks on a service's country
keep a copy of their own.
"""

from __future__ import annotations

from functools import cache

import pycountry

UNITED_STATES = "US"
UNITED_KINGDOM = "GB"
# The EU's member states and the other EEA countries (Iceland, Liechtenstein, Norway), where the
# GDPR applies to any business established there (Regulation (EU) 2016/679, Art. 3(1)).
EU_EEA = frozenset(
    {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT",
     "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO"}
)  # fmt: skip


@cache
def country_names() -> dict[str, str]:
    """Code -> the name people use ("United Kingdom", "Bolivia"), sorted by name."""
    names = {
        country.alpha_2: getattr(country, "common_name", None) or country.name
        for country in pycountry.countries
    }
    return dict(sorted(names.items(), key=lambda item: item[1]))


def is_country(code: object) -> bool:
    return isinstance(code, str) and code in country_names()
