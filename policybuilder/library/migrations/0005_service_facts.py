"""A catalogue service becomes a set of facts: ``kind`` becomes the list ``kinds``, and facts are added.

Existing rows keep their kind as ``kinds`` ([kind]). Rows nobody edited since
they were last loaded get a shipped hash over the new fields, so the next
``load_library`` replaces them with the shipped facts; rows staff edited keep
their edits and show role "third_party" with no country until staff complete
them (the admin lists them under "country: unknown").
"""

import hashlib
import json

from django.db import migrations, models

OLD_FIELDS = ("kind", "name", "company", "privacy_url", "opt_out_url")
NEW_FIELDS = (
    "kinds", "name", "company", "country", "role", "sets_cookies", "cross_site_tracking", "advertising",
    "data_categories", "privacy_url", "opt_out_url", "partner_info_url", "hosts", "script_paths",
    "cookie_patterns", "links_checked",
)


def _hash(values):
    # The same hash as library.services._hash at this release.
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()


def kinds_from_kind(apps, schema_editor):
    Service = apps.get_model("library", "Service")
    for service in Service.objects.all():
        untouched = service.shipped_hash == _hash({name: getattr(service, name) for name in OLD_FIELDS})
        service.kinds = [service.kind]
        service.role = "third_party"
        if untouched:
            service.shipped_hash = _hash({name: getattr(service, name) for name in NEW_FIELDS})
        service.save(update_fields=["kinds", "role", "shipped_hash"])


def kind_from_kinds(apps, schema_editor):
    Service = apps.get_model("library", "Service")
    for service in Service.objects.all():
        service.kind = "payment" if "payment" in service.kinds and "analytics" not in service.kinds else "analytics"
        service.save(update_fields=["kind"])


def _fact_fields():
    return [
        ("kinds", models.JSONField(default=list, help_text="One or more kinds of service (catalogue.KINDS).")),
        ("country", models.CharField(default="", help_text="ISO 3166-1 alpha-2 code of that entity's country.", max_length=2)),
        ("role", models.CharField(choices=[("processor", "Service provider acting for the business (processor)"), ("third_party", "Independent third party that also uses data for its own purposes"), ("self_hosted", "Self-hosted: runs on the business's own servers and sends nothing to anyone")], default="third_party", max_length=20)),
        ("sets_cookies", models.BooleanField(default=False, help_text="Sets cookies or similar identifiers (local storage, device IDs).")),
        ("cross_site_tracking", models.BooleanField(default=False, help_text="Tracks people across other companies' sites or apps.")),
        ("advertising", models.BooleanField(default=False, help_text="Used for advertising (disclosing data to it is a “share” in California).")),
        ("data_categories", models.JSONField(blank=True, default=list)),
        ("partner_info_url", models.URLField(blank=True)),
        ("hosts", models.JSONField(blank=True, default=list)),
        ("script_paths", models.JSONField(blank=True, default=list)),
        ("cookie_patterns", models.JSONField(blank=True, default=list)),
        ("links_checked", models.CharField(blank=True, default="", help_text="ISO date the links were last checked against the provider's own pages; empty if never.", max_length=10)),
    ]


class Migration(migrations.Migration):

    dependencies = [
        ("library", "0004_library_revision"),
    ]

    operations = [
        *[
            migrations.AddField(model_name=model, name=name, field=field)
            for model in ("service", "historicalservice")
            for name, field in _fact_fields()
        ],
        migrations.RunPython(kinds_from_kind, kind_from_kinds),
        migrations.RemoveField(model_name="service", name="kind"),
        migrations.RemoveField(model_name="historicalservice", name="kind"),
        migrations.AlterModelOptions(name="service", options={"ordering": ["name"]}),
        migrations.AlterField(
            model_name="service",
            name="company",
            field=models.CharField(help_text="The legal entity that provides the service.", max_length=200),
        ),
        migrations.AlterField(
            model_name="historicalservice",
            name="company",
            field=models.CharField(help_text="The legal entity that provides the service.", max_length=200),
        ),
    ]
