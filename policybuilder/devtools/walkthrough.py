"""A timed run through the wizard as a person would make it, for the figures issue 16 asks for.

Chromium (Playwright) answers one of the shipped examples page by page on a throwaway gunicorn,
pressing only what a person would have to press: a check box already in the right state is left
alone, a text box is typed into only when its answer is not empty. It counts pages, clicks and
fields typed into, and reports the machine's seconds and an estimate of a person's with the
Keystroke-Level Model (Card, Moran and Newell): 1.1 s to point, 0.2 s to click, 0.28 s a key for an
average typist, 1.35 s to think before each answer, and 2 s to read each page's heading and "why".
The estimate is a model, for comparing versions of the wizard, not a promise to users.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

from policybuilder.answers import default_answers
from policybuilder.questionnaire import PAGES_BY_KEY, Kind

POINT, CLICK, KEY, THINK, READ_PAGE = 1.1, 0.2, 0.28, 1.35, 2.0


@dataclass
class Walk:
    pages: list[str] = field(default_factory=list)
    clicks: int = 0
    fields_typed: int = 0
    keys: int = 0
    seconds: float = 0.0

    @property
    def person_seconds(self) -> float:
        """The Keystroke-Level Model's estimate of a person's time (see the module's docstring)."""
        answers = self.clicks + self.fields_typed
        return (
            len(self.pages) * READ_PAGE
            + answers * THINK
            + (self.clicks + self.fields_typed) * (POINT + CLICK)
            + self.keys * KEY
        )

    def lines(self) -> list[str]:
        return [
            f"wizard walk pages: {len(self.pages)}",
            f"wizard walk clicks: {self.clicks}",
            f"wizard walk fields typed: {self.fields_typed} ({self.keys} keys)",
            f"wizard walk machine seconds: {self.seconds:.1f} s",
            f"wizard walk person estimate (KLM): {self.person_seconds:.0f} s",
        ]


def walk(page: Any, base_url: str, answers: dict[str, Any], *, start_from: str = "") -> Walk:
    """Start a draft at ``base_url`` and answer every page until the review, counting as we go.

    With ``start_from`` (an example's slug), the draft starts from that example's answers ("Start
    from this example" on the home page) and the person still opens every page to check it,
    changing only what differs from their own ``answers``.
    """
    result = Walk()
    started = time.perf_counter()
    page.goto(base_url + "/")
    if start_from:
        with page.expect_navigation():
            page.locator(f'form[action$="/examples/{start_from}/start/"] button').click()
        result.clicks += 1
        with page.expect_navigation():  # the notice's link to "About you" (or "Change" beside it)
            page.locator('a[href$="/step/organization/?return=review"]').first.click()
        result.clicks += 1
        page.goto(page.url.split("?")[0])  # then through every page in order, not back to the review
    else:
        _press(page, result, "Start a new policy")
    for _ in range(40):
        if "/review/" in page.url:
            result.seconds = time.perf_counter() - started
            return result
        key = page.url.rstrip("/").split("/")[-1].split("?")[0]
        result.pages.append(key)
        _answer_page(page, result, key, answers)
        _press(page, result, "Save and continue")
    raise RuntimeError("the walk never reached the review page")


def _press(page: Any, result: Walk, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name=name, exact=True).click()
    result.clicks += 1


def _answer_page(page: Any, result: Walk, key: str, answers: dict[str, Any]) -> None:
    from policybuilder.drafts.forms import field_name  # the form's naming; the walk is a dev tool

    defaults = default_answers()
    for question in PAGES_BY_KEY[key].questions:
        name = field_name(question)
        value = answers.get(question.section, {}).get(question.key, defaults[question.section][question.key])
        if question.kind is Kind.SERVICE_RECORDS:
            for index, record in enumerate(value):
                if not page.locator(f'[name="{name}-{index}-name"]').is_visible():
                    page.get_by_role("button", name="Add a service").click()
                    result.clicks += 1
                for part in ("name", "company", "website"):
                    _type(page, result, f'[name="{name}-{index}-{part}"]', record.get(part, ""))
                for part, chosen in (("kind", record["kind"]), ("role", record.get("role") or "unknown")):
                    page.locator(f'[name="{name}-{index}-{part}"]').select_option(chosen)
                    result.clicks += 2  # open the list, choose
            continue
        locator = page.locator(f'[name="{name}"]')
        if not locator.first.is_visible():
            continue
        if question.kind in (Kind.BOOL, Kind.CHOICE):
            choice = ("yes" if value else "no") if question.kind is Kind.BOOL else value
            box = page.locator(f'[name="{name}"][value="{choice}"]')
            if not box.is_checked():
                box.check()
                result.clicks += 1
        elif question.kind in (Kind.MULTI, Kind.CATALOGUE):
            for box in locator.all():
                wanted = box.get_attribute("value") in value
                if box.is_checked() != wanted:
                    box.set_checked(wanted)
                    result.clicks += 1
        elif question.kind is Kind.COUNTRY:
            if value and locator.input_value() != value:
                locator.select_option(value)
                result.clicks += 2
        else:
            _type(page, result, f'[name="{name}"]', "" if value is None else str(value))


def _type(page: Any, result: Walk, selector: str, text: str) -> None:
    locator = page.locator(selector)
    if not text or locator.input_value() == text:
        return
    locator.fill(text)
    result.fields_typed += 1
    result.keys += len(text)
