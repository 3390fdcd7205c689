"""Case work views: the case list, opening a case, its summary, timeline, identity, phase moves, and
emergency (break-glass) access.

A case exists for a user only if they are on its team: anyone else gets "not found", including on
the emergency-access page, which answers unknown and unreachable references alike. Every page of a
case and every reading of the identity is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.policy import can
from rightpath.access.views import guard
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_case import BreakGlassForm, CaseOpenForm, IdentityForm, PhaseForm
from rightpath.cases.forms_plan import CONFLICT_MESSAGE, add_service_errors
from rightpath.cases.models import Case, CaseMembership
from rightpath.cases.policy import SectionRef, memberships_of
from rightpath.cases.selectors import case as selectors
from rightpath.cases.services import case as services
from rightpath.cases.vocab import CaseRole, Category, Phase, Section
from rightpath.core.concurrency import ConcurrentEditError

from . import load_case, section_loader
from .plan import audit_read, case_context

IDENTITY = section_loader(Section.IDENTITY)


def emergency_access(request: HttpRequest, case: Case) -> CaseMembership | None:
    """The user's emergency-access membership on ``case``, if that is how they see it (from the
    policy's cached answer: no query)."""
    for membership, _covered in memberships_of(request.user, case):
        if membership.role == CaseRole.BREAK_GLASS:
            return membership
    return None


def case_page(request: HttpRequest, case: Case, current: str) -> dict[str, Any]:
    """What every page of the case shows around its content: the case, the sections the user may
    open, and the emergency-access banner when that is how they see it."""
    return {**case_context(request, case, current), "emergency": emergency_access(request, case)}


@guard("cases.case.view")
@require_http_methods(["GET"])
def case_list(request: HttpRequest) -> HttpResponse:
    page = selectors.case_list(actor=request.user, params=request.GET)
    # One entry for the whole page, naming the cases it showed (pseudonymous codes only).
    record(
        events.PERSONAL_DATA_READ,
        actor=request.user,
        data={"section": "case_list", "cases": [str(c.code) for c in page["object_list"]]},
    )
    context = {
        **page,
        "phases": Phase.choices,
        "categories": Category.choices,
        "can_create": can(request.user, "cases.case.create"),
        "can_break_glass": can(request.user, "cases.break_glass"),
        "any_emergency": any(c.emergency for c in page["object_list"]),
    }
    return render(request, "cases/case_list.html", context)


@guard("cases.case.create")
@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    duplicate = None
    # The confirmation stays visible once ticked (it is shown after a possible duplicate was found).
    ticked = request.method == "POST" and bool(request.POST.get("confirm_duplicate"))
    form = CaseOpenForm(request.POST or None, duplicate_warning=ticked)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, **form.data_for_service())
        except services.PossibleDuplicate as exc:
            duplicate = exc
            form = CaseOpenForm(request.POST, duplicate_warning=True)
            form.is_valid()
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Case %(ref)s was opened. You are its coordinator.") % {"ref": case.reference})
            return redirect("cases:case_detail", code=case.code)
    context = {"form": form, "duplicate": duplicate, "organisation": request.user.organisation}
    return render(request, "cases/case_form.html", context)


@guard("cases.case.view", load=load_case)
@require_http_methods(["GET"])
def case_detail(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    audit_read(request, case, Section.SUMMARY)
    context = {
        **case_page(request, case, "summary"),
        **selectors.case_summary(case, actor=request.user),
        "can_manage": can(request.user, "cases.case.manage", case),
        "can_manage_team": can(request.user, "cases.team.manage", case),
    }
    return render(request, "cases/case_detail.html", context)


@guard("cases.case.view", load=load_case)
@require_http_methods(["GET"])
def case_timeline(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    context = case_page(request, case, "timeline")
    page = selectors.case_timeline(case, rights=context["rights"], params=request.GET)
    audit_read(request, case, "timeline", page=str(page["page_obj"].number))
    return render(request, "cases/case_timeline.html", {**context, **page})


@guard("cases.section.read", load=IDENTITY)
@require_http_methods(["GET"])
def case_identity(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    identity = selectors.identity_get(case)
    audit_read(request, case, Section.IDENTITY)
    context = case_page(request, case, "identity")
    return render(
        request,
        "cases/identity_detail.html",
        {**context, "identity": identity, "can_write": context["rights"].get(Section.IDENTITY) == "rw"},
    )


@guard("cases.section.write", load=IDENTITY)
@require_http_methods(["GET", "POST"])
def case_identity_edit(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    identity = selectors.identity_get(case)
    initial = IdentityForm.initial_for(identity) if identity else {"version": 0}
    form = IdentityForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.identity_save(
                case,
                actor=request.user,
                identity=identity,
                expected_version=form.cleaned_data["version"] or 0,
                **form.data_for_service(),
            )
        except ConcurrentEditError as exc:
            conflict = selectors.with_birth_date(exc.current)
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
            # The other person's version is shown for comparison: that is a reading too.
            audit_read(request, case, Section.IDENTITY)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The identity record was saved."))
            return redirect("cases:case_identity", code=case.code)
    else:
        audit_read(request, case, Section.IDENTITY)
    return render(
        request,
        "cases/identity_form.html",
        {**case_page(request, case, "identity"), "form": form, "identity": identity, "conflict": conflict},
    )


@guard("cases.case.manage", load=load_case)
@require_http_methods(["GET", "POST"])
def case_phase(request: HttpRequest, code: Any, obj: Case) -> HttpResponse:
    case = obj
    form = PhaseForm(
        request.POST or None,
        case=case,
        organisations=selectors.receiving_organisation_choices(),
        initial={"version": case.version, "receiving_organisation": case.receiving_organisation_id},
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            approval = services.case_phase_change(
                case,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                **form.data_for_service(),
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.data = form.data.copy()
            form.data["version"] = conflict.version
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if approval is not None:
                messages.success(
                    request,
                    _("The closure was sent to a supervisor for approval; the case stays open until it is approved."),
                )
            else:
                messages.success(
                    request, _("The case moved to the phase: %(phase)s.") % {"phase": case.get_phase_display()}
                )
            return redirect("cases:case_detail", code=case.code)
    audit_read(request, case, Section.SUMMARY)
    return render(
        request,
        "cases/case_phase.html",
        {**case_page(request, case, "summary"), "form": form, "conflict": conflict},
    )


@guard("cases.break_glass")
@require_http_methods(["GET", "POST"])
def break_glass(request: HttpRequest) -> HttpResponse:
    form = BreakGlassForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            membership = services.break_glass_request(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if membership.role == CaseRole.BREAK_GLASS:
                messages.warning(
                    request,
                    _(
                        "Emergency access granted until %(until)s. The coordinator and the data-protection "
                        "officer have been told; every page you open is recorded."
                    )
                    % {"until": _local(membership.valid_until)},
                )
            else:
                messages.info(request, _("You are already on this case's team."))
            return redirect("cases:case_detail", code=membership.case.code)
    return render(request, "cases/case_break_glass.html", {"form": form})


def _local(moment: Any) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


urlpatterns = [
    path("", case_list, name="case_list"),
    path("new/", case_create, name="case_create"),
    path("emergency/", break_glass, name="break_glass"),
    path("<uuid:code>/", case_detail, name="case_detail"),
    path("<uuid:code>/timeline/", case_timeline, name="case_timeline"),
    path("<uuid:code>/identity/", case_identity, name="case_identity"),
    path("<uuid:code>/identity/edit/", case_identity_edit, name="case_identity_edit"),
    path("<uuid:code>/phase/", case_phase, name="case_phase"),
]
