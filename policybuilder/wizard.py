"""Where a person is in the questionnaire: which pages apply, what is done, what comes next.

Recomputed from the draft's answers on every request ("a checklist, not a
flowchart"), so changing an early answer re-routes the rest at once.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from policybuilder.answers import Answers, CatalogueKeys, Problem, normalise_answers
from policybuilder.compliance import SEVERITIES, Finding, check_answers
from policybuilder.questionnaire import PAGES, Page, Question, applicable_pages

PATH_TO_PAGE: dict[str, Page] = {path: page for page in PAGES for path in page.paths}


@dataclass(frozen=True)
class PageStatus:
    page: Page
    number: int
    state: str  # "done", "current", "todo" or "problem"
    finding: str = ""  # the most severe compliance finding on the page: "error", "warning", "note" or ""

    @property
    def label(self) -> str:
        return {
            "done": "done",
            "current": "current step",
            "todo": "not started",
            "problem": "needs attention",
        }[self.state]


@dataclass(frozen=True)
class ReviewAnswer:
    question: Question
    shown: str


@dataclass
class WizardState:
    answers: Answers
    problems: list[Problem]
    pages: list[Page]
    completed: set[str]
    _findings: list[Finding] | None = field(default=None, repr=False)

    def number(self, page: Page) -> int:
        return self.pages.index(page) + 1

    def applies(self, page: Page) -> bool:
        return page in self.pages

    def next_page(self, page: Page) -> Page | None:
        index = self.pages.index(page) if page in self.pages else -1
        return self.pages[index + 1] if index + 1 < len(self.pages) else None

    def first_applicable_from(self, page: Page) -> Page | None:
        """The page itself if it applies, else the next one that does (for skipped pages)."""
        later = PAGES[PAGES.index(page) :]
        return next((p for p in later if p in self.pages), None)

    def previous_page(self, page: Page) -> Page | None:
        index = self.pages.index(page) if page in self.pages else 0
        return self.pages[index - 1] if index > 0 else None

    def problems_on(self, page: Page) -> list[Problem]:
        return [p for p in self.problems if PATH_TO_PAGE.get(p.path) is page]

    @property
    def findings(self) -> list[Finding]:
        """The compliance review of the answers as they stand (see ``compliance``)."""
        if self._findings is None:
            self._findings = check_answers(self.answers)
        return self._findings

    def finding_on(self, page: Page) -> str:
        severities = {f.rule.severity for f in self.findings if PATH_TO_PAGE.get(f.rule.path) is page}
        return next((s for s in SEVERITIES if s in severities), "")

    @property
    def unfinished(self) -> list[Page]:
        """Applicable pages never saved, in order."""
        return [page for page in self.pages if page.key not in self.completed]

    @property
    def ready(self) -> bool:
        """Every applicable page saved and every answer valid: the policy can be downloaded."""
        return not self.problems and not self.unfinished

    def resume_page(self) -> Page | None:
        """Where someone coming back should continue: the first unsaved or broken page."""
        for page in self.pages:
            if page.key not in self.completed or self.problems_on(page):
                return page
        return None

    def progress(self, current: Page | None = None) -> list[PageStatus]:
        statuses = []
        for number, page in enumerate(self.pages, 1):
            if page is current:
                state = "current"
            elif page.key in self.completed:
                state = "problem" if self.problems_on(page) else "done"
            else:
                state = "todo"
            statuses.append(PageStatus(page, number, state, self.finding_on(page)))
        return statuses

    def review(self, service_names: dict[str, str] | None = None) -> list[tuple[Page, list[ReviewAnswer]]]:
        """Every applicable answer, as people read it, grouped by page."""
        groups = []
        for page in self.pages:
            rows = [
                ReviewAnswer(q, describe_answer(q, self.answers[q.section][q.key], service_names))
                for q in page.questions
                if q.applies(self.answers)
            ]
            groups.append((page, rows))
        return groups


def page_questions(page: Page, answers: Answers) -> list[Question]:
    """The questions a page shows: those that apply, and those that depend only on
    answers on the same page (the page script shows and hides them as people answer)."""
    shown = []
    for question in page.questions:
        condition = question.applies_when
        if condition is None or question.applies(answers) or set(condition.paths()) <= set(page.paths):
            shown.append(question)
    return shown


def wizard_state(
    raw: dict[str, Any], completed: Iterable[str], *, catalogue_keys: CatalogueKeys
) -> WizardState:
    answers, problems = normalise_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)
    return WizardState(answers, problems, applicable_pages(answers), set(completed))


def describe_answer(question: Question, value: Any, service_names: dict[str, str] | None = None) -> str:
    return question.kind.describe(question, value, service_names or {})
