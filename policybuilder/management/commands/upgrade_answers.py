"""Rewrite an answers file in the current format: ``manage.py upgrade_answers answers.json -o new.json``.

``buildpolicy`` reads files of an earlier ``schema_version`` and upgrades them
in memory; this command writes the upgraded answers out, so the file in the
repository says what the policy is built from. The result is validated first:
exit status 2, with one line per problem, when it is not valid (nothing is
written), 0 otherwise.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from policybuilder.answer_versions import upgrade
from policybuilder.answers import AnswersError, validate_answers
from policybuilder.management.commands.buildpolicy import old_version, read_answers_file
from policybuilder.management.library_option import add_library_argument, library_from_options


class Command(BaseCommand):
    help = "Rewrite an answers file of an earlier schema_version in the current one."

    def add_arguments(self, parser):
        parser.add_argument("answers", help="Path to the answers JSON file, or - for standard input.")
        parser.add_argument("-o", "--output", metavar="FILE", help="Write here instead of standard output.")
        add_library_argument(parser)

    def handle(self, *args, **options):
        name = options["answers"]
        data = read_answers_file(name)
        library = library_from_options(options)
        # The file's own answers, moved to their new places: nothing is added or left out, so a
        # file that passed ``buildpolicy --require-all`` still does.
        upgraded = upgrade(data, library.catalogue_keys())
        try:
            validate_answers(upgraded, catalogue_keys=library.catalogue_keys())
        except AnswersError as exc:
            for problem in exc.problems:
                self.stderr.write(f"{name}: {problem}")
            raise SystemExit(2) from None
        content = json.dumps(upgraded, indent=2, ensure_ascii=False) + "\n"
        version = old_version(data)
        if options["output"]:
            Path(options["output"]).write_text(content, encoding="utf-8")
        else:
            self.stdout.write(content, ending="")
        self.stderr.write(
            f"{name}: upgraded from schema_version {version}" if version else f"{name}: already current"
        )
