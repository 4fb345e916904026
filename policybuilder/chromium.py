"""How Debian's Chromium is started: by the site scanner, the benchmark and the browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

from django.conf import settings

# One list for all three, so the benchmark's figures come from the browser the scanner and the tests
# use: no sandbox (containers run as root), and nothing that reaches the network on its own.
CHROMIUM_ARGS: list[str] = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    """The Chromium to drive: ``SCAN_CHROMIUM`` when set, else Debian's ``chromium`` on the PATH."""
    configured = getattr(settings, "SCAN_CHROMIUM", "")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else None
    )
