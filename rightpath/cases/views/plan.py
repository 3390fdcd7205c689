"""Case work views: the individual plan (goals per life domain, actions, reviews, submission).

Readers of the plan status only (e.g. a police liaison) see per life domain how many goals there
are in which status and the plan's approval status: nothing else.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_plan import (
    CONFLICT_MESSAGE,
    PlanActionForm,
    PlanGoalForm,
    PlanReviewForm,
    add_service_errors,
)
from rightpath.cases.models import Case
from rightpath.cases.policy import SectionRef, section_rights
from rightpath.cases.selectors import plan as selectors
from rightpath.cases.services import plan as services
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import ConcurrentEditError

from . import load_case, section_loader

WRITE = section_loader(Section.PLAN)


def load_plan_or_status(request: HttpRequest, code: Any, **kwargs: Any) -> SectionRef:
    """The plan itself for those who may read it, else its status (which the guard then checks).

    A member whose agreement covers the plan but not its status still reads the plan; a reader of
    the status only is asked about the status; a non-member is refused as "not found" either way.
    """
    case = load_case(request, code)
    if can(request.user, "cases.section.read", SectionRef(case, Section.PLAN)):
        return SectionRef(case, Section.PLAN)
    return SectionRef(case, Section.PLAN_STATUS)


def case_context(request: HttpRequest, case: Case, current: str) -> dict[str, Any]:
    """What every page of a case area shows around its content: the case and the sections the user
    may open (from the policy's cached answer, so no extra queries)."""
    rights = section_rights(request.user, case)
    return {"case": case, "rights": rights, "current_section": current}


def audit_read(request: HttpRequest, case: Case, section: str, **extra: str) -> None:
    """Record that the user read a section of the case (one INSERT in the request)."""
    record(events.PERSONAL_DATA_READ, actor=request.user, target=case, data={"section": section, **extra})


def _plan_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:plan", kwargs={"code": case.code}) + (f"#{anchor}" if anchor else "")


@guard("cases.section.read", load=load_plan_or_status)
@require_http_methods(["GET"])
def plan(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    context = case_context(request, case, "plan")
    if obj.section == Section.PLAN:
        audit_read(request, case, Section.PLAN)
        context.update(selectors.plan_get(case))
        context["can_write"] = context["rights"].get(Section.PLAN) == "rw"
        return render(request, "cases/plan_detail.html", context)
    audit_read(request, case, Section.PLAN_STATUS)
    context.update(selectors.plan_status_summary(case))
    return render(request, "cases/plan_status.html", context)


@guard("cases.section.write", load=WRITE)
@require_http_methods(["GET", "POST"])
def plan_goal_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    form = PlanGoalForm(request.POST or None, initial={"domain": request.GET.get("domain", "")})
    if request.method == "POST" and form.is_valid():
        try:
            goal = services.plan_goal_create(case, actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The goal was added to the plan."))
            return redirect(_plan_url(case, f"goal-{goal.code}"))
    return render(request, "cases/plan_goal_form.html", {**case_context(request, case, "plan"), "form": form})


@guard("cases.section.write", load=WRITE)
@require_http_methods(["GET", "POST"])
def plan_goal_edit(request: HttpRequest, code: Any, goal: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.plan_goal_get(case, goal)
    initial = {**model_to_dict(record_, fields=services.GOAL_FIELDS), "version": record_.version}
    form = PlanGoalForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_goal_update(
                record_,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                **form.data_for_service(),
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The goal was saved."))
            return redirect(_plan_url(case, f"goal-{record_.code}"))
    else:
        audit_read(request, case, Section.PLAN)
    return render(
        request,
        "cases/plan_goal_form.html",
        {**case_context(request, case, "plan"), "form": form, "goal": record_, "conflict": conflict},
    )


@guard("cases.section.write", load=WRITE)
@require_http_methods(["GET", "POST"])
def plan_action_create(request: HttpRequest, code: Any, goal: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    parent = selectors.plan_goal_get(case, goal)
    form = PlanActionForm(request.POST or None, organisations=selectors.responsible_organisations())
    if request.method == "POST" and form.is_valid():
        try:
            action = services.plan_action_create(parent, actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action was added to the plan."))
            return redirect(_plan_url(case, f"action-{action.code}"))
    else:
        audit_read(request, case, Section.PLAN)
    return render(
        request, "cases/plan_action_form.html", {**case_context(request, case, "plan"), "form": form, "goal": parent}
    )


@guard("cases.section.write", load=WRITE)
@require_http_methods(["GET", "POST"])
def plan_action_edit(request: HttpRequest, code: Any, action: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.plan_action_get(case, action)
    initial = {**model_to_dict(record_, fields=services.ACTION_FIELDS), "version": record_.version}
    form = PlanActionForm(request.POST or None, initial=initial, organisations=selectors.responsible_organisations())
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_action_update(
                record_,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                **form.data_for_service(),
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The action was saved."))
            return redirect(_plan_url(case, f"action-{record_.code}"))
    else:
        audit_read(request, case, Section.PLAN)
    return render(
        request,
        "cases/plan_action_form.html",
        {
            **case_context(request, case, "plan"),
            "form": form,
            "goal": record_.goal,
            "action": record_,
            "conflict": conflict,
        },
    )


@guard("cases.section.write", load=WRITE)
@require_http_methods(["GET", "POST"])
def plan_review_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_review_create(case, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect(_plan_url(case, "reviews"))
    return render(request, "cases/plan_review_form.html", {**case_context(request, case, "plan"), "form": form})


@guard("cases.section.write", load=WRITE)
@require_POST
def plan_submit(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    try:
        services.plan_submit(case, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        if case.plan_status == Case.PlanStatus.AWAITING_APPROVAL:
            messages.success(request, _("The plan was sent to a supervisor for approval."))
        else:
            messages.success(
                request, _("The plan was submitted; your organisation needs no approval, so it is approved.")
            )
    return redirect(_plan_url(case))


urlpatterns = [
    path("<uuid:code>/plan/", plan, name="plan"),
    path("<uuid:code>/plan/goals/new/", plan_goal_create, name="plan_goal_create"),
    path("<uuid:code>/plan/goals/<uuid:goal>/edit/", plan_goal_edit, name="plan_goal_edit"),
    path("<uuid:code>/plan/goals/<uuid:goal>/actions/new/", plan_action_create, name="plan_action_create"),
    path("<uuid:code>/plan/actions/<uuid:action>/edit/", plan_action_edit, name="plan_action_edit"),
    path("<uuid:code>/plan/reviews/new/", plan_review_create, name="plan_review_create"),
    path("<uuid:code>/plan/submit/", plan_submit, name="plan_submit"),
]
