"""The example answers files in ``docs/examples``, shown on the site and used in tests."""

from __future__ import annotations

import json
import re
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
