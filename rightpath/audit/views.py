"""The data-protection officer's view of the audit log, its export and its verification."""

from __future__ import annotations

import csv
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from rightpath.access.views import guard
from rightpath.core.export import safe_cell

from . import events, selectors
from .services import record
from .tasks import verify_audit_log


@guard("audit.entry.list")
@require_GET
def entry_list(request: HttpRequest) -> HttpResponse:
    page = selectors.entry_list(actor=request.user, params=request.GET)
    return render(
        request, "audit/entry_list.html", {**page, "events": sorted(events.LABELS.items(), key=lambda kv: str(kv[1]))}
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


@guard("audit.entry.list")
@require_GET
def entry_export(request: HttpRequest) -> StreamingHttpResponse:
    """The filtered entries as CSV; the export itself is an audit entry."""
    record(
        events.EXPORTED,
        actor=request.user,
        data={"what": "audit log", "filters": {k: v for k, v in request.GET.items()}},
    )
    writer = csv.writer(_Echo())
    header = ["id", "time", "event", "actor", "organisation", "object_type", "object", "address", "justification"]

    def rows() -> Any:
        yield writer.writerow(header)
        for row in selectors.entry_export_rows(actor=request.user, params=request.GET):
            yield writer.writerow([safe_cell(v) for v in row])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


@guard("audit.verify")
@require_http_methods(["GET", "POST"])
def verify_start(request: HttpRequest) -> HttpResponse:
    """Asks first; verifying a large log takes a while, so it runs as a task with a result page."""
    if request.method == "POST":
        result = verify_audit_log.enqueue(request.user.pk)
        return redirect("audit:verify_result", result_id=result.id)
    return render(request, "audit/verify_start.html")


@guard("audit.verify")
@require_GET
def verify_result(request: HttpRequest, result_id: str) -> HttpResponse:
    try:
        result = verify_audit_log.get_result(str(result_id))
    except Exception as exc:  # an unknown or foreign id: nothing to show
        raise Http404 from exc
    finished = result.is_finished
    outcome = result.return_value if finished and result.status == "SUCCESSFUL" else None
    template = "audit/verify_result_status.html" if request.htmx else "audit/verify_result.html"
    return render(request, template, {"result": result, "finished": finished, "outcome": outcome})
