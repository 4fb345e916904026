"""Build a policy from an answers file: ``manage.py buildpolicy answers.json --format pdf -o out.pdf``.

Every format of ``renderers.FORMATS`` (html, pdf, docx, md, txt); the binary ones (PDF, Word) need ``-o``.

Exit status: 0 on success; 2 when the answers (or the command line) are
invalid, with one line per problem on standard error.  With ``--check`` it
prints the compliance review instead (``--format text`` or ``json``, which also
lists the laws that apply) and exits 1 when there is any error-level finding.
With ``--laws`` it prints which US privacy laws apply, and why. With ``--scan
SCAN_FILE`` (a saved ``scansite --json``) the scan's cookie table goes into the
policy and what the scan contradicts is reported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError

from policybuilder.answer_versions import UPGRADABLE, upgrade
from policybuilder.answers import (
    MAX_FILE_BYTES,
    AnswersError,
    AnswersFileError,
    Problem,
    left_to_default,
    parse_answers_file,
    validate_answers,
)
from policybuilder.applicable_laws import laws_by_status, laws_for
from policybuilder.assembly import AssemblyError, assemble
from policybuilder.compliance import SEVERITIES, check_answers
from policybuilder.derived import chosen_services
from policybuilder.management.library_option import add_library_argument, library_from_options
from policybuilder.renderers import FORMATS
from policybuilder.scan_report import ScanFileError, ScanReport
from policybuilder.scan_review import ScanFinding, cookie_table_answer, review_scan

CHECK_FORMATS = ("text", "json")
MAX_SCAN_BYTES = 5_000_000


def read_answers_file(path: str) -> Any:
    """Parse an answers file ('-' for standard input); ``CommandError`` says what is wrong."""
    name = "standard input" if path == "-" else path
    try:
        if path == "-":
            raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with open(path, "rb") as handle:
                raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"{name}: cannot read: {exc.strerror}", returncode=2) from exc
    try:
        return parse_answers_file(raw)
    except AnswersFileError as exc:
        raise CommandError(f"{name}: answers file {exc}", returncode=2) from None


def read_scan_file(path: str) -> ScanReport:
    """A saved scan (``scansite --json``); ``CommandError`` says what is wrong with it."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_SCAN_BYTES + 1)
    except OSError as exc:
        raise CommandError(f"{path}: cannot read: {exc.strerror}", returncode=2) from exc
    if len(raw) > MAX_SCAN_BYTES:
        raise CommandError(f"{path}: a scan file is at most {MAX_SCAN_BYTES:,} bytes", returncode=2)
    try:
        return ScanReport.from_json(json.loads(raw))
    except (ValueError, RecursionError) as exc:
        message = str(exc) if isinstance(exc, ScanFileError) else f"not JSON ({exc})"
        raise CommandError(f"{path}: {message}", returncode=2) from None


def old_version(data: Any) -> int | None:
    """The earlier schema_version an answers file declares, if it declares one this release upgrades."""
    version = data.get("schema_version") if isinstance(data, dict) else None
    return version if version in UPGRADABLE and not isinstance(version, bool) else None


class Command(BaseCommand):
    help = "Build a privacy policy from an answers JSON file."

    def add_arguments(self, parser):
        parser.add_argument("answers", help="Path to the answers JSON file, or - for standard input.")
        parser.add_argument(
            "--format",
            "-f",
            choices=[*sorted(FORMATS), *CHECK_FORMATS],
            help=f"Output format: html (default), {', '.join(n for n in FORMATS if n != 'html')}; "
            "with --check, text (default) or json.",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Review the answers against the compliance rules instead of building; exit 1 on any error. "
            "With --format json, the laws that apply are included.",
        )
        parser.add_argument(
            "--laws",
            action="store_true",
            help="Print which US privacy laws apply to the business, and why, instead of building "
            "(--format text or json).",
        )
        parser.add_argument(
            "--require-all",
            action="store_true",
            help="Refuse a file that leaves any applicable question to its default (exit 2, listing them).",
        )
        parser.add_argument(
            "--scan",
            metavar="SCAN_FILE",
            help="A saved site scan (manage.py scansite URL --json -o SCAN_FILE): its cookie table goes into "
            "the policy, and what it contradicts in the answers is printed (with --check, as findings).",
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
        add_library_argument(parser)

    def _refuse(self, name: str, problems: list[Problem]) -> NoReturn:
        """One line per problem on standard error, then exit status 2."""
        for problem in problems:
            self.stderr.write(f"{name}: {problem}")
        raise SystemExit(2)

    def handle(self, *args, **options):
        if options["check"] and options["laws"]:
            raise CommandError("choose --check or --laws, not both", returncode=2)
        report = options["check"] or options["laws"]
        fmt = options["format"] or ("text" if report else "html")
        if report != (fmt in CHECK_FORMATS):
            raise CommandError(
                f"--check and --laws print text or json; building a policy takes {', '.join(FORMATS)}",
                returncode=2,
            )
        output_format = FORMATS.get(fmt)
        if output_format and output_format.binary and not options["output"]:
            raise CommandError(f"{output_format.label} output needs -o FILE", returncode=2)
        data = read_answers_file(options["answers"])
        library = library_from_options(options)
        try:
            answers = validate_answers(data, catalogue_keys=library.catalogue_keys())
        except AnswersError as exc:
            self._refuse(options["answers"], exc.problems)
        if (version := old_version(data)) is not None:
            self.stderr.write(
                f"{options['answers']}: schema_version {version} was read and upgraded in memory; to "
                f"rewrite the file in the current version, run: python manage.py upgrade_answers "
                f"{options['answers']} -o NEW_FILE"
            )
        if options["require_all"]:
            unanswered = left_to_default(upgrade(data, library.catalogue_keys()), answers)
            if unanswered:
                self._refuse(options["answers"], unanswered)
        scan_findings: list[ScanFinding] = []
        if options["scan"]:
            answers, scan_findings = self._with_scan(options["scan"], library, answers)
        if options["laws"]:
            self._laws(laws_for(library, answers), fmt)
            return
        if options["check"]:
            self._check(
                answers, chosen_services(library, answers), laws_for(library, answers), fmt, scan_findings
            )
            return
        for finding in scan_findings:
            if finding.contradicts:
                self.stderr.write(
                    f"{options['scan']}: contradiction: {finding.message} ({'; '.join(finding.evidence)})"
                )
        try:
            document = assemble(library, answers)
        except AssemblyError as exc:
            raise CommandError(f"the clause library is broken: {exc}", returncode=1) from exc
        content = FORMATS[fmt].render(document)
        if options["output"]:
            Path(options["output"]).write_bytes(content)
            self.stderr.write(
                f"Wrote {options['output']} ({len(content):,} bytes, {len(document.sections)} sections). "
                "Not legal advice: check every statement before you publish it."
            )
        else:
            self.stdout.write(content.decode("utf-8"), ending="")

    def _laws(self, verdicts, fmt: str) -> None:
        if fmt == "json":
            self.stdout.write(json.dumps([v.as_dict() for v in verdicts], indent=2, ensure_ascii=False))
            return
        for _status, label, group in laws_by_status(verdicts):
            self.stdout.write(f"{label}:")
            for verdict in group:
                self.stdout.write(f"  {verdict.name}: {verdict.reason} ({verdict.citation})")
        self.stderr.write("Not legal advice.")

    def _with_scan(self, path: str, library, answers) -> tuple[Any, list[ScanFinding]]:
        """The answers with the scan's cookie table (when they say cookies are used), and what the
        scan shows that they do not say."""
        report = read_scan_file(path)
        findings = review_scan(library, report, answers)
        if answers["cookies"]["use"] == "yes":
            rows = cookie_table_answer(library, report)
            answers = validate_answers(
                {**answers, "cookies": {**answers["cookies"], "table": rows}},
                catalogue_keys=library.catalogue_keys(),
            )
        return answers, findings

    def _check(self, answers, services, verdicts, fmt: str, scan_findings: list[ScanFinding]) -> None:
        findings = check_answers(answers, services=services)
        if fmt == "json":
            report: dict[str, Any] = {
                "findings": [f.as_dict() for f in findings],
                "laws": [v.as_dict() for v in verdicts],
            }
            if scan_findings:
                report["scan"] = [
                    {
                        "key": f.key,
                        "message": f.message,
                        "evidence": list(f.evidence),
                        "contradicts": f.contradicts,
                        "question": f.change.path if f.change else None,
                    }
                    for f in scan_findings
                ]
            self.stdout.write(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            for finding in findings:
                self.stdout.write(finding.line)
            for scan_finding in scan_findings:
                kind = "contradiction" if scan_finding.contradicts else "scan"
                where = f" {scan_finding.change.path}" if scan_finding.change else ""
                self.stdout.write(
                    f"{kind}{where}: {scan_finding.message} ({'; '.join(scan_finding.evidence)})"
                )
            counts = {s: sum(f.rule.severity == s for f in findings) for s in SEVERITIES}
            self.stderr.write(
                f"{counts['error']} error(s), {counts['warning']} warning(s), {counts['note']} note(s). "
                "Not legal advice."
            )
        if any(f.rule.severity == "error" for f in findings):
            raise SystemExit(1)
