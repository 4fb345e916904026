"""Load the shipped clause library (or another data file) into the database.

Safe to run at every start: it creates what is missing, follows the shipped
file for rows staff have not edited, and keeps staff edits unless told.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policybuilder.clause_library import DATA_FILE, LibraryFileError, read_library_file
from policybuilder.library.services import sync_library


class Command(BaseCommand):
    help = "Load the clause library data file into the database (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=str(DATA_FILE), help="Library data file (default: the shipped one)."
        )
        parser.add_argument(
            "--overwrite-edits",
            action="store_true",
            help="Replace clauses, sections and services that staff edited with the file's version.",
        )

    def handle(self, *args, **options):
        try:
            library = read_library_file(Path(options["path"]))
            report = sync_library(library, overwrite_edits=options["overwrite_edits"])
        except LibraryFileError as exc:
            raise CommandError(f"Library not loaded, nothing changed:\n{exc}", returncode=2) from exc
        self.stdout.write(f"Clause library: {report.summary()}")
