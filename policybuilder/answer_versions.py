"""Earlier versions of the answers format, and how each is brought up to the current one.

Answers files live in people's repositories and drafts live in the database,
so a format change never strands them: ``upgrade`` rewrites raw answers of an
earlier ``schema_version`` in the current one, before validation, and a data
migration runs it over stored drafts and published versions once. Each step
is frozen once released (a migration imports it), so a step is never edited:
a new format adds a new step.

Version 1 → 2 (the service catalogue of facts)
    Version 1 chose analytics tools by catalogue key (``analytics.providers``,
    asked only when ``analytics.uses_analytics`` was true), named other
    analytics tools in words (``analytics.other_providers``) and named payment
    processors in words (``sharing.payment_processors``). Version 2 has one
    list of catalogue keys of any kind (``tools.services``) and a record for
    each service outside the catalogue (``tools.unlisted``). A payment
    processor's name becomes the catalogue key it spells, ignoring case and
    spacing ("Apple Pay" → ``apple_pay``) (version 1 also matched a service's
    display name; names that spell only that become records);
    other names become records whose role is ``unknown``, so the policy still
    claims nothing about them (a name given twice, ignoring case, once).
    ``california.minors`` (new: the minors' law applies) is true where version 1
    said minors can remove their posts. A file that left ``schema_version`` out
    (version 1 allowed it) is read as version 1 when it holds version 1's keys.
"""

from __future__ import annotations

import copy
from collections.abc import Collection, Mapping
from typing import Any

UNKNOWN_ROLE = "unknown"  # answer_kinds.ServiceRecordsKind.UNKNOWN_ROLE, frozen here


UPGRADABLE = (1,)  # the earlier versions ``upgrade`` reads


def upgrade(data: Any, catalogue_keys: Mapping[str, Collection[str]]) -> Any:
    """Raw answers in the current format; anything not of a known earlier version is returned as it is.

    ``catalogue_keys`` maps a kind to the catalogue keys of that kind (only
    ``payment`` is read). Shapes are not checked here: a value of the wrong
    type is carried to its new place, where validation reports it.
    """
    if not isinstance(data, dict) or isinstance(data.get("schema_version"), bool):
        return data
    if data.get("schema_version", 1 if _looks_like_v1(data) else None) == 1:  # UPGRADABLE
        return _v1_to_v2(data, catalogue_keys)
    return data


def _looks_like_v1(data: dict[str, Any]) -> bool:
    """A file without ``schema_version`` (it was optional) holding what only version 1 had."""
    sharing = data.get("sharing")
    return "analytics" in data or (isinstance(sharing, dict) and "payment_processors" in sharing)


def _squash(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _v1_to_v2(data: dict[str, Any], catalogue_keys: Mapping[str, Collection[str]]) -> dict[str, Any]:
    upgraded = copy.deepcopy(data)
    upgraded["schema_version"] = 2
    keys: list[Any] = []
    unlisted: list[Any] = []

    analytics = upgraded.pop("analytics", None)
    answered_services = isinstance(analytics, dict) and bool({"uses_analytics", "providers"} & set(analytics))
    if isinstance(analytics, dict):
        uses = analytics.pop("uses_analytics", False)
        providers = analytics.pop("providers", [])
        others = analytics.pop("other_providers", [])
        if uses is True:
            keys += providers if isinstance(providers, list) else [providers]
            unlisted += [
                _record(name, "analytics") for name in (others if isinstance(others, list) else [others])
            ]
        if analytics:  # keys version 1 did not know either: left where validation reports them
            upgraded["analytics"] = analytics
    elif analytics is not None:
        upgraded["analytics"] = analytics

    sharing = upgraded.get("sharing")
    if isinstance(sharing, dict) and "payment_processors" in sharing:
        answered_services = True
        names = sharing.pop("payment_processors")
        by_spelling = {_squash(key): key for key in catalogue_keys.get("payment", ())}
        for name in names if isinstance(names, list) else [names]:
            key = by_spelling.get(_squash(name)) if isinstance(name, str) else None
            if key is not None:
                keys.append(key)
            else:
                unlisted.append(_record(name, "payment"))

    # Version 2 asks whether California's minors' law applies before asking about removal.
    california = upgraded.get("california")
    if isinstance(california, dict) and california.get("minors_content_removal") is True:
        california.setdefault("minors", True)
    if not (keys or unlisted or answered_services):
        return upgraded
    # Both keys, so that a file that answered the service questions still answers them all.
    tools = {"services": _unique(keys), "unlisted": _unique_names(unlisted)}
    # The new section goes where the questionnaire asks it, before sharing, so files read in order.
    ordered: dict[str, Any] = {}
    for section, values in upgraded.items():
        if section == "sharing":
            ordered["tools"] = tools
        ordered[section] = values
    ordered.setdefault("tools", tools)
    return ordered


def _record(name: Any, kind: str) -> Any:
    if not isinstance(name, str):
        return name  # reported by validation where it now stands
    return {"name": name, "company": "", "kind": kind, "role": UNKNOWN_ROLE, "website": ""}


def _unique_names(records: list[Any]) -> list[Any]:
    """Records with a name used once, ignoring case (an analytics tool and a payment processor
    named alike in version 1 would otherwise fail as "listed twice")."""
    seen: set[str] = set()
    kept = []
    for record in records:
        name = record.get("name") if isinstance(record, dict) else None
        if isinstance(name, str):
            if name.strip().casefold() in seen:
                continue
            seen.add(name.strip().casefold())
        kept.append(record)
    return kept


def _unique(items: list[Any]) -> list[Any]:
    seen: list[Any] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def upgrade_stored_answers(apps: Any, app_label: str, model_name: str) -> None:
    """A data migration's body: every row's ``answers`` (drafts, published versions) in the current format.

    Rows written before version 2 may not say their version (drafts never
    stored it), so a row without one is read as version 1, the only format
    there was; the marker is kept only where the row had one.
    """
    service_model = apps.get_model("library", "Service")
    payment = [
        key for key, kinds in service_model.objects.values_list("key", "kinds") if "payment" in (kinds or ())
    ]
    model = apps.get_model(app_label, model_name)
    for row in model.objects.only("pk", "answers").iterator():
        stored = row.answers if isinstance(row.answers, dict) else None
        if stored is None or stored.get("schema_version", 1) != 1:
            continue
        upgraded = upgrade({**stored, "schema_version": 1}, {"payment": payment})
        if "schema_version" not in stored:
            del upgraded["schema_version"]
        model.objects.filter(pk=row.pk).update(answers=upgraded)
