"""Benchmarks: figures, and ratios against baselines measured in the same run.

`make bench` runs this.  Nothing here is asserted (the test suite counts
queries instead of timing anything).  Lines are `name: value unit` and
`ratio name: value`; `--output docs/performance.md` keeps them with the date.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import datetime as dt
import json
import os
import re
import resource
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from policybuilder import markdown, samples
from policybuilder.answers import Answers, prune_answers, validate_answers
from policybuilder.assembly import assemble, forget_rendered
from policybuilder.chromium import CHROMIUM_ARGS
from policybuilder.clause_library import Library, read_library_file
from policybuilder.devtools.fixture_sites import FixtureSite, bench_pages
from policybuilder.devtools.server import Serving, must_match, throwaway_gunicorn
from policybuilder.devtools.web_client import Visitor
from policybuilder.devtools.wizard_posts import page_post_data
from policybuilder.library.models import Clause, Section
from policybuilder.library.revisions import library_changed
from policybuilder.library.selectors import load_library
from policybuilder.library.services import sync_library
from policybuilder.questionnaire import PAGES
from policybuilder.renderers import FORMATS, render_cached
from policybuilder.scanner import ScanLimits, scan_site


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    fn()  # warm caches (compiled templates, fonts)
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def assemble_from_nothing(library: Library, answers: Answers) -> object:
    """A policy built as if never built before: no clause text or Markdown HTML remembered."""
    forget_rendered()
    markdown.to_html.cache_clear()
    return assemble(library, answers)


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


PARTS = ("assembly", "pdf", "memory", "web", "scan")


class Command(BaseCommand):
    help = "Print performance figures and ratios against baselines measured in the same run."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Fewer repetitions and shorter loads.")
        parser.add_argument(
            "--only",
            help=f"Run only these parts, separated by commas: {', '.join(PARTS)} (default: all).",
        )
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
        # The largest policy: every law the answers can make apply, 60 services, 40 cookies.
        largest = samples.largest(catalogue)
        parts = PARTS if not options["only"] else [p.strip() for p in options["only"].split(",")]
        if unknown := set(parts) - set(PARTS):
            raise CommandError(f"No such part: {', '.join(sorted(unknown))}. The parts: {', '.join(PARTS)}.")
        if "assembly" in parts:
            self.assembly(library, examples, largest)
        if "pdf" in parts:
            self.pdf(library, {**examples, "largest": largest}, chromium=not options["skip_chromium"])
        if "memory" in parts:
            self.memory(library, examples)
        if "web" in parts:
            self.web(examples, largest)
        if "scan" in parts:
            self.scan()
        if options["output"]:
            self.write(Path(options["output"]))

    def emit(self, name: str, value: float, unit: str = "") -> None:
        line = f"ratio {name}: {value:.2f}" if not unit else f"{name}: {value:.2f} {unit}"
        self.lines.append(line)
        self.stdout.write(line)

    # 1. Assembly -------------------------------------------------------------------------
    def assembly(self, library: Library, examples: dict, largest: Answers) -> None:
        """Assembly from nothing (no clause text or Markdown remembered: a policy never built before)
        and after one answer changed (what a save or the live preview costs), by example and for the
        largest policy."""
        repeat = 5 if self.quick else 30
        catalogue = library.catalogue_keys()

        for name, answers in examples.items():
            raw = json.loads((Path(settings.BASE_DIR) / "docs" / "examples" / f"{name}.json").read_text())
            validate = median_ms(partial(validate_answers, raw, catalogue_keys=catalogue), repeat)
            build = median_ms(partial(assemble_from_nothing, library, answers), repeat)
            self.emit(f"assemble_{name}", build, "ms")
            self.emit(f"assemble_vs_validate_{name}", build / validate)
        document = assemble(library, largest)
        characters = sum(len(clause.markdown) for part in document.sections for clause in part.clauses)
        self.emit("largest_policy_markdown", characters, "characters")
        self.emit("largest_policy_services", len(largest["tools"]["services"]), "services")
        self.emit("largest_policy_cookie_table", len(largest["cookies"]["table"]), "rows")
        self.emit(
            "assemble_largest", median_ms(partial(assemble_from_nothing, library, largest), repeat), "ms"
        )
        # A change on a typical page (the cookies' purposes, read by a few clauses), and the worst
        # case: the organization's details, which most clauses read.
        purposes = largest["cookies"]["purposes"]
        fewer = [purposes[:n] for n in range(1, len(purposes))]
        self.emit(
            "assemble_largest_after_cookie_purposes_change",
            self.one_change(library, largest, repeat, "cookies.purposes", fewer),
            "ms",
        )
        emails = [f"privacy{n}@bench.example" for n in range(repeat)]
        self.emit(
            "assemble_largest_after_organization_email_change",
            self.one_change(library, largest, repeat, "organization.email", emails),
            "ms",
        )
        answers = examples.get("saas") or next(iter(examples.values()))
        base = median_ms(partial(assemble_from_nothing, library, answers), repeat)
        for factor in (10, 100):
            big = scaled(library, factor)

            ms = median_ms(partial(assemble_from_nothing, big, answers), 3)
            self.emit(f"assemble_library_x{factor}", ms, "ms")
            self.emit(f"assemble_library_x{factor}_vs_x1", ms / base)
        for name, queries in self.library_queries(library).items():
            self.emit(f"library_load_queries_{name}", queries, "queries")

    @staticmethod
    def one_change(library: Library, answers: Answers, repeat: int, path: str, values: list[Any]) -> float:
        """The largest policy built again after the answer at ``path`` changed, to each of ``values``
        in turn (new to this process each time): the median of ``repeat`` builds."""
        section, key = path.split(".")
        forget_rendered()
        assemble(library, answers)
        samples_ms = []
        for n in range(repeat):
            changed = copy.deepcopy(answers)
            changed[section][key] = values[n % len(values)]
            if n >= len(values):
                assemble_from_nothing(library, answers)  # every build meets a value not seen yet
            started = time.perf_counter()
            assemble(library, changed)
            samples_ms.append((time.perf_counter() - started) * 1000)
        return statistics.median(samples_ms)

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
    def web(self, examples: dict[str, Answers], largest: Answers) -> None:
        seconds = 2 if self.quick else 5
        with throwaway_gunicorn(task_worker=True) as server:
            visitor = Visitor(server.port)
            page, render_ms = self.heaviest_page(server, largest)
            hello_ms = statistics.median(visitor.get("/healthz/live/").ms for _ in range(20))
            self.emit("web_hello_single", hello_ms, "ms")
            self.emit(f"web_heaviest_step_{page.key}_first_view_single", render_ms, "ms")
            self.emit("step_first_view_vs_hello_single", hello_ms / render_ms)
            heavy = visitor.upload(prune_answers(largest, keep_defaults=True))
            fresh = Visitor(server.port)
            fresh.get("/")
            new_draft = fresh.post("/new/", {}).location.split("/d/")[1].split("/")[0]
            load = _Load(visitor)
            step = f"/d/{heavy}/step/{page.key}/"
            post = {"csrfmiddlewaretoken": visitor.csrf, **page_post_data(page, largest)}
            targets: list[tuple[str, str, dict | None]] = [
                ("hello", "/healthz/live/", None),
                ("step_get", step, None),
                ("step_post", step, post),
                ("review", f"/d/{heavy}/review/", None),
                ("step_get_new_draft", f"/d/{new_draft}/step/organization/", None),
            ]
            results = {}
            for name, path, data in targets:
                load.visitor = fresh if name == "step_get_new_draft" else visitor
                load.run(path, data, 1)  # warm each worker's caches first: steady state is measured
                results[name] = load.run(path, data, seconds)
            for name, (rps, p50, p99, errors) in results.items():
                self.emit(f"web_{name}_throughput", rps, "req/s")
                self.emit(f"web_{name}_p50", p50, "ms")
                self.emit(f"web_{name}_p99", p99, "ms")
                self.emit(f"web_{name}_errors", errors, "responses")
            hello = results["hello"][0]
            for name in ("step_get", "step_post", "review", "step_get_new_draft"):
                self.emit(f"{name}_vs_hello", results[name][0] / hello)
            self.pdf_after_review(server, examples, largest)
        # On workers of their own: the load above is thousands of requests, past which gunicorn
        # replaces a worker (max_requests), and a new worker's memory says nothing about growth.
        with throwaway_gunicorn() as server:
            self.worker_memory(server, examples, largest)

    def heaviest_page(self, server: Serving, largest: Answers) -> tuple[Any, float]:
        """The step that takes longest the first time it is shown for answers (what a person meets
        after every save), one request at a time: the median over three drafts made from the
        largest policy's answers, each with an organization name of its own, so nothing is served
        from what an earlier view remembered."""
        trials = 2 if self.quick else 3
        times: dict[Any, list[float]] = {}
        for trial in range(trials):
            visitor = Visitor(server.port)
            varied = copy.deepcopy(largest)
            for page in PAGES:
                varied["organization"]["name"] = f"Heaviest {trial} {page.key} {time.time_ns()}"
                token = visitor.upload(prune_answers(varied, keep_defaults=True))
                response = visitor.get(f"/d/{token}/step/{page.key}/")
                if response.status == 200:  # not a step these answers skip
                    times.setdefault(page, []).append(response.ms)
        medians = {page: statistics.median(ms) for page, ms in times.items()}
        return max(medians.items(), key=lambda item: item[1])

    def pdf_after_review(self, server: Serving, examples: dict[str, Answers], largest: Answers) -> None:
        """A person opens the review, reads for a second, clicks "PDF": what the click waits for.

        The review queues the PDF for the task worker; each trial is a new policy (its name differs),
        so nothing comes from an earlier trial's cache. The baseline is the same click on a draft
        whose review was never opened (rendered while the person waits)."""
        trials = 3 if self.quick else 5
        for name, answers in (("saas", examples["saas"]), ("largest", largest)):
            clicked: list[float] = []
            cold: list[float] = []
            for trial in range(trials):
                visitor = Visitor(server.port)
                for opened_review, times in ((True, clicked), (False, cold)):
                    varied = copy.deepcopy(answers)
                    varied["organization"]["name"] = f"Bench {name} {trial} {opened_review} {time.time_ns()}"
                    token = visitor.upload(prune_answers(varied, keep_defaults=True))
                    if opened_review:
                        visitor.get(f"/d/{token}/review/")
                        time.sleep(1.0)
                    response = visitor.get(f"/d/{token}/download.pdf")
                    if response.status != 200 or not response.content.startswith(b"%PDF"):
                        raise RuntimeError(
                            f"the PDF download answered {response.status}: {response.text[:200]}"
                        )
                    times.append(response.ms)
            self.emit(f"pdf_click_1s_after_review_{name}", statistics.median(clicked), "ms")
            self.emit(f"pdf_click_without_review_{name}", statistics.median(cold), "ms")
            self.emit(
                f"pdf_click_after_review_vs_without_{name}",
                statistics.median(clicked) / statistics.median(cold),
            )
        if server.task_worker:
            self.emit("task_worker_rss_after_pdfs", _pid_rss_mb(server.task_worker), "MiB")

    def worker_memory(self, server: Serving, examples: dict[str, Answers], largest: Answers) -> None:
        """The web workers' memory over 1,000 mixed requests across 40 drafts (more pages and
        policies than the memos keep, so their limits are reached), then 100 PDFs of different
        policies."""
        visitor = Visitor(server.port)
        drafts = []
        for n in range(10 if self.quick else 40):
            varied = copy.deepcopy(largest)
            varied["organization"]["name"] = f"Bench memory draft {n} {time.time_ns()}"
            drafts.append(visitor.upload(prune_answers(varied, keep_defaults=True)))
        applicable = [p for p in PAGES if visitor.get(f"/d/{drafts[0]}/step/{p.key}/").status == 200]
        requests = 200 if self.quick else 1000
        workers = sorted(server.workers())
        self.emit("web_workers_rss_start", _workers_rss(server), "MiB")
        for n in range(1, requests + 1):
            token = drafts[n % len(drafts)]
            page = applicable[(n // len(drafts)) % len(applicable)]
            step = f"/d/{token}/step/{page.key}/"
            match n % 5:
                case 0:
                    visitor.post(step, page_post_data(page, largest))
                case 1:
                    visitor.post(f"{step}preview/", page_post_data(page, largest))
                case 2:
                    visitor.get(f"/d/{token}/review/")
                case 3:
                    visitor.get("/")
                case _:
                    visitor.get(step)
            if n in (requests // 4, requests // 2, requests):
                self.emit(f"web_workers_rss_after_{n}_requests", _workers_rss(server), "MiB")
        pdfs = 20 if self.quick else 100
        brochure = examples["brochure-site"]
        for n in range(1, pdfs + 1):
            varied = copy.deepcopy(brochure)
            varied["organization"]["name"] = f"Bench memory {n} {time.time_ns()}"
            token = visitor.upload(prune_answers(varied, keep_defaults=True))
            visitor.get(f"/d/{token}/download.pdf")
            if n in (pdfs // 4, pdfs // 2, pdfs):
                self.emit(f"web_workers_rss_after_{n}_pdfs", _workers_rss(server), "MiB")
        # 1 would mean a worker was replaced meanwhile, and the figures above compare two processes.
        self.emit("web_workers_replaced", len(set(workers) - set(server.workers())), "workers")

    # 5. Site scan ---------------------------------------------------------------------------
    def scan(self) -> None:
        """A scan of a local ten-page site, as the task worker runs one: its time, and the peak
        memory of the browser (Chromium and Playwright's driver, as PSS) and of this process."""
        with FixtureSite(bench_pages()) as site, _PeakMemory() as peak:
            started = time.perf_counter()
            report = scan_site(site.url, limits=ScanLimits(), allow_loopback=True)
            seconds = time.perf_counter() - started
        self.emit("scan_pages_visited", len(report.pages), "pages")
        self.emit("scan_seconds", seconds, "s")
        self.emit("scan_browser_peak_pss", peak.children_mb, "MiB")
        self.emit("scan_worker_rss_before", peak.own_start_mb, "MiB")
        self.emit("scan_worker_peak_rss", peak.own_mb, "MiB")

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
    return _proc_kb(pid, "status", "VmRSS") / 1024


def _proc_kb(pid: int, name: str, field: str) -> int:
    """A figure in kB from ``/proc/<pid>/<name>`` (0 once the process has gone)."""
    try:
        text = Path(f"/proc/{pid}/{name}").read_text()
    except OSError:
        return 0
    match = re.search(rf"^{field}:\s+(\d+) kB", text, re.M)
    return int(match.group(1)) if match else 0


def _workers_rss(server: Serving) -> float:
    """The largest web worker's resident memory (each worker is one copy of the app)."""
    return max(_pid_rss_mb(pid) for pid in server.workers())


def _descendants(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        with contextlib.suppress(OSError):
            children += [int(child) for child in (task / "children").read_text().split()]
    return children + [grandchild for child in children for grandchild in _descendants(child)]


class _PeakMemory:
    """Samples this process's resident memory and its child processes' proportional share (PSS,
    which counts the pages Chromium's processes share once) every 50 ms, keeping the peaks."""

    def __init__(self) -> None:
        self.own_start_mb = self.own_mb = _pid_rss_mb(os.getpid())
        self.children_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.05):
            self.own_mb = max(self.own_mb, _pid_rss_mb(os.getpid()))
            pss = sum(_proc_kb(pid, "smaps_rollup", "Pss") for pid in _descendants(os.getpid()))
            self.children_mb = max(self.children_mb, pss / 1024)

    def __enter__(self) -> _PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


class _Load:
    """A bounded load from this machine (wrk): N keep-alive connections for a fixed time."""

    def __init__(self, visitor: Visitor, connections: int = 16) -> None:
        self.visitor = visitor  # whose cookies and headers every request sends
        self.connections = connections

    def run(self, path: str, data: dict | None, seconds: float) -> tuple[float, float, float, int]:
        """wrk against one URL: (requests/s, p50 ms, p99 ms, errors).

        wrk (C, event loop) rather than a Python client, so the load generator
        takes little of the CPU the two gunicorn workers need.
        """

        lines = [
            f"wrk.headers[{json.dumps(k)}] = {json.dumps(v)}"
            for k, v in self.visitor.headers("application/x-www-form-urlencoded" if data else "").items()
        ]
        if data:
            lines += ['wrk.method = "POST"', f"wrk.body = {json.dumps(urlencode(data, doseq=True))}"]
        with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
            script.write("\n".join(lines) + "\n")
            script.flush()
            output = subprocess.run(
                ["wrk", f"-t{min(2, self.connections)}", f"-c{self.connections}", f"-d{seconds}s",
                 "--latency", "-s", script.name, f"http://127.0.0.1:{self.visitor.port}{path}"],
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
