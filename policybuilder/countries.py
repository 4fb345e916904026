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


# The supervisory authority of each EU/EEA country, by the name people know it by (../shared/LAWS.md):
# the one a business established there answers to (GDPR Art. 56). Germany's companies answer to the
# authority of their Land, which the answers do not say.
SUPERVISORY_AUTHORITIES = {
    "AT": "the Austrian Data Protection Authority (DSB)",
    "BE": "the Belgian Data Protection Authority (APD/GBA)",
    "BG": "the Bulgarian Commission for Personal Data Protection (CPDP)",
    "HR": "the Croatian Personal Data Protection Agency (AZOP)",
    "CY": "the Cyprus Commissioner for Personal Data Protection",
    "CZ": "the Czech Office for Personal Data Protection (ÚOOÚ)",
    "DK": "the Danish Data Protection Agency (Datatilsynet)",
    "EE": "the Estonian Data Protection Inspectorate (Andmekaitse Inspektsioon)",
    "FI": "the Finnish Data Protection Ombudsman",
    "FR": "the French data protection authority (CNIL)",
    "DE": "the data protection authority of the German state (Land) where we are established",
    "GR": "the Hellenic Data Protection Authority (HDPA)",
    "HU": "the Hungarian National Authority for Data Protection (NAIH)",
    "IE": "the Irish Data Protection Commission (DPC)",
    "IT": "the Italian data protection authority (Garante per la protezione dei dati personali)",
    "LV": "the Latvian Data State Inspectorate (Datu valsts inspekcija)",
    "LT": "the Lithuanian State Data Protection Inspectorate (VDAI)",
    "LU": "the Luxembourg National Commission for Data Protection (CNPD)",
    "MT": "the Maltese Information and Data Protection Commissioner (IDPC)",
    "NL": "the Dutch Data Protection Authority (Autoriteit Persoonsgegevens)",
    "PL": "the Polish data protection authority (UODO)",
    "PT": "the Portuguese National Data Protection Commission (CNPD)",
    "RO": "the Romanian data protection authority (ANSPDCP)",
    "SK": "the Slovak Office for Personal Data Protection",
    "SI": "the Slovenian Information Commissioner (Informacijski pooblaščenec)",
    "ES": "the Spanish Data Protection Agency (AEPD)",
    "SE": "the Swedish Authority for Privacy Protection (IMY)",
    "NO": "the Norwegian Data Protection Authority (Datatilsynet)",
    "IS": "the Icelandic Data Protection Authority (Persónuvernd)",
    "LI": "the Liechtenstein Data Protection Authority (Datenschutzstelle)",
}


# The age below which a child's consent to an online service offered to them directly needs a parent's
# (GDPR Art. 8(1), which lets each country choose 13 to 16; UK: Data Protection Act 2018 s.9). From the
# Commission's 2020 evaluation, per ../shared/LAWS.md; the ones marked there "verify" are in
# ``CONSENT_AGES_TO_VERIFY``, and national changes since 2020 are to verify too.
DIGITAL_CONSENT_AGES = {
    **dict.fromkeys(("BE", "DK", "EE", "FI", "LV", "MT", "PT", "SE", "NO", "IS"), 13),
    **dict.fromkeys(("AT", "BG", "CY", "IT", "LT", "ES"), 14),
    **dict.fromkeys(("CZ", "FR", "GR", "SI"), 15),
    **dict.fromkeys(("DE", "HR", "HU", "IE", "LU", "NL", "PL", "RO", "SK", "LI"), 16),
    UNITED_KINGDOM: 13,
}
CONSENT_AGES_TO_VERIFY = frozenset({"NO", "IS", "SI", "LI"})

# Countries whose data protection the European Commission has found adequate (GDPR Art. 45), besides the
# EU/EEA (../shared/LAWS.md). The US is adequate only for companies certified under the EU–US Data
# Privacy Framework, which the catalogue records per service (``dpf_certified``); Canada only for
# organisations under PIPEDA, which commercial services are.
EU_ADEQUATE = frozenset(
    {"AD", "AR", "BR", "CA", "FO", "GG", "IM", "IL", "JP", "JE", "NZ", "KR", "CH", "GB", "UY"}
)  # fmt: skip
# The UK's "data bridges" (UK adequacy regulations): the EEA, Gibraltar and the countries the EU had
# found adequate before 2021, and the Republic of Korea; the US only for companies certified under the UK
# Extension to the Data Privacy Framework.
UK_ADEQUATE = EU_EEA | frozenset(
    {"GI", "AD", "AR", "CA", "FO", "GG", "IM", "IL", "JP", "JE", "NZ", "CH", "UY", "KR"}
)

# How long accounting records and invoices must be kept, by the country of the business, in words that
# finish "we keep invoices and accounting records …" (../shared/LAWS.md, "Retention facts").
RECORDS_RETENTION = {
    "DE": "as German commercial and tax law requires (HGB §257, AO §147). We keep invoices and other "
    "accounting vouchers for 8 years, books and annual accounts for 10 years, and business letters for "
    "6 years. Each period counts from the end of the year the record belongs to",
    UNITED_KINGDOM: "for 6 years from the end of the financial year they relate to, the period UK tax law "
    "sets for companies",
}
RECORDS_RETENTION_ELSEWHERE = "for as long as the tax and accounting laws that apply to us require"


# Germany's private-sector supervisory authorities, one per state (Land): a company answers to the one
# where it is established (BDSG §40). Keys are ISO 3166-2 subdivision codes without "DE-".
GERMAN_STATES = (
    ("BW", "Baden-Württemberg", "the State Commissioner for Data Protection and Freedom of Information of "
     "Baden-Württemberg (LfDI BW)"),
    ("BY", "Bavaria", "the Bavarian State Office for Data Protection Supervision (BayLDA)"),
    ("BE", "Berlin", "the Berlin Commissioner for Data Protection and Freedom of Information (BlnBDI)"),
    ("BB", "Brandenburg", "the Brandenburg State Commissioner for Data Protection and Access to Files (LDA)"),
    ("HB", "Bremen", "the Bremen State Commissioner for Data Protection and Freedom of Information"),
    ("HH", "Hamburg", "the Hamburg Commissioner for Data Protection and Freedom of Information (HmbBfDI)"),
    ("HE", "Hesse", "the Hessian Commissioner for Data Protection and Freedom of Information (HBDI)"),
    ("MV", "Mecklenburg-Western Pomerania", "the State Commissioner for Data Protection and Freedom of "
     "Information of Mecklenburg-Western Pomerania"),
    ("NI", "Lower Saxony", "the Lower Saxony State Commissioner for Data Protection (LfD Niedersachsen)"),
    ("NW", "North Rhine-Westphalia", "the State Commissioner for Data Protection and Freedom of Information "
     "of North Rhine-Westphalia (LDI NRW)"),
    ("RP", "Rhineland-Palatinate", "the State Commissioner for Data Protection and Freedom of Information of "
     "Rhineland-Palatinate (LfDI RLP)"),
    ("SL", "Saarland", "the Saarland Independent Data Protection Centre (UDZ)"),
    ("SN", "Saxony", "the Saxon Data Protection and Transparency Commissioner"),
    ("ST", "Saxony-Anhalt", "the State Commissioner for Data Protection of Saxony-Anhalt"),
    ("SH", "Schleswig-Holstein", "the Independent Centre for Privacy Protection Schleswig-Holstein (ULD)"),
    ("TH", "Thuringia", "the Thuringian State Commissioner for Data Protection and Freedom of Information "
     "(TLfDI)"),
)  # fmt: skip
GERMAN_AUTHORITIES = {code: authority for code, _, authority in GERMAN_STATES}


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


# Names that take "the" in a sentence ("data protection law in the Netherlands").
_WITH_THE = frozenset({"GB", "NL", "US", "AE", "PH", "BS", "GM"})


def country_in_sentence(code: str) -> str:
    """The country's name as a sentence uses it: "the United Kingdom", "Germany"."""
    name = country_names()[code]
    return f"the {name}" if code in _WITH_THE else name
