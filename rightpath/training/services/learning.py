"""Writes for learning: enrolment, lesson progress, quiz attempts graded on the server, trainers'
grading of short answers, completion, certificates and trainer certification.

Grading trusts nothing the browser sends but the learner's choices: the attempt must be the
learner's own and still open, every answer must name a question of that quiz and choices of that
question, and the score is computed here from the stored right answers.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.accounts.models import RoleAssignment, User
from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.knowledge.content import pick

from ..models import (
    Answer,
    Attempt,
    Certificate,
    Choice,
    Course,
    Enrolment,
    Lesson,
    LessonCompletion,
    Question,
    Quiz,
    TrainerCertification,
)
from ..policy import is_course_staff
from ..vocab import AttemptStatus, EnrolmentStatus, QuestionType, QuizKind
from . import require

CERTIFICATE_CODE_BYTES = 24  # 192 random bits, 32 URL-safe characters


# --- enrolment -------------------------------------------------------------------------------------


def enrolment_create(course: Course, *, actor: User, learner: User | None = None, cohort: str = "") -> Enrolment:
    """Enrol ``learner`` (or the actor themselves) in ``course``. Enrolling someone else needs
    trainer or organisation-administrator rights, and only people of one's own organisation unless
    one is the course's staff. Enrolling twice returns the existing enrolment."""
    learner = learner or actor
    if learner.pk == actor.pk:
        require(actor, "training.course.enrol", course)
    else:
        require(actor, "training.enrolment.manage", course)
        if not is_course_staff(actor, course) and learner.organisation_id != actor.organisation_id:
            raise ValidationError(_("You can enrol only people of your own organisation in this course."))
        if not learner.is_active:
            raise ValidationError(_("This account is deactivated."))
    with transaction.atomic():
        enrolment, created = Enrolment.objects.get_or_create(
            course=course, learner=learner, defaults={"enrolled_by": actor, "cohort": cohort.strip()[:100]}
        )
        if not created and enrolment.status == EnrolmentStatus.WITHDRAWN:
            enrolment.status = EnrolmentStatus.ACTIVE
            enrolment.save(update_fields=["status", "updated_at"])
            created = True
        if created:
            record(
                events.TRAINING_ENROLLED,
                actor=actor,
                target=enrolment,
                data={"course": str(course.code), "learner": str(learner.code), "by_self": learner.pk == actor.pk},
            )
        return enrolment


def _enrolment_of(actor: User, course: Course) -> Enrolment:
    try:
        return Enrolment.objects.select_related("course", "learner").get(
            course=course, learner=actor, status__in=[EnrolmentStatus.ACTIVE, EnrolmentStatus.COMPLETED]
        )
    except Enrolment.DoesNotExist:
        raise ValidationError(_("Enrol in the course first.")) from None


def _pre_test_pending(enrolment: Enrolment) -> bool:
    pre = Quiz.objects.filter(course_id=enrolment.course_id, kind=QuizKind.PRE_TEST).first()
    if pre is None:
        return False
    return not Attempt.objects.filter(quiz=pre, enrolment=enrolment).exclude(status=AttemptStatus.IN_PROGRESS).exists()


def lesson_complete(lesson: Lesson, *, actor: User) -> LessonCompletion:
    """Mark ``lesson`` done for the actor. If the course has a pre-test, it comes first (otherwise
    the learning gain would measure nothing)."""
    course = lesson.module.course
    require(actor, "training.course.view", course)
    enrolment = _enrolment_of(actor, course)
    if _pre_test_pending(enrolment):
        raise ValidationError(_("Take the pre-test before the lessons."))
    with transaction.atomic():
        done, _created = LessonCompletion.objects.get_or_create(enrolment=enrolment, lesson=lesson)
        check_completion(enrolment, actor=actor)
        return done


# --- attempts --------------------------------------------------------------------------------------


def attempts_left(quiz: Quiz, enrolment: Enrolment) -> int:
    used = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).exclude(status=AttemptStatus.IN_PROGRESS).count()
    return max(0, quiz.max_attempts - used)


def quiz_open_reason(quiz: Quiz, enrolment: Enrolment) -> str:
    """Why the learner cannot start ``quiz`` now, or "" when they can."""
    if quiz.kind == QuizKind.PRE_TEST and LessonCompletion.objects.filter(enrolment=enrolment).exists():
        return _("The pre-test is closed: it measures what you knew before the lessons.")
    if quiz.kind != QuizKind.PRE_TEST and _pre_test_pending(enrolment):
        return _("Take the pre-test first.")
    if quiz.kind == QuizKind.POST_TEST:
        lessons = Lesson.objects.filter(module__course_id=quiz.course_id).count()
        done = LessonCompletion.objects.filter(enrolment=enrolment).count()
        if done < lessons:
            return _("Finish every lesson before the post-test.")
    if Attempt.objects.filter(quiz=quiz, enrolment=enrolment, passed=True).exists() and quiz.kind != QuizKind.PRE_TEST:
        return _("You have passed this quiz.")
    if attempts_left(quiz, enrolment) <= 0:
        return _("You have used every attempt at this quiz.")
    return ""


def attempt_start(quiz: Quiz, *, actor: User) -> Attempt:
    """The actor's open attempt at ``quiz``, or a new one if they have attempts left."""
    require(actor, "training.quiz.take", quiz)
    enrolment = _enrolment_of(actor, quiz.course)
    with transaction.atomic():
        # Lock the enrolment so two tabs cannot open two attempts with the same number.
        Enrolment.objects.select_for_update().filter(pk=enrolment.pk).first()
        open_attempt = Attempt.objects.filter(quiz=quiz, enrolment=enrolment, status=AttemptStatus.IN_PROGRESS).first()
        if open_attempt is not None:
            return open_attempt
        reason = quiz_open_reason(quiz, enrolment)
        if reason:
            raise ValidationError(reason)
        number = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).count() + 1
        return Attempt.objects.create(quiz=quiz, enrolment=enrolment, number=number)


@dataclass(frozen=True)
class Submitted:
    """What the learner sent for one question: choice codes, or text for a short answer."""

    choices: tuple[str, ...] = ()
    text: str = ""


def _grade_choices(question: Question, chosen: set[int], right: set[int]) -> Decimal:
    # Single, true/false and multiple choice score all or nothing: the chosen set must be the right set.
    return Decimal(1) if chosen == right else Decimal(0)


def attempt_submit(attempt: Attempt, *, actor: User, answers: dict[str, Submitted]) -> Attempt:
    """Check and grade the actor's answers to their open ``attempt``. Raises ValidationError with one
    message per question that is unanswered or answered with something that is not one of its
    choices; an attempt is submitted once."""
    require(actor, "training.quiz.take", attempt)
    with transaction.atomic():
        attempt = Attempt.objects.select_for_update().select_related("quiz__course", "enrolment").get(pk=attempt.pk)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            raise ValidationError(_("This attempt has already been submitted."))
        items = list(attempt.quiz.items.select_related("question").order_by("position", "id"))
        questions = {str(i.question.code): i.question for i in items}
        unknown = set(answers) - set(questions)
        if unknown:
            raise ValidationError(_("The answers do not belong to this quiz. Reload the page and try again."))
        choices_by_question: dict[int, dict[str, Choice]] = {}
        for choice in Choice.objects.filter(question__in=[i.question for i in items]):
            choices_by_question.setdefault(choice.question_id, {})[choice.code] = choice
        errors: dict[str, list[str]] = {}
        rows: list[tuple[Question, list[Choice], str, Decimal | None]] = []
        for position, item in enumerate(items, start=1):
            q = item.question
            given = answers.get(str(q.code), Submitted())
            key = f"q-{q.code}"
            if q.type == QuestionType.SHORT:
                text = given.text.strip()
                if not text:
                    errors[key] = [_("Question %(n)d: write an answer.") % {"n": position}]
                    continue
                rows.append((q, [], text[:5000], None))
                continue
            own = choices_by_question.get(q.pk, {})
            picked = [own[c] for c in dict.fromkeys(given.choices) if c in own]
            if len(picked) != len(set(given.choices)):
                errors[key] = [_("Question %(n)d: that is not one of its choices.") % {"n": position}]
                continue
            if not picked:
                errors[key] = [_("Question %(n)d: choose an answer.") % {"n": position}]
                continue
            if q.type != QuestionType.MULTIPLE and len(picked) != 1:
                errors[key] = [_("Question %(n)d: choose one answer only.") % {"n": position}]
                continue
            right = {c.pk for c in own.values() if c.is_correct}
            rows.append((q, picked, "", _grade_choices(q, {c.pk for c in picked}, right)))
        if errors:
            raise ValidationError(errors)
        for q, picked, text, credit in rows:
            answer = Answer.objects.create(attempt=attempt, question=q, text=text, credit=credit)
            if picked:
                answer.choices.set(picked)
        attempt.submitted_at = timezone.now()
        _score(attempt)
        attempt.save(update_fields=["status", "submitted_at", "score", "passed", "updated_at"])
        record(
            events.TRAINING_ATTEMPT_SUBMITTED,
            actor=actor,
            target=attempt,
            data={"quiz": str(attempt.quiz.code), "number": attempt.number, "score": str(attempt.score)},
        )
        if attempt.status == AttemptStatus.GRADED:
            check_completion(attempt.enrolment, actor=actor)
        return attempt


def _score(attempt: Attempt) -> None:
    """Set status, score (percent of points) and passed from the stored answers."""
    answers = list(attempt.answers.select_related("question"))
    if any(a.credit is None for a in answers):
        attempt.status, attempt.score, attempt.passed = AttemptStatus.AWAITING_GRADING, None, None
        return
    total = sum(a.question.points for a in answers) or 1
    earned = sum(a.credit * a.question.points for a in answers)
    attempt.score = (Decimal(100) * earned / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    attempt.passed = attempt.score >= attempt.quiz.pass_mark
    attempt.status = AttemptStatus.GRADED


def answer_grade(answer: Answer, *, actor: User, credit: Decimal, feedback: str = "") -> Answer:
    """A trainer grades a short answer (credit 0 to 1 of the question's points); when the attempt's
    last answer is graded the attempt gets its score."""
    attempt = answer.attempt
    require(actor, "training.attempt.grade", attempt)
    if answer.question.type != QuestionType.SHORT:
        raise ValidationError(_("Only short answers are graded by a trainer."))
    if not Decimal(0) <= credit <= Decimal(1):
        raise ValidationError({"credit": _("Give between none and all of the points.")})
    with transaction.atomic():
        answer.credit, answer.feedback = credit, feedback.strip()
        answer.graded_by, answer.graded_at = actor, timezone.now()
        answer.save(update_fields=["credit", "feedback", "graded_by", "graded_at"])
        attempt = Attempt.objects.select_for_update().select_related("quiz", "enrolment").get(pk=attempt.pk)
        _score(attempt)
        attempt.save(update_fields=["status", "score", "passed", "updated_at"])
        record(events.TRAINING_ANSWER_GRADED, actor=actor, target=attempt, data={"question": str(answer.question.code)})
        if attempt.status == AttemptStatus.GRADED:
            check_completion(attempt.enrolment, actor=actor)
        return answer


# --- completion, certificates, trainer certification -------------------------------------------------


def completion_missing(enrolment: Enrolment) -> list[str]:
    """What the learner still has to do (empty when the course is complete)."""
    course_id = enrolment.course_id
    missing = []
    lessons = Lesson.objects.filter(module__course_id=course_id).count()
    done = LessonCompletion.objects.filter(enrolment=enrolment).count()
    if done < lessons:
        missing.append(_("lessons"))
    passed = set(Attempt.objects.filter(enrolment=enrolment, passed=True).values_list("quiz_id", flat=True))
    needed = Quiz.objects.filter(course_id=course_id).exclude(kind=QuizKind.PRE_TEST).values_list("id", flat=True)
    if any(q not in passed for q in needed):
        missing.append(_("quizzes"))
    if _pre_test_pending(enrolment):
        missing.append(_("pre-test"))
    return missing


def check_completion(enrolment: Enrolment, *, actor: User) -> Certificate | None:
    """Complete the enrolment and issue its certificate once everything is done (runs inside the
    caller's transaction)."""
    if enrolment.status == EnrolmentStatus.COMPLETED or completion_missing(enrolment):
        return None
    enrolment.status, enrolment.completed_at = EnrolmentStatus.COMPLETED, timezone.now()
    enrolment.save(update_fields=["status", "completed_at", "updated_at"])
    record(events.TRAINING_COMPLETED, actor=actor, target=enrolment, data={"course": str(enrolment.course.code)})
    certificate = _certificate_issue(enrolment, actor=actor)
    if enrolment.course.is_trainer_track:
        trainer_certify(enrolment.learner, certificate=certificate, actor=actor)
    return certificate


def new_verification_code() -> str:
    """A certificate's public code: 192 bits from the operating system's cryptographic source."""
    return secrets.token_urlsafe(CERTIFICATE_CODE_BYTES)


def _certificate_issue(enrolment: Enrolment, *, actor: User) -> Certificate:
    course = enrolment.course
    learner = enrolment.learner
    title = pick(course.translations.all(), learner.language, course.original_language)
    now = timezone.now()
    for _try in range(3):
        try:
            with transaction.atomic():
                certificate = Certificate.objects.create(
                    enrolment=enrolment,
                    verification_code=new_verification_code(),
                    learner_name=learner.get_full_name() or learner.username,
                    course_title=title.title if title else str(course.code),
                    issuer_name=course.owner_organisation.name,
                    issued_at=now,
                    expires_at=now + timedelta(days=course.certificate_valid_days)
                    if course.certificate_valid_days
                    else None,
                )
            break
        except IntegrityError:
            # A repeated code is astronomically unlikely; the unique constraint makes it impossible.
            continue
    else:
        raise RuntimeError("could not draw a unique certificate code")
    record(events.CERTIFICATE_ISSUED, actor=actor, target=certificate, data={"course": str(course.code)})
    return certificate


def trainer_certify(person: User, *, certificate: Certificate, actor: Any) -> TrainerCertification:
    """Make ``person`` a trainer because they completed the trainer track of ``certificate``: grant
    the trainer role and record how (the cascade's "certified through")."""
    course = certificate.enrolment.course
    certification, _created = TrainerCertification.objects.get_or_create(
        person=person, course=course, defaults={"certificate": certificate}
    )
    before = sorted(person.role_set)
    _assignment, granted = RoleAssignment.objects.get_or_create(user=person, role=Role.TRAINER)
    person._role_cache = None
    record(
        events.TRAINER_CERTIFIED,
        actor=actor,
        target=person,
        data={"course": str(course.code), "certificate": str(certificate.code), "role_granted": granted},
    )
    if granted:
        record(
            events.ROLES_CHANGED, actor=actor, target=person, data={"before": before, "after": sorted(person.role_set)}
        )
    return certification


def certificate_revoke(certificate: Certificate, *, actor: User, reason: str) -> Certificate:
    """Revoke a certificate: it stays on record, and verification shows it revoked with the date."""
    require(actor, "training.certificate.revoke", certificate)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if certificate.revoked_at:
            raise ValidationError(_("This certificate is already revoked."))
        certificate.revoked_at, certificate.revoked_by = timezone.now(), actor
        certificate.revocation_reason = reason[:2000]
        certificate.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "updated_at"])
        record(events.CERTIFICATE_REVOKED, actor=actor, target=certificate)
        certification = TrainerCertification.objects.filter(certificate=certificate).select_related("person").first()
        if certification is not None:
            _trainer_role_review(certification, actor=actor)
        return certificate


def _trainer_role_review(certification: TrainerCertification, *, actor: User) -> None:
    """After the certificate of a trainer track is revoked, take back the trainer role it granted,
    unless the person holds the role from another source: another trainer-track certificate that is
    still in force, or an assignment that existed before their first trainer certification (granted
    by an administrator, not by a course). The decision is recorded either way."""
    person = certification.person
    assignment = RoleAssignment.objects.select_for_update().filter(user=person, role=Role.TRAINER).first()
    other_certificates = (
        TrainerCertification.objects.filter(person=person, certificate__revoked_at__isnull=True)
        .exclude(pk=certification.pk)
        .exists()
    )
    first_certified = (
        TrainerCertification.objects.filter(person=person).order_by("created_at").values_list("created_at", flat=True)
    ).first()
    granted_elsewhere = (
        assignment is not None and first_certified is not None and assignment.granted_at < first_certified
    )
    kept = "no_role" if assignment is None else ""
    if assignment is not None and other_certificates:
        kept = "another_trainer_track"
    elif assignment is not None and granted_elsewhere:
        kept = "granted_by_administrator"
    data = {"certificate": str(certification.certificate.code), "course": str(certification.course.code)}
    if kept:
        record(
            events.TRAINER_ROLE_WITHDRAWN,
            actor=actor,
            target=person,
            data={**data, "role_removed": False, "kept_because": kept},
        )
        return
    before = sorted(person.role_set)
    assignment.delete()
    person._role_cache = None
    record(events.TRAINER_ROLE_WITHDRAWN, actor=actor, target=person, data={**data, "role_removed": True})
    record(events.ROLES_CHANGED, actor=actor, target=person, data={"before": before, "after": sorted(person.role_set)})
