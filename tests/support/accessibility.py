"""axe-core in the browser tests: no serious or critical violation on a page as it is now."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

AXE = Axe()


def assert_accessible(page, name: str) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    results = AXE.run(page)
    bad = [v for v in results.response["violations"] if v["impact"] in ("serious", "critical")]
    assert not bad, f"{name}: " + "; ".join(
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {[n['target'] for n in v['nodes'][:3]]})"
        for v in bad
    )
