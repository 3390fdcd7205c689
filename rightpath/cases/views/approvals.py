"""Case work views: the supervisors' approval queue and the decision on one request.

A supervisor sees the requests of their own organisation waiting for a decision, never their own
(``cases.approval.decide`` per request), and approves or returns each with a reason.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_plan import add_service_errors
from rightpath.cases.forms_referrals import ApprovalDecisionForm
from rightpath.cases.models import Approval
from rightpath.cases.selectors import referrals as selectors
from rightpath.cases.services import approvals as services
from rightpath.cases.services.transfers import checklist_rows


def load_approval(request: HttpRequest, approval: Any, **kwargs: Any) -> Approval:
    """The approval behind the URL (404 when unknown); the policy then decides."""
    return selectors.approval_by_code(approval)


@guard("cases.mywork.view")
@require_http_methods(["GET"])
def approvals(request: HttpRequest) -> HttpResponse:
    page = selectors.approval_queue(actor=request.user, params=request.GET)
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "approvals", "cases": sorted({str(a.case.code) for a in page["object_list"]})},
    )
    return render(request, "cases/approval_list.html", page)


@guard("cases.approval.decide", load=load_approval)
@require_http_methods(["GET", "POST"])
def approval_detail(request: HttpRequest, approval: Any, obj: Approval) -> HttpResponse:
    form = ApprovalDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == form.APPROVE
        try:
            services.approval_decide(obj, actor=request.user, approve=approve, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Approved; the requester was told.") if approve else _("Returned; the requester was told.")
            )
            return redirect("cases:approvals")
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        target=obj.case,
        data={"section": "approval", "approval": str(obj.code), "kind": obj.kind},
    )
    context: dict[str, Any] = {"approval": obj, "case": obj.case, "form": form}
    if obj.transfer is not None:
        context["checklist"] = checklist_rows(obj.transfer.checklist)
    return render(request, "cases/approval_detail.html", context)


urlpatterns = [
    path("approvals/", approvals, name="approvals"),
    path("approvals/<uuid:approval>/", approval_detail, name="approval_detail"),
]
