"""The "Clause editors" group: may edit the clause library and the service catalogue, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Clause editors"
MODELS = ["section", "clause", "service", "historicalsection", "historicalclause", "historicalservice"]


def create_group(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    codenames = [f"{action}_{model}" for model in MODELS[:3] for action in ("add", "change", "delete", "view")]
    codenames += [f"view_{model}" for model in MODELS[3:]]
    group.permissions.set(Permission.objects.filter(content_type__app_label="library", codename__in=codenames))


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0002_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
