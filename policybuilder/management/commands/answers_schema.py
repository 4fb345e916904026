"""Print the JSON Schema of answers files, so editors can validate them as people type."""

import json

from django.core.management.base import BaseCommand

from policybuilder.answers import json_schema, reference_markdown
from policybuilder.management.library_option import add_library_argument, library_from_options


class Command(BaseCommand):
    help = "Print the JSON Schema (draft 2020-12) of Policy Builder answers files."

    def add_arguments(self, parser):
        add_library_argument(parser)
        parser.add_argument(
            "--markdown",
            action="store_true",
            help="Print the human-readable reference (docs/answers.md) instead.",
        )

    def handle(self, *args, **options):
        if options["markdown"]:
            self.stdout.write(reference_markdown())
            return
        library = library_from_options(options)
        schema = json_schema(catalogue_keys=library.catalogue_keys())
        self.stdout.write(json.dumps(schema, indent=2, ensure_ascii=False))
