"""Assessment pages: a case's assessments, one assessment (whole or its summary judgement), the
draft form, sign-off, addenda, recommendations to plan goals, change over time; instruments and
who sees which parts of assessments.

Every page asks the policy through ``@guard``; every reading of an assessment is audited.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.forms_plan import CONFLICT_MESSAGE as RECORD_CONFLICT_MESSAGE
from rightpath.cases.policy import SectionRef
from rightpath.cases.views import load_case
from rightpath.cases.views.cases import case_page
from rightpath.cases.vocab import CaseRole, Section
from rightpath.core.concurrency import ConcurrentEditError

from . import selectors, services
from .forms import (
    CONFLICT_MESSAGE,
    AddendumForm,
    AssessmentForm,
    InstrumentUploadForm,
    RecommendationForm,
    SignOffForm,
    StartForm,
    VisibilityForm,
    add_service_errors,
)
from .instruments import InstrumentFileError, decode
from .models import Assessment, Parts
from .policy import configured_parts, default_parts, parts_for, role_parts

S = Section.ASSESSMENTS


def load_section(request: HttpRequest, code: Any, **kwargs: Any) -> SectionRef:
    return SectionRef(load_case(request, code), S)


def load_assessment(request: HttpRequest, code: Any, assessment: Any, **kwargs: Any) -> Assessment:
    """The assessment named in the URL, of the case named in the URL (404 if either is unknown)."""
    return selectors.assessment_get(load_case(request, code), assessment)


def _audit_read(request: HttpRequest, case: Any, part: str, assessment: Assessment | None = None) -> None:
    data = {"section": S, "part": part}
    if assessment is not None:
        data["assessment"] = str(assessment.code)
    record(events.PERSONAL_DATA_READ, actor=request.user, target=case, data=data)


def _detail_url(assessment: Assessment, anchor: str = "") -> str:
    url = reverse("assessments:detail", kwargs={"code": assessment.case.code, "assessment": assessment.code})
    return url + (f"#{anchor}" if anchor else "")


def _context(request: HttpRequest, case: Any) -> dict[str, Any]:
    return {**case_page(request, case, "assessments"), "parts": parts_for(request.user, case)}


# --- a case's assessments ------------------------------------------------------------------------


@guard("assessments.summary.read", load=load_section)
@require_http_methods(["GET"])
def case_assessments(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    context = _context(request, case)
    assessments = selectors.assessment_list(case)
    if context["parts"] != Parts.FULL:
        assessments = [a for a in assessments if a.is_locked]
    _audit_read(request, case, context["parts"])
    context.update(
        {
            "assessments": assessments,
            "can_start": can(request.user, "assessments.assessment.start", obj),
            "has_history": sum(1 for a in assessments if a.is_locked) > 1,
        }
    )
    return render(request, "assessments/case_assessments.html", context)


@guard("assessments.assessment.start", load=load_section)
@require_http_methods(["GET", "POST"])
def assessment_start(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    instruments = selectors.startable_instruments(actor=request.user)
    form = StartForm(request.POST or None, instruments=instruments)
    if request.method == "POST" and form.is_valid():
        assessment = services.assessment_start(case, actor=request.user, instrument=form.cleaned_data["instrument"])
        messages.success(request, _("The assessment was started as a draft."))
        return redirect(reverse("assessments:edit", kwargs={"code": case.code, "assessment": assessment.code}))
    return render(
        request,
        "assessments/assessment_start.html",
        {**_context(request, case), "form": form, "instruments": instruments},
    )


@guard("assessments.summary.read", load=load_assessment)
@require_http_methods(["GET"])
def assessment_detail(request: HttpRequest, code: Any, assessment: Any, obj: Assessment) -> HttpResponse:
    case = obj.case
    context = {**_context(request, case), "assessment": obj}
    if context["parts"] != Parts.FULL:
        if not obj.is_locked:
            # A draft is not a judgement yet: summary readers do not learn it exists.
            raise Http404
        _audit_read(request, case, Parts.SUMMARY, obj)
        return render(request, "assessments/assessment_summary.html", context)
    _audit_read(request, case, Parts.FULL, obj)
    context.update(selectors.assessment_full(obj))
    context.update(
        {
            "can_edit": can(request.user, "assessments.assessment.edit", obj),
            "can_sign_off": can(request.user, "assessments.assessment.sign_off", obj),
            "can_add_addendum": can(request.user, "assessments.addendum.add", obj),
            "can_plan": can(request.user, "cases.section.write", SectionRef(case, Section.PLAN)),
            "recommendation_form": RecommendationForm(),
        }
    )
    return render(request, "assessments/assessment_detail.html", context)


def _initial(assessment: Assessment, full: dict[str, Any]) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "version": assessment.version,
        "sources": assessment.sources,
        "level_of_concern": assessment.level_of_concern,
        "rationale": assessment.rationale,
        "next_review_on": assessment.next_review_on,
    }
    for domain in full["domains"]:
        for item in domain["items"]:
            initial[f"rating_{item['key']}"] = item["value"]
            initial[f"evidence_{item['key']}"] = item["evidence"]
    return initial


@guard("assessments.assessment.edit", load=load_assessment)
@require_http_methods(["GET", "POST"])
def assessment_edit(request: HttpRequest, code: Any, assessment: Any, obj: Assessment) -> HttpResponse:
    case = obj.case
    full = selectors.assessment_full(obj)
    outline = selectors.instrument_outline(obj.instrument)
    form = AssessmentForm(request.POST or None, initial=_initial(obj, full), outline=outline)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_update(
                obj,
                actor=request.user,
                expected_version=data["version"] or 0,
                sources=data["sources"],
                ratings=form.ratings(),
                level_of_concern=data["level_of_concern"],
                rationale=data["rationale"],
                next_review_on=data["next_review_on"],
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
            conflict_view = selectors.assessment_full(conflict)
            conflict = {"assessment": conflict, **conflict_view}
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The draft was saved."))
            return redirect(_detail_url(obj))
    _audit_read(request, case, Parts.FULL, obj)
    return render(
        request,
        "assessments/assessment_form.html",
        {
            **_context(request, case),
            "assessment": obj,
            "form": form,
            "rows": form.rows(),
            "counts": full["counts"],
            "screening": full["screening"],
            "conflict": conflict,
        },
    )


@guard("assessments.assessment.sign_off", load=load_assessment)
@require_http_methods(["GET", "POST"])
def assessment_sign_off(request: HttpRequest, code: Any, assessment: Any, obj: Assessment) -> HttpResponse:
    case = obj.case
    form = SignOffForm(request.POST or None, initial={"version": obj.version})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.assessment_sign_off(obj, actor=request.user, expected_version=form.cleaned_data["version"] or 0)
        except ConcurrentEditError as exc:
            conflict = exc.current
            form = SignOffForm(initial={"version": conflict.version})
            form.add_error(None, CONFLICT_MESSAGE)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The assessment was signed off. It is now locked; add an addendum to correct it.")
            )
            return redirect(_detail_url(obj))
    _audit_read(request, case, Parts.FULL, obj)
    return render(
        request,
        "assessments/assessment_sign_off.html",
        {**_context(request, case), "assessment": obj, "form": form, "conflict": conflict},
    )


@guard("assessments.assessment.edit", load=load_assessment)
@require_POST
def recommendation_add(request: HttpRequest, code: Any, assessment: Any, obj: Assessment) -> HttpResponse:
    form = RecommendationForm(request.POST)
    if form.is_valid():
        try:
            services.recommendation_add(obj, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The recommendation was added."))
    else:
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {error}" if label else error)
    return redirect(_detail_url(obj, "recommendations"))


@guard("assessments.assessment.read", load=load_assessment)
@require_POST
def recommendation_to_goal(
    request: HttpRequest, code: Any, assessment: Any, recommendation: Any, obj: Assessment
) -> HttpResponse:
    item = get_object_or_404(obj.recommendations.all(), code=recommendation)
    try:
        goal = services.recommendation_to_goal(item, actor=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(_detail_url(obj, "recommendations"))
    messages.success(request, _("The recommendation is now a goal of the plan."))
    return redirect(reverse("cases:plan", kwargs={"code": obj.case.code}) + f"#goal-{goal.code}")


@guard("assessments.addendum.add", load=load_assessment)
@require_http_methods(["GET", "POST"])
def addendum_add(request: HttpRequest, code: Any, assessment: Any, obj: Assessment) -> HttpResponse:
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.addendum_add(obj, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The addendum was added."))
            return redirect(_detail_url(obj, "addenda"))
    return render(
        request,
        "assessments/addendum_form.html",
        {**_context(request, obj.case), "assessment": obj, "form": form},
    )


@guard("assessments.assessment.read", load=load_section)
@require_http_methods(["GET"])
def change_over_time(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    data = selectors.change_over_time(case, request.GET.get("instrument"))
    _audit_read(request, case, "change_over_time")
    return render(request, "assessments/change_over_time.html", {**_context(request, case), **data})


# --- instruments ---------------------------------------------------------------------------------


@guard("assessments.instrument.view")
@require_http_methods(["GET"])
def instrument_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "assessments/instrument_list.html",
        {
            "instruments": selectors.instrument_list(actor=request.user),
            "can_load": can(request.user, "assessments.instrument.load"),
            "can_manage_visibility": can(request.user, "assessments.visibility.manage"),
        },
    )


@guard("assessments.instrument.view")
@require_http_methods(["GET"])
def instrument_detail(request: HttpRequest, instrument: Any) -> HttpResponse:
    item = selectors.instrument_get(actor=request.user, code=instrument)
    return render(
        request,
        "assessments/instrument_detail.html",
        {"instrument": item, "domains": selectors.instrument_outline(item)},
    )


@guard("assessments.instrument.load")
@require_http_methods(["GET", "POST"])
def instrument_load(request: HttpRequest) -> HttpResponse:
    form = InstrumentUploadForm(request.POST or None, request.FILES or None)
    file_errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = decode(upload.read(2_000_000))
            result = services.instrument_load(actor=request.user, text=text, filename=upload.name)
        except InstrumentFileError as exc:
            file_errors = exc.errors
        else:
            if result.created:
                messages.success(
                    request,
                    _("Version %(version)s of %(name)s was loaded.")
                    % {"version": result.instrument.version_label, "name": result.instrument.name},
                )
            else:
                messages.info(request, _("This exact file was loaded before; nothing changed."))
            return redirect(reverse("assessments:instrument_detail", kwargs={"instrument": result.instrument.code}))
    return render(request, "assessments/instrument_load.html", {"form": form, "file_errors": file_errors})


# --- who sees which parts ------------------------------------------------------------------------


@guard("assessments.visibility.manage")
@require_http_methods(["GET"])
def visibility(request: HttpRequest) -> HttpResponse:
    configured = configured_parts(request.user, request.user.organisation_id)
    rows = [
        {
            "role": role,
            "label": label,
            "parts": Parts(role_parts(role, configured)).label,
            "default": Parts(default_parts(role)).label,
            "chosen": role in configured,
        }
        for role, label in CaseRole.choices
    ]
    return render(request, "assessments/visibility.html", {"rows": rows})


@guard("assessments.visibility.manage")
@require_http_methods(["GET", "POST"])
def visibility_edit(request: HttpRequest, role: str) -> HttpResponse:
    if role not in CaseRole.values:
        raise Http404
    organisation = request.user.organisation
    row = selectors.visibility_row(organisation, role)
    current = row.parts if row else default_parts(role)
    form = VisibilityForm(request.POST or None, initial={"parts": current, "version": row.version if row else 0})
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.visibility_set(
                organisation,
                actor=request.user,
                case_role=role,
                parts=form.cleaned_data["parts"],
                expected_version=form.cleaned_data["version"] or 0,
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, RECORD_CONFLICT_MESSAGE)
            form.take_version(conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The choice was saved."))
            return redirect(reverse("assessments:visibility"))
    return render(
        request,
        "assessments/visibility_form.html",
        {
            "form": form,
            "role": CaseRole(role),
            "conflict": conflict,
            "conflict_parts": Parts(conflict.parts).label if conflict else "",
        },
    )
