"""The "Clause editors" group: may edit the clause library and the service catalogue, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

from policybuilder.library.permissions import CLAUSE_EDITORS, ensure_clause_editors


def create_group(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ensure_clause_editors(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CLAUSE_EDITORS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
