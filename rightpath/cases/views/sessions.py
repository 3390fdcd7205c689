"""Case work views: sessions and contacts. Notes are read only on a session's own page, and every
such reading is audited; the list never decrypts them. A police liaison has no access at all."""

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
from rightpath.cases.forms_plan import CONFLICT_MESSAGE, SessionForm, add_service_errors
from rightpath.cases.policy import SectionRef
from rightpath.cases.selectors import sessions as selectors
from rightpath.cases.services import sessions as services
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import ConcurrentEditError

from . import section_loader
from .plan import audit_read, case_context

READ = section_loader(Section.SESSIONS)


@guard("cases.section.read", load=READ)
@require_http_methods(["GET"])
def session_list(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    page = selectors.session_list(case, params=request.GET)
    audit_read(request, case, Section.SESSIONS)
    context = case_context(request, case, "sessions")
    return render(
        request, "cases/session_list.html", {**context, **page, "can_write": context["rights"].get("sessions") == "rw"}
    )


@guard("cases.section.write", load=READ)
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest, code: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    form = SessionForm(
        request.POST or None,
        initial={"provider": request.user.pk, "held_on": timezone.localdate()},
        providers=selectors.case_team_users(case),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_create(case, actor=request.user, **form.data_for_service())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was logged."))
            return redirect("cases:session_detail", code=case.code, session=session.code)
    return render(request, "cases/session_form.html", {**case_context(request, case, "sessions"), "form": form})


@guard("cases.section.read", load=READ)
@require_http_methods(["GET"])
def session_detail(request: HttpRequest, code: Any, session: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.session_get(case, session)
    audit_read(request, case, Section.SESSIONS, session=str(record_.code))
    context = case_context(request, case, "sessions")
    return render(
        request,
        "cases/session_detail.html",
        {**context, "session": record_, "can_write": context["rights"].get("sessions") == "rw"},
    )


@guard("cases.section.write", load=READ)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, code: Any, session: Any, obj: SectionRef) -> HttpResponse:
    case = obj.case
    record_ = selectors.session_get(case, session)
    initial = {**model_to_dict(record_, fields=services.SESSION_FIELDS), "version": record_.version}
    form = SessionForm(request.POST or None, initial=initial, providers=selectors.case_team_users(case))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.session_update(
                record_,
                actor=request.user,
                expected_version=form.cleaned_data["version"] or 0,
                **form.data_for_service(),
            )
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(None, CONFLICT_MESSAGE)
            form.take_version(conflict)
            # The other person's notes are shown for comparison: that is a reading too.
            audit_read(request, case, Section.SESSIONS, session=str(record_.code))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("cases:session_detail", code=case.code, session=record_.code)
    else:
        audit_read(request, case, Section.SESSIONS, session=str(record_.code))
    return render(
        request,
        "cases/session_form.html",
        {**case_context(request, case, "sessions"), "form": form, "session": record_, "conflict": conflict},
    )


urlpatterns = [
    path("<uuid:code>/sessions/", session_list, name="session_list"),
    path("<uuid:code>/sessions/new/", session_create, name="session_create"),
    path("<uuid:code>/sessions/<uuid:session>/", session_detail, name="session_detail"),
    path("<uuid:code>/sessions/<uuid:session>/edit/", session_edit, name="session_edit"),
]
