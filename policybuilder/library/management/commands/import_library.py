"""Replace the clause library in the database with an (edited) export; --dry-run lists the changes."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from policybuilder.clause_library import LibraryFileError, read_library_file
from policybuilder.library.services import import_library


class Command(BaseCommand):
    help = "Import a clause-library data file into the database, replacing what it contains."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The data file (as written by export_library).")
        parser.add_argument("--dry-run", action="store_true", help="List what would change; change nothing.")
        parser.add_argument(
            "--delete-missing",
            action="store_true",
            help="Also delete clauses, empty sections and services that are not in the file.",
        )

    def handle(self, *args, **options):
        try:
            incoming = read_library_file(Path(options["path"]))
            diff = import_library(
                incoming, delete_missing=options["delete_missing"], dry_run=options["dry_run"]
            )
        except LibraryFileError as exc:
            raise CommandError(f"Library not imported, nothing changed:\n{exc}", returncode=2) from exc
        for line in diff.lines():
            self.stdout.write(line)
        verb = "Would change" if options["dry_run"] else "Changed"
        if diff.empty:
            self.stdout.write("No changes: the database already matches the file.")
        else:
            self.stdout.write(
                f"{verb}: {len(diff.created)} new, {len(diff.changed)} changed, "
                f"{len(diff.missing)} not in the file"
                + (
                    ""
                    if options["delete_missing"] or not diff.missing
                    else " (kept; --delete-missing removes them)"
                )
                + "."
            )
