"""Training fixtures: a trainer of a training academy, learners, and a published course with a
pre-test, two modules of lessons with a module quiz, and a post-test (the same item pool)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from rightpath.accounts.models import Organisation, User
from rightpath.training.models import Course, Lesson, Question, Quiz
from rightpath.training.services import courses as cs


@pytest.fixture
def academy(make_org: Callable[..., Organisation]) -> Organisation:
    return make_org("Training Academy", type="training", country="MK")


@pytest.fixture
def trainer(make_user: Callable[..., User], academy: Organisation) -> User:
    return make_user("trainer", organisation=academy, username="trainer")


@pytest.fixture
def learner(make_user: Callable[..., User], org: Organisation) -> User:
    return make_user(username="learner")


@dataclass
class CourseKit:
    course: Course
    lessons: list[Lesson]
    pre: Quiz
    post: Quiz
    module_quiz: Quiz
    questions: list[Question] = field(default_factory=list)

    def right(self, question: Question) -> list[str]:
        return [c.code for c in question.choices.filter(is_correct=True)]

    def wrong(self, question: Question) -> list[str]:
        return [question.choices.filter(is_correct=False).first().code]


def build_course(trainer: User, *, lessons_per_module: int = 2, short_answer: bool = False, **extra: Any) -> CourseKit:
    course = cs.course_create(
        actor=trainer,
        title="Risk assessment in practice",
        summary="Structured professional judgement.",
        status="published",
        **extra,
    )
    lessons = []
    modules = []
    for m in range(2):
        module = cs.module_save(course, actor=trainer, titles={"en": f"Module {m + 1}"}, pillar="risk_assessment")
        modules.append(module)
        for i in range(lessons_per_module):
            lessons.append(
                cs.lesson_save(
                    module,
                    actor=trainer,
                    language="en",
                    title=f"Lesson {m + 1}.{i + 1}",
                    body="## Why\nBecause **it matters**.",
                )
            )
    q1 = cs.question_create(
        course,
        actor=trainer,
        type="single",
        prompts={"en": "Which method do DRR tools use?"},
        choices=[({"en": "Structured professional judgement"}, True), ({"en": "Automatic scoring"}, False)],
    )
    q2 = cs.question_create(
        course,
        actor=trainer,
        type="multiple",
        prompts={"en": "Who takes part in a case conference?"},
        choices=[({"en": "Probation"}, True), ({"en": "Social work"}, True), ({"en": "The press"}, False)],
    )
    q3 = cs.question_create(
        course,
        actor=trainer,
        type="true_false",
        prompts={"en": "Reassessment is needed over time."},
        choices=[({"en": "True"}, True), ({"en": "False"}, False)],
    )
    questions = [q1, q2, q3]
    if short_answer:
        questions.append(
            cs.question_create(course, actor=trainer, type="short", prompts={"en": "Name one protective factor."})
        )
    pre = cs.quiz_save(
        course, actor=trainer, kind="pre_test", titles={"en": "Pre-test"}, questions=questions, max_attempts=1
    )
    post = cs.quiz_save(
        course, actor=trainer, kind="post_test", titles={"en": "Post-test"}, questions=questions, pass_mark=60
    )
    module_quiz = cs.quiz_save(
        course,
        actor=trainer,
        kind="module",
        titles={"en": "Module 1 quiz"},
        questions=[q1, q3],
        module=modules[0],
        pass_mark=50,
    )
    course.refresh_from_db()
    return CourseKit(course, lessons, pre, post, module_quiz, questions)


@pytest.fixture
def kit(trainer: User) -> CourseKit:
    return build_course(trainer)
