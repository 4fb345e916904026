"""The site scan: headless Chromium visits the owner's website and records what it does.

The browser visits the home page, then same-site pages linked from it and listed in
``/sitemap.xml`` (up to ``ScanLimits.pages`` within ``ScanLimits.seconds``), scrolls each, and
records every request it makes or tries to make (a tracker's host counts even when it cannot be
reached), the cookies and storage keys it ends with, the forms and the kinds of fields they ask
for, signs of a consent banner and the home page's link to a privacy policy. It never clicks:
every cookie it finds was set before any interaction, which is what a consent check needs.

Safety, because this is a browser fetching what a stranger typed:

* every connection goes through ``scan_proxy.ScanProxy``, which vets the host's addresses and
  connects to the vetted one (no private, loopback, link-local, multicast, reserved or metadata
  address; loopback only with ``allow_loopback``, for tests and local development);
* a fresh browser and context per scan: none of the app's cookies or storage, downloads refused,
  service workers blocked, pop-ups closed, dialogs dismissed, no permissions granted, and no
  WebRTC (its UDP would not go through the proxy);
* a time limit per page and per scan, a watchdog that kills a browser a page keeps busy past it,
  and byte budgets per connection and per scan (in the proxy);
* Chromium's own sandbox whenever the worker does not run as root (it cannot run as root);
* everything recorded is cut to a bounded length and kept as data (``scan_report``).

The module holds no Django models: ``scans`` runs it from the task queue and stores the report.
"""

from __future__ import annotations

import os
import queue
import re
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urldefrag, urljoin, urlsplit

from playwright.sync_api import Dialog, Request, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page as PlaywrightPage

from policybuilder.chromium import CHROMIUM_ARGS, chromium_path
from policybuilder.scan_matching import (
    MAX_TEXT,
    NOT_FOUND,
    ObservedRequest,
    Resolver,
    is_first_party,
    is_forbidden_host,
    plain_address,
    resolve,
    vet_address,
)
from policybuilder.scan_proxy import ProxyPolicy, ScanProxy
from policybuilder.scan_report import (
    FORM_FIELD_KINDS,
    MAX_ITEMS,
    CookieRecord,
    FormRecord,
    PageVisit,
    Refusal,
    ScanReport,
    StorageKey,
)

Progress = Callable[[int, int, str], None]  # pages done, pages planned, the page being visited

# Pages worth a browser's time: not files to download or media.
_SKIPPED_EXTENSIONS = re.compile(
    r"\.(pdf|zip|gz|tar|rar|7z|dmg|exe|msi|apk|jpe?g|png|gif|webp|svg|ico|mp[34]|mov|avi|webm|"
    r"woff2?|ttf|css|js|json|xml|txt|csv|xlsx?|docx?|pptx?)$",
    re.IGNORECASE,
)
_SITEMAP_LOC = re.compile(r"<loc>\s*([^<\s]{1,2000})\s*</loc>", re.IGNORECASE)
MAX_SITEMAP_BYTES = 1_000_000


class ScanError(Exception):
    """A scan that could not be made; the message is for the owner, in plain words."""


class ScannerUnavailable(ScanError):
    """No Chromium on this server."""


@dataclass(frozen=True)
class ScanLimits:
    pages: int = 10
    seconds: float = 60.0
    page_seconds: float = 15.0
    bytes: int = 50_000_000
    watchdog_margin: float = 20.0  # seconds past ``seconds`` before a stuck browser is killed


# What runs in the page: ``extract`` (forms, links, storage keys, a consent banner, the privacy
# link). Kept as JavaScript in a file of its own, read once.
_PAGE_SCRIPT = (Path(__file__).with_name("scanner_page.js")).read_text()
_EXTRACT = "(isHome) => { " + _PAGE_SCRIPT + "\n return extract(isHome); }"
# Before any page script: no WebRTC. Its UDP goes straight to the addresses a page names (STUN and
# TURN servers), around the proxy, whatever Chromium's IP-handling switches say (tested).
_NO_WEBRTC = """
for (const name of ["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel", "RTCIceTransport"]) {
  try { Object.defineProperty(window, name, {value: undefined, configurable: false, writable: false}); }
  catch (e) { /* already gone */ }
}
"""
MAX_LINKS = 500  # links read from the home page


def _path(url: str) -> str:
    parts = urlsplit(url)
    return ((parts.path or "/") + (f"?{parts.query}" if parts.query else ""))[:MAX_TEXT]


def _same_site(url: str, site_url: str) -> bool:
    """Same host (give or take "www.") and port (":443" is https's own)."""
    parts, site = urlsplit(url), urlsplit(site_url)
    return (
        parts.scheme in ("http", "https")
        and (parts.hostname or "").removeprefix("www.") == (site.hostname or "").removeprefix("www.")
        and _port(parts) == _port(site)
    )


def _dicts(value: Any) -> list[dict[str, Any]]:
    """The objects in a list the page script returned (a page can redefine what it returns)."""
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _safe_link(url: str) -> str:
    """A link taken from the site, kept only when it is an http(s) address (never javascript: etc.)."""
    return url[:MAX_TEXT] if urlsplit(url).scheme in ("http", "https") and len(url) <= MAX_TEXT else ""


def browser_args(proxy_address: str) -> list[str]:
    """Chromium's switches for a scan: every connection, loopback included, through the proxy."""
    # Chromium's sandbox cannot run as root (containers): a worker run as another user keeps it.
    sandboxed = os.geteuid() != 0
    return [
        *(arg for arg in CHROMIUM_ARGS if not (sandboxed and arg == "--no-sandbox")),
        f"--proxy-server={proxy_address}",
        "--proxy-bypass-list=<-loopback>",  # "<-loopback>" removes Chromium's implicit localhost bypass
        "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
        "--disable-features=DnsOverHttps",
        "--no-pings",
    ]


class _Scan:
    """One scan: the browser's observations as they arrive, and the visits that make them."""

    def __init__(
        self, site_url: str, limits: ScanLimits, proxy: ScanProxy, progress: Progress | None
    ) -> None:
        self.site_url = site_url
        self.limits, self.proxy, self.progress = limits, proxy, progress
        self.deadline = time.monotonic() + limits.seconds
        self.current = "/"
        self.requests: list[ObservedRequest] = []
        self.seen_requests: set[tuple[str, str]] = set()
        self.cookies: dict[tuple[str, str, str], CookieRecord] = {}
        self.storage: dict[tuple[str, str], StorageKey] = {}
        self.forms: list[FormRecord] = []
        self.pages: list[PageVisit] = []
        self.notes: list[str] = []

    def remaining_ms(self, cap: float) -> float:
        """Milliseconds a step may take: at most ``cap`` seconds, never past the deadline."""
        return max(0.5, min(cap, self.deadline - time.monotonic())) * 1000

    def on_request(self, request: Request) -> None:
        url = request.url
        if urlsplit(url).scheme not in ("http", "https") or len(self.requests) >= MAX_ITEMS:
            return
        key = (url[:MAX_TEXT], self.current)
        if key not in self.seen_requests:
            self.seen_requests.add(key)
            self.requests.append(ObservedRequest(*key))

    def take_cookies(self, cookies: list[Any], now: float) -> None:
        for cookie in cookies[:MAX_ITEMS]:
            key = (cookie["name"][:MAX_TEXT], cookie["domain"][:MAX_TEXT], cookie["path"][:MAX_TEXT])
            if key in self.cookies:
                continue
            expires = cookie.get("expires", -1)
            domain = cookie["domain"].lstrip(".")
            self.cookies[key] = CookieRecord(
                name=key[0], domain=key[1], path=key[2],
                duration_seconds=None if expires is None or expires < 0 else max(0, int(expires - now)),
                http_only=bool(cookie.get("httpOnly")), secure=bool(cookie.get("secure")),
                same_site=str(cookie.get("sameSite", ""))[:10],
                first_party=is_first_party(domain, self.site_url), page=self.current,
            )  # fmt: skip

    def take_page(self, found: Any) -> None:
        """What the page script returned; checked again here, since the page could have changed it."""
        for form in _dicts(found.get("forms"))[:50]:
            fields = tuple(kind for kind in _strings(form.get("fields")) if kind in FORM_FIELD_KINDS)
            if fields:
                self.forms.append(FormRecord(self.current, str(form.get("label") or "")[:MAX_TEXT], fields))
        for item in _dicts(found.get("storage"))[:400]:
            area, name = str(item.get("area")), str(item.get("name") or "")[:MAX_TEXT]
            if area in ("local", "session") and name:
                self.storage.setdefault((area, name), StorageKey(name, area, self.current))

    def visit(self, page: PlaywrightPage, target: str, *, home: bool) -> Any | None:
        """Load, scroll and read one page; None when it could not be loaded or left the site."""
        self.current = _path(target)
        try:
            response = page.goto(
                target, wait_until="load", timeout=self.remaining_ms(self.limits.page_seconds)
            )
        except PlaywrightError as error:
            refused = self.proxy.log.refused.get((urlsplit(target).hostname or "").lower())
            self.pages.append(PageVisit(self.current, None, refused or _first_line(error)))
            return None
        status = response.status if response is not None else None
        if response is not None and response.headers.get("x-scan-refused"):
            final = (urlsplit(page.url).hostname or "").lower()
            self.pages.append(PageVisit(self.current, None, self.proxy.log.refused.get(final, "refused")))
            return None
        if not _same_site(page.url, self.site_url):
            self.pages.append(PageVisit(self.current, status, "left the site"))
            return None
        self.pages.append(PageVisit(self.current, status))
        try:
            for _ in range(6):  # scrolled from outside: no page script needs to cooperate
                page.mouse.wheel(0, 900)
                page.wait_for_timeout(120)
            page.wait_for_load_state("networkidle", timeout=self.remaining_ms(2))
        except PlaywrightError:
            pass  # a page that keeps polling is scanned as it stands
        try:
            found = page.evaluate(_EXTRACT, home)
        except PlaywrightError:
            found = {}
        found = found if isinstance(found, dict) else {}
        self.take_page(found)
        self.take_cookies(page.context.cookies(), time.time())
        if self.progress:
            self.progress(len(self.pages), self.limits.pages, self.current)
        return found

    def crawl(self, page: PlaywrightPage, url: str) -> tuple[str, str]:
        """The home page, then same-site pages from its links and the sitemap; returns the home
        page's consent banner and privacy link."""
        if self.progress:
            self.progress(0, self.limits.pages, _path(url))
        home = self.visit(page, url, home=True)
        if home is None:
            reason = self.pages[-1].error if self.pages else ""
            raise ScanError(f"The home page could not be opened: {reason or 'no answer'}.")
        self.site_url = page.url  # after redirects (shop.example → www.shop.example)
        queue = _same_site_pages(_strings(home.get("links"))[:MAX_LINKS], self.site_url)
        if len(queue) < self.limits.pages - 1:
            self.current = "/sitemap.xml"
            queue += _sitemap_pages(page, self.site_url, self.remaining_ms(5))
        visited = {_path(page.url), _path(url)}
        for target in queue:
            if len(self.pages) >= self.limits.pages:
                break
            if time.monotonic() >= self.deadline - 1:
                self.notes.append(
                    f"Stopped after {len(self.pages)} pages: "
                    f"the scan's time limit ({self.limits.seconds:.0f} s) was reached."
                )
                break
            if _path(target) not in visited:
                visited.add(_path(target))
                self.visit(page, target, home=False)
        if self.proxy.log.bytes_carried >= self.limits.bytes:
            self.notes.append("The site sent more than the scan's size limit; later pages may be incomplete.")
        return str(home.get("banner") or "")[:MAX_TEXT], _safe_link(str(home.get("privacy") or ""))

    def refusals(self) -> tuple[Refusal, ...]:
        """One refused request per host the proxy refused for safety. A host that does not resolve
        was unreachable, not refused (the real trackers in the tests, typing mistakes)."""
        refused: dict[str, Refusal] = {}
        for request in self.requests:
            host = (urlsplit(request.url).hostname or "").lower()
            reason = self.proxy.log.refused.get(host, "")
            if reason and host not in refused and not reason.endswith(NOT_FOUND):
                refused[host] = Refusal(request.url, reason)
        return tuple(refused.values())


def scan_site(
    url: str,
    *,
    limits: ScanLimits = ScanLimits(),
    allow_loopback: bool = False,
    forbidden_hosts: frozenset[str] = frozenset(),
    progress: Progress | None = None,
    resolver: Resolver = resolve,
) -> ScanReport:
    """Scan the site at ``url`` and report what it does; ``ScanError`` when it cannot be scanned.

    ``forbidden_hosts`` are the app's own names ("policy.example.org", or "127.0.0.1:8000" for one
    port only). The browser runs in a thread of its own, so the scan works whether or not the
    caller's thread runs an event loop (Playwright's sync API refuses one); ``progress`` is still
    called in the caller's thread, which may write to its database connection.
    """
    _, refusal = vet_address(url, allow_loopback=allow_loopback, resolver=resolver)
    parts = urlsplit(url)
    if refusal is None and is_forbidden_host(parts.hostname or "", _port(parts), forbidden_hosts):
        refusal = "it is this app's own address"
    if refusal is not None:
        raise ScanError(f"This address cannot be scanned: {refusal}.")
    executable = chromium_path()
    if executable is None:
        raise ScannerUnavailable(
            "Scanning needs Chromium on the server, and it is not installed. "
            "Install Debian's `chromium` package (or set SCAN_CHROMIUM) and try again."
        )
    policy = ProxyPolicy(
        allow_loopback=allow_loopback,
        forbidden_hosts=frozenset(forbidden_hosts),
        forbidden_addresses=frozenset(_addresses_of(forbidden_hosts, resolver)),
        byte_budget=limits.bytes,
        resolver=resolver,
    )
    events: queue.Queue[tuple[int, int, str]] = queue.Queue()
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="site-scan")
    with ScanProxy(policy) as proxy:
        future = pool.submit(_browse, url, executable, proxy, limits, events.put)
        # A page can keep the browser busy for ever (a script that never yields): past the limit,
        # the watchdog kills this scan's Chromium, and the browsing thread's next call fails.
        kill_at = time.monotonic() + limits.seconds + limits.watchdog_margin
        killed = False
        while not future.done() or not events.empty():
            try:
                event = events.get(timeout=0.2)
            except queue.Empty:
                if not killed and time.monotonic() > kill_at:
                    killed = _kill_browser(proxy.address)
                    kill_at = time.monotonic() + limits.watchdog_margin  # then give up on the thread
                elif killed and time.monotonic() > kill_at:
                    break
                continue
            if progress is not None:
                progress(*event)
    pool.shutdown(wait=False)
    if killed:
        raise ScanError(
            f"The site kept the browser busy past the scan's time limit ({limits.seconds:.0f} s), so the "
            "scan was stopped. A page that runs scripts without end cannot be scanned."
        )
    return future.result()


def _kill_browser(proxy_address: str) -> bool:
    """Kill the Chromium processes of one scan, known by their proxy switch (unique to the scan)."""
    marker = f"--proxy-server={proxy_address}".encode()
    killed = False
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as handle:
                if marker in handle.read().split(b"\0"):
                    os.kill(int(entry), signal.SIGKILL)
                    killed = True
        except OSError:
            continue
    return killed


def _browse(
    url: str, executable: str, proxy: ScanProxy, limits: ScanLimits, progress: Callable[[Any], None]
) -> ScanReport:
    started, started_at = time.monotonic(), datetime.now(UTC)
    with sync_playwright() as playwright:
        scan = _Scan(url, limits, proxy, lambda *event: progress(event))
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, args=browser_args(proxy.address), timeout=20_000
            )
        except PlaywrightError as error:
            raise ScannerUnavailable(f"Chromium could not be started: {_first_line(error)}") from error
        try:
            context = browser.new_context(
                accept_downloads=False, service_workers="block", viewport={"width": 1280, "height": 900}
            )
            context.add_init_script(_NO_WEBRTC)
            context.on("request", scan.on_request)
            page = context.new_page()
            page.on("popup", _close_popup)
            page.on("dialog", _dismiss_dialog)
            banner, privacy = scan.crawl(page, url)
        finally:
            browser.close()
    return ScanReport(
        site_url=scan.site_url[:MAX_TEXT],
        started_at=started_at.isoformat(timespec="seconds"),
        seconds=round(time.monotonic() - started, 2),
        pages=tuple(scan.pages),
        requests=tuple(scan.requests),
        cookies=tuple(scan.cookies.values()),
        storage=tuple(scan.storage.values()),
        forms=tuple(scan.forms[:MAX_ITEMS]),
        consent_banner=banner,
        privacy_link=privacy,
        refused=scan.refusals(),
        notes=tuple(scan.notes),
    )


def _addresses_of(hosts: frozenset[str], resolver: Resolver) -> set[str]:
    """The addresses of the app's own hosts, which the scanner must never reach by another name."""
    addresses: set[str] = set()
    for name in hosts:
        try:
            addresses.update(plain_address(a) for a in resolver(name.lstrip(".")))
        except OSError:
            pass  # "127.0.0.1:8000" and names that do not resolve: matched by name instead
    return addresses


def _port(parts: SplitResult) -> int | None:
    try:
        return parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None


def _close_popup(popup: PlaywrightPage) -> None:
    popup.close()


def _dismiss_dialog(dialog: Dialog) -> None:
    dialog.dismiss()


def _first_line(error: Exception) -> str:
    text = str(error).splitlines()[0] if str(error) else type(error).__name__
    return text.removeprefix("Page.goto: ")[:MAX_TEXT]


def _same_site_pages(links: list, site_url: str) -> list[str]:
    """Same-site pages from a list of links, in order, each path once, files left out."""
    found: dict[str, str] = {}
    for link in links:
        url = urldefrag(urljoin(site_url, str(link)))[0]
        if _same_site(url, site_url) and not _SKIPPED_EXTENSIONS.search(urlsplit(url).path):
            found.setdefault(_path(url), url)
    return list(found.values())


def _sitemap_pages(page: PlaywrightPage, site_url: str, timeout_ms: float) -> list[str]:
    """The pages ``/sitemap.xml`` lists (a sitemap index's own sitemaps are not followed).

    Fetched by navigating the scanning page, so it passes the proxy like everything else
    (Playwright's own request API would not go through the browser's proxy)."""
    try:
        response = page.goto(urljoin(site_url, "/sitemap.xml"), timeout=timeout_ms)
        if response is None or not response.ok or not _same_site(page.url, site_url):
            return []
        body = response.body()[:MAX_SITEMAP_BYTES].decode("utf-8", "replace")
    except PlaywrightError:
        return []
    return _same_site_pages(_SITEMAP_LOC.findall(body), site_url)
