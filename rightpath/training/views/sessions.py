"""In-person sessions: the schedule, sign-up and cancellation (with the waiting list), scheduling,
attendance and the feedback survey."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from rightpath.access.policy import can
from rightpath.access.views import guard
from rightpath.accounts.models import User
from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import ConcurrentEditError

from .. import selectors
from ..forms import FeedbackForm, SessionCancelForm, SessionEditForm, SessionForm, add_service_errors
from ..models import Course, Signup, TrainingSession
from ..services import sessions as services
from ..vocab import ATTENDANCE_STATES, SignupStatus
from . import language, load_session, load_signup


@guard("training.session.view")
@require_GET
def session_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "training/session_list.html",
        {
            "sessions": selectors.session_list(actor=request.user),
            "can_schedule": bool(can(request.user, "training.session.manage")),
        },
    )


@guard("training.session.manage")
@require_http_methods(["GET", "POST"])
def session_create(request: HttpRequest) -> HttpResponse:
    lang = language(request)
    courses = {str(c["course"].code): c for c in selectors.course_list(actor=request.user, language=lang)}
    trainers = User.objects.filter(is_active=True, role_assignments__role=Role.TRAINER).order_by("last_name")
    form = SessionForm(
        request.POST or None,
        initial={"trainers": [request.user.pk], "country": getattr(request.user.organisation, "country", "")},
        courses=[(k, v["title"]) for k, v in courses.items()],
        trainers=trainers,
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        course = courses.get(d["course"], {}).get("course") if d["course"] else None
        try:
            session = services.session_create(
                actor=request.user,
                title=d["title"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                place=d["place"],
                country=d["country"],
                capacity=d["capacity"],
                trainers=list(d["trainers"]),
                course=course if isinstance(course, Course) else None,
            )
            messages.success(request, _("Session scheduled."))
            return redirect("training:session_detail", code=session.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "training/simple_form.html", {"form": form, "heading": _("Schedule a session")})


@guard("training.session.view", load=load_session)
@require_GET
def session_detail(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    signups = selectors.session_signups(obj)
    manage = bool(can(request.user, "training.session.manage", obj))
    if manage:
        record(events.PERSONAL_DATA_READ, actor=request.user, target=obj, data={"page": "sign-ups"})
    mine = next((s for s in signups if s.person_id == request.user.pk), None)
    booked = sum(1 for s in signups if s.status == SignupStatus.BOOKED)
    waiting = [s for s in signups if s.status == SignupStatus.WAITLISTED]
    return render(
        request,
        "training/session_detail.html",
        {
            "session": obj,
            "trainers": list(obj.trainers.all()),
            "signups": signups if manage else [],
            "manage": manage,
            "mine": mine,
            "booked": booked,
            "free": max(0, obj.capacity - booked),
            "waiting": len(waiting),
            "my_place": (waiting.index(mine) + 1) if mine in waiting else None,
            "can_register": bool(can(request.user, "training.session.register", obj)),
        },
    )


@guard("training.session.register", load=load_session)
@require_POST
def session_register(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    signup = services.signup_register(obj, actor=request.user)
    if signup.status == SignupStatus.BOOKED:
        messages.success(request, _("You have a place on this session."))
    else:
        messages.info(
            request, _("The session is full: you are on the waiting list and move up automatically when a place frees.")
        )
    return redirect("training:session_detail", code=obj.code)


@guard("training.session.register", load=load_session)
@require_POST
def session_cancel(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    signup = Signup.objects.filter(session=obj, person=request.user).first()
    if signup is None:
        messages.error(request, _("You are not signed up for this session."))
    else:
        try:
            services.signup_cancel(signup, actor=request.user)
            messages.success(request, _("Your sign-up is cancelled."))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    return redirect("training:session_detail", code=obj.code)


@guard("training.session.manage", load=load_session)
@require_http_methods(["GET", "POST"])
def session_attendance(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    signups = [s for s in selectors.session_signups(obj) if s.status in (SignupStatus.BOOKED, *ATTENDANCE_STATES)]
    errors: list[str] = []
    if request.method == "POST":
        marks = {str(s.code): request.POST.get(f"attendance-{s.code}", "") for s in signups}
        marks = {k: v for k, v in marks.items() if v}
        try:
            changed = services.attendance_record(obj, actor=request.user, marks=marks)
            messages.success(request, _("Attendance saved: %(count)d change(s).") % {"count": changed})
            return redirect("training:session_attendance", code=obj.code)
        except ValidationError as exc:
            errors = exc.messages
    choices = [(s.value, s.label) for s in ATTENDANCE_STATES]
    record(events.PERSONAL_DATA_READ, actor=request.user, target=obj, data={"page": "attendance"})
    return render(
        request,
        "training/session_attendance.html",
        {"session": obj, "signups": signups, "choices": choices, "errors": errors},
        status=400 if errors else 200,
    )


@guard("training.session.feedback", load=load_signup)
@require_http_methods(["GET", "POST"])
def session_feedback(request: HttpRequest, code: Any, obj: Signup) -> HttpResponse:
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(obj, actor=request.user, **form.cleaned_data)
            messages.success(request, _("Thank you for your feedback."))
            return redirect("training:home")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/simple_form.html",
        {"form": form, "heading": _("Feedback on %(title)s") % {"title": obj.session.title}},
    )


@guard("training.session.manage", load=load_session)
@require_http_methods(["GET", "POST"])
def session_edit(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    initial = {
        "title": obj.title,
        "starts_at": timezone.localtime(obj.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(obj.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": obj.place,
        "capacity": obj.capacity,
        "version": obj.version,
    }
    form = SessionEditForm(request.POST or None, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            promoted = services.session_update(
                obj,
                actor=request.user,
                expected_version=int(d["version"] if d["version"] is not None else obj.version),
                title=d["title"],
                place=d["place"],
                starts_at=d["starts_at"],
                ends_at=d["ends_at"],
                capacity=d["capacity"],
            )
            if promoted:
                messages.success(
                    request,
                    ngettext(
                        "Session saved. %(count)d person moved from the waiting list to a place.",
                        "Session saved. %(count)d people moved from the waiting list to a place.",
                        len(promoted),
                    )
                    % {"count": len(promoted)},
                )
            else:
                messages.success(request, _("Session saved."))
            return redirect("training:session_detail", code=obj.code)
        except ConcurrentEditError as exc:
            conflict = exc.current
            form.add_error(
                None,
                _(
                    "Someone else saved this session while you were editing it. Their version is shown; check it and save again."
                ),
            )
            data = form.data.copy()
            data["version"] = conflict.version
            form.data = data
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(
        request,
        "training/session_form.html",
        {"form": form, "session": obj, "conflict": conflict},
        status=400 if form.errors else 200,
    )


@guard("training.session.manage", load=load_session)
@require_http_methods(["GET", "POST"])
def session_call_off(request: HttpRequest, code: Any, obj: TrainingSession) -> HttpResponse:
    form = SessionCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cancelled = services.session_cancel(obj, actor=request.user, reason=form.cleaned_data["reason"])
            messages.success(
                request,
                ngettext(
                    "Session cancelled. %(count)d sign-up was cancelled; the person is told by e-mail.",
                    "Session cancelled. %(count)d sign-ups were cancelled; the people are told by e-mail.",
                    len(cancelled),
                )
                % {"count": len(cancelled)},
            )
            return redirect("training:session_detail", code=obj.code)
        except ValidationError as exc:
            add_service_errors(form, exc)
    booked = Signup.objects.filter(session=obj, status__in=[SignupStatus.BOOKED, SignupStatus.WAITLISTED]).count()
    return render(
        request,
        "training/session_cancel.html",
        {"form": form, "session": obj, "affected": booked},
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("sessions/", session_list, name="session_list"),
    path("sessions/new/", session_create, name="session_create"),
    path("sessions/<uuid:code>/", session_detail, name="session_detail"),
    path("sessions/<uuid:code>/register/", session_register, name="session_register"),
    path("sessions/<uuid:code>/cancel/", session_cancel, name="session_cancel"),
    path("sessions/<uuid:code>/attendance/", session_attendance, name="session_attendance"),
    path("sessions/<uuid:code>/edit/", session_edit, name="session_edit"),
    path("sessions/<uuid:code>/cancel-session/", session_call_off, name="session_call_off"),
    path("signups/<uuid:code>/feedback/", session_feedback, name="session_feedback"),
]
