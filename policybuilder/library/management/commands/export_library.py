"""Write the clause library in the database to a data file, for review and version control."""

from pathlib import Path

from django.core.management.base import BaseCommand

from policybuilder.clause_library import dump_library
from policybuilder.library.selectors import load_library


class Command(BaseCommand):
    help = "Export the clause library and service catalogue to a YAML data file (stdout without a path)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="File to write; standard output when left out.")

    def handle(self, *args, **options):
        text = dump_library(load_library())
        if options["path"]:
            Path(options["path"]).write_text(text, encoding="utf-8")
            self.stderr.write(f"Wrote {options['path']}.")
        else:
            self.stdout.write(text, ending="")
