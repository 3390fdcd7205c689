"""Demonstration training: the starter curriculum (``curriculum.py``) built by the academy's demo
trainer through the same services as the pages, two learners (one who completed the trainer track
and received a certificate), and in-person sessions: one coming up, two held with attendance and
feedback, so the cascade shows two levels.

``seed()`` is idempotent: the course has a fixed code and nothing is built when it exists.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

from django.utils import timezone

from rightpath.accounts.models import User
from rightpath.training.models import Course, Quiz, TrainingSession
from rightpath.training.services import courses as cs
from rightpath.training.services import learning as ls
from rightpath.training.services import sessions as ss
from rightpath.training.vocab import TranslationStatus

from .curriculum import COURSE, COURSE_CODE, MODULES, POST_TEST_TITLE, PRE_TEST_TITLE, QUIZ_TITLE

TRAINER = "academy.trainer"
LEARNERS = ("socialwork.practitioner", "prison.assessor")
LANGUAGES = ("en", "sq", "bs", "mk")


def build_course(trainer: User) -> Course:
    """The starter curriculum as a published trainer track of the trainer's organisation."""
    course = cs.course_create(
        actor=trainer,
        title=COURSE["title"]["en"],
        summary=COURSE["summary"]["en"],
        status="published",
        is_trainer_track=True,
        certificate_valid_days=3 * 365,
    )
    Course.objects.filter(pk=course.pk).update(code=uuid.UUID(COURSE_CODE))
    course.refresh_from_db()
    for lang in LANGUAGES[1:]:
        cs.course_translation_save(
            course, actor=trainer, language=lang, title=COURSE["title"][lang], summary=COURSE["summary"][lang]
        )
    first_questions = []
    for data in MODULES:
        module = cs.module_save(course, actor=trainer, titles=data["title"], pillar=data["pillar"])
        for lesson_data in data["lessons"]:
            lesson = None
            for lang in LANGUAGES:
                lesson = cs.lesson_save(
                    module,
                    actor=trainer,
                    lesson=lesson,
                    language=lang,
                    title=lesson_data["title"][lang],
                    body=lesson_data["body"][lang],
                    status=TranslationStatus.ORIGINAL if lang == "en" else TranslationStatus.TRANSLATED,
                )
        questions = [
            cs.question_create(course, actor=trainer, type=q["type"], prompts=q["prompt"], choices=q["choices"])
            for q in data["questions"]
        ]
        first_questions.append(questions[0])
        cs.quiz_save(
            course, actor=trainer, kind="module", titles=QUIZ_TITLE, questions=questions, module=module, pass_mark=60
        )
    cs.quiz_save(
        course, actor=trainer, kind="pre_test", titles=PRE_TEST_TITLE, questions=first_questions, max_attempts=1
    )
    cs.quiz_save(
        course, actor=trainer, kind="post_test", titles=POST_TEST_TITLE, questions=first_questions, pass_mark=70
    )
    return course


def _answers(quiz: Quiz, *, right: bool) -> dict[str, ls.Submitted]:
    out = {}
    for q in quiz.questions.prefetch_related("choices"):
        choices = [c.code for c in q.choices.all() if c.is_correct == right]
        out[str(q.code)] = ls.Submitted(choices=tuple(choices if right else choices[:1]))
    return out


def _take(quiz: Quiz, user: User, *, right: bool) -> None:
    attempt = ls.attempt_start(quiz, actor=user)
    ls.attempt_submit(attempt, actor=user, answers=_answers(quiz, right=right))


def _held_session(
    trainer: User, title: str, place: str, country: str, days_ago: int, people: list[User], course: Course
) -> None:
    start = timezone.now() + timedelta(days=1)
    session = ss.session_create(
        actor=trainer,
        title=title,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        place=place,
        country=country,
        capacity=15,
        trainers=[trainer],
        course=course,
    )
    signups = [ss.signup_register(session, actor=p) for p in people]
    held = timezone.now() - timedelta(days=days_ago)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=held, ends_at=held + timedelta(hours=6))
    ss.attendance_record(session, actor=trainer, marks={str(s.code): "attended" for s in signups})
    for s in signups:
        s.refresh_from_db()
        ss.feedback_submit(s, actor=s.person, relevance=5, trainer_quality=4, confidence=4, comment="")


def seed() -> bool:
    """Build the demo training once; returns False when it is already there."""
    if Course.objects.filter(code=COURSE_CODE).exists():
        return False
    trainer = User.objects.get(username=TRAINER)
    course = build_course(trainer)
    quizzes = {q.kind: q for q in course.quizzes.all()}
    completer, starter = (User.objects.get(username=u) for u in LEARNERS)
    lessons = [les for m in course.modules.order_by("position") for les in m.lessons.order_by("position")]

    # A practitioner who completed the trainer track: pre-test partly wrong, everything else passed.
    ls.enrolment_create(course, actor=completer, cohort="Gjilan 2026")
    _take(quizzes["pre_test"], completer, right=False)
    for lesson in lessons:
        ls.lesson_complete(lesson, actor=completer)
    for quiz in course.quizzes.filter(kind="module"):
        _take(quiz, completer, right=True)
    _take(quizzes["post_test"], completer, right=True)
    completer._role_cache = None

    # An assessor part-way through.
    ls.enrolment_create(course, actor=starter, cohort="Dubravë 2026")
    _take(quizzes["pre_test"], starter, right=False)
    for lesson in lessons[:3]:
        ls.lesson_complete(lesson, actor=starter)

    _held_session(
        trainer, "DRR foundations: in-person day", "Tetovo, Balkan DRR Training Academy", "MK", 30, [completer], course
    )
    _held_session(
        completer,
        "Working with returnee families: local workshop",
        "Gjilan, Centre for Social Work",
        "XK",
        5,
        [starter],
        course,
    )
    start = timezone.now() + timedelta(days=14)
    ss.session_create(
        actor=trainer,
        title="DRR foundations: in-person day (Skopje)",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        place="Skopje, City Hall training room",
        country="MK",
        capacity=12,
        trainers=[trainer],
        course=course,
    )
    return True
