"""Scanning a draft's website from the wizard: start, watch, and accept what it found.

Thin: ``tasks.start_scan`` queues the scan, ``services`` reads it back and changes the answers,
``scan_review`` decides what the findings are. A scan is reached through its draft's private
link plus its own random token, like the draft itself.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from policybuilder.drafts.models import Draft
from policybuilder.drafts.views.common import draft_or_404
from policybuilder.library.selectors import load_library
from policybuilder.questionnaire import PAGES_BY_KEY
from policybuilder.scan_report import ScanFileError
from policybuilder.scan_review import cookie_rows
from policybuilder.scans import services
from policybuilder.scans.models import SiteScan
from policybuilder.scans.tasks import start_scan
from policybuilder.views import limit


def _scan_or_404(draft: Draft, scan_token: str) -> SiteScan:
    """The draft's own scan, or the daily rescan of the policy published from it."""
    scan = SiteScan.objects.filter(Q(draft=draft) | Q(policy__draft=draft), token=scan_token[:32]).first()
    if scan is None:
        raise Http404("No such scan")
    return scan


def _back_page(request: HttpRequest) -> str:
    back = request.POST.get("back") or request.GET.get("back") or ""
    return back if back in services.SCAN_PAGES else "tools"


@never_cache
@require_POST
@ratelimit(key="ip", rate=limit("scan"), group="scan", block=True)
def start(request: HttpRequest, token: str) -> HttpResponse:
    draft = draft_or_404(token)
    back = _back_page(request)
    try:
        scan = start_scan(url=request.POST.get("url", ""), draft=draft, own_host=request.get_host())
    except services.ScanRequestError as error:
        messages.error(request, str(error))
        return redirect(reverse("draft-step", args=[token, back]) + "#scan")
    return redirect(reverse("scan-results", args=[token, scan.token]) + f"?back={back}")


@never_cache
@require_GET
def results(request: HttpRequest, token: str, scan_token: str) -> HttpResponse:
    draft = draft_or_404(token)
    scan = _scan_or_404(draft, scan_token)
    library = load_library()
    context = {
        "draft": draft,
        "scan": scan,
        "state": services.scan_state(scan),
        "back": PAGES_BY_KEY[_back_page(request)],
        "status_url": reverse("scan-status", args=[token, scan.token]),
        "scan_url": scan.url,
        "scan_pages": settings.SCAN_PAGES,
    }
    if scan.status == SiteScan.Status.DONE:
        try:
            report = services.scan_report(scan)
        except ScanFileError:
            report = None
        if report is not None:
            findings = services.draft_findings(library, draft, scan)
            table = (
                draft.answers.get("cookies", {}).get("table")
                if isinstance(draft.answers.get("cookies"), dict)
                else None
            )
            context.update(
                report=report,
                contradictions=[f for f in findings if f.contradicts],
                suggestions=[f for f in findings if not f.contradicts and f.change is not None],
                notes=[f for f in findings if f.change is None],
                cookie_rows=cookie_rows(library, report),
                table_attached=bool(table),
                acceptable=[f.key for f in findings if f.change is not None],
            )
    return render(request, "scans/results.html", context)


@never_cache
@require_GET
def status(request: HttpRequest, token: str, scan_token: str) -> JsonResponse:
    """Progress for the page script, which reloads the page once the scan has finished."""
    scan = _scan_or_404(draft_or_404(token), scan_token)
    return JsonResponse(services.scan_state(scan))


@never_cache
@require_POST
def accept(request: HttpRequest, token: str, scan_token: str) -> HttpResponse:
    draft = draft_or_404(token)
    scan = _scan_or_404(draft, scan_token)
    library = load_library()
    keys = set(request.POST.getlist("key"))
    back = _back_page(request)
    url = reverse("scan-results", args=[token, scan.token]) + f"?back={back}"
    if request.POST.get("next") == "review":  # a "Fix" on the review page returns there
        url = reverse("draft-review", args=[token]) + "#scan-contradictions"
    if request.POST.get("action") == "table":
        rows = services.attach_cookie_table(library=library, draft=draft, scan=scan)
        messages.success(
            request, f"The cookie table ({rows} row{'s' if rows != 1 else ''}) is now in your policy."
        )
        return redirect(url + "#cookie-table")
    count = services.accept_findings(library=library, draft=draft, scan=scan, keys=keys)
    if count:
        messages.success(request, f"{count} answer{'s' if count != 1 else ''} updated from the scan.")
    else:
        messages.info(request, "Nothing changed: your answers already say that.")
    return redirect(url)
