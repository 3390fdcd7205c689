"""Writes for in-person sessions: scheduling, sign-up with a first-come waiting list, cancellation
with automatic promotion, attendance and the feedback survey.

Sign-ups and cancellations lock the session row (``select_for_update``) so that two people cannot
take the last place at once and a freed place goes to exactly one person: the waitlisted sign-up
with the earliest sign-up time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.core.concurrency import save_versioned

from ..models import Course, Feedback, Signup, TrainingSession
from ..vocab import ATTENDANCE_STATES, SIGNUP_TRANSITIONS, SessionStatus, SignupStatus
from . import require


def session_create(
    *,
    actor: User,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str,
    country: str,
    capacity: int,
    trainers: list[User],
    course: Course | None = None,
) -> TrainingSession:
    """Schedule an in-person session organised by the actor's organisation."""
    require(actor, "training.session.manage")
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("A session needs at least one place.")})
    with transaction.atomic():
        session = TrainingSession(
            course=course,
            organiser=actor.organisation,
            title=title.strip(),
            starts_at=starts_at,
            ends_at=ends_at,
            place=place.strip(),
            country=country,
            capacity=capacity,
        )
        session.full_clean()
        session.save()
        session.trainers.set(trainers or [actor])
        record(events.CREATED, actor=actor, target=session, data={"capacity": capacity})
        return session


def _booked(session: TrainingSession) -> int:
    return Signup.objects.filter(session=session, status=SignupStatus.BOOKED).count()


def signup_register(session: TrainingSession, *, actor: User) -> Signup:
    """Sign the actor up: a place if one is free, otherwise the end of the waiting list."""
    require(actor, "training.session.register", session)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        existing = Signup.objects.filter(session=session, person=actor).first()
        if existing is not None and existing.status != SignupStatus.CANCELLED:
            return existing
        status = SignupStatus.BOOKED if _booked(session) < session.capacity else SignupStatus.WAITLISTED
        if existing is None:
            signup = Signup.objects.create(session=session, person=actor, status=status)
        else:
            existing.status, existing.signed_up_at = status, timezone.now()
            existing.save(update_fields=["status", "signed_up_at", "updated_at"])
            signup = existing
        record(events.SESSION_SIGNED_UP, actor=actor, target=signup, data={"status": status})
        return signup


def _promote(session: TrainingSession, *, actor: Any) -> list[Signup]:
    """Fill free places from the waiting list in sign-up order (caller holds the session lock)."""
    free = session.capacity - _booked(session)
    promoted = []
    if free <= 0:
        return promoted
    for signup in Signup.objects.filter(session=session, status=SignupStatus.WAITLISTED).order_by("signed_up_at", "id")[
        :free
    ]:
        signup.status = SignupStatus.BOOKED
        signup.save(update_fields=["status", "updated_at"])
        record(events.SESSION_WAITLIST_PROMOTED, actor=actor, target=signup, data={"person": str(signup.person.code)})
        promoted.append(signup)
    return promoted


def signup_cancel(signup: Signup, *, actor: User) -> list[Signup]:
    """Cancel the actor's sign-up; a freed place goes to the first on the waiting list. Returns the
    promoted sign-ups."""
    require(actor, "training.session.register", signup.session)
    if signup.person_id != actor.pk:
        raise ValidationError(_("You can cancel only your own place."))
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=signup.session_id)
        signup = Signup.objects.get(pk=signup.pk)
        if signup.status not in (SignupStatus.BOOKED, SignupStatus.WAITLISTED):
            raise ValidationError(_("This sign-up cannot be cancelled any more."))
        signup.status = SignupStatus.CANCELLED
        signup.save(update_fields=["status", "updated_at"])
        record(events.SESSION_CANCELLED_SIGNUP, actor=actor, target=signup)
        return _promote(session, actor=actor)


def session_set_capacity(session: TrainingSession, *, actor: User, capacity: int) -> list[Signup]:
    """Change the number of places; extra places are filled from the waiting list."""
    require(actor, "training.session.manage", session)
    if capacity < 1:
        raise ValidationError({"capacity": _("A session needs at least one place.")})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if capacity < _booked(session):
            raise ValidationError({"capacity": _("More people are booked than this number of places.")})
        session.capacity = capacity
        session.save(update_fields=["capacity", "updated_at"])
        record(events.UPDATED, actor=actor, target=session, data={"fields": ["capacity"]})
        return _promote(session, actor=actor)


def attendance_record(session: TrainingSession, *, actor: User, marks: dict[str, str]) -> int:
    """Record attendance (``marks``: sign-up code → attended / partly / no_show) for booked people.
    Returns how many sign-ups changed."""
    require(actor, "training.session.manage", session)
    if any(v not in ATTENDANCE_STATES for v in marks.values()):
        raise ValidationError(_("Choose attended, partly attended or did not attend for each person."))
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at > timezone.now():
            raise ValidationError(_("Attendance is recorded once the session has started."))
        signups = {str(s.code): s for s in Signup.objects.select_for_update().filter(session=session)}
        if set(marks) - set(signups):
            raise ValidationError(_("Someone on this list is not signed up for the session."))
        changed = 0
        now = timezone.now()
        for code, status in marks.items():
            signup = signups[code]
            if signup.status == status:
                continue
            if status not in SIGNUP_TRANSITIONS.get(signup.status, set()):
                raise ValidationError(
                    _("%(name)s is not booked on this session.") % {"name": signup.person.get_full_name()}
                )
            signup.status, signup.attendance_by, signup.attendance_at = status, actor, now
            signup.save(update_fields=["status", "attendance_by", "attendance_at", "updated_at"])
            changed += 1
        if session.status == "scheduled":
            session.status = "held"
            session.save(update_fields=["status", "updated_at"])
        record(events.SESSION_ATTENDANCE, actor=actor, target=session, data={"changed": changed})
        return changed


def feedback_submit(
    signup: Signup, *, actor: User, relevance: int, trainer_quality: int, confidence: int, comment: str = ""
) -> Feedback:
    """A participant's answers to the survey after the session (once)."""
    require(actor, "training.session.feedback", signup)
    for name, value in (("relevance", relevance), ("trainer_quality", trainer_quality), ("confidence", confidence)):
        if not 1 <= int(value) <= 5:
            raise ValidationError({name: _("Choose a rating from 1 to 5.")})
    with transaction.atomic():
        if Feedback.objects.filter(signup=signup).exists():
            raise ValidationError(_("You have already given feedback on this session."))
        feedback = Feedback.objects.create(
            signup=signup,
            relevance=relevance,
            trainer_quality=trainer_quality,
            confidence=confidence,
            comment=comment.strip()[:4000],
        )
        record(events.CREATED, actor=actor, target=signup, data={"feedback": True})
        return feedback


def session_update(
    session: TrainingSession,
    *,
    actor: User,
    expected_version: int,
    title: str,
    place: str,
    starts_at: datetime,
    ends_at: datetime,
    capacity: int,
) -> list[Signup]:
    """Change a scheduled session's title, place, time and number of places. Extra places are filled
    from the waiting list in sign-up order (as ``session_set_capacity`` does); fewer places than
    people booked is refused. ConcurrentEditError (carrying the session as saved) if someone else
    saved it first. Returns the promoted sign-ups."""
    require(actor, "training.session.manage", session)
    if not title.strip():
        raise ValidationError({"title": _("Give the session a title.")})
    if not place.strip():
        raise ValidationError({"place": _("Say where the session takes place.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The session must end after it starts.")})
    if capacity < 1:
        raise ValidationError({"capacity": _("A session needs at least one place.")})
    with transaction.atomic():
        locked = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if locked.status != SessionStatus.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be changed."))
        if capacity < _booked(locked):
            raise ValidationError({"capacity": _("More people are booked than this number of places.")})
        changed = [
            name
            for name, value in (
                ("title", title.strip()),
                ("place", place.strip()),
                ("starts_at", starts_at),
                ("ends_at", ends_at),
                ("capacity", capacity),
            )
            if getattr(session, name) != value
        ]
        session.title, session.place = title.strip(), place.strip()
        session.starts_at, session.ends_at, session.capacity = starts_at, ends_at, capacity
        save_versioned(session, expected_version, ["title", "place", "starts_at", "ends_at", "capacity"])
        record(events.UPDATED, actor=actor, target=session, data={"fields": changed})
        return _promote(session, actor=actor)


def session_cancel(session: TrainingSession, *, actor: User, reason: str) -> list[Signup]:
    """Cancel a scheduled session: every booked or waitlisted sign-up is cancelled, the people
    concerned are listed in the audit entry and each is told by e-mail (through the queue, after the
    commit, in their own language). Returns the sign-ups that were cancelled."""
    require(actor, "training.session.manage", session)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the session is cancelled.")})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.status != SessionStatus.SCHEDULED:
            raise ValidationError(_("Only a scheduled session can be cancelled."))
        open_signups = list(
            Signup.objects.select_for_update()
            .filter(session=session, status__in=[SignupStatus.BOOKED, SignupStatus.WAITLISTED])
            .select_related("person")
        )
        for signup in open_signups:
            signup.status = SignupStatus.CANCELLED
            signup.save(update_fields=["status", "updated_at"])
        session.status = SessionStatus.CANCELLED
        session.save(update_fields=["status", "updated_at"])
        record(
            events.SESSION_CANCELLED,
            actor=actor,
            target=session,
            data={"reason": reason[:2000], "people_to_tell": [str(s.person.code) for s in open_signups]},
        )
        people = [s.person for s in open_signups if s.person.is_active and s.person.email]
        transaction.on_commit(lambda: _tell_cancelled(people, session, reason))
        return open_signups


def cancellation_email(person: User, session: TrainingSession, reason: str) -> tuple[str, str]:
    """Subject and body telling ``person``, in their language, that ``session`` is cancelled."""
    with translation.override(person.language or settings.LANGUAGE_CODE):
        when = date_filter(timezone.localtime(session.starts_at), "DATETIME_FORMAT")
        url = settings.SITE_URL.rstrip("/") + reverse("training:session_list")
        subject = _("Training session cancelled: %(title)s") % {"title": session.title}
        body = _(
            "The training session “%(title)s” on %(when)s in %(place)s, which you signed up for, is cancelled."
            " Reason: %(reason)s\n\nOther sessions: %(url)s"
        ) % {"title": session.title, "when": when, "place": session.place, "reason": reason, "url": url}
    return str(subject), str(body) + "\n"


def _tell_cancelled(people: list[User], session: TrainingSession, reason: str) -> None:
    for person in people:
        subject, body = cancellation_email(person, session, reason)
        send_mail(subject, body, None, [person.email])
