"""Helpers for the browser tests (Playwright driving Debian's Chromium)."""

from __future__ import annotations

from urllib.parse import urlsplit

from tests.support.examples import ROOT

ARTIFACTS = ROOT / "test-artifacts"


def screenshot(page, name: str) -> None:
    """Keep a picture of what the test saw (test-artifacts/ is ignored by git)."""
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def third_party_hosts(urls: list[str], live_server_url: str) -> set[str]:
    """Hosts other than the live server's among the URLs a page requested."""
    return {urlsplit(u).netloc for u in urls if u.startswith("http")} - {urlsplit(live_server_url).netloc}
