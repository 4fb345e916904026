"""Benchmarks: figures, and ratios against baselines measured in the same run.

`make bench` runs this.  Nothing here is asserted (the test suite counts
queries instead of timing anything).  Lines are `name: value unit` and
`ratio name: value`; `--output docs/performance.md` keeps them with the date.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import http.client
import json
import os
import re
import resource
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from policybuilder.answers import validate_answers
from policybuilder.assembly import assemble
from policybuilder.chromium import CHROMIUM_ARGS
from policybuilder.clause_library import Library, read_library_file
from policybuilder.devtools.server import must_match, throwaway_gunicorn
from policybuilder.library.models import Clause, Section
from policybuilder.library.revisions import library_changed
from policybuilder.library.selectors import load_library
from policybuilder.library.services import sync_library
from policybuilder.renderers import FORMATS, render_cached


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches (compiled templates, fonts)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def scaled(library: Library, factor: int) -> Library:
    """A synthetic library `factor` times the size: every clause repeated under new keys."""
    sections = [
        dataclasses.replace(
            section,
            clauses=tuple(
                dataclasses.replace(c, key=f"{c.key}.x{n}", order=c.order * 1000 + n)
                for c in section.clauses
                for n in range(factor)
            ),
        )
        for section in library.sections
    ]
    return dataclasses.replace(library, sections=tuple(sections))


class Command(BaseCommand):
    help = "Print performance figures and ratios against baselines measured in the same run."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Fewer repetitions and shorter loads.")
        parser.add_argument("--skip-web", action="store_true", help="Leave out the gunicorn load test.")
        parser.add_argument("--skip-chromium", action="store_true", help="Leave out Chromium's print-to-PDF.")
        parser.add_argument("--output", help="Also write the results, dated, to this Markdown file.")

    def handle(self, *args, **options):
        self.lines: list[str] = []
        self.quick = options["quick"]
        library = read_library_file()
        catalogue = library.catalogue_keys()
        examples = {
            path.stem: validate_answers(json.loads(path.read_text()), catalogue_keys=catalogue)
            for path in sorted((Path(settings.BASE_DIR) / "docs" / "examples").glob("*.json"))
        }
        self.assembly(library, examples)
        self.pdf(library, examples, chromium=not options["skip_chromium"])
        self.memory(library, examples)
        if not options["skip_web"]:
            self.web()
        if options["output"]:
            self.write(Path(options["output"]))

    def emit(self, name: str, value: float, unit: str = "") -> None:
        line = f"ratio {name}: {value:.2f}" if not unit else f"{name}: {value:.2f} {unit}"
        self.lines.append(line)
        self.stdout.write(line)

    # 1. Assembly -------------------------------------------------------------------------
    def assembly(self, library: Library, examples: dict) -> None:
        repeat = 5 if self.quick else 30
        catalogue = library.catalogue_keys()
        for name, answers in examples.items():
            raw = json.loads((Path(settings.BASE_DIR) / "docs" / "examples" / f"{name}.json").read_text())
            validate = median_ms(partial(validate_answers, raw, catalogue_keys=catalogue), repeat)
            build = median_ms(partial(assemble, library, answers), repeat)
            self.emit(f"assemble_{name}", build, "ms")
            self.emit(f"assemble_vs_validate_{name}", build / validate)
        answers = examples.get("saas") or next(iter(examples.values()))
        base = median_ms(lambda: assemble(library, answers), repeat)
        for factor in (10, 100):
            big = scaled(library, factor)
            ms = median_ms(partial(assemble, big, answers), 3)
            self.emit(f"assemble_library_x{factor}", ms, "ms")
            self.emit(f"assemble_library_x{factor}_vs_x1", ms / base)
        for name, queries in self.library_queries(library).items():
            self.emit(f"library_load_queries_{name}", queries, "queries")

    def library_queries(self, library: Library) -> dict[str, int]:
        """Queries to load the library at ×1, ×10, ×100 after a change, and unchanged (rolled back)."""

        counts: dict[str, int] = {}
        with contextlib.suppress(_Rollback), transaction.atomic():
            sync_library(library)
            for factor in (1, 10, 100):
                if factor > 1:
                    self._bulk_clauses(library, factor)
                    library_changed()
                with CaptureQueriesContext(connection) as queries:
                    load_library()
                counts[f"x{factor}"] = len(queries)
            with CaptureQueriesContext(connection) as queries:
                load_library()
            counts["unchanged"] = len(queries)
            raise _Rollback
        return counts

    @staticmethod
    def _bulk_clauses(library: Library, factor: int) -> None:

        sections = {s.key: s for s in Section.objects.all()}
        existing = Clause.objects.count()
        wanted = len(library.clauses()) * factor
        Clause.objects.bulk_create(
            Clause(key=f"bench.{factor}.{n}", section=sections["cookies"], order=10_000 + n, body="Text.")
            for n in range(wanted - existing)
        )

    # 2. PDF --------------------------------------------------------------------------------
    def pdf(self, library: Library, examples: dict, *, chromium: bool) -> None:
        repeat = 2 if self.quick else 5
        documents = {name: assemble(library, answers) for name, answers in examples.items()}
        weasy = {n: median_ms(partial(FORMATS["pdf"].render, d), repeat) for n, d in documents.items()}
        for name, ms in weasy.items():
            self.emit(f"pdf_weasyprint_{name}", ms, "ms")
        if chromium:
            chrome = self.chromium_pdf(documents, repeat)
            for name, ms in chrome.items():
                self.emit(f"pdf_chromium_{name}", ms, "ms")
                self.emit(f"pdf_weasyprint_vs_chromium_{name}", weasy[name] / ms)
            self.emit(
                "pdf_weasyprint_vs_chromium",
                statistics.median(weasy.values()) / statistics.median(chrome.values()),
            )
        document = next(iter(documents.values()))
        render_cached(document, "pdf")
        self.emit("pdf_cached_repeat", median_ms(lambda: render_cached(document, "pdf"), 50), "ms")

    def chromium_pdf(self, documents: dict, repeat: int) -> dict[str, float]:
        from playwright.sync_api import sync_playwright  # noqa: PLC0415

        results = {}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page()
            for name, document in documents.items():
                html = FORMATS["html"].render(document).decode()

                def print_pdf(html=html) -> bytes:
                    page.set_content(html)
                    return page.pdf(format="A4", display_header_footer=True, outline=True, tagged=True)

                results[name] = median_ms(print_pdf, repeat)
            browser.close()
        return results

    # 3. Memory -----------------------------------------------------------------------------
    def memory(self, library: Library, examples: dict) -> None:
        documents = [assemble(library, answers) for answers in examples.values()]
        renders = 20 if self.quick else 100
        checkpoints = {renders // 4, renders // 2, renders}
        for n in range(1, renders + 1):
            FORMATS["pdf"].render(documents[n % len(documents)])
            if n in checkpoints:
                self.emit(f"peak_rss_after_{n}_pdf_renders", _rss_mb(), "MiB")

    # 4. Web --------------------------------------------------------------------------------
    def web(self) -> None:
        seconds = 2 if self.quick else 5
        with throwaway_gunicorn() as (port, workers):
            client = _Load(port)
            token = client.start_draft()
            step = f"/d/{token}/step/organization/"
            form = client.form_fields(step)
            targets: list[tuple[str, str, dict | None]] = [
                ("hello", "/healthz/live/", None),
                ("step_get", step, None),
                ("step_post", step, form),
                ("review", f"/d/{token}/review/", None),
            ]
            results = {}
            for name, path, data in targets:
                client.run(path, data, 1)  # warm each worker's caches first: steady state is measured
                results[name] = client.run(path, data, seconds)
            for name, (rps, p50, p99, errors) in results.items():
                self.emit(f"web_{name}_throughput", rps, "req/s")
                self.emit(f"web_{name}_p50", p50, "ms")
                self.emit(f"web_{name}_p99", p99, "ms")
                self.emit(f"web_{name}_errors", errors, "responses")
            hello = results["hello"][0]
            for name in ("step_get", "step_post", "review"):
                self.emit(f"{name}_vs_hello", results[name][0] / hello)
            client.run("/examples/saas/", None, seconds)  # mixed requests, then RSS
            self.emit("worker_rss_after_load", max(_pid_rss_mb(pid) for pid in workers()), "MiB")

    def write(self, path: Path) -> None:
        header = [
            "# Performance",
            "",
            f"Latest `make bench` run: {dt.date.today().isoformat()}, on a {os.cpu_count()}-core machine.",
            "Figures are medians; each ratio compares two figures measured in the same run.",
            "",
            "```",
        ]
        # Hand-written analysis after the figures (a "## " heading onwards) is kept.
        previous = path.read_text(encoding="utf-8") if path.exists() else ""
        notes = previous[previous.index("\n## ") :] if "\n## " in previous else ""
        path.write_text("\n".join(header + self.lines + ["```", ""]) + notes, encoding="utf-8")
        self.stderr.write(f"Wrote {path}.")


class _Rollback(Exception):
    pass


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pid_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    match = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(match.group(1)) / 1024 if match else 0.0


class _Load:
    """A bounded load from this machine (wrk): N keep-alive connections for a fixed time."""

    def __init__(self, port: int, connections: int = 16) -> None:
        self.port = port
        self.connections = connections
        self.cookie = ""

    def _conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)

    def start_draft(self) -> str:
        conn = self._conn()
        conn.request("GET", "/")
        response = conn.getresponse()
        html = response.read().decode()
        self.cookie = (response.getheader("Set-Cookie") or "").split(";")[0]
        csrf = must_match(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        conn.request("POST", "/new/", body=f"csrfmiddlewaretoken={csrf}", headers=self._headers(form=True))
        response = conn.getresponse()
        response.read()
        return (response.getheader("Location") or "").split("/d/")[1].split("/")[0]

    def form_fields(self, path: str) -> dict:
        conn = self._conn()
        conn.request("GET", path, headers=self._headers())
        html = conn.getresponse().read().decode()
        csrf = must_match(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return {
            "csrfmiddlewaretoken": csrf,
            "organization__name": "Bench Co",
            "organization__website": "https://bench.example",
            "organization__email": "bench@bench.example",
            "organization__effective_date": "2026-01-01",
            "action": "next",
        }

    def _headers(self, form: bool = False) -> dict:
        headers = {"Cookie": self.cookie, "Referer": f"http://127.0.0.1:{self.port}/"}
        if form:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        return headers

    def run(self, path: str, data: dict | None, seconds: float) -> tuple[float, float, float, int]:
        """wrk against one URL: (requests/s, p50 ms, p99 ms, errors).

        wrk (C, event loop) rather than a Python client, so the load generator
        takes little of the CPU the two gunicorn workers need.
        """

        lines = [
            f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}" for k, v in self._headers(bool(data)).items()
        ]
        if data:
            lines += ['wrk.method = "POST"', f"wrk.body = {json.dumps(urlencode(data))}"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write("\n".join(lines) + "\n")
            script.flush()
            output = subprocess.run(
                ["wrk", f"-t{min(2, self.connections)}", f"-c{self.connections}", f"-d{seconds}s",
                 "--latency", "-s", script.name, f"http://127.0.0.1:{self.port}{path}"],
                capture_output=True, text=True, check=True,
            ).stdout  # fmt: skip
        return parse_wrk(output)


_WRK_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> tuple[float, float, float, int]:
    """(requests/s, p50 ms, p99 ms, errors) from wrk's --latency report."""

    def latency(percent: str) -> float:
        value, unit = must_match(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return float(value) * _WRK_UNITS[unit]

    rps = float(must_match(r"Requests/sec:\s+([\d.]+)", output).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    errors = int(non_2xx.group(1)) if non_2xx else 0
    errors += sum(int(n) for n in sockets.groups()) if sockets else 0
    return rps, latency("50"), latency("99"), errors
