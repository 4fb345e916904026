"""Drafts' answers move to schema_version 2: the services they chose, in one list (see ``answer_versions``)."""

from django.db import migrations

from policybuilder.answer_versions import upgrade_stored_answers


def forwards(apps, schema_editor):
    upgrade_stored_answers(apps, "drafts", "Draft")


class Migration(migrations.Migration):
    dependencies = [
        ("drafts", "0001_initial"),
        ("library", "0005_service_facts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
