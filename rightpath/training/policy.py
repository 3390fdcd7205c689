"""Who may do what in training. Registered with ``rightpath.access``.

Courses belong to the organisation of the trainer who built them; that organisation's trainers
("course staff") edit them, grade short answers, run reports and revoke certificates. A published
course is open to everyone on the platform or to chosen organisations only. Learners see their own
attempts and certificates. Organisation administrators (who lead training programmes for their
organisation) enrol their staff and see reports about their own organisation's learners.
Certificate verification is public.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.roles import Role

from .models import Attempt, Certificate, Course, Enrolment, Quiz, Signup, TrainingSession
from .vocab import Audience, CourseStatus, EnrolmentStatus, SessionStatus, SignupStatus


def _active(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not getattr(user, "is_service_account", False))


def _trainer(user: Any) -> bool:
    return _active(user) and user.has_role(Role.TRAINER)


def _org_admin(user: Any) -> bool:
    return _active(user) and user.has_role(Role.ORG_ADMIN)


def is_course_staff(user: Any, course: Course) -> bool:
    """A trainer of the organisation that owns ``course``."""
    return _trainer(user) and user.organisation_id is not None and user.organisation_id == course.owner_organisation_id


def _published_to(user: Any, course: Course) -> bool:
    if course.status != CourseStatus.PUBLISHED:
        return False
    if course.audience == Audience.PLATFORM:
        return True
    shared = getattr(course, "_shared_org_ids", None)
    if shared is None:
        shared = set(course.organisations.values_list("id", flat=True))
        course._shared_org_ids = shared
    return user.organisation_id in shared or user.organisation_id == course.owner_organisation_id


def _enrolled(user: Any, course: Course) -> bool:
    cached = getattr(course, "_enrolment_for", None)
    if cached is not None and cached[0] == user.pk:
        return cached[1] is not None
    return Enrolment.objects.filter(course=course, learner=user).exclude(status=EnrolmentStatus.WITHDRAWN).exists()


# --- courses -------------------------------------------------------------------------------------


@rule("training.course.view")
def course_view(user: Any, obj: Any) -> Decision:
    """Signed-in users see courses published to them or that they are enrolled in; course staff see every status.

    A course is published to the whole platform or to chosen organisations; course staff are the
    trainers of the organisation that owns the course."""
    if not _active(user):
        return deny("sign in to see training")
    if obj is None:
        return allow("signed-in user")
    if is_course_staff(user, obj):
        return allow("course staff")
    if _published_to(user, obj):
        return allow("published to the user's organisation or the platform")
    if _enrolled(user, obj):
        return allow("enrolled in the course")
    return deny("course not published to the user", conceal=True)


@scope("training.course.view")
def course_view_scope(user: Any, qs: QuerySet) -> QuerySet:
    if not _active(user):
        return qs.none()
    published = Q(status=CourseStatus.PUBLISHED) & (
        Q(audience=Audience.PLATFORM)
        | Q(organisations=user.organisation_id)
        | Q(owner_organisation=user.organisation_id)
    )
    mine = Q(enrolments__learner=user)
    if _trainer(user):
        return qs.filter(published | mine | Q(owner_organisation=user.organisation_id)).distinct()
    return qs.filter(published | mine).distinct()


@rule("training.course.edit")
def course_edit(user: Any, obj: Any) -> Decision:
    """Trainers build courses; only the trainers of the owning organisation change one."""
    if not _trainer(user):
        return deny("only trainers build courses")
    if obj is None or is_course_staff(user, obj):
        return allow("trainer of the owning organisation")
    return deny("course of another organisation")


@scope("training.course.edit")
def course_edit_scope(user: Any, qs: QuerySet) -> QuerySet:
    if not _trainer(user) or user.organisation_id is None:
        return qs.none()
    return qs.filter(owner_organisation=user.organisation_id)


@rule("training.course.enrol")
def course_enrol(user: Any, obj: Any) -> Decision:
    """A signed-in user enrols themselves in a published course open to them."""
    if not _active(user):
        return deny("sign in to enrol")
    if obj is None:
        return allow("signed-in user")
    if _published_to(user, obj):
        return allow("course published to the user")
    return deny("course not open to the user", conceal=not is_course_staff(user, obj))


@rule("training.enrolment.manage")
def enrolment_manage(user: Any, obj: Any) -> Decision:
    """Course staff enrol anyone; organisation administrators and trainers enrol their own organisation's people."""
    if not (_trainer(user) or _org_admin(user)):
        return deny("only trainers and organisation administrators enrol others")
    if obj is None or is_course_staff(user, obj):
        return allow("course staff or enrolling organisation")
    if _published_to(user, obj):
        return allow("course published to the organisation")
    return deny("course not open to the organisation", conceal=True)


@rule("training.learning.view")
def learning_view(user: Any, obj: Any) -> Decision:
    """Every signed-in user has their own learning dashboard."""
    return allow("own learning") if _active(user) else deny("sign in to see your learning")


# --- quizzes and grading ---------------------------------------------------------------------------


@rule("training.quiz.take")
def quiz_take(user: Any, obj: Any) -> Decision:
    """A learner enrolled in the course takes its quizzes (their own attempts only)."""
    if not _active(user):
        return deny("sign in to take a quiz")
    if obj is None:
        return allow("signed-in user")
    quiz = obj.quiz if isinstance(obj, Attempt) else obj
    if isinstance(obj, Attempt) and obj.enrolment.learner_id != user.pk:
        return deny("another person's attempt", conceal=True)
    if isinstance(quiz, Quiz) and _enrolled(user, quiz.course):
        return allow("enrolled learner")
    return deny("not enrolled in the course", conceal=not (isinstance(quiz, Quiz) and _published_to(user, quiz.course)))


@rule("training.attempt.grade")
def attempt_grade(user: Any, obj: Any) -> Decision:
    """Course staff grade short answers."""
    if not _trainer(user):
        return deny("only trainers grade")
    if obj is None:
        return allow("trainer")
    course = obj.quiz.course if isinstance(obj, Attempt) else obj
    if is_course_staff(user, course):
        return allow("course staff")
    return deny("course of another organisation", conceal=True)


# --- certificates --------------------------------------------------------------------------------


@rule("training.certificate.view")
def certificate_view(user: Any, obj: Any) -> Decision:
    """A learner downloads their own certificate; course staff download any of their courses'."""
    if not _active(user):
        return deny("sign in to download a certificate")
    if obj is None:
        return allow("signed-in user")
    if isinstance(obj, Certificate) and obj.enrolment.learner_id == user.pk:
        return allow("own certificate")
    if isinstance(obj, Certificate) and is_course_staff(user, obj.enrolment.course):
        return allow("course staff")
    return deny("another person's certificate", conceal=True)


@rule("training.certificate.revoke")
def certificate_revoke(user: Any, obj: Any) -> Decision:
    """Course staff revoke a certificate (the record stays, with date and reason)."""
    if not _trainer(user):
        return deny("only trainers revoke certificates")
    if obj is None or is_course_staff(user, obj.enrolment.course):
        return allow("course staff")
    return deny("certificate of another organisation's course", conceal=True)


@rule("training.certificate.verify")
def certificate_verify(user: Any, obj: Any) -> Decision:
    """Anyone checks a certificate by its code (the page shows its status and nothing more)."""
    return allow("certificate verification is public")


# --- in-person sessions --------------------------------------------------------------------------


@rule("training.session.view")
def session_view(user: Any, obj: Any) -> Decision:
    """Signed-in users see the schedule of in-person sessions (dates, places, free places)."""
    return allow("signed-in user") if _active(user) else deny("sign in to see sessions")


@rule("training.session.register")
def session_register(user: Any, obj: Any) -> Decision:
    """A signed-in user signs up for (or cancels) a scheduled session that has not started."""
    if not _active(user):
        return deny("sign in to register")
    if obj is None:
        return allow("signed-in user")
    from django.utils import timezone

    if obj.status != SessionStatus.SCHEDULED or obj.starts_at <= timezone.now():
        return deny("registration is closed")
    return allow("open session")


def _session_trainer(user: Any, session: TrainingSession) -> bool:
    ids = getattr(session, "_trainer_ids", None)
    if ids is None:
        ids = set(session.trainers.values_list("id", flat=True))
        session._trainer_ids = ids
    return user.pk in ids or user.organisation_id == session.organiser_id


@rule("training.session.manage")
def session_manage(user: Any, obj: Any) -> Decision:
    """Trainers schedule sessions; a session's trainers (and its organiser's trainers) record attendance."""
    if not _trainer(user):
        return deny("only trainers run sessions")
    if obj is None or _session_trainer(user, obj):
        return allow("session trainer")
    return deny("session of another trainer")


@rule("training.session.feedback")
def session_feedback(user: Any, obj: Any) -> Decision:
    """A participant who attended gives feedback once."""
    if not _active(user):
        return deny("sign in to give feedback")
    if obj is None:
        return allow("signed-in user")
    if isinstance(obj, Signup) and obj.person_id == user.pk:
        if obj.status in (SignupStatus.ATTENDED, SignupStatus.PARTLY):
            return allow("participant")
        return deny("feedback is for participants who attended")
    return deny("another person's sign-up", conceal=True)


# --- reports -------------------------------------------------------------------------------------


@rule("training.report.view")
def report_view(user: Any, obj: Any) -> Decision:
    """Trainers report on their organisation's courses; organisation administrators on their own learners (CSV too)."""
    if not (_trainer(user) or _org_admin(user)):
        return deny("only trainers and organisation administrators see training reports")
    if obj is None or is_course_staff(user, obj) or _org_admin(user):
        return allow("course staff or programme lead")
    return deny("course of another organisation", conceal=True)


@scope("training.report.view")
def report_view_scope(user: Any, qs: QuerySet) -> QuerySet:
    if _org_admin(user):
        return qs.filter(
            Q(enrolments__learner__organisation=user.organisation_id) | Q(owner_organisation=user.organisation_id)
        ).distinct()
    if _trainer(user):
        return qs.filter(owner_organisation=user.organisation_id)
    return qs.none()


@rule("training.cascade.view")
def cascade_view(user: Any, obj: Any) -> Decision:
    """Trainers and organisation administrators see the train-the-trainer cascade (counts and trainers)."""
    if _trainer(user) or _org_admin(user):
        return allow("trainer or programme lead")
    return deny("only trainers and organisation administrators see the cascade")
