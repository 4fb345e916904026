"""The clause library as plain values, and its data file.

Assembly works on a ``Library`` snapshot, never on model instances, so it
costs no queries and the same code runs on the database copy (the
``library`` app's ``load_library``) and on the shipped data file (tests,
offline builds).  The data file is YAML because clause bodies are paragraphs
of Markdown that people review in pull requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml

DATA_FILE = Path(__file__).resolve().parent / "library" / "data" / "library.yaml"

SERVICE_KINDS = ("analytics", "payment")

T = TypeVar("T")
_memo_lock = threading.Lock()


@dataclass(frozen=True)
class ClauseSpec:
    key: str
    section: str
    order: int
    body: str
    condition: str = ""
    enabled: bool = True
    version: int = 1
    laws: str = ""


@dataclass(frozen=True)
class SectionSpec:
    key: str
    title: str
    order: int
    condition: str = ""
    enabled: bool = True
    clauses: tuple[ClauseSpec, ...] = ()


@dataclass(frozen=True)
class ServiceSpec:
    """A third-party service people may name in their answers."""

    key: str
    kind: str
    name: str
    company: str
    privacy_url: str = ""
    opt_out_url: str = ""


@dataclass(frozen=True)
class Library:
    sections: tuple[SectionSpec, ...]
    services: tuple[ServiceSpec, ...] = ()
    _by_key: dict[str, ServiceSpec] = field(default_factory=dict, compare=False, repr=False)
    _memo: dict[Any, Any] = field(default_factory=dict, compare=False, repr=False)

    MEMO_SIZE = 256  # a policy or form is ~20-50 KB: at most ~12 MB per worker

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
        with _memo_lock:
            if len(self._memo) >= self.MEMO_SIZE:
                self._memo.pop(next(iter(self._memo)), None)
            self._memo[key] = value
        return value

    def catalogue_keys(self) -> dict[str, tuple[str, ...]]:
        """Catalogue name -> service keys, as answer validation needs it."""
        return {kind: tuple(s.key for s in self.services if s.kind == kind) for kind in SERVICE_KINDS}

    def service(self, key: str) -> ServiceSpec | None:
        return self._by_key.get(key)

    def find_service(self, kind: str, name: str) -> ServiceSpec | None:
        """A catalogue entry matching a free-text name, ignoring case and spacing."""
        wanted = _normalise_name(name)
        for service in self.services:
            if service.kind == kind and wanted in (
                _normalise_name(service.name),
                _normalise_name(service.key),
            ):
                return service
        return None

    def clauses(self) -> list[ClauseSpec]:
        return [clause for section in self.sections for clause in section.clauses]


def _normalise_name(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


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
        s = _fields(
            raw_section,
            where,
            required={"key", "title"},
            optional={"condition", "enabled", "clauses", "order"},
        )
        clauses = []
        for c_index, raw_clause in enumerate(s.get("clauses") or []):
            c = _fields(
                raw_clause,
                f"{where} ({s['key']}).clauses[{c_index}]",
                required={"key", "body"},
                optional={"condition", "enabled", "laws", "version", "order"},
            )
            clauses.append(
                ClauseSpec(
                    key=str(c["key"]),
                    section=str(s["key"]),
                    order=int(c.get("order", (c_index + 1) * 10)),
                    body=str(c["body"]).strip() + "\n",
                    condition=str(c.get("condition") or "").strip(),
                    enabled=bool(c.get("enabled", True)),
                    version=int(c.get("version", 1)),
                    laws=str(c.get("laws") or ""),
                )
            )
        sections.append(
            SectionSpec(
                key=str(s["key"]),
                title=str(s["title"]),
                order=int(s.get("order", (s_index + 1) * 10)),
                condition=str(s.get("condition") or "").strip(),
                enabled=bool(s.get("enabled", True)),
                clauses=tuple(clauses),
            )
        )
    services = []
    for index, raw in enumerate(data.get("services") or []):
        where = f"{source}: services[{index}]"
        s = _fields(
            raw, where, required={"key", "kind", "name", "company"}, optional={"privacy_url", "opt_out_url"}
        )
        if s["kind"] not in SERVICE_KINDS:
            raise LibraryFileError(f"{where}.kind: must be one of {', '.join(SERVICE_KINDS)}")
        for url_field in ("privacy_url", "opt_out_url"):
            if s.get(url_field) and not str(s[url_field]).startswith("https://"):
                raise LibraryFileError(f"{where}.{url_field}: must be an https:// address")
        services.append(ServiceSpec(**{k: str(v) for k, v in s.items()}))
    _check_unique(sections, services, source)
    return Library(sections=tuple(sections), services=tuple(services))


def _fields(raw: Any, where: str, *, required: set[str], optional: set[str]) -> dict[str, Any]:
    if not isinstance(raw, Mapping):
        raise LibraryFileError(f"{where}: must be a mapping")
    missing = required - set(raw)
    if missing:
        raise LibraryFileError(f"{where}: missing {', '.join(sorted(missing))}")
    unknown = set(raw) - required - optional
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


def check_library(library: Library) -> list[str]:
    """Every problem in a library's clauses and sections, each naming its key.

    Static checks first (syntax, unknown names, keys and choice values, raw
    HTML), then a trial render of every clause against the sample answers, so
    a clause that would fail for some user is refused when it is loaded.
    """
    from policybuilder.templating import check_template  # noqa: PLC0415 (import cycle)

    problems: list[str] = []
    for section in library.sections:
        for problem in check_template(section.condition, is_condition=True) if section.condition else []:
            problems.append(f"section {section.key}: condition: {problem}")
    for clause in library.clauses():
        for problem in check_template(clause.body):
            problems.append(f"clause {clause.key}: body: {problem}")
        if clause.condition:
            for problem in check_template(clause.condition, is_condition=True):
                problems.append(f"clause {clause.key}: condition: {problem}")
    if problems:
        return problems
    from policybuilder.samples import trial_render_problems  # noqa: PLC0415

    return trial_render_problems(library)


# --- Writing the data file (export), and comparing two libraries (import) -------------


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line text as YAML literal blocks, so clause bodies stay readable in diffs."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def library_to_data(library: Library) -> dict[str, Any]:
    """The data-file structure of a library (the inverse of ``library_from_data``)."""

    def clause_data(clause: ClauseSpec) -> dict[str, Any]:
        data: dict[str, Any] = {"key": clause.key, "order": clause.order}
        if clause.condition:
            data["condition"] = clause.condition
        if clause.laws:
            data["laws"] = clause.laws
        if not clause.enabled:
            data["enabled"] = False
        data["version"] = clause.version
        data["body"] = clause.body
        return data

    sections = []
    for section in sorted(library.sections, key=lambda s: (s.order, s.key)):
        data: dict[str, Any] = {"key": section.key, "title": section.title, "order": section.order}
        if section.condition:
            data["condition"] = section.condition
        if not section.enabled:
            data["enabled"] = False
        data["clauses"] = [clause_data(c) for c in sorted(section.clauses, key=lambda c: (c.order, c.key))]
        sections.append(data)
    services = [
        {k: v for k, v in vars(service).items() if v != "" or k in ("key", "kind", "name", "company")}
        for service in sorted(library.services, key=lambda s: (s.kind, s.key))
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


@dataclass
class LibraryDiff:
    """What changing one library into another would do, by kind and key."""

    created: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # in the current library, not in the new one

    @property
    def empty(self) -> bool:
        return not (self.created or self.changed or self.missing)

    def lines(self) -> list[str]:
        return (
            [f"create {item}" for item in self.created]
            + [f"change {item}" for item in self.changed]
            + [f"not in file {item}" for item in self.missing]
        )


def library_diff(current: Library, incoming: Library) -> LibraryDiff:
    def rows(library: Library) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for section in library.sections:
            found[f"section {section.key}"] = (
                section.title,
                section.order,
                section.condition,
                section.enabled,
            )
            for c in section.clauses:
                found[f"clause {c.key}"] = (
                    c.section,
                    c.order,
                    c.condition,
                    c.body.strip(),
                    c.laws,
                    c.enabled,
                )
        for service in library.services:
            found[f"service {service.key}"] = tuple(vars(service).values())
        return found

    before, after = rows(current), rows(incoming)
    return LibraryDiff(
        created=[key for key in after if key not in before],
        changed=[key for key in after if key in before and before[key] != after[key]],
        missing=[key for key in before if key not in after],
    )
