"""Where the project is, and the shipped example answers files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent.parent
EXAMPLES = sorted((ROOT / "docs" / "examples").glob("*.json"))


def example_raw(name: str) -> dict[str, Any]:
    """One shipped example as an answers file holds it (not validated)."""
    return json.loads((ROOT / "docs" / "examples" / f"{name}.json").read_text())
