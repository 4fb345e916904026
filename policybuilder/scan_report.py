"""What a site scan recorded, as plain data that survives a round trip through JSON.

The scanner (``scanner``) fills a ``ScanReport``; the wizard, ``manage.py scansite --json``,
``buildpolicy --scan`` and the published-policy rescans all read the same shape back with
``ScanReport.from_json``. A scan file is untrusted input twice over — it describes someone's
website and it may come from anyone's disk — so reading it checks every field's type, cuts every
string to ``MAX_TEXT`` and caps every list, and says in plain words what is wrong with a bad file.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, TypeVar

from policybuilder.scan_matching import MAX_TEXT, ObservedCookie, ObservedRequest

SCAN_FORMAT = 1
MAX_ITEMS = 2000  # requests, cookies, forms … kept from one scan

FORM_FIELD_KINDS = {
    "name": "a name",
    "email": "an email address",
    "phone": "a phone number",
    "postal_address": "a postal address",
    "password": "a password",
    "payment_card": "payment card details",
    "file_upload": "a file upload",
}


class ScanFileError(ValueError):
    """A scan file that cannot be read; the message says where and why."""


def _clip(value: object) -> str:
    return str(value)[:MAX_TEXT]


@dataclass(frozen=True)
class PageVisit:
    path: str  # "/checkout"
    status: int | None  # the HTTP status, None when the page could not be loaded
    error: str = ""


@dataclass(frozen=True)
class CookieRecord:
    name: str
    domain: str
    path: str
    duration_seconds: int | None  # None: a session cookie
    http_only: bool
    secure: bool
    same_site: str
    first_party: bool
    page: str  # the first page after which it was seen


@dataclass(frozen=True)
class StorageKey:
    name: str
    area: str  # "local" or "session"
    page: str


@dataclass(frozen=True)
class FormRecord:
    page: str
    label: str  # the form's own words (heading, legend or button), untrusted
    fields: tuple[str, ...]  # keys of FORM_FIELD_KINDS


@dataclass(frozen=True)
class Refusal:
    url: str
    reason: str


@dataclass(frozen=True)
class ScanReport:
    site_url: str
    started_at: str  # ISO 8601, UTC
    seconds: float
    pages: tuple[PageVisit, ...] = ()
    requests: tuple[ObservedRequest, ...] = ()
    cookies: tuple[CookieRecord, ...] = ()
    storage: tuple[StorageKey, ...] = ()
    forms: tuple[FormRecord, ...] = ()
    consent_banner: str = ""  # how a consent banner showed itself ("" when none was seen)
    privacy_link: str = ""  # the home page's link to a privacy policy ("" when none)
    refused: tuple[Refusal, ...] = ()
    notes: tuple[str, ...] = field(default=())  # "Stopped after 6 pages: the time limit …"

    def observed_cookies(self) -> list[ObservedCookie]:
        """Cookies and storage keys as the catalogue matcher reads them."""
        return [ObservedCookie(c.name, c.domain, c.page) for c in self.cookies] + [
            ObservedCookie(s.name, "", s.page) for s in self.storage
        ]

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["format"] = SCAN_FORMAT
        return data

    @classmethod
    def from_json(cls, data: object) -> ScanReport:
        """Read a scan back, or raise ``ScanFileError`` naming the first bad field."""
        if not isinstance(data, Mapping):
            raise ScanFileError(
                "A scan file holds one JSON object, as `manage.py scansite --json` writes it."
            )
        if data.get("format") != SCAN_FORMAT:
            raise ScanFileError(f"This scan file's format is {data.get('format')!r}; expected {SCAN_FORMAT}.")
        reader = _Reader(data)
        return cls(
            site_url=reader.text("site_url"),
            started_at=reader.text("started_at"),
            seconds=reader.number("seconds"),
            pages=reader.rows(
                "pages", lambda r: PageVisit(r.text("path"), r.optional_int("status"), r.text("error", ""))
            ),
            requests=reader.rows("requests", lambda r: ObservedRequest(r.text("url"), r.text("page"))),
            cookies=reader.rows(
                "cookies",
                lambda r: CookieRecord(
                    r.text("name"),
                    r.text("domain"),
                    r.text("path", "/"),
                    r.optional_int("duration_seconds"),
                    r.flag("http_only"),
                    r.flag("secure"),
                    r.text("same_site", ""),
                    r.flag("first_party"),
                    r.text("page"),
                ),
            ),
            storage=reader.rows(
                "storage", lambda r: StorageKey(r.text("name"), r.text("area"), r.text("page"))
            ),
            forms=reader.rows(
                "forms",
                lambda r: FormRecord(r.text("page"), r.text("label", ""), r.kinds("fields")),
            ),
            consent_banner=reader.text("consent_banner", ""),
            privacy_link=reader.text("privacy_link", ""),
            refused=reader.rows("refused", lambda r: Refusal(r.text("url"), r.text("reason"))),
            notes=tuple(_clip(note) for note in reader.strings("notes")),
        )


T = TypeVar("T")


class _Reader:
    """Typed reads from one JSON object, with the path of the field in every error."""

    def __init__(self, data: Mapping[str, Any], where: str = "") -> None:
        self.data, self.where = data, where

    def _fail(self, key: str, expected: str) -> ScanFileError:
        return ScanFileError(f"In the scan file, {self.where}{key} should be {expected}.")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.data.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "text")
        return _clip(value)

    def number(self, key: str) -> float:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self._fail(key, "a number")
        return float(value)

    def optional_int(self, key: str) -> int | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise self._fail(key, "a whole number or null")
        return value

    def flag(self, key: str) -> bool:
        value = self.data.get(key, False)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def strings(self, key: str) -> list[str]:
        value = self.data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise self._fail(key, "a list of texts")
        return value[:MAX_ITEMS]

    def kinds(self, key: str) -> tuple[str, ...]:
        return tuple(kind for kind in self.strings(key) if kind in FORM_FIELD_KINDS)

    def rows(self, key: str, build: Callable[[_Reader], T]) -> tuple[T, ...]:
        value = self.data.get(key, [])
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self._fail(key, "a list")
        rows = []
        for index, item in enumerate(value[:MAX_ITEMS]):
            if not isinstance(item, Mapping):
                raise self._fail(f"{key}[{index}]", "an object")
            rows.append(build(_Reader(item, f"{self.where}{key}[{index}].")))
        return tuple(rows)


def describe_duration(seconds: int | None) -> str:
    """How long a cookie lasts, in the words of a cookie table: "Session", "30 days", "13 months"."""
    if seconds is None:
        return "Session"
    if seconds < 3600:
        minutes = max(1, round(seconds / 60))
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    if seconds < 86400:
        hours = round(seconds / 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    days = round(seconds / 86400)
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    months = round(days / 30.44)
    if months < 24:
        return f"{months} months"
    years = round(days / 365.25)
    return f"{years} years"
