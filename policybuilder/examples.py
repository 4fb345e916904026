"""The example answers files in ``docs/examples``, shown on the site and used in tests."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# Beside the package in a checkout (the same place as settings.BASE_DIR), read
# without settings so that the domain modules can use the examples too.
EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "docs" / "examples"
_SLUG = re.compile(r"^[a-z0-9-]+$")


def example_slugs() -> list[str]:
    return sorted(path.stem for path in EXAMPLES_DIR.glob("*.json"))


def load_example(slug: str) -> dict[str, Any]:
    """The parsed answers of one example; ``KeyError`` for an unknown slug."""
    if not _SLUG.match(slug) or slug not in example_slugs():
        raise KeyError(slug)
    return json.loads((EXAMPLES_DIR / f"{slug}.json").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ExampleInfo:
    """How the home page names an example: by the kind of business it describes."""

    slug: str
    title: str
    summary: str


# Named by the business, for owners looking for one like theirs; an example without an entry here
# is listed by its organization's name.
_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "small-shop": (
        "An online shop",
        "A US ceramics shop: card payments, a newsletter, analytics and shipping.",
    ),
    "ccpa-store": (
        "A larger US store",
        "Sells across the US, with analytics, an advertising pixel and email marketing.",
    ),
    "kids-learning-app": (
        "A children's learning app",
        "An app and website for children under 13, so COPPA applies.",
    ),
    "brochure-site": (
        "A small service business",
        "A tutoring business's website whose only form is a contact form.",
    ),
    "saas": ("Online software (UK)", "A UK software service with product analytics and session recording."),
    "berlin-saas": (
        "Online software (Germany)",
        "A German software company with self-hosted analytics and a newsletter.",
    ),
}


def example_list() -> list[ExampleInfo]:
    """Every shipped example, described for the home page, most familiar kinds of business first."""
    order = list(_DESCRIPTIONS)
    listed = []
    for slug in sorted(example_slugs(), key=lambda s: (order.index(s) if s in order else len(order), s)):
        if slug in _DESCRIPTIONS:
            title, summary = _DESCRIPTIONS[slug]
        else:
            name = load_example(slug).get("organization", {}).get("name", slug)
            title, summary = str(name), ""
        listed.append(ExampleInfo(slug, title, summary))
    return listed
