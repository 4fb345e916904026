"""The background jobs (django-tasks): a site scan, and a draft's PDF rendered ahead of its download.

Task arguments are plain values (a row's id, a draft's token), as the database backend stores
them as JSON; the work itself lives in ``services``. Views and commands start jobs through here.
"""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django_tasks import task

from policybuilder.answers import Answers
from policybuilder.assembly import AssemblyError, assemble_cached
from policybuilder.clause_library import Library
from policybuilder.drafts.models import Draft
from policybuilder.drafts.selectors import expiry_cutoff
from policybuilder.library.selectors import load_library
from policybuilder.renderers import is_cached, render_cached, render_key, rendering
from policybuilder.scans import services
from policybuilder.scans.models import SiteScan
from policybuilder.wizard import wizard_state


@task()
def run_scan_task(scan_id: int, own_host: str = "") -> None:
    services.run_scan(scan_id, own_host=own_host)


def start_scan(**request: Any) -> SiteScan:
    """``services.request_scan``, and the new scan queued once its row is committed (with the
    app's own host as the request saw it, which the scan must never visit)."""
    scan, created = services.request_scan(**request)
    if created:
        own_host = request.get("own_host", "")
        transaction.on_commit(lambda: run_scan_task.enqueue(scan.pk, own_host))
    return scan


@task()
def prerender_pdf_task(draft_id: int) -> None:
    """Render a draft's PDF into the shared render cache, so its download is served from there.

    The job names the draft by its row id, never its token: the queue's rows are visible in the
    admin, and a token opens the draft."""
    draft = Draft.objects.filter(pk=draft_id, updated_at__gte=expiry_cutoff()).first()
    if draft is None:
        return  # deleted or expired since
    library = load_library()
    state = wizard_state(
        draft.answers, draft.completed_pages, catalogue_keys=library.catalogue_keys(), library=library
    )
    if state.ready:
        document = assemble_cached(library, state.answers)
        with rendering(document, "pdf"):
            render_cached(document, "pdf")


def prerender_pdf(library: Library, answers: Answers, draft: Draft) -> bool:
    """Queue the PDF of a ready draft unless it is cached or already queued; True when queued.

    The review page calls this on every view: the first view of a version of the policy queues
    it, and later ones find it queued (a marker for five minutes) or rendered."""
    try:
        document = assemble_cached(library, answers)
    except AssemblyError:
        return False  # the review page says the library has an error; nothing to render ahead
    if is_cached(document, "pdf") or not cache.add(f"prerender:{render_key(document, 'pdf')}", 1, 300):
        return False
    transaction.on_commit(lambda: prerender_pdf_task.enqueue(draft.pk))
    return True
