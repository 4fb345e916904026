"""Work a web worker would otherwise do on its first requests, done once before gunicorn forks.

Compiling every clause's template, reading which answers each one names, and working out which
sections each page's answers shape took about a second and a half on each worker's first step
page (and again after every recycle, as ``max_requests`` replaces workers). Done in the master,
the results are shared by every worker it forks: the library snapshot, the compiled templates
(kept by text, so a worker that reads a changed library compiles only the clauses that changed)
and the snapshot's memo.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import DatabaseError

from policybuilder.library.selectors import load_library
from policybuilder.questionnaire import PAGES
from policybuilder.section_answers import sections_reading
from policybuilder.templating import compile_body, compile_condition, context_names

logger = logging.getLogger(__name__)


def warm_library() -> bool:
    """Read the library and prepare it; False (and a warning) when the database cannot be read yet,
    as before the first ``migrate``: the workers then do it themselves, as they would have."""
    try:
        library = load_library()
    except DatabaseError as error:
        logger.warning("The clause library could not be read before starting the workers: %s", error)
        return False
    for section in library.sections:
        conditions = [section.condition, *(clause.condition for clause in section.clauses)]
        for condition in conditions:
            if condition.strip():
                _prepare(compile_condition, condition)
                _prepare(context_names, condition, True)
        for clause in section.clauses:
            _prepare(compile_body, clause.body)
            _prepare(context_names, clause.body, False)
    for page in PAGES:
        _prepare(sections_reading, library, page.paths)
    return True


def _prepare(work: Callable[..., object], *args: object) -> None:
    """One piece of the preparation. A clause that fails is left for the request that meets it,
    which shows the library-error page: one broken clause must never stop the site from starting."""
    try:
        work(*args)
    except Exception:  # clause text is untrusted: any failure is its own
        logger.warning("A clause could not be prepared before starting the workers", exc_info=True)
