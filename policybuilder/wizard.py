"""Where a person is in the questionnaire: which pages apply, what is done, what comes next.

Recomputed from the draft's answers on every request ("a checklist, not a
flowchart"), so changing an early answer re-routes the rest at once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from policybuilder.answers import Answers, CatalogueKeys, Problem, normalise_answers
from policybuilder.clause_library import Library, ServiceSpec
from policybuilder.compliance import SEVERITIES, Finding, check_answers
from policybuilder.derived import chosen_services
from policybuilder.questionnaire import (
    PAGES,
    QUESTIONS_BY_PATH,
    Page,
    Question,
    Suggestion,
    applicable_pages,
    on_page,
)
from policybuilder.wording import join_list, plural

PATH_TO_PAGE: dict[str, Page] = {path: page for page in PAGES for path in page.paths}

# The problem of an applicable question the wizard asks explicitly but the person has not answered.
UNANSWERED = "is not answered yet"


@dataclass(frozen=True)
class PageStatus:
    page: Page
    number: int
    state: str  # "done", "current", "todo" or "problem"
    finding: str = ""  # the most severe compliance finding on the page: "error", "warning", "note" or ""

    @property
    def label(self) -> str:
        return {
            "done": "saved",
            "current": "this step",
            "todo": "not reached yet",
            "problem": "needs an answer",
        }[self.state]

    @property
    def shows_finding(self) -> str:
        """The severity the step list shows: none on a step not reached yet, whose answers the
        person has not given (what the review says there is news only once they get there)."""
        return "" if self.state == "todo" else self.finding


@dataclass(frozen=True)
class ReviewAnswer:
    question: Question
    shown: str
    own_words: bool = False  # written by the person and printed as written: the review cannot check it


class Attention(NamedTuple):
    """A page the review asks people to go back to: never saved, or with answers that are not valid."""

    page: Page
    problems: list[str]  # each as a sentence naming its question
    unfinished: bool


class FindingFix(NamedTuple):
    """A compliance finding and where it is fixed: the page, and the question on it."""

    finding: Finding
    page: Page
    path: str


@dataclass
class WizardState:
    answers: Answers
    problems: list[Problem]
    pages: list[Page]
    completed: set[str]
    answered: frozenset[str] = frozenset()  # the paths the person gave an answer for
    services: tuple[ServiceSpec, ...] = ()  # the catalogue entries chosen (their facts)
    key: tuple[Any, ...] = ()  # what the state was worked out from, when remembered (views' memo keys)
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
        """The compliance review of the answers as they stand, leaving out what rests on unanswered
        questions (see ``compliance.check_answers``)."""
        if self._findings is None:
            # Not yet said: explicit questions not answered, and anything on a page never saved
            # (a check-box list there is empty because nobody has looked, not because of "none").
            unanswered = {
                path
                for path, q in QUESTIONS_BY_PATH.items()
                if self.is_unanswered(q) or PATH_TO_PAGE[path].key not in self.completed
            }
            self._findings = check_answers(self.answers, services=self.services, unanswered=unanswered)
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
        """Every applicable page saved and every answer valid: the policy can be downloaded.

        A page whose questions only decide the review's list of laws ("Size and reach") does not
        hold the policy back: the policy does not depend on it.
        """
        blocking = [page for page in self.unfinished if not all(q.review_only for q in page.questions)]
        return not self.problems and not blocking

    def resume_page(self) -> Page | None:
        """Where someone coming back should continue: the first unsaved or broken page."""
        for page in self.pages:
            if page.key not in self.completed or self.problems_on(page):
                return page
        return None

    def is_unanswered(self, question: Question) -> bool:
        """A question the wizard asks explicitly that the person has not answered yet."""
        return question.explicit and question.path not in self.answered

    def current_values(self, raw: dict[str, Any]) -> dict[str, Any]:
        """What each question shows: the person's own answer where they gave one.

        Questions the wizard asks explicitly show None (nothing chosen) until
        answered; the others show their default (an empty box). ``raw`` is the
        draft's stored answers. Answers to questions that no longer apply are
        kept in the draft and shown again if the person changes their mind back.
        """
        current = {
            section: dict(values) for section, values in self.answers.items() if isinstance(values, dict)
        }
        for section, values in current.items():
            for key in values:
                if self.is_unanswered(QUESTIONS_BY_PATH[f"{section}.{key}"]):
                    values[key] = None
        for section, values in raw.items():
            for key, value in values.items():
                if section in current and key in current[section]:
                    current[section][key] = value
        return current

    def suggestions(self, questions: Iterable[Question]) -> dict[str, Suggestion]:
        """What earlier answers suggest for these questions, by path, for those not yet answered."""
        found = {}
        for question in questions:
            suggestion = question.suggestion(self.answers) if self.is_unanswered(question) else None
            if suggestion is not None:
                found[question.path] = suggestion
        return found

    @property
    def attention(self) -> list[Attention]:
        """What stands between the person and a finished policy, page by page, in order."""
        return [
            Attention(
                page,
                [
                    f"{QUESTIONS_BY_PATH[p.path].label} {field_message(p.message)}"
                    for p in self.problems_on(page)
                ],
                page.key not in self.completed,
            )
            for page in self.pages
            if self.problems_on(page) or page.key not in self.completed
        ]

    @property
    def fixable_findings(self) -> list[FindingFix]:
        """The findings the review lists: those on pages that apply (so a "Fix" link can open them)."""
        fixes = [FindingFix(f, PATH_TO_PAGE[f.rule.path], f.rule.path) for f in self.findings]
        return [fix for fix in fixes if self.applies(fix.page)]

    @property
    def errors(self) -> list[Finding]:
        """The error-level findings the review lists: publishing with them needs a confirmation."""
        return [fix.finding for fix in self.fixable_findings if fix.finding.rule.severity == "error"]

    @property
    def finding_counts(self) -> dict[str, int]:
        """How many of the review's findings there are of each severity, most severe first."""
        severities = [fix.finding.rule.severity for fix in self.fixable_findings]
        return {s: severities.count(s) for s in SEVERITIES}

    @property
    def finding_summary(self) -> str:
        """ "1 warning, 2 notes": the counts the review's heading shows (none left out)."""
        return ", ".join(plural(n, s) for s, n in self.finding_counts.items() if n)

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
                ReviewAnswer(
                    q,
                    "Not answered yet"
                    if self.is_unanswered(q)
                    else describe_answer(q, self.answers[q.section][q.key], service_names),
                    q.own_words and bool(self.answers[q.section][q.key]),
                )
                for q in page.questions
                if q.applies(self.answers)
            ]
            groups.append((page, rows))
        return groups


def pages_changed(before: list[Page], after: list[Page], saved: Page | None = None) -> str:
    """Why the number of steps changed after a save, in words ("" when it did not): the step total
    moves as answers add or remove pages, and a number that moves unexplained looks like a fault.
    With the page just ``saved``, its questions on which those pages depend are named."""
    added = [page for page in after if page not in before]
    removed = [page for page in before if page not in after]
    parts = []
    if added:
        parts.append(f"{plural(len(added), 'step')} added ({join_list(f'“{p.title}”' for p in added)})")
    if removed:
        titles = join_list(f"“{p.title}”" for p in removed)
        parts.append(f"{plural(len(removed), 'step')} no longer needed ({titles})")
    if not parts:
        return ""
    because = "Because of your answers"
    if saved is not None:
        # The questions of the saved page that the added or removed pages' questions depend on.
        depended = {
            path
            for page in added + removed
            for q in page.questions
            if q.applies_when
            for path in q.applies_when.paths()
        }
        labels = [f"“{q.label}”" for q in saved.questions if q.path in depended]
        if labels:
            because = f"Because of your answer{'s' if len(labels) > 1 else ''} to {join_list(labels[:2])}"
    return f"{because}: {' and '.join(parts)}. You now have {plural(len(after), 'step')}."


_PATH = re.compile(r"\b[a-z_]+\.[a-z_0-9]+\b")
_SET_TO = re.compile(r"set (“[^”]*”) to (true|false)\b")


def field_message(message: str) -> str:
    """A domain message ("is required", "must be ...") as a sentence under a field.

    Answer paths in the message become the questions' own labels.
    """
    if message.startswith("is required"):
        return "An answer is required."
    if message == UNANSWERED:
        return "Not answered yet: choose an answer."
    message = _PATH.sub(
        lambda m: (
            f"“{QUESTIONS_BY_PATH[m.group(0)].label}”" if m.group(0) in QUESTIONS_BY_PATH else m.group(0)
        ),
        message,
    )
    # Files say true and false; people answer Yes and No.
    message = _SET_TO.sub(
        lambda m: f"answer “{'Yes' if m.group(2) == 'true' else 'No'}” to {m.group(1)}", message
    )
    return message[0].upper() + message[1:] + ("" if message.endswith(".") else ".")


def page_questions(page: Page, answers: Answers) -> list[Question]:
    """The questions a page shows: those that apply, and those that depend only on
    answers on the same page (the page script shows and hides them as people answer)."""
    shown = []
    for question in page.questions:
        condition = question.applies_when
        if condition is None or question.applies(answers) or on_page(condition, page.paths, answers):
            shown.append(question)
    return shown


def wizard_state(
    raw: dict[str, Any],
    completed: Iterable[str],
    *,
    catalogue_keys: CatalogueKeys,
    library: Library | None = None,
) -> WizardState:
    """Where a draft stands; with the ``library``, the compliance review also reads the facts of
    the services chosen."""
    answers, problems = normalise_answers(raw, catalogue_keys=catalogue_keys, strict_applicability=False)
    pages, done = applicable_pages(answers), set(completed)
    answered = frozenset(
        f"{section}.{key}"
        for section, values in raw.items()
        if isinstance(values, dict)
        for key, value in values.items()
        if value is not None
    )
    # A saved page can gain a question it never asked (an answer elsewhere made it apply):
    # the page needs attention until the person answers it; no default answers for them.
    answered_problems = {p.path for p in problems}
    for page in pages:
        if page.key in done:
            problems += [
                Problem(q.path, UNANSWERED)
                for q in page.questions
                if q.explicit
                and q.path not in answered
                and q.path not in answered_problems
                and q.applies(answers)
            ]
    services = tuple(chosen_services(library, answers)) if library is not None else ()
    return WizardState(answers, problems, pages, done, answered, services)


def describe_answer(question: Question, value: Any, service_names: dict[str, str] | None = None) -> str:
    return question.kind.describe(question, value, service_names or {})
