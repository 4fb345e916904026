"""Scans as the app runs them: asked for in a request, run by the task worker, read back.

A scan never runs inside a web request: ``request_scan`` checks the address, applies the per-site
limit and stores a queued row, which ``tasks.start_scan`` enqueues once it is committed; the worker
(``manage.py db_worker``) then calls ``run_scan``, which drives ``scanner.scan_site`` and writes
its progress and report to the row. A scan that no worker picks up says so (``scan_state``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from policybuilder.clause_library import Library
from policybuilder.drafts.models import Draft
from policybuilder.publishing.models import PublishedPolicy
from policybuilder.scan_matching import is_forbidden_host, vet_address
from policybuilder.scan_report import ScanFileError, ScanReport
from policybuilder.scan_review import ScanFinding, cookie_table_answer, review_scan
from policybuilder.scanner import ScanError, ScanLimits, scan_site
from policybuilder.scans.models import SiteScan

logger = logging.getLogger(__name__)

MAX_URL = 500
STALE_MARGIN_SECONDS = 60  # past its time limit (and the watchdog's), a running scan is taken as stopped
STOPPED = "The scan stopped without finishing (the worker may have restarted). Scan again."
# The wizard pages that offer a scan ("who you are", services, cookies), where its results lead back.
SCAN_PAGES = ("organization", "tools", "cookies")
# What a published policy fails to say when the site does it: the findings that are not advice.
DRIFT_KINDS = ("service:", "cookies:use", "cookie-purpose:", "data:")


class ScanRequestError(ValueError):
    """Why a scan cannot be started, in words for the person who asked."""


def forbidden_hosts(own_host: str = "") -> frozenset[str]:
    """Names the scanner must never visit: the app's own (``ALLOWED_HOSTS``, this request's host,
    with and without its port) and ``SCAN_FORBIDDEN_HOSTS``."""
    names = {h.lower() for h in settings.ALLOWED_HOSTS if h and h != "*"}  # ".example.org" stays a domain
    names |= {h.lower() for h in settings.SCAN_FORBIDDEN_HOSTS}
    if own_host:
        names.add(own_host.lower())  # "127.0.0.1:8000": this port only on a development machine
        if not settings.SCAN_ALLOW_LOOPBACK:
            names.add(own_host.rsplit(":", 1)[0].lower())
    if settings.SCAN_ALLOW_LOOPBACK:
        # Tests and development serve fixture sites on 127.0.0.1's other ports: refuse the app's own
        # address:port only, which ``own_host`` carries.
        names -= {"127.0.0.1", "localhost", "::1", "[::1]"}
    return frozenset(names)


def _blocked_by_name(url: str, forbidden: frozenset[str]) -> bool:
    parts = urlsplit(url)
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return False  # vet_address refuses it with its own message
    return is_forbidden_host(parts.hostname or "", port, forbidden)


def request_scan(
    *, url: str, draft: Draft | None = None, policy: PublishedPolicy | None = None, own_host: str = ""
) -> tuple[SiteScan, bool]:
    """A queued scan of ``url`` and whether it is new, or ``ScanRequestError``. A draft's scan
    already waiting or running is returned instead of a second one. ``tasks.start_scan`` queues it."""
    url = url.strip()
    if not url:
        raise ScanRequestError("Give your website's address first, such as https://www.example.com.")
    if "://" not in url:
        url = "https://" + url
    if len(url) > MAX_URL:
        raise ScanRequestError(f"That address is longer than {MAX_URL} characters.")
    if _blocked_by_name(url, forbidden_hosts(own_host)):
        refusal: str | None = "it is this app's own address"
    else:
        _, refusal = vet_address(url, allow_loopback=settings.SCAN_ALLOW_LOOPBACK)
    if refusal is not None:
        raise ScanRequestError(f"We can't scan {url}: {refusal}.")
    host = site_key(url)
    with transaction.atomic():
        if draft is not None:
            # One scan at a time per draft: the row lock makes two quick requests agree on it.
            Draft.objects.select_for_update().filter(pk=draft.pk).first()
            waiting = _waiting_scan(draft, url)
            if waiting is not None:
                return waiting, False
        if policy is None:  # the daily rescans of published policies are not counted against owners
            recent = SiteScan.objects.filter(
                host=host, policy=None, requested_at__gte=timezone.now() - dt.timedelta(hours=1)
            )
            if recent.count() >= settings.SCAN_PER_SITE_PER_HOUR:
                raise ScanRequestError(
                    f"{host} has been scanned {settings.SCAN_PER_SITE_PER_HOUR} times in the last hour. "
                    "Try again later, or use the results of the last scan."
                )
        return SiteScan.objects.create(url=url, host=host, draft=draft, policy=policy), True


def site_key(url: str) -> str:
    """The site a per-site limit counts: the host without "www." or a final dot."""
    return (urlsplit(url).hostname or "").lower().rstrip(".").removeprefix("www.")


def _waiting_scan(draft: Draft, url: str) -> SiteScan | None:
    """The draft's scan of this address still waiting or running, if any. The draft's other scans
    still waiting are replaced, and a scan running far past its limit is marked as stopped, so
    nothing can hold a draft's scanning up for ever."""
    now = timezone.now()
    stale_after = dt.timedelta(seconds=settings.SCAN_SECONDS + STALE_MARGIN_SECONDS)
    current = None
    for scan in SiteScan.objects.filter(
        draft=draft, status__in=[SiteScan.Status.QUEUED, SiteScan.Status.RUNNING]
    ):
        if scan.status == SiteScan.Status.RUNNING and scan.started_at and now - scan.started_at > stale_after:
            _finish(scan, status=SiteScan.Status.FAILED, error=STOPPED)
        elif scan.url != url and scan.status == SiteScan.Status.QUEUED:
            _finish(scan, status=SiteScan.Status.FAILED, error=f"Replaced by a scan of {url}.")
        elif scan.url != url:
            continue  # already running: it finishes, and the new address gets a scan of its own
        else:
            current = scan
    return current


def run_scan(scan_id: int, *, own_host: str = "") -> SiteScan:
    """Run a queued scan (the task worker's job) and store its report or its error."""
    started = SiteScan.objects.filter(pk=scan_id, status=SiteScan.Status.QUEUED).update(
        status=SiteScan.Status.RUNNING, started_at=timezone.now(), pages_planned=settings.SCAN_PAGES
    )
    scan = SiteScan.objects.get(pk=scan_id)
    if not started:
        return scan  # already taken by another worker, or finished

    def progress(done: int, planned: int, page: str) -> None:
        SiteScan.objects.filter(pk=scan_id).update(
            pages_done=done, pages_planned=planned, current_page=page[:200]
        )

    try:
        report = scan_site(
            scan.url,
            limits=ScanLimits(pages=settings.SCAN_PAGES, seconds=settings.SCAN_SECONDS),
            allow_loopback=settings.SCAN_ALLOW_LOOPBACK,
            forbidden_hosts=forbidden_hosts(own_host),
            progress=progress,
        )
    except ScanError as error:
        _finish(scan, status=SiteScan.Status.FAILED, error=str(error))
        return scan
    except Exception:  # a scan is someone else's website in a browser: never take the worker down
        logger.exception("Site scan %s failed", scan_id)
        _finish(
            scan, status=SiteScan.Status.FAILED, error="The scan stopped because of an error on our side."
        )
        return scan
    drift: list[dict[str, Any]] = []
    if scan.policy is not None:
        drift = _policy_drift(scan.policy, report)
    _finish(scan, status=SiteScan.Status.DONE, report=report.to_json(), drift=drift)
    return scan


def _finish(scan: SiteScan, **fields: Any) -> None:
    fields["finished_at"] = timezone.now()
    SiteScan.objects.filter(pk=scan.pk).update(**fields)
    for name, value in fields.items():
        setattr(scan, name, value)


def scan_state(scan: SiteScan) -> dict[str, Any]:
    """Where a scan stands, for the progress page and its JSON: never a spinner without end."""
    now = timezone.now()
    state: dict[str, Any] = {
        "status": scan.status,
        "label": scan.get_status_display(),
        "pages_done": scan.pages_done,
        "pages_planned": scan.pages_planned or settings.SCAN_PAGES,
        "current_page": scan.current_page,
        "finished": scan.finished,
        "problem": "",
    }
    waited = (now - scan.requested_at).total_seconds()
    if scan.status == SiteScan.Status.QUEUED and waited > settings.SCAN_WORKER_GRACE_SECONDS:
        state["problem"] = (
            f"The scan has not started after {int(waited)} seconds: the part of this service that runs "
            "scans seems to be stopped. Your scan starts as soon as it runs again; you can leave this "
            "page and come back. (If you run this server: start it with `python manage.py db_worker`.)"
        )
    elif scan.status == SiteScan.Status.RUNNING and scan.started_at is not None:
        if (now - scan.started_at).total_seconds() > settings.SCAN_SECONDS + STALE_MARGIN_SECONDS:
            state["problem"] = STOPPED
    return state


def scan_report(scan: SiteScan) -> ScanReport | None:
    """The scan's report; None before it is done, or for one stored by a release that wrote
    another format (a page then offers to scan again rather than failing)."""
    if scan.status != SiteScan.Status.DONE or not scan.report:
        return None
    try:
        return ScanReport.from_json(scan.report)
    except ScanFileError:
        logger.warning("Scan %s has a report this release cannot read", scan.pk)
        return None


def latest_draft_scan(draft: Draft) -> SiteScan | None:
    return SiteScan.objects.filter(draft=draft).order_by("-requested_at").first()


def draft_findings(library: Library, draft: Draft, scan: SiteScan | None) -> list[ScanFinding]:
    report = scan_report(scan) if scan is not None else None
    if report is None:
        return []
    return review_scan(library, report, draft.answers, saved_pages=draft.completed_pages)


@transaction.atomic
def accept_findings(*, library: Library, draft: Draft, scan: SiteScan, keys: set[str]) -> int:
    """Make the answers say what the chosen findings show; returns how many changed anything.

    The draft row is locked and re-read, like a page save, so a scan accepted in one tab and a
    page saved in another do not overwrite each other."""
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    report = scan_report(scan)
    if report is None:
        return 0
    answers: Mapping[str, Any] = locked.answers
    accepted = 0
    for finding in review_scan(library, report, answers, saved_pages=locked.completed_pages):
        if finding.key in keys and finding.change is not None and not finding.change.holds(answers):
            answers = finding.change.applied(answers)
            accepted += 1
    if accepted:
        Draft.objects.filter(pk=draft.pk).update(answers=answers, updated_at=timezone.now())
        draft.answers = dict(answers)
    return accepted


@transaction.atomic
def attach_cookie_table(*, library: Library, draft: Draft, scan: SiteScan) -> int:
    """Put the scan's cookie table in the answers (``cookies.table``); returns how many rows."""
    report = scan_report(scan)
    if report is None:
        return 0
    rows = cookie_table_answer(library, report)
    locked = Draft.objects.select_for_update().get(pk=draft.pk)
    answers = dict(locked.answers)
    cookies = dict(answers.get("cookies") or {})
    cookies["table"] = rows
    if rows:
        cookies["use"] = "yes"
    answers["cookies"] = cookies
    Draft.objects.filter(pk=draft.pk).update(answers=answers, updated_at=timezone.now())
    draft.answers = answers
    return len(rows)


# --- Published policies ------------------------------------------------------------------------


def _policy_drift(policy: PublishedPolicy, report: ScanReport) -> list[dict[str, Any]]:
    """What the site does that the published policy does not say, each with the date it was first
    seen (kept from the policy's previous scan when that one saw it too)."""
    from policybuilder.library.selectors import load_library

    version = policy.versions.order_by("-number").first()
    if version is None:
        return []
    previous = (
        SiteScan.objects.filter(policy=policy)
        .filter(status=SiteScan.Status.DONE)
        .filter(report__isnull=False)
        .order_by("-requested_at")
        .first()
    )
    since = {item["key"]: item["since"] for item in (previous.drift if previous else [])}
    today = timezone.localdate().isoformat()
    return [
        {
            "key": finding.key,
            "message": finding.message,
            "evidence": list(finding.evidence),
            "since": since.get(finding.key, today),
        }
        for finding in review_scan(load_library(), report, version.answers)
        if finding.key.startswith(DRIFT_KINDS)
    ]


def published_scan_targets() -> list[tuple[PublishedPolicy, str]]:
    """Every published policy with the website its current version names."""
    targets = []
    for policy in PublishedPolicy.objects.order_by("pk"):
        version = policy.versions.order_by("-number").only("answers").first()
        website = ((version.answers if version else {}).get("organization") or {}).get("website", "")
        if website:
            targets.append((policy, website))
    return targets


def current_drift(library: Library, policy: PublishedPolicy, scan: SiteScan | None) -> list[dict[str, Any]]:
    """The scan's differences that the policy's current version still does not say (a version
    published since the scan may have caught up), each with the date it was first seen."""
    report = scan_report(scan) if scan is not None else None
    version = policy.versions.order_by("-number").only("answers").first()
    if scan is None or report is None or version is None:
        return []
    still = {f.key for f in review_scan(library, report, version.answers) if f.key.startswith(DRIFT_KINDS)}
    return [item for item in scan.drift if item["key"] in still]


def latest_policy_scan(policy: PublishedPolicy) -> SiteScan | None:
    return (
        SiteScan.objects.filter(policy=policy)
        .filter(status=SiteScan.Status.DONE)
        .order_by("-requested_at")
        .first()
    )
