"""gunicorn's master prepares the clause library before forking, so no worker parses a template on
its first pages (which took about a second and a half per worker, again after every recycle)."""

from __future__ import annotations

import pytest
from django.db import OperationalError
from django.urls import reverse

from policybuilder import templating
from policybuilder.answers import prune_answers
from policybuilder.drafts.services import create_draft_from_file
from policybuilder.library import warming
from policybuilder.library.warming import warm_library
from policybuilder.samples import largest

pytestmark = pytest.mark.django_db


def test_after_warming_a_first_step_page_and_review_parse_no_clause_template(
    client, db_library, catalogue, monkeypatch
):
    answers = largest(catalogue)
    draft = create_draft_from_file(answers=prune_answers(answers, keep_defaults=True), given_sections=answers)
    assert warm_library() is True
    parsed = []
    real_parse = templating.ENV._parse
    monkeypatch.setattr(templating.ENV, "_parse", lambda *args: parsed.append(args[0]) or real_parse(*args))
    for page in ("organization", "tools", "cookies"):
        assert client.get(reverse("draft-step", args=[draft.token, page])).status_code == 200
    assert client.get(reverse("draft-review", args=[draft.token])).status_code == 200
    assert parsed == []


def test_before_the_first_migrate_the_master_starts_the_workers_all_the_same(monkeypatch, caplog):
    def no_tables():
        raise OperationalError("no such table: library_clause")

    monkeypatch.setattr(warming, "load_library", no_tables)
    assert warm_library() is False
    assert "could not be read before starting the workers: no such table" in caplog.text


def test_a_clause_that_does_not_compile_never_stops_the_site_from_starting(db_library, caplog):
    """Even a disabled clause edited in the database directly: the master warns and starts the
    workers, and the requests that meet the clause get the library-error page as before."""
    from policybuilder.library.models import Clause
    from policybuilder.library.revisions import library_changed

    Clause.objects.filter(pk=Clause.objects.first().pk).update(body="{{ organization.name ", enabled=False)
    library_changed()
    assert warm_library() is True
    assert "could not be prepared before starting the workers" in caplog.text
