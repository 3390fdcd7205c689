"""Shortcuts that take a learner through a course with the services."""

from __future__ import annotations

from typing import Any

from rightpath.training.models import Attempt, Certificate
from rightpath.training.services import learning as ls

from .conftest import CourseKit


def take(kit: CourseKit, quiz: Any, user: Any, *, right: bool = True) -> Attempt:
    answers = {}
    for q in quiz.questions.all():
        if q.type == "short":
            answers[str(q.code)] = ls.Submitted(text="An answer")
        else:
            answers[str(q.code)] = ls.Submitted(choices=tuple(kit.right(q) if right else kit.wrong(q)))
    attempt = ls.attempt_start(quiz, actor=user)
    return ls.attempt_submit(attempt, actor=user, answers=answers)


def complete(kit: CourseKit, user: Any, *, pre_right: bool = False, cohort: str = "") -> Certificate | None:
    """Enrol ``user``, take the pre-test, every lesson, the module quiz and the post-test."""
    enrolment = ls.enrolment_create(kit.course, actor=user, cohort=cohort)
    take(kit, kit.pre, user, right=pre_right)
    for lesson in kit.lessons:
        ls.lesson_complete(lesson, actor=user)
    take(kit, kit.module_quiz, user)
    take(kit, kit.post, user)
    enrolment.refresh_from_db()
    return getattr(enrolment, "certificate", None)
