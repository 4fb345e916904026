"""Published versions' answers move to schema_version 2 (see ``answer_versions``).

What was published does not change: each version keeps its own HTML, text and
PDF; only the answers it stores for rebuilding and comparing are rewritten.
"""

from django.db import migrations

from policybuilder.answer_versions import upgrade_stored_answers


def forwards(apps, schema_editor):
    upgrade_stored_answers(apps, "publishing", "PolicyVersion")


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0004_policyversion_notice_confirmed"),
        ("library", "0005_service_facts"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
