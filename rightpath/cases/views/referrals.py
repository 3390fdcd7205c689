"""Case work views: referrals, from the case team's side and from the receiving organisation's.

The team reads and sends referrals on the case (the referrals section). The receiving
organisation's coordinators see the referrals addressed to them on "incoming" and answer each one
on its own page (``cases.referral.answer``); they are not on the case team and the case itself
stays "not found" to them until they join it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard, guarded_inside
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_plan import add_service_errors
from rightpath.cases.forms_referrals import ReferralAnswerForm, ReferralForm
from rightpath.cases.models import Referral
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import referrals as selectors
from rightpath.cases.services import referrals as services
from rightpath.cases.vocab import Section

from . import section_loader
from .cases import case_page
from .plan import audit_read

READ = section_loader(Section.REFERRALS)
ANSWER = "cases.referral.answer"


def load_referral(request: HttpRequest, referral: Any, **kwargs: Any) -> Referral:
    """The referral behind the URL, as its receiving organisation addresses it; the policy decides."""
    return selectors.referral_by_code(referral)


@guard("cases.section.read", load=READ)
@require_http_methods(["GET"])
def referral_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    page = selectors.referral_list(case, params=request.GET)
    audit_read(request, case, Section.REFERRALS)
    context = case_page(request, case, "referrals")
    return render(
        request,
        "cases/referral_list.html",
        {**context, **page, "can_send": context["rights"].get(Section.REFERRALS) == "rw"},
    )


@guard("cases.section.write", load=READ)
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    context = case_page(request, case, "referrals")
    form = ReferralForm(
        request.POST or None,
        organisations=selectors.receiving_organisations(exclude=request.user.organisation_id),
        # Only those who may read the case's consent records can name one.
        consents=selectors.active_consents(case) if Section.CONSENT in context["rights"] else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_send(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The referral was sent. The coordinators of %(org)s were told.")
                % {"org": referral.to_organisation.name},
            )
            return redirect("cases:referral_detail", code=case.code, referral=referral.code)
    return render(request, "cases/referral_form.html", {**context, "form": form})


@guard("cases.section.read", load=READ)
def _referral_detail_for_team(request: HttpRequest, code: Any, referral: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.referral_get(case.code, referral)
    audit_read(request, case, Section.REFERRALS, referral=str(record_.code))
    context = case_page(request, case, "referrals")
    return render(
        request,
        "cases/referral_detail.html",
        {
            **context,
            "referral": record_,
            "can_withdraw": services.can_withdraw(request.user, record_),
            "can_complete": record_.status == Referral.Status.ACCEPTED
            and context["rights"].get(Section.REFERRALS) == "rw",
            "can_answer": bool(can(request.user, ANSWER, record_)),
        },
    )


@guarded_inside(f"cases.section.read,{ANSWER}")
@require_http_methods(["GET"])
def referral_detail(request: HttpRequest, code: Any, referral: Any) -> HttpResponse:
    """The team's page of one referral; the receiving coordinator (not on the team) is sent to the
    answer page instead, so one link serves both sides."""
    if request.user.is_authenticated:
        record_ = selectors.referral_get(code, referral)
        if can(request.user, ANSWER, record_) and not can(
            request.user, "cases.section.read", SectionRef(record_.case, Section.REFERRALS)
        ):
            return redirect("cases:referral_answer", referral=record_.code)
    return _referral_detail_for_team(request, code=code, referral=referral)


@guard("cases.section.write", load=READ)
@require_POST
def referral_withdraw(request: HttpRequest, code: Any, referral: Any, obj: SectionRef) -> HttpResponse:
    record_ = selectors.referral_get(obj.case.code, referral)
    try:
        services.referral_withdraw(record_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referral was withdrawn."))
    return redirect("cases:referral_detail", code=obj.case.code, referral=record_.code)


@guard("cases.section.write", load=READ)
@require_POST
def referral_complete(request: HttpRequest, code: Any, referral: Any, obj: SectionRef) -> HttpResponse:
    record_ = selectors.referral_get(obj.case.code, referral)
    try:
        services.referral_complete(record_, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The referral was marked as completed."))
    return redirect("cases:referral_detail", code=obj.case.code, referral=record_.code)


@guard("cases.mywork.view")
@require_http_methods(["GET"])
def referrals_incoming(request: HttpRequest) -> HttpResponse:
    page = selectors.referral_incoming_list(actor=request.user, params=request.GET)
    # One entry for the page, naming the cases whose referrals it showed (pseudonymous codes only).
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "referrals_incoming", "cases": sorted({str(r.case.code) for r in page["object_list"]})},
    )
    return render(request, "cases/referral_incoming.html", page)


def _answer_page(request: HttpRequest, referral: Referral, form: ReferralAnswerForm, can_join: bool) -> HttpResponse:
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        target=referral.case,
        data={"section": Section.REFERRALS, "referral": str(referral.code), "receiving": True},
    )
    return render(request, "cases/referral_answer.html", {"referral": referral, "form": form, "can_join": can_join})


@guard(ANSWER, load=load_referral)
@require_http_methods(["GET", "POST"])
def referral_answer(request: HttpRequest, referral: Any, obj: Referral) -> HttpResponse:
    case = obj.case
    can_join = selectors.active_agreement(request.user.organisation_id, case.lead_organisation_id) is not None
    form = ReferralAnswerForm(request.POST or None, can_join=can_join)
    if request.method == "POST" and request.POST.get("action") == "complete":
        try:
            services.referral_complete(obj, actor=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The referral was marked as completed."))
        return redirect("cases:referral_answer", referral=obj.code)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == form.ACCEPT:
                result = services.referral_accept(
                    obj,
                    actor=request.user,
                    join_team=bool(form.cleaned_data.get("join_team")),
                    case_role=form.cleaned_data.get("case_role") or None,
                )
            else:
                services.referral_decline(obj, actor=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if form.cleaned_data["decision"] == form.DECLINE:
                messages.success(request, _("The referral was declined; the sender was told."))
            elif result.membership is not None:
                messages.success(request, _("The referral was accepted and you joined the case team."))
                return redirect("cases:referral_detail", code=case.code, referral=obj.code)
            elif result.needs_agreement:
                messages.warning(
                    request,
                    _(
                        "The referral was accepted, but you were not added to the case team: sharing the case's information needs an active information-sharing agreement between your organisation and the lead organisation."
                    ),
                )
            else:
                messages.success(request, _("The referral was accepted; the sender was told."))
            return redirect("cases:referral_answer", referral=obj.code)
    return _answer_page(request, obj, form, can_join)


urlpatterns = [
    path("referrals/incoming/", referrals_incoming, name="referrals_incoming"),
    path("referrals/<uuid:referral>/answer/", referral_answer, name="referral_answer"),
    path("<uuid:code>/referrals/", referral_list, name="referral_list"),
    path("<uuid:code>/referrals/new/", referral_create, name="referral_create"),
    path("<uuid:code>/referrals/<uuid:referral>/", referral_detail, name="referral_detail"),
    path("<uuid:code>/referrals/<uuid:referral>/withdraw/", referral_withdraw, name="referral_withdraw"),
    path("<uuid:code>/referrals/<uuid:referral>/complete/", referral_complete, name="referral_complete"),
]
