"""Case work views: multi-agency case conferences, whose action items become plan actions."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from rightpath.access.views import guard
from rightpath.cases.forms_plan import (
    CONFLICT_MESSAGE,
    ActionItemFormSet,
    ConferenceForm,
    add_service_errors,
)
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import conferences as selectors
from rightpath.cases.selectors.plan import goal_choices, responsible_organisations
from rightpath.cases.selectors.sessions import case_team_users
from rightpath.cases.services import conferences as services
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import ConcurrentEditError

from . import section_loader
from .plan import audit_read, case_context

LOAD = section_loader(Section.CONFERENCES)


@guard("cases.section.read", load=LOAD)
@require_http_methods(["GET"])
def conference_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    page = selectors.conference_list(case, params=request.GET)
    audit_read(request, case, Section.CONFERENCES)
    context = case_context(request, case, "conferences")
    return render(
        request,
        "cases/conference_list.html",
        {**context, **page, "can_write": context["rights"].get(Section.CONFERENCES) == "rw"},
    )


@guard("cases.section.write", load=LOAD)
@require_http_methods(["GET", "POST"])
def conference_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    context = case_context(request, case, "conferences")
    # Action items write the plan: only someone who may change the plan sees (and sends) them.
    with_items = context["rights"].get(Section.PLAN) == "rw"
    data = request.POST if request.method == "POST" else None
    form = ConferenceForm(
        data, initial={"chair": request.user.pk, "held_on": timezone.localdate()}, members=case_team_users(case)
    )
    formset = None
    if with_items:
        formset = ActionItemFormSet(
            data, prefix="items", goals=goal_choices(case), organisations=responsible_organisations()
        )
    if with_items and request.method == "GET":
        # The goal choices show the plan's goals: that is a reading of the plan.
        audit_read(request, case, Section.PLAN)
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        fields = form.data_for_service()
        fields["participants"] = list(fields["participants"])
        try:
            conference = services.conference_create(
                case, actor=request.user, items=formset.items() if formset else [], **fields
            )
        except ValidationError as exc:
            placed = formset.add_service_errors(exc) if formset else False
            rest = _without_items(exc) if placed else exc
            if rest is not None:
                add_service_errors(form, rest)
        else:
            messages.success(request, _("The case conference was recorded."))
            return redirect("cases:conference_detail", code=case.code, conference=conference.code)
    return render(request, "cases/conference_form.html", {**context, "form": form, "formset": formset})


def _without_items(exc: ValidationError) -> ValidationError | None:
    """The errors that do not belong to an action-item row (those went beside their rows)."""
    rest = {k: v for k, v in exc.error_dict.items() if not k.startswith("item_")}
    return ValidationError(rest) if rest else None


@guard("cases.section.read", load=LOAD)
@require_http_methods(["GET"])
def conference_detail(request: HttpRequest, code: Any, conference: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.conference_get(case, conference)
    audit_read(request, case, Section.CONFERENCES, conference=str(record_.code))
    context = case_context(request, case, "conferences")
    return render(
        request,
        "cases/conference_detail.html",
        {
            **context,
            "conference": record_,
            "can_write": context["rights"].get(Section.CONFERENCES) == "rw",
            "can_read_plan": Section.PLAN in context["rights"],
        },
    )


@guard("cases.section.write", load=LOAD)
@require_http_methods(["GET", "POST"])
def conference_edit(request: HttpRequest, code: Any, conference: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.conference_get(case, conference)
    initial = {
        **model_to_dict(record_, fields=[*services.CONFERENCE_FIELDS, "participants"]),
        "version": record_.version,
    }
    form = ConferenceForm(request.POST or None, initial=initial, members=case_team_users(case))
    conflict = None
    if request.method == "POST" and form.is_valid():
        fields = form.data_for_service()
        fields["participants"] = list(fields["participants"])
        try:
            services.conference_update(
                record_, actor=request.user, expected_version=form.cleaned_data["version"] or 0, **fields
            )
        except ConcurrentEditError as exc:
            conflict = selectors.conference_get(case, exc.current.code)
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The case conference was saved."))
            return redirect("cases:conference_detail", code=case.code, conference=record_.code)
    else:
        audit_read(request, case, Section.CONFERENCES, conference=str(record_.code))
    return render(
        request,
        "cases/conference_form.html",
        {
            **case_context(request, case, "conferences"),
            "form": form,
            "formset": None,
            "conference": record_,
            "conflict": conflict,
        },
    )


urlpatterns = [
    path("<uuid:code>/conferences/", conference_list, name="conference_list"),
    path("<uuid:code>/conferences/new/", conference_create, name="conference_create"),
    path("<uuid:code>/conferences/<uuid:conference>/", conference_detail, name="conference_detail"),
    path("<uuid:code>/conferences/<uuid:conference>/edit/", conference_edit, name="conference_edit"),
]
