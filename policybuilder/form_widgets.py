"""The wizard's two widgets for choosing services: the grouped picker and the rows of unlisted ones.

Both work without JavaScript. The picker is a set of check boxes grouped by
kind; the page script adds a search box over it. The rows are plain inputs,
one row per service, with a few empty rows to fill in; the page script shows
them one at a time behind an "Add a service" button. What a row means is
decided by the domain (``answer_kinds.ServiceRecordsKind``), not here.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

SPARE_ROWS = 2  # empty rows shown after the filled ones (without JavaScript, the only way to add)


class ServicePicker(forms.CheckboxSelectMultiple):
    """Check boxes grouped by kind; the wizard renders it with ``drafts/_service_picker.html``."""

    picker = True


class ServiceRowsWidget(forms.Widget):
    """One row of inputs per service: name, company, kind, role and website."""

    COLUMNS = ("name", "company", "kind", "role", "website")
    use_fieldset = True  # the question is the legend; each input has its own label

    def __init__(
        self,
        *,
        rows: int,
        kinds: Sequence[tuple[str, str]],
        roles: Sequence[tuple[str, str]],
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs)
        self.rows = rows
        self.kinds = kinds
        self.roles = roles

    @classmethod
    def post_data(cls, name: str, records: Sequence[Mapping[str, Any]]) -> dict[str, str]:
        """What a browser sends for these rows (for tests and the soak test)."""
        return {
            f"{name}-{index}-{column}": str(record.get(column, ""))
            for index, record in enumerate(records)
            for column in cls.COLUMNS
        }

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict, name: str) -> Any:
        rows = []
        for index in range(self.rows + SPARE_ROWS):
            row = {column: str(data.get(f"{name}-{index}-{column}", "")) for column in self.COLUMNS}
            if any(value.strip() for value in row.values()):
                rows.append(row)
        return rows

    def value_omitted_from_data(self, data: Mapping[str, Any], files: MultiValueDict, name: str) -> bool:
        return not any(key.startswith(f"{name}-") for key in data)

    def id_for_label(self, id_: str) -> str:
        return ""  # the question is a legend over the rows, which label their own inputs

    @staticmethod
    def anchor(id_: str) -> str:
        """Where the error summary's link goes: the first row's name."""
        return f"{id_}-0-name"

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        records = [row for row in (value or []) if isinstance(row, Mapping)]
        shown = min(self.rows, len(records) + SPARE_ROWS)
        final = self.build_attrs(self.attrs, attrs)  # crispy marks a field with errors "is-invalid"
        base_id = final.get("id") or f"id_{name}"
        invalid = "is-invalid" in str(final.get("class", ""))
        rows = [
            self._row(name, base_id, index, records[index] if index < len(records) else {}, invalid)
            for index in range(shown)
        ]
        return format_html(
            '<div class="service-rows" data-service-rows data-max-rows="{}">{}'
            '<button type="button" class="btn btn-outline-secondary btn-sm" data-add-service hidden>'
            "Add a service</button></div>",
            self.rows,
            mark_safe("".join(rows)),  # each row is built with format_html
        )

    def _row(self, name: str, base_id: str, index: int, record: Mapping[str, Any], invalid: bool) -> str:
        def input_id(column: str) -> str:
            return f"{base_id}-{index}-{column}"

        def field_name(column: str) -> str:
            return f"{name}-{index}-{column}"

        marked = invalid and any(record.values())
        invalid_class = " is-invalid" if marked else ""
        # The error (crispy's "error_1_<id>") says which service is wrong and why.
        described = {"aria-invalid": "true", "aria-describedby": f"error_1_{base_id}"} if marked else {}

        def text(column: str, label: str, kind: str, **extra: str) -> str:
            attributes = format_html_join(" ", '{}="{}"', {**extra, **described}.items())
            return format_html(
                '<div class="col-md-6"><label class="form-label" for="{}">{}</label>'
                '<input type="{}" class="form-control{}" id="{}" name="{}" value="{}" {}></div>',
                input_id(column),
                label,
                kind,
                invalid_class,
                input_id(column),
                field_name(column),
                str(record.get(column, "")),
                attributes,
            )

        def select(column: str, label: str, options: Sequence[tuple[str, str]], prompt: str) -> str:
            chosen = str(record.get(column, ""))
            rendered = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                [(value, mark_safe(" selected") if value == chosen else "", text) for value, text in options],
            )
            return format_html(
                '<div class="col-md-6"><label class="form-label" for="{}">{}</label>'
                '<select class="form-select{}" id="{}" name="{}"{}>'
                '<option value="">{}</option>{}</select></div>',
                input_id(column),
                label,
                invalid_class,
                input_id(column),
                field_name(column),
                format_html_join("", ' {}="{}"', described.items()),
                prompt,
                rendered,
            )

        legend = f"Service {index + 1}"
        return format_html(
            '<fieldset class="service-row border rounded p-2 mb-2" data-service-row>'
            '<legend class="fs-6 mb-1">{}</legend><div class="row g-2">{}{}{}{}{}</div></fieldset>',
            legend,
            text("name", "Name", "text", maxlength="100", autocomplete="off"),
            text("company", "Company (optional)", "text", maxlength="100", autocomplete="organization"),
            select("kind", "Kind of service", self.kinds, "Choose a kind"),
            select("role", "What it does with information", self.roles, "Choose one"),
            text(
                "website", "Website (optional)", "url", maxlength="200", autocomplete="url", inputmode="url"
            ),
        )


class ServiceRowsField(forms.Field):
    """Passes the filled rows on as dicts; checking them is the domain's job."""

    def __init__(
        self,
        *,
        rows: int,
        kinds: Sequence[tuple[str, str]],
        roles: Sequence[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault("widget", ServiceRowsWidget(rows=rows, kinds=kinds, roles=roles))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> list[dict[str, str]]:
        rows = value if isinstance(value, list) else []
        return [
            {column: str(row.get(column, "")).strip() for column in ServiceRowsWidget.COLUMNS} for row in rows
        ]

    def validate(self, value: Any) -> None:
        """A role is chosen for every row ("Not sure" is a choice): the wizard assumes none."""
        super().validate(value)
        missing = [str(number) for number, row in enumerate(value, start=1) if not row["role"]]
        if missing:
            raise forms.ValidationError(
                "Choose what each service does with information (or “Not sure”): service %(rows)s.",
                code="role",
                params={"rows": ", ".join(missing)},
            )


class CookieTableWidget(forms.Widget):
    """The cookie table a scan attached: each cookie's purpose editable, the rest as the scan found
    it, and a box to leave the table out.

    The rows travel as one hidden JSON value, so saving the cookies page keeps them; the purposes
    typed in the table replace theirs (a cookie the scan could not tie to a service says "One of
    the purposes listed above" until its owner says what it does). The domain
    (``answer_kinds.CookieRecordsKind``) checks every row again on each save.
    """

    COLUMNS = (("name", "Name"), ("provider", "Provider"), ("purpose", "Purpose"),
               ("duration", "Duration"), ("party", "First or third party"))  # fmt: skip

    @staticmethod
    def post_data(name: str, rows: list[dict[str, str]]) -> dict[str, str]:
        """What the browser sends for these rows (the hidden value), for driving the wizard in tests."""
        return {name: json.dumps(rows)}

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict, name: str) -> Any:
        if data.get(f"{name}-remove"):
            return "[]"
        raw = data.get(name, "[]")
        rows = _rows(raw)
        if rows is None:
            return raw  # the field says it cannot be read
        for index, row in enumerate(rows):
            typed = data.get(f"{name}-purpose-{index}")
            if isinstance(row, dict) and isinstance(typed, str):
                row["purpose"] = typed.strip()
        return json.dumps(rows)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        rows = [row for row in (_rows(value) or []) if isinstance(row, dict)]
        # The wrapper carries the field's id, so the error summary's link lands on the table.
        element_id = (attrs or {}).get("id") or f"id_{name}"
        hidden = format_html(
            '<div id="{}" tabindex="-1"><input type="hidden" name="{}" value="{}">',
            element_id,
            name,
            json.dumps(rows),
        )
        if not rows:
            return format_html(
                '{}<p class="text-body-secondary mb-0">No cookie table yet. Scan your website to add '
                "one: it lists each cookie with its provider, purpose and duration.</p></div>",
                hidden,
            )
        head = format_html_join("", '<th scope="col">{}</th>', ((label,) for _, label in self.COLUMNS))
        body = format_html_join(
            "", "<tr>{}</tr>", ((self._cells(name, index, row),) for index, row in enumerate(rows))
        )
        return format_html(
            '{}<div class="table-responsive" tabindex="0" role="region" aria-label="Cookie table">'
            '<table class="table table-sm"><thead><tr>{}</tr></thead><tbody>{}</tbody></table></div>'
            '<p class="form-text">Say what each cookie marked “One of the purposes listed above” does.</p>'
            '<div class="form-check"><input class="form-check-input" type="checkbox" id="id_{}-remove" '
            'name="{}-remove" value="1"><label class="form-check-label" for="id_{}-remove">'
            "Leave the cookie table out of the policy</label></div></div>",
            hidden, head, body, name, name, name,
        )  # fmt: skip

    @staticmethod
    def _cells(name: str, index: int, row: dict[str, Any]) -> SafeString:
        purpose = format_html(
            '<input class="form-control form-control-sm" name="{}-purpose-{}" value="{}" maxlength="120" '
            'aria-label="Purpose of {}">',
            name, index, row.get("purpose", ""), row.get("name", ""),
        )  # fmt: skip
        cells = [format_html("<td>{}</td>", row.get(key, "")) for key in ("name", "provider")]
        cells.append(format_html("<td>{}</td>", purpose))
        cells += [format_html("<td>{}</td>", row.get(key, "")) for key in ("duration", "party")]
        return mark_safe("".join(cells))  # each cell escaped by format_html


def _rows(value: Any) -> list[Any] | None:
    """The table's rows from the form's value (a list, or the JSON the browser sent back)."""
    if isinstance(value, list):
        return value
    if not isinstance(value, str) or len(value) > MAX_TABLE_JSON:
        return None
    try:
        rows = json.loads(value or "[]")
    except (ValueError, RecursionError):
        return None
    return rows if isinstance(rows, list) else None


MAX_TABLE_JSON = 100_000  # characters: far more than 100 rows of the longest allowed fields


class CookieTableField(forms.Field):
    widget = CookieTableWidget

    def to_python(self, value: Any) -> Any:
        if isinstance(value, list):
            return value
        if len(value or "") > MAX_TABLE_JSON:
            raise forms.ValidationError("The cookie table is too long to read; scan your website again.")
        try:
            return json.loads(value or "[]")
        except (ValueError, RecursionError):
            raise forms.ValidationError(
                "The cookie table could not be read; scan your website again."
            ) from None


class OwnParagraphsWidget(forms.Widget):
    """One folded box per section of the policy ("Add your own paragraph"), open where there is text.

    Without JavaScript each box opens and closes with its summary (``<details>``); the text areas
    are named ``<name>-<section key>``.
    """

    use_fieldset = True

    def __init__(self, *, sections: Sequence[tuple[str, str]], max_length: int, attrs: Any = None) -> None:
        super().__init__(attrs)
        self.sections = sections
        self.max_length = max_length

    def value_from_datadict(self, data: Mapping[str, Any], files: MultiValueDict, name: str) -> Any:
        # Every box posted, including those for sections the library no longer offers (shown by
        # ``render`` from the saved answers), so that saving the page never drops a paragraph.
        prefix = f"{name}-"
        return {key[len(prefix) :]: str(data.get(key, "")) for key in data if key.startswith(prefix)}

    def value_omitted_from_data(self, data: Mapping[str, Any], files: MultiValueDict, name: str) -> bool:
        return not any(key.startswith(f"{name}-") for key in data)

    def id_for_label(self, id_: str) -> str:
        return ""

    @staticmethod
    def anchor(id_: str) -> str:
        return f"{id_}-paragraphs"

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        texts = value if isinstance(value, Mapping) else {}
        base_id = self.build_attrs(self.attrs, attrs).get("id") or f"id_{name}"
        offered = {key for key, _ in self.sections}
        # A paragraph for a section the library no longer has (or a file named): shown, never lost.
        sections = list(self.sections) + [
            (str(key), f"Other information (written for “{key}”)") for key in texts if key not in offered
        ]
        boxes = format_html_join(
            "",
            '<details class="own-paragraph"{}><summary>{}</summary>'
            '<label class="form-label" for="{}-{}">Your paragraph for “{}”</label>'
            '<textarea class="form-control" id="{}-{}" name="{}-{}" rows="4" maxlength="{}">{}</textarea>'
            "</details>",
            [
                (
                    mark_safe(" open") if texts.get(key) else "",
                    title,
                    base_id,
                    key,
                    title,
                    base_id,
                    key,
                    name,
                    key,
                    self.max_length,
                    str(texts.get(key, "")),
                )
                for key, title in sections
            ],
        )
        return format_html('<div class="own-paragraphs" id="{}-paragraphs">{}</div>', base_id, boxes)


class OwnParagraphsField(forms.Field):
    """Passes the paragraphs on as {section key: text}; checking them is the domain's job."""

    def __init__(self, *, sections: Sequence[tuple[str, str]], max_length: int, **kwargs: Any) -> None:
        kwargs.setdefault("widget", OwnParagraphsWidget(sections=sections, max_length=max_length))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> dict[str, str]:
        texts = value if isinstance(value, Mapping) else {}
        return {str(key): str(text).strip() for key, text in texts.items() if str(text).strip()}
