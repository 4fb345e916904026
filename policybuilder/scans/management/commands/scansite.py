"""Scan a website from the command line: ``manage.py scansite https://shop.example [--pages N] [--json]``.

Prints what the wizard's scan shows: the pages visited, the catalogue services found with their
evidence, unknown third-party hosts, the cookie table, the forms and the kinds of fields they ask
for, the consent banner and the privacy link. ``--json`` prints the scan itself, which
``buildpolicy --scan`` reads. Exit status 2 when the address cannot be scanned.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policybuilder.management.library_option import add_library_argument, library_from_options
from policybuilder.scan_matching import match_observations
from policybuilder.scan_report import FORM_FIELD_KINDS, ScanReport
from policybuilder.scan_review import cookie_rows
from policybuilder.scanner import ScanError, ScanLimits, scan_site
from policybuilder.scans.services import forbidden_hosts


class Command(BaseCommand):
    help = "Scan a website with headless Chromium and print its services, cookies and forms."

    def add_arguments(self, parser):
        parser.add_argument("url", help="The website's address, such as https://www.example.com")
        parser.add_argument(
            "--pages", type=int, default=settings.SCAN_PAGES, help="Pages to visit, the home page included."
        )
        parser.add_argument(
            "--seconds", type=int, default=settings.SCAN_SECONDS, help="Time limit for the scan."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the scan as JSON (for buildpolicy --scan)."
        )
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
        add_library_argument(parser)

    def handle(self, *args, **options):
        if not 1 <= options["pages"] <= 50:
            raise CommandError("--pages must be between 1 and 50", returncode=2)
        if not 5 <= options["seconds"] <= 600:
            raise CommandError("--seconds must be between 5 and 600", returncode=2)
        url = options["url"] if "://" in options["url"] else "https://" + options["url"]
        limits = ScanLimits(pages=options["pages"], seconds=float(options["seconds"]))

        def progress(done: int, planned: int, page: str) -> None:
            if options["verbosity"] > 1:
                self.stderr.write(f"  {done}/{planned} {page}")

        try:
            report = scan_site(
                url,
                limits=limits,
                allow_loopback=settings.SCAN_ALLOW_LOOPBACK,
                forbidden_hosts=forbidden_hosts(),
                progress=progress,
            )
        except ScanError as error:
            raise CommandError(str(error), returncode=2) from None
        if options["json"]:
            text = json.dumps(report.to_json(), indent=2, ensure_ascii=False) + "\n"
        else:
            text = "\n".join(self._describe(report, library_from_options(options))) + "\n"
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
            self.stderr.write(
                f"Wrote {options['output']} ({len(report.pages)} pages in {report.seconds:.1f} s)."
            )
        else:
            self.stdout.write(text, ending="")

    def _describe(self, report: ScanReport, library) -> list[str]:
        matches = match_observations(library, report.site_url, report.requests, report.observed_cookies())
        lines = [f"Scan of {report.site_url}: {len(report.pages)} pages in {report.seconds:.1f} s", ""]
        lines += ["Pages:"] + [
            f"  {page.path}  {page.error or f'HTTP {page.status}'}" for page in report.pages
        ]
        lines += ["", "Services found:"] + (
            [
                f"  {m.name} ({m.key}): " + "; ".join(e.describe() for e in m.evidence)
                for m in matches.services
            ]
            or ["  none"]
        )
        if matches.unknown_hosts:
            lines += ["", "Third-party hosts no catalogue service explains:"] + [
                f"  {h.host} on {', '.join(h.pages)}" for h in matches.unknown_hosts
            ]
        rows = cookie_rows(library, report)
        lines += ["", "Cookies and browser storage:"] + (
            [f"  {r.name}  {r.provider}  {r.duration}  {r.party}  {r.purpose}" for r in rows] or ["  none"]
        )
        lines += ["", "Forms:"] + (
            [
                f"  {form.page} “{form.label}”: " + ", ".join(FORM_FIELD_KINDS[k] for k in form.fields)
                for form in report.forms
            ]
            or ["  none"]
        )
        lines += [
            "",
            f"Consent banner: {report.consent_banner or 'none seen on the home page'}",
            f"Privacy policy link on the home page: {report.privacy_link or 'none'}",
        ]
        if report.refused:
            lines += ["", "Refused for safety:"] + [f"  {r.url}: {r.reason}" for r in report.refused]
        lines += [f"Note: {note}" for note in report.notes]
        return lines
