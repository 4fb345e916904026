"""The publish form: the version's effective date and the owner's confirmations.

The rules for the date are ``publishing.notice``'s; this form applies them to what was typed and
words the messages. A bound form that fails keeps everything typed, so the review page shows it again.
"""

from __future__ import annotations

from typing import Any

from django import forms

from policybuilder.compliance import Finding
from policybuilder.derived import long_date
from policybuilder.publishing.notice import MAX_DAYS_AHEAD, DatePlan
from policybuilder.wording import plural


class PublishForm(forms.Form):
    effective_date = forms.DateField(
        label="Effective date of this version",
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(
            format="%Y-%m-%d",
            attrs={
                "type": "date",
                "class": "form-control",
                "aria-describedby": "effective-date-help notice-reminder",
            },
        ),
        error_messages={
            "required": "Enter the date this version takes effect.",
            "invalid": "Enter the effective date as a real date, written YYYY-MM-DD "
            "(for example 2027-01-31).",
        },
    )
    confirm_errors = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "aria-describedby": "confirm-errors-list"}
        ),
    )
    confirm_notice = forms.BooleanField(
        required=False,
        widget=forms.CheckboxInput(
            attrs={"class": "form-check-input", "aria-describedby": "notice-reminder"}
        ),
    )

    def __init__(self, *args: Any, plan: DatePlan, errors: list[Finding], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.findings = errors
        self.fields["effective_date"].initial = plan.default
        attrs = self.fields["effective_date"].widget.attrs
        attrs["max"] = plan.latest.isoformat()
        if plan.earliest is not None:
            attrs["min"] = plan.earliest.isoformat()

    def clean_effective_date(self) -> Any:
        date = self.cleaned_data["effective_date"]
        plan = self.plan
        if date > plan.latest:
            raise forms.ValidationError(
                "A policy dated more than %(years)s ahead is almost certainly a typing mistake: "
                "choose one no later than %(latest)s.",
                code="too_late",
                params={
                    "years": plural(MAX_DAYS_AHEAD // 365, "year"),
                    "latest": long_date(plan.latest.isoformat()),
                },
            )
        if plan.previous_date is not None and date < plan.today:
            raise forms.ValidationError(
                "A new version cannot take effect before today (%(today)s): until now your public page "
                "showed version %(previous)s, and a material change applied to the time before it was "
                "posted needs people's express consent (FTC Act §5).",
                code="retroactive",
                params={"today": long_date(plan.today.isoformat()), "previous": plan.number - 1},
            )
        if plan.previous_date is not None and date < plan.previous_date:
            raise forms.ValidationError(
                "Version %(number)s cannot take effect before version %(previous)s, which takes effect on "
                "%(previous_date)s.",
                code="before_previous",
                params={
                    "number": plan.number,
                    "previous": plan.number - 1,
                    "previous_date": long_date(plan.previous_date.isoformat()),
                },
            )
        return date

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.findings and not cleaned.get("confirm_errors"):
            listed = "; ".join(f"{f.message} ({f.rule.law})" for f in self.findings)
            self.add_error(
                "confirm_errors",
                forms.ValidationError(
                    "The compliance review has %(count)s error(s): %(listed)s. Fix them, or tick "
                    "“I have read the errors and publish anyway” and publish again.",
                    code="unconfirmed_errors",
                    params={"count": len(self.findings), "listed": listed},
                ),
            )
        date = cleaned.get("effective_date")
        if date is not None and self.plan.needs_confirmation(date) and not cleaned.get("confirm_notice"):
            assert self.plan.notice_ends is not None  # needs_confirmation says so
            self.add_error(
                "confirm_notice",
                forms.ValidationError(
                    "%(date)s is less than the %(days)s of notice your policy promises (that would be "
                    "%(notice_ends)s). Choose a later date, or tick that this change is not material or "
                    "that you have already given the notice.",
                    code="short_notice",
                    params={
                        "date": long_date(date.isoformat()),
                        "days": plural(self.plan.promise.days, "day"),
                        "notice_ends": long_date(self.plan.notice_ends.isoformat()),
                    },
                ),
            )
        return cleaned
