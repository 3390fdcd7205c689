"""Case work views: lead transfers (hand-over from prison to probation to the community).

The team sees the case's transfers in its referrals section; the lead coordinator starts one
through the hand-over checklist (``cases.case.manage``). The receiving organisation's coordinators
see the transfers addressed to them on "incoming" and answer each on its own page
(``cases.referral.answer``, which checks the transfer's receiving organisation).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard, guarded_inside
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_plan import add_service_errors
from rightpath.cases.forms_referrals import TransferAnswerForm, TransferForm
from rightpath.cases.models import Case, Transfer
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import referrals as selectors
from rightpath.cases.services import transfers as services
from rightpath.cases.vocab import Section

from . import load_case, section_loader
from .cases import case_page
from .plan import audit_read

READ = section_loader(Section.REFERRALS)
ANSWER = "cases.referral.answer"
MANAGE = "cases.case.manage"


def load_transfer(request: HttpRequest, transfer: Any, **kwargs: Any) -> Transfer:
    """The transfer behind the URL as the receiving side addresses it. One still waiting for the
    sending organisation's supervisor does not exist yet for the receiving side."""
    record_ = selectors.transfer_by_code(transfer)
    if record_.status == Transfer.Status.AWAITING_APPROVAL:
        raise Http404
    return record_


@guard("cases.section.read", load=READ)
@require_http_methods(["GET"])
def transfer_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    page = selectors.transfer_list(case, params=request.GET)
    audit_read(request, case, Section.REFERRALS, what="transfers")
    context = case_page(request, case, "transfers")
    return render(
        request,
        "cases/transfer_list.html",
        {**context, **page, "can_start": bool(can(request.user, MANAGE, case)), "open": selectors.open_transfer(case)},
    )


@guard(MANAGE, load=load_case)
@require_http_methods(["GET", "POST"])
def transfer_create(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    form = TransferForm(
        request.POST or None,
        initial={"to_organisation": case.receiving_organisation.code if case.receiving_organisation else None},
        organisations=selectors.receiving_organisations(exclude=case.lead_organisation_id),
    )
    if request.method == "POST" and form.is_valid():
        try:
            transfer = services.transfer_start(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if transfer.status == Transfer.Status.AWAITING_APPROVAL:
                messages.success(request, _("The hand-over waits for a supervisor's approval before it is sent."))
            else:
                messages.success(
                    request,
                    _("The hand-over was sent; the coordinators of %(org)s were told.")
                    % {"org": transfer.to_organisation.name},
                )
            return redirect("cases:transfer_detail", code=case.code, transfer=transfer.code)
    return render(
        request,
        "cases/transfer_form.html",
        {**case_page(request, case, "transfers"), "form": form, "open": selectors.open_transfer(case)},
    )


@guard("cases.section.read", load=READ)
def _transfer_detail_for_team(request: HttpRequest, code: Any, transfer: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.transfer_get(case.code, transfer)
    audit_read(request, case, Section.REFERRALS, transfer=str(record_.code))
    return render(
        request,
        "cases/transfer_detail.html",
        {
            **case_page(request, case, "transfers"),
            "transfer": record_,
            "checklist": services.checklist_rows(record_.checklist),
            "can_cancel": record_.status in selectors.OPEN_TRANSFER and bool(can(request.user, MANAGE, case)),
        },
    )


@guarded_inside(f"cases.section.read,{ANSWER}")
@require_http_methods(["GET"])
def transfer_detail(request: HttpRequest, code: Any, transfer: Any) -> HttpResponse:
    """The team's page of one transfer; the receiving coordinator (not on the team yet) is sent to
    the answer page instead, so one link serves both sides."""
    if request.user.is_authenticated:
        record_ = selectors.transfer_get(code, transfer)
        if (
            record_.status != Transfer.Status.AWAITING_APPROVAL
            and can(request.user, ANSWER, record_)
            and not can(request.user, "cases.section.read", SectionRef(record_.case, Section.REFERRALS))
        ):
            return redirect("cases:transfer_answer", transfer=record_.code)
    return _transfer_detail_for_team(request, code=code, transfer=transfer)


@guard(MANAGE, load=load_case)
@require_POST
def transfer_cancel(request: HttpRequest, code: Any, transfer: Any, obj: Case) -> HttpResponse:
    record_ = selectors.transfer_get(obj.code, transfer)
    try:
        services.transfer_cancel(record_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The hand-over was cancelled."))
    return redirect("cases:transfer_detail", code=obj.code, transfer=record_.code)


@guard("cases.mywork.view")
@require_http_methods(["GET"])
def transfers_incoming(request: HttpRequest) -> HttpResponse:
    page = selectors.transfer_incoming_list(actor=request.user, params=request.GET)
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "transfers_incoming", "cases": sorted({str(t.case.code) for t in page["object_list"]})},
    )
    return render(request, "cases/transfer_incoming.html", page)


@guard(ANSWER, load=load_transfer)
@require_http_methods(["GET", "POST"])
def transfer_answer(request: HttpRequest, transfer: Any, obj: Transfer) -> HttpResponse:
    case = obj.case
    form = TransferAnswerForm(request.POST or None, case=case)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == form.ACCEPT:
                services.transfer_accept(obj, actor=request.user, phase=form.cleaned_data.get("phase") or None)
            else:
                services.transfer_decline(obj, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["decision"] == form.DECLINE:
                messages.success(request, _("The hand-over was declined; the case stays with its lead."))
                return redirect("cases:transfers_incoming")
            messages.success(request, _("Your organisation now leads the case, and you coordinate it."))
            return redirect("cases:case_detail", code=case.code)
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        target=case,
        data={"section": Section.REFERRALS, "transfer": str(obj.code), "receiving": True},
    )
    return render(
        request,
        "cases/transfer_answer.html",
        {"transfer": obj, "case": case, "form": form, "checklist": services.checklist_rows(obj.checklist)},
    )


urlpatterns = [
    path("transfers/incoming/", transfers_incoming, name="transfers_incoming"),
    path("transfers/<uuid:transfer>/answer/", transfer_answer, name="transfer_answer"),
    path("<uuid:code>/transfers/", transfer_list, name="transfer_list"),
    path("<uuid:code>/transfers/new/", transfer_create, name="transfer_create"),
    path("<uuid:code>/transfers/<uuid:transfer>/", transfer_detail, name="transfer_detail"),
    path("<uuid:code>/transfers/<uuid:transfer>/cancel/", transfer_cancel, name="transfer_cancel"),
]
