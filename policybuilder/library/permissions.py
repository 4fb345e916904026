"""The "Clause editors" group: may edit the clause library and the catalogue, nothing else."""

from __future__ import annotations

from typing import Any

CLAUSE_EDITORS = "Clause editors"
EDITABLE = ("section", "clause", "service")
HISTORY = ("historicalsection", "historicalclause", "historicalservice")


def ensure_clause_editors(group_model: Any, permission_model: Any) -> Any:
    """Create the group (or fix its permissions); takes the models so a migration can call it too."""
    group, _ = group_model.objects.get_or_create(name=CLAUSE_EDITORS)
    codenames = [f"{action}_{model}" for model in EDITABLE for action in ("add", "change", "delete", "view")]
    codenames += [f"view_{model}" for model in HISTORY]
    group.permissions.set(
        permission_model.objects.filter(content_type__app_label="library", codename__in=codenames)
    )
    return group
