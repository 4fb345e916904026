"""The clause library as plain values, and its data file.

Assembly works on a ``Library`` snapshot, never on model instances, so it
costs no queries and the same code runs on the database copy (the
``library`` app's ``load_library``) and on the shipped data file (tests,
offline builds).  The data file is YAML because clause bodies are paragraphs
of Markdown that people review in pull requests.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import threading
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, TypeVar

import yaml

from policybuilder import catalogue, markdown

DATA_FILE = Path(__file__).resolve().parent / "library" / "data" / "library.yaml"

SERVICE_KINDS = catalogue.KINDS.values

T = TypeVar("T")
_memo_lock = threading.Lock()


def _remember(memo: dict[Any, Any], key: Any, value: Any, size: int) -> None:
    """Keep ``value`` under ``key``, letting the oldest entry go once ``size`` are kept."""
    with _memo_lock:
        if len(memo) >= size:
            memo.pop(next(iter(memo)), None)
        memo[key] = value


class _Editable:
    """A library entry whose ``EDITABLE`` fields are what staff change.

    ``EDITABLE`` is the one list of those fields: the database columns the
    loader writes, the data file's entries, the import's comparison and the
    snapshot read from the database all follow it.
    """

    EDITABLE: ClassVar[tuple[str, ...]] = ()

    def editable(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.EDITABLE}


# What a section's key may be: a slug of at most 64 characters, as the library's Section model
# stores it (an owner's paragraph names its section by this key: ``answer_kinds.OwnParagraphsKind``).
SECTION_KEY = re.compile(r"^[-a-zA-Z0-9_]{1,64}$")


@dataclass(frozen=True)
class ClauseSpec(_Editable):
    key: str
    section: str
    order: int
    body: str
    condition: str = ""
    enabled: bool = True
    version: int = 1
    laws: str = ""

    EDITABLE: ClassVar[tuple[str, ...]] = ("order", "condition", "laws", "enabled", "body")


@dataclass(frozen=True)
class SectionSpec(_Editable):
    key: str
    title: str
    order: int
    condition: str = ""
    enabled: bool = True
    clauses: tuple[ClauseSpec, ...] = ()

    EDITABLE: ClassVar[tuple[str, ...]] = ("title", "order", "condition", "enabled")


@dataclass(frozen=True)
class ServiceSpec(_Editable):
    """A third-party service as a set of facts (vocabularies and their meaning: ``catalogue``).

    List fields are tuples; lists given to the constructor (a database row's
    JSON, a form) become tuples, with ``kinds`` and ``data_categories`` in
    their vocabulary's order, so two equal sets of facts compare equal.
    """

    key: str
    kinds: tuple[str, ...]
    name: str
    company: str
    country: str = ""
    role: str = ""
    sets_cookies: bool = False
    cross_site_tracking: bool = False
    advertising: bool = False
    dpf_certified: bool = False  # EU–US Data Privacy Framework; optional in the data file (catalogue)
    data_categories: tuple[str, ...] = ()
    privacy_url: str = ""
    opt_out_url: str = ""
    partner_info_url: str = ""
    hosts: tuple[str, ...] = ()
    script_paths: tuple[str, ...] = ()
    cookie_patterns: tuple[str, ...] = ()
    links_checked: str = ""  # ISO date the links were last checked against the provider's pages

    EDITABLE: ClassVar[tuple[str, ...]] = (
        "kinds",
        "name",
        "company",
        "country",
        "role",
        "sets_cookies",
        "cross_site_tracking",
        "advertising",
        "dpf_certified",
        "data_categories",
        "privacy_url",
        "opt_out_url",
        "partner_info_url",
        "hosts",
        "script_paths",
        "cookie_patterns",
        "links_checked",
    )
    URL_FIELDS: ClassVar[tuple[str, ...]] = ("privacy_url", "opt_out_url", "partner_info_url")
    # Written to the data file even at their default: the facts every entry must state.
    ALWAYS_WRITTEN: ClassVar[tuple[str, ...]] = (
        "kinds",
        "name",
        "company",
        "country",
        "role",
        "sets_cookies",
        "cross_site_tracking",
        "advertising",
    )

    def __post_init__(self) -> None:
        for name in catalogue.LIST_FIELDS:
            value = tuple(getattr(self, name) or ())
            if name == "kinds" and not catalogue.KINDS.unknown(value):
                value = catalogue.KINDS.ordered(value) if len(set(value)) == len(value) else value
            elif name == "data_categories" and not catalogue.DATA_CATEGORIES.unknown(value):
                value = catalogue.DATA_CATEGORIES.ordered(value) if len(set(value)) == len(value) else value
            object.__setattr__(self, name, value)


@dataclass(frozen=True)
class Library:
    sections: tuple[SectionSpec, ...]
    services: tuple[ServiceSpec, ...] = ()
    _by_key: dict[str, ServiceSpec] = field(default_factory=dict, compare=False, repr=False)
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)
    _pages: dict[Any, str] = field(default_factory=dict, compare=False, repr=False)

    MEMO_SIZE = 256  # a policy or form is ~20-200 KB: ~50 MB per worker in the worst case
    PAGE_MEMO_SIZE = 64  # a whole step page with its preview is ~50-150 KB: at most ~10 MB

    def __post_init__(self) -> None:
        self._by_key.update({service.key: service for service in self.services})

    def memoized(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, remembered for this snapshot of the library.

        For results that depend only on the library and the key (a policy
        assembled for given answers). The memo dies with the snapshot, so a
        library change can never serve an old result; it keeps the newest
        ``MEMO_SIZE`` entries.
        """
        try:
            return self._memo[key]
        except KeyError:
            pass
        value = compute()
        _remember(self._memo, key, value, self.MEMO_SIZE)
        return value

    def page(self, key: Any) -> str | None:
        """A whole page remembered for this snapshot with ``remember_page`` (see ``page_memo``)."""
        return self._pages.get(key)

    def remember_page(self, key: Any, html: str) -> None:
        _remember(self._pages, key, html, self.PAGE_MEMO_SIZE)

    def catalogue_keys(self) -> dict[str, tuple[str, ...]]:
        """Catalogue name -> the keys it offers (for answer validation): each kind, and ``any``."""
        return self.memoized(("catalogue-keys",), self._catalogue_keys)

    def _catalogue_keys(self) -> dict[str, tuple[str, ...]]:
        by_kind = {kind: tuple(s.key for s in self.services if kind in s.kinds) for kind in SERVICE_KINDS}
        return {catalogue.ANY_KIND: tuple(s.key for s in self.services), **by_kind}

    def catalogue_choices(self) -> dict[str, list[tuple[str, Any]]]:
        """Catalogue name -> the wizard's check boxes: (key, "Name (Company)"); worked out once per
        snapshot (every page's form asks for it). Read only.

        ``any`` offers every service once, under its ``picker_kind``, as
        (kind label, [(key, label), ...]) pairs in the order of the kinds, the
        way Django groups choices.
        """
        return self.memoized(("catalogue-choices",), self._catalogue_choices)

    def _catalogue_choices(self) -> dict[str, list[tuple[str, Any]]]:
        choices: dict[str, list[tuple[str, Any]]] = {
            kind: [(s.key, _picker_label(s)) for s in self.services if kind in s.kinds]
            for kind in SERVICE_KINDS
        }
        # Not a catalogue of services: the sections an owner may add a paragraph of their own to.
        choices["sections"] = [
            (s.key, s.title) for s in sorted(self.sections, key=lambda s: (s.order, s.key)) if s.enabled
        ]
        choices[catalogue.ANY_KIND] = [
            (catalogue.KINDS.labels[kind], grouped)
            for kind in SERVICE_KINDS
            if (
                grouped := sorted(
                    (
                        (s.key, _picker_label(s))
                        for s in self.services
                        if catalogue.picker_kind(s.kinds) == kind
                    ),
                    key=lambda choice: choice[1].casefold(),
                )
            )
        ]
        return choices

    def service(self, key: str) -> ServiceSpec | None:
        return self._by_key.get(key)

    def clauses(self) -> list[ClauseSpec]:
        return [clause for section in self.sections for clause in section.clauses]


def _picker_label(service: ServiceSpec) -> str:
    return f"{service.name} ({service.company})"


def service_url_problem(url: str) -> str | None:
    """Why a catalogue address cannot be linked to (``link()`` would refuse it), or None."""
    if not url.startswith("https://"):
        return "must be an https:// address"
    if not markdown.is_linkable(url):
        return "must not contain spaces, quotes, backslashes or angle brackets"
    return None


class LibraryFileError(ValueError):
    """The data file is malformed; the message names the entry and field."""


def read_library_file(path: Path = DATA_FILE) -> Library:
    """Read and structurally check a library data file."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LibraryFileError(f"{path}: cannot read: {exc}") from exc
    return library_from_data(data, source=str(path))


def library_from_data(data: Any, *, source: str = "library data") -> Library:
    if not isinstance(data, Mapping):
        raise LibraryFileError(f"{source}: must be a mapping with 'sections' and 'services'")
    unknown = set(data) - {"sections", "services"}
    if unknown:
        raise LibraryFileError(f"{source}: unknown top-level keys {sorted(unknown)}")
    sections = []
    for s_index, raw_section in enumerate(data.get("sections") or []):
        where = f"{source}: sections[{s_index}]"
        s = _fields(raw_section, where, SectionSpec, required={"key", "title"}, extra={"clauses"})
        clauses = []
        for c_index, raw_clause in enumerate(s.get("clauses") or []):
            c = _fields(
                raw_clause,
                f"{where} ({s['key']}).clauses[{c_index}]",
                ClauseSpec,
                required={"key", "body"},
                extra={"version"},
            )
            c.setdefault("order", (c_index + 1) * 10)
            c["body"] = str(c["body"]).strip() + "\n"
            clauses.append(_spec(ClauseSpec, c, key=str(c["key"]), section=str(s["key"])))
        s.setdefault("order", (s_index + 1) * 10)
        sections.append(_spec(SectionSpec, s, key=str(s["key"]), clauses=tuple(clauses)))
    services = [
        _service(raw, f"{source}: services[{index}]") for index, raw in enumerate(data.get("services") or [])
    ]
    _check_unique(sections, services, source)
    return Library(sections=tuple(sections), services=tuple(services))


_SERVICE_REQUIRED = {"key", "kinds", "name", "company", "country", "role", *catalogue.FLAG_FIELDS}


def _service(raw: Any, where: str) -> ServiceSpec:
    """A catalogue entry from the data file; refuses wrong types and facts outside their vocabularies."""
    s = _fields(raw, where, ServiceSpec, required=_SERVICE_REQUIRED)
    for name in catalogue.LIST_FIELDS:
        value = s.get(name) or []
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            raise LibraryFileError(f"{where}.{name}: must be a list of strings")
    for name in (*catalogue.FLAG_FIELDS, *catalogue.OPTIONAL_FLAG_FIELDS):
        if name in s and not isinstance(s[name], bool):  # bool() would read "no" as true
            raise LibraryFileError(f"{where}.{name}: must be true or false")
    if isinstance(s.get("links_checked"), dt.date):  # YAML reads an unquoted date as a date
        s["links_checked"] = s["links_checked"].isoformat()
    spec = _spec(ServiceSpec, s, key=str(s["key"]))
    problems = [("country", "must be given")] if not spec.country else []
    problems += catalogue.fact_problems(spec) + [
        (name, problem)
        for name in ServiceSpec.URL_FIELDS
        if getattr(spec, name) and (problem := service_url_problem(getattr(spec, name)))
    ]
    if problems:
        listed = (f"{where} ({spec.key}).{name}: {message}" for name, message in problems)
        raise LibraryFileError("; ".join(listed))
    return spec


_COERCE: dict[str, Callable[[Any], Any]] = {
    "int": int,
    "bool": bool,
    "str": lambda v: str(v or "").strip(),
    "tuple[str, ...]": lambda v: tuple(str(item).strip() for item in v or ()),
}


def _spec(cls: type[T], raw: Mapping[str, Any], **fixed: Any) -> T:
    """A spec from a data-file entry: each editable field (and the version) converted to its type."""
    types = {f.name: str(f.type) for f in dataclasses.fields(cls)}  # type: ignore[arg-type]
    values = {
        name: (raw[name] if name == "body" else _COERCE[types[name]](raw[name]))
        for name in (*cls.EDITABLE, "version")  # type: ignore[attr-defined]
        if name in raw and name in types
    }
    return cls(**values, **fixed)


def _fields(
    raw: Any, where: str, spec: type[_Editable], *, required: set[str], extra: Collection[str] = ()
) -> dict[str, Any]:
    """The entry's fields, refusing missing and unknown ones (a typo must not vanish silently)."""
    if not isinstance(raw, Mapping):
        raise LibraryFileError(f"{where}: must be a mapping")
    missing = required - set(raw)
    if missing:
        raise LibraryFileError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = set(raw) - required - set(spec.EDITABLE) - set(extra)
    if unknown:
        raise LibraryFileError(f"{where}: unknown fields {', '.join(sorted(unknown))}")
    return dict(raw)


def _check_unique(sections: list[SectionSpec], services: list[ServiceSpec], source: str) -> None:
    for label, keys in (
        ("section", [s.key for s in sections]),
        ("clause", [c.key for s in sections for c in s.clauses]),
        ("service", [s.key for s in services]),
    ):
        seen: set[str] = set()
        for key in keys:
            if key in seen:
                raise LibraryFileError(f"{source}: {label} key {key!r} is used twice")
            seen.add(key)


# --- Writing the data file (export) ---------------------------------------------------


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line text as YAML literal blocks, so clause bodies stay readable in diffs."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def library_to_data(library: Library) -> dict[str, Any]:
    """The data-file structure of a library (the inverse of ``library_from_data``).

    Fields at their default are left out, except the ones every entry shows.
    """

    def entry(spec: ClauseSpec | SectionSpec | ServiceSpec, always: tuple[str, ...]) -> dict[str, Any]:
        defaults = {f.name: f.default for f in dataclasses.fields(spec)}
        data: dict[str, Any] = {"key": spec.key}
        for name in spec.EDITABLE:
            value = getattr(spec, name)
            if name in always or value != defaults.get(name):
                data[name] = value
        return data

    sections = []
    for section in sorted(library.sections, key=lambda s: (s.order, s.key)):
        data = entry(section, ("title", "order"))
        data["clauses"] = []
        for clause in sorted(section.clauses, key=lambda c: (c.order, c.key)):
            clause_data = entry(clause, ("order",))
            clause_data["version"] = clause.version
            clause_data["body"] = clause.body  # last: the long text reads best at the end
            data["clauses"].append(clause_data)
        sections.append(data)
    services = [
        {
            name: list(value) if isinstance(value, tuple) else value
            for name, value in entry(service, ServiceSpec.ALWAYS_WRITTEN).items()
        }
        for service in sorted(library.services, key=lambda s: (s.kinds[:1], s.key))
    ]
    return {"sections": sections, "services": services}


def dump_library(library: Library) -> str:
    header = (
        "# Policy Builder clause library, exported with `manage.py export_library`.\n"
        "# Load it with `manage.py import_library FILE` (use --dry-run first).\n"
    )
    body = yaml.dump(
        library_to_data(library), Dumper=_LiteralDumper, sort_keys=False, allow_unicode=True, width=100
    )
    return header + body
