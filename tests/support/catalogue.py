"""Posting the admin's service form as an editor would fill it in."""

from __future__ import annotations

from typing import Any

from policybuilder import catalogue

LIST_FIELDS = ("hosts", "script_paths", "cookie_patterns")
FLAGS = (*catalogue.FLAG_FIELDS, *catalogue.OPTIONAL_FLAG_FIELDS)  # the form's check boxes


def service_form(service: Any, **changes: Any) -> dict[str, Any]:
    """The change form's fields for ``service`` (a ``Service`` row), with ``changes`` applied.

    Check boxes that are off are left out and lists become one line each, as a browser sends them.
    """
    data: dict[str, Any] = {
        "name": service.name,
        "company": service.company,
        "country": service.country,
        "kinds": list(service.kinds),
        "role": service.role,
        "data_categories": list(service.data_categories),
        "privacy_url": service.privacy_url,
        "opt_out_url": service.opt_out_url,
        "partner_info_url": service.partner_info_url,
        "links_checked": service.links_checked,
        **{name: "\n".join(getattr(service, name)) for name in LIST_FIELDS},
        **{name: "on" for name in FLAGS if getattr(service, name)},
    }
    data.update(changes)
    for name in FLAGS:
        if data.get(name) is False:
            del data[name]
        elif data.get(name) is True:
            data[name] = "on"
    return data
