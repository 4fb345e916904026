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
from django_ratelimit.core import get_usage
from django_ratelimit.exceptions import Ratelimited

from policybuilder.drafts.models import Draft
from policybuilder.drafts.views.common import draft_or_404
from policybuilder.drafts.views.steps import keep_typed_answers
from policybuilder.library.selectors import load_library
from policybuilder.questionnaire import PAGES_BY_KEY
from policybuilder.scan_review import cookie_rows, cookie_table_answer
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
    back = request.POST.get("back") or request.GET.get("page") or request.GET.get("back") or ""
    return back if back in services.SCAN_PAGES else "tools"


@never_cache
@require_POST
def start(request: HttpRequest, token: str) -> HttpResponse:
    """Start a scan. From a wizard page the button belongs to the page's own form, so what the
    person typed there is kept first; from the results page it is a form of its own."""
    draft = draft_or_404(token)
    back = _back_page(request)
    if _rate_limited(request, increment=False):
        raise Ratelimited()
    if request.GET.get("page") in services.SCAN_PAGES:
        keep_typed_answers(request, draft, request.GET["page"])
    url = (
        request.POST.get("url")
        or request.POST.get("scan_url")
        or request.POST.get("organization__website", "")
    )
    try:
        scan = start_scan(url=url, draft=draft, own_host=request.get_host())
    except services.ScanRequestError as error:
        messages.error(request, str(error), extra_tags="scan")
        return redirect(reverse("draft-step", args=[token, back]) + "#scan")
    _rate_limited(request, increment=True)  # only scans that start count against the limit
    return redirect(reverse("scan-results", args=[token, scan.token]) + f"?back={back}")


def _rate_limited(request: HttpRequest, *, increment: bool) -> bool:
    """Whether this person has started their share of scans (checked first, counted once started)."""
    usage = get_usage(request, group="scan", key="ip", rate=limit("scan"), increment=increment)
    return usage is not None and usage["count"] >= usage["limit"] + (1 if increment else 0)


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
    report = services.scan_report(scan)  # None until done, or for a report this release cannot read
    if report is not None:
        findings = services.draft_findings(library, draft, scan)
        cookies = draft.answers.get("cookies")
        table = cookies.get("table") if isinstance(cookies, dict) else None
        answer = cookie_table_answer(library, report)
        context.update(
            report=report,
            contradictions=[f for f in findings if f.contradicts],
            suggestions=[f for f in findings if not f.contradicts and f.change is not None],
            notes=[f for f in findings if f.change is None],
            cookie_rows=cookie_rows(library, report),
            table_state="same" if table == answer else "other" if table else "none",
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
        url = reverse("draft-review", args=[token])
    if request.POST.get("action") == "table":
        rows = services.attach_cookie_table(library=library, draft=draft, scan=scan)
        messages.success(
            request, f"The cookie table ({rows} row{'s' if rows != 1 else ''}) is now in your policy."
        )
        return redirect(url + "#messages")
    count = services.accept_findings(library=library, draft=draft, scan=scan, keys=keys)
    if count:
        messages.success(request, f"{count} answer{'s' if count != 1 else ''} updated from the scan.")
    else:
        messages.info(request, "Nothing changed: your answers already say that.")
    return redirect(url + "#messages")
