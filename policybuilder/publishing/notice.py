"""When a new version takes effect: the notice the policy promises, and the dates publishing allows.

The rules, in order (``DatePlan`` holds them for one publication):

- **Version 1** takes effect on the date the owner answered (``organization.effective_date``) unless
  they choose another. Nobody has been promised anything yet, so any real date is allowed (up to
  ``MAX_DAYS_AHEAD``, below).
- **A later version** is bound by the notice the *published* policy promises — the one people have
  read (``policy_changes.notice_methods`` and ``effective_after_days`` of the current version's
  answers), not the one the new version will promise for changes after it. Its date defaults to
  today plus that many days, never to the previous version's date (unless that is later still,
  because versions take effect in order).
- It can never take effect **before today**: the public page showed the previous version until now,
  so an earlier date would apply the new text to a time it was not posted — a retroactive change,
  which for material changes the FTC treats as deceptive without people's affirmative express
  consent (FTC Act §5; LAWS.md, "FTC Act", Gateway Learning 2004, Facebook 2011/2012).
- Nor before the **previous version's** date: versions take effect in the order they were published.
- A date from today up to (not including) today plus the promised days is allowed only when the
  owner confirms that the change is not material (clearer wording, a new contact address) or that
  they have already given the promised notice. We cannot tell a material change from a small one,
  so the owner says which; the version records that they did (``PolicyVersion.notice_confirmed``).
- No date more than ``MAX_DAYS_AHEAD`` days from today: a policy dated years ahead is a typing
  mistake, not a plan.

Pure functions of the answers, the current version (its number, date and answers) and today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from policybuilder.derived import long_date
from policybuilder.publishing.models import PolicyVersion
from policybuilder.questionnaire import QUESTIONS_BY_PATH
from policybuilder.wording import join_list, plural

MAX_DAYS_AHEAD = 2 * 365

_METHODS = QUESTIONS_BY_PATH["policy_changes.notice_methods"]
_DAYS = QUESTIONS_BY_PATH["policy_changes.effective_after_days"]


def _answer(answers: Mapping[str, Any], path: str) -> Any:
    """An answer from normalised or pruned (stored) answers, falling back to the question's default."""
    question = QUESTIONS_BY_PATH[path]
    value = answers.get(question.section, {}).get(question.key)
    return question.default_value() if value is None else value


@dataclass(frozen=True)
class NoticePromise:
    """How a policy says it announces changes, and how many days before they take effect."""

    methods: tuple[str, ...]  # the choices' labels, as the questionnaire words them
    days: int

    @property
    def how(self) -> str:
        """ "by email and by updating this page and its date" — the questionnaire's own labels."""
        return join_list(label[:1].lower() + label[1:] for label in self.methods)

    def sentence(self) -> str:
        """The promise in the owner's words: what the reminder on the publish form says."""
        if self.days == 0:
            return (
                f"Your policy says you will tell people about changes {self.how}, and that changes "
                "take effect when they are posted, a material change only once people have been told."
            )
        return (
            f"Your policy says you will tell people about changes {self.how}, "
            f"{plural(self.days, 'day')} before they take effect."
        )


def promised_notice(answers: Mapping[str, Any]) -> NoticePromise:
    labels = {choice.value: choice.label for choice in _METHODS.choices}
    chosen = _answer(answers, _METHODS.path)
    methods = tuple(labels[value] for value in _METHODS.choice_values if value in chosen)
    return NoticePromise(methods=methods, days=int(_answer(answers, _DAYS.path)))


@dataclass(frozen=True)
class DatePlan:
    """The effective dates one publication allows, its default, and why, in plain words."""

    number: int  # the version about to be published
    today: dt.date
    default: dt.date
    promise: NoticePromise  # the published version's promise (for version 1, the one it will make)
    previous_date: dt.date | None = None  # the current version's effective date, if there is one

    @property
    def earliest(self) -> dt.date | None:
        """No later version takes effect before today or before the version it replaces."""
        if self.previous_date is None:
            return None
        return max(self.today, self.previous_date)

    @property
    def notice_ends(self) -> dt.date | None:
        """The first date the promised notice allows; earlier dates need the owner's confirmation."""
        if self.previous_date is None:
            return None
        return self.today + dt.timedelta(days=self.promise.days)

    @property
    def latest(self) -> dt.date:
        return self.today + dt.timedelta(days=MAX_DAYS_AHEAD)

    def needs_confirmation(self, date: dt.date) -> bool:
        return self.notice_ends is not None and date < self.notice_ends

    def explanation(self) -> str:
        """Why the form suggests the date it does."""
        if self.previous_date is None:
            return "Suggested: the effective date you gave on the first page."
        if self.notice_ends is not None and self.previous_date > self.notice_ends:
            return (
                f"Suggested: {long_date(self.default.isoformat())}, the date version {self.number - 1} takes "
                f"effect; version {self.number} cannot take effect before it."
            )
        if self.promise.days == 0:
            return (
                "Suggested: today. Your policy lets changes take effect when they are posted, "
                f"so version {self.number} does not keep the date of version {self.number - 1}."
            )
        return (
            f"Suggested: today plus the {plural(self.promise.days, 'day')} of notice your policy promises, "
            f"{long_date(self.default.isoformat())}. Version {self.number} does not keep the date of "
            f"version {self.number - 1} ({long_date(self.previous_date.isoformat())})."
        )

    def reminder(self) -> str:
        """The notice promised, and what to do about it before this version takes effect."""
        if self.previous_date is None:
            return f"{self.promise.sentence()} That promise applies to every version after this one."
        if self.promise.days == 0:
            return f"{self.promise.sentence()} Give that notice when you publish."
        return (
            f"{self.promise.sentence()} Give that notice when you publish, at least "
            f"{plural(self.promise.days, 'day')} before the date below."
        )


def plan_dates(*, answers: Mapping[str, Any], today: dt.date, previous: PolicyVersion | None) -> DatePlan:
    """The date plan for publishing ``answers`` after ``previous`` (the current version), or as version 1."""
    if previous is None:
        default = dt.date.fromisoformat(answers["organization"]["effective_date"])
        return DatePlan(number=1, today=today, default=default, promise=promised_notice(answers))
    promise = promised_notice(previous.answers)
    return DatePlan(
        number=previous.number + 1,
        today=today,
        default=max(today + dt.timedelta(days=promise.days), previous.effective_date),
        promise=promise,
        previous_date=previous.effective_date,
    )
