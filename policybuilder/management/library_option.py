"""The ``--library-file`` option shared by the policy commands."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.db import DatabaseError

from policybuilder.clause_library import Library, LibraryFileError, read_library_file
from policybuilder.library.selectors import load_library


def add_library_argument(parser: CommandParser) -> None:
    parser.add_argument(
        "--library-file",
        metavar="PATH",
        help="Use this clause-library data file instead of the library in the database "
        "(for example policybuilder/library/data/library.yaml).",
    )


def library_from_options(options: dict) -> Library:
    if options.get("library_file"):
        try:
            return read_library_file(Path(options["library_file"]))
        except LibraryFileError as exc:
            raise CommandError(str(exc), returncode=2) from exc
    try:
        library = load_library()
    except DatabaseError as exc:
        raise CommandError(
            f"Cannot read the clause library from the database ({exc}). "
            "Run `python manage.py migrate` and `python manage.py load_library`, "
            "or pass --library-file.",
            returncode=2,
        ) from exc
    if not library.sections:
        raise CommandError(
            "The clause library in the database is empty. Run `python manage.py load_library` "
            "first, or pass --library-file.",
            returncode=2,
        )
    return library
