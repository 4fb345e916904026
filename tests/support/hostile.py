"""Hostile strings for every free-text field, and answers that carry them everywhere."""

from __future__ import annotations

PAYLOADS = [
    "<script>alert('x')</script>",
    '"><img src=x onerror=alert(1)>',
    "[click me](javascript:alert(1))",
    "![pixel](https://evil.example/p.png)",
    "<https://evil.example/phish>",
    "{{ organization.__class__ }}",
    "{% for x in range(9) %}loop{% endfor %}",
    "# Fake heading\n- fake item",
    "&#60;script&#62;",
    "www.evil.example",
]


def hostile_raw(payload: str) -> dict:
    """Answers with the payload in every free-text field that reaches the policy."""
    name = payload.replace("\n", " ")
    return {
        "organization": {
            "name": name,
            "website": "https://shop.example",
            "email": "privacy@shop.example",
            "postal_address": payload,
            "effective_date": "2026-01-01",
            "country": "US",
        },
        "tools": {
            "services": ["stripe"],
            "unlisted": [
                {"name": name, "company": name, "kind": "payment", "role": "processor"},
                {"name": name + " 2", "company": name, "kind": "analytics", "role": "third_party"},
                {"name": name + " 3", "company": name, "kind": "support", "role": "unknown"},
                {"name": name + " 4", "company": name, "kind": "advertising", "role": "unknown"},
            ],
        },
        "children": {"directed_to_children": True, "parental_consent_method": payload},
        # A cookie table attached from a scan: every field is text from someone else's website.
        "cookies": {
            "use": "yes",
            "table": [{"name": name[:80], "provider": name, "purpose": name, "duration": name[:30], "party": "Third party"}],
        },
        # The CCPA applies (revenue), so its section prints the owner's incentive terms and buyers.
        "reach": {
            "revenue": "over_27m",
            "states": ["CA"],
            "europe": ["eu_eea", "uk"],
            "elsewhere": ["canada", "brazil"],
        },
        # A US business serving Europe, Canada and Brazil prints its representatives, officers and the
        # logic of its automated decisions as written.
        "gdpr": {
            "eu_representative": "appointed",
            "eu_representative_contact": payload,
            "uk_representative": "appointed",
            "uk_representative_contact": payload,
            "dpo": True,
            "dpo_contact": payload,
            "automated_decisions": True,
            "automated_logic": payload,
        },
        "americas": {"privacy_officer": payload, "encarregado": payload},
        "california": {"applies": True},
        "sharing": {"sells_personal_data": True, "other_recipients": payload + "\n- " + name},
        # "Other" entries, one per line, printed as written.
        "collection": {"personal_data": ["name"], "other_data": payload + "\n" + name},
        "use": {"purposes": ["legal_compliance"], "other_purposes": payload},  # one basis: never asked
        # Own paragraphs: one in a section the policy has, one in a section it does not.
        "extras": {"own_paragraphs": {"cookies": payload, "no-such-section": payload}},
        "us_privacy": {
            "financial_incentives": True,
            "incentive_terms": payload,
            "sold_categories": ["identifiers"],
            "buyers": name,
        },
    }
