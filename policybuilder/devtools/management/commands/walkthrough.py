"""`manage.py walkthrough`: a timed run through the wizard for one example business.

Prints pages, clicks, fields typed, the machine's seconds and a modelled person's seconds (see
``policybuilder.devtools.walkthrough``), against a throwaway gunicorn with production settings.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from policybuilder.chromium import CHROMIUM_ARGS, chromium_path
from policybuilder.devtools.server import throwaway_gunicorn
from policybuilder.devtools.walkthrough import walk


class Command(BaseCommand):
    help = "Walk the wizard in Chromium as a person would for an example business; print the counts."

    def add_arguments(self, parser):
        parser.add_argument("--example", default="small-shop", help="A file of docs/examples/ (no .json).")
        parser.add_argument("--width", type=int, default=1280, help="Browser width in CSS pixels.")
        parser.add_argument(
            "--answers", help="The person's answers (a JSON answers file); default: the example's."
        )
        parser.add_argument(
            "--start-from", default="", help="Start from this example's answers instead of a new policy."
        )

    def handle(self, *args, **options):
        path = Path(settings.BASE_DIR) / "docs" / "examples" / f"{options['example']}.json"
        if not path.is_file():
            raise CommandError(f"No example called {options['example']!r} in docs/examples/.")
        chromium = chromium_path()
        if chromium is None:
            raise CommandError("The walkthrough needs Chromium: apt-get install chromium")
        from playwright.sync_api import sync_playwright  # noqa: PLC0415 (a dev tool's heavy import)

        answers_path = Path(options["answers"]) if options["answers"] else path
        try:
            answers = json.loads(answers_path.read_text())
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {answers_path}: {exc}") from None
        with throwaway_gunicorn() as (port, _workers, _), sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": options["width"], "height": 900})
            result = walk(page, f"http://127.0.0.1:{port}", answers, start_from=options["start_from"])
            browser.close()
        start = f", starting from the example {options['start_from']}" if options["start_from"] else ""
        self.stdout.write(f"wizard walk: {answers_path.name} at {options['width']} px{start}")
        self.stdout.write(f"wizard walk steps: {' > '.join(result.pages)}")
        for line in result.lines():
            self.stdout.write(line)
