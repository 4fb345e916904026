"""A catalogue service gets the fact ``dpf_certified`` (EU–US Data Privacy Framework), false for every row.

The shipped hash of a service covers its editable fields, so a new field
changes it: a row nobody edited since it was last loaded would otherwise look
edited, and ``load_library`` would keep it without the shipped value. Such
rows get a shipped hash over the new fields here, so the next load brings in
the shipped certification; rows staff edited stay edited.
"""

import hashlib
import json

from django.db import migrations, models

# The editable fields of a service before this migration (clause_library.ServiceSpec.EDITABLE at 0006).
OLD_FIELDS = (
    "kinds", "name", "company", "country", "role", "sets_cookies", "cross_site_tracking", "advertising",
    "data_categories", "privacy_url", "opt_out_url", "partner_info_url", "hosts", "script_paths",
    "cookie_patterns", "links_checked",
)
NEW_FIELDS = (*OLD_FIELDS, "dpf_certified")


def _hash(values):
    # The same hash as library.services._hash at this release.
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()


def _rehash(apps, before, after):
    """Rows whose shipped hash is over ``before`` (untouched) get one over ``after``."""
    Service = apps.get_model("library", "Service")
    for service in Service.objects.all():
        if service.shipped_hash == _hash({name: getattr(service, name) for name in before}):
            service.shipped_hash = _hash({name: getattr(service, name) for name in after})
            service.save(update_fields=["shipped_hash"])


def forwards(apps, schema_editor):
    _rehash(apps, OLD_FIELDS, NEW_FIELDS)


def backwards(apps, schema_editor):
    _rehash(apps, NEW_FIELDS, OLD_FIELDS)


def _field():
    return models.BooleanField(
        default=False,
        help_text="The company (a US one) is certified under the EU–US Data Privacy Framework and its UK "
        "Extension, so transfers to it from the EU/EEA and the UK rest on adequacy; otherwise they need "
        "standard contractual clauses.",
        verbose_name="certified under the EU–US Data Privacy Framework",
    )


class Migration(migrations.Migration):
    dependencies = [("library", "0006_answers_v2_names")]

    operations = [
        migrations.AddField(model_name="historicalservice", name="dpf_certified", field=_field()),
        migrations.AddField(model_name="service", name="dpf_certified", field=_field()),
        migrations.RunPython(forwards, backwards),
    ]
