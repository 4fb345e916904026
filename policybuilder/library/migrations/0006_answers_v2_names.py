"""Clause text written for schema_version 1 reads the values that replace its answers (see ``answer_versions``).

Version 2 asks for every service in one list, so ``analytics.uses_analytics``,
``analytics.providers``, ``analytics.other_providers`` and
``sharing.payment_processors`` no longer exist. Clause and section text that
names them would stop passing the library checks, and staff edits are kept
when the shipped library is loaded, so they are rewritten here in terms of the
derived values that replace them. A condition keeps its meaning ("uses
analytics" is true when an analytics or advertising tool is chosen); lists
become lists of names, so ``analytics.providers``, which held catalogue keys,
now gives names: an edited clause that tested a key (``"hotjar" in …``) must be
corrected by staff, and the admin's checks show where.
A row nobody edited keeps counting as unedited (its shipped hash follows the
rewrite), so the next ``load_library`` replaces it with the shipped text.
"""

import hashlib
import json

from django.db import migrations

REPLACEMENTS = (
    ("analytics.uses_analytics", "(analytics_tools or advertising_tools)"),
    ("analytics.other_providers", '(analytics_tools | rejectattr("known") | map(attribute="name") | list)'),
    ("analytics.providers", '(analytics_tools | selectattr("known") | map(attribute="name") | list)'),
    ("sharing.payment_processors", '(payment_processors | map(attribute="name") | list)'),
)
# The editable fields at this release (clause_library.ClauseSpec/SectionSpec.EDITABLE).
CLAUSE_FIELDS = ("order", "condition", "laws", "enabled", "body")
SECTION_FIELDS = ("title", "order", "condition", "enabled")


def _hash(values):
    # The same hash as library.services._hash at this release.
    return hashlib.sha256(json.dumps(values, sort_keys=True).encode("utf-8")).hexdigest()


def _rewrite(text):
    for old, new in REPLACEMENTS:
        text = text.replace(old, new)
    return text


def _values(row, fields, section_key=None):
    values = {name: getattr(row, name) for name in fields}
    if section_key is not None:
        values["section"] = section_key
    return values


def forwards(apps, schema_editor):
    Section = apps.get_model("library", "Section")
    Clause = apps.get_model("library", "Clause")
    rows = [(section, SECTION_FIELDS, None, ("title", "condition")) for section in Section.objects.all()]
    rows += [
        (clause, CLAUSE_FIELDS, clause.section.key, ("condition", "body"))
        for clause in Clause.objects.select_related("section")
    ]
    for row, fields, section_key, text_fields in rows:
        rewritten = {name: _rewrite(getattr(row, name)) for name in text_fields}
        if all(rewritten[name] == getattr(row, name) for name in text_fields):
            continue
        untouched = row.shipped_hash == _hash(_values(row, fields, section_key))
        for name, value in rewritten.items():
            setattr(row, name, value)
        if untouched:
            row.shipped_hash = _hash(_values(row, fields, section_key))
        row.save(update_fields=[*text_fields, "shipped_hash"])


class Migration(migrations.Migration):
    dependencies = [("library", "0005_service_facts")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
