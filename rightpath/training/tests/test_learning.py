"""Learning: enrolment, the pre-test before the lessons, server-side grading that cannot be forged,
attempt limits, trainer grading of short answers, completion, certificate and learning gain."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rightpath.accounts.roles import Role
from rightpath.audit.models import AuditEntry
from rightpath.training.models import Attempt, Certificate, Enrolment, TrainerCertification
from rightpath.training.selectors import course_report, gain
from rightpath.training.services import learning as ls

from .conftest import CourseKit, build_course

pytestmark = pytest.mark.django_db


def _answers(kit: CourseKit, quiz: Any, *, right: bool = True) -> dict[str, ls.Submitted]:
    out = {}
    for q in quiz.questions.all():
        if q.type == "short":
            out[str(q.code)] = ls.Submitted(text="Family support")
        else:
            out[str(q.code)] = ls.Submitted(choices=tuple(kit.right(q) if right else kit.wrong(q)))
    return out


def _take(kit: CourseKit, quiz: Any, user: Any, *, right: bool = True) -> Attempt:
    attempt = ls.attempt_start(quiz, actor=user)
    return ls.attempt_submit(attempt, actor=user, answers=_answers(kit, quiz, right=right))


def _finish_lessons(kit: CourseKit, user: Any) -> None:
    for lesson in kit.lessons:
        ls.lesson_complete(lesson, actor=user)


def test_learner_enrols_themselves_from_the_course_page(kit: CourseKit, learner: Any, client_for: Any) -> None:
    client = client_for(learner)
    page = client.get(reverse("training:course_detail", args=[kit.course.code]))
    assert page.status_code == 200
    assert "Enrol in this course" in page.text
    response = client.post(reverse("training:course_enrol", args=[kit.course.code]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(course=kit.course, learner=learner).exists()
    assert AuditEntry.objects.filter(event="training.enrolled", actor_id=learner.pk).exists()


def test_lessons_open_only_after_the_pre_test(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    with pytest.raises(ValidationError, match="pre-test"):
        ls.lesson_complete(kit.lessons[0], actor=learner)
    _take(kit, kit.pre, learner, right=False)
    ls.lesson_complete(kit.lessons[0], actor=learner)


def test_pre_test_closes_once_the_lessons_begin(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    _take(kit, kit.pre, learner, right=False)
    ls.lesson_complete(kit.lessons[0], actor=learner)
    with pytest.raises(ValidationError):
        ls.attempt_start(kit.pre, actor=learner)


def test_post_test_waits_for_every_lesson(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    _take(kit, kit.pre, learner, right=False)
    with pytest.raises(ValidationError, match="Finish every lesson"):
        ls.attempt_start(kit.post, actor=learner)


def test_whole_course_gives_a_certificate_and_the_learning_gain(kit: CourseKit, learner: Any, trainer: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner, cohort="Skopje 2026")
    pre = _take(kit, kit.pre, learner, right=False)
    assert pre.score == Decimal("0.00")
    _finish_lessons(kit, learner)
    assert _take(kit, kit.module_quiz, learner).passed
    assert not Certificate.objects.exists()
    post = _take(kit, kit.post, learner)
    assert post.score == Decimal("100.00") and post.passed
    enrolment = Enrolment.objects.get(learner=learner)
    assert enrolment.status == "completed"
    certificate = enrolment.certificate
    assert certificate.learner_name == learner.get_full_name()
    assert certificate.course_title == "Risk assessment in practice"
    report = course_report(kit.course, actor=trainer, language="en")
    row = report["rows"][0]
    assert (row["pre"], row["post"], row["raw_gain"], row["normalised_gain"]) == (
        Decimal("0.00"),
        Decimal("100.00"),
        100.0,
        1.0,
    )
    assert report["by_cohort"][0]["name"] == "Skopje 2026"


def test_gain_is_raw_points_and_normalised_by_what_was_left_to_learn() -> None:
    assert gain(40, 70) == (30.0, 0.5)
    assert gain(80, 70) == (-10.0, -0.5)
    assert gain(100, 100) == (0.0, None)
    assert gain(None, 50) == (None, None)


def test_quiz_page_never_tells_the_browser_which_answer_is_right(kit: CourseKit, learner: Any, client_for: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    client = client_for(learner)
    start = client.post(reverse("training:quiz_start", args=[kit.pre.code]))
    page = client.get(start["Location"])
    assert page.status_code == 200
    assert "Structured professional judgement" in page.text
    assert "right answer" not in page.text and "is_correct" not in page.text
    paper_codes = [c for q in kit.questions for c in q.choices.values_list("code", flat=True)]
    right_codes = [c for q in kit.questions for c in kit.right(q)]
    # Choices appear in the author's order, so the right ones cannot be told apart by position or markup.
    for code in paper_codes:
        assert f'value="{code}"' in page.text
    assert all(page.text.count(code) == 3 for code in right_codes)


def test_a_choice_of_another_question_is_refused(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    attempt = ls.attempt_start(kit.pre, actor=learner)
    answers = _answers(kit, kit.pre)
    q1, q3 = kit.questions[0], kit.questions[2]
    answers[str(q1.code)] = ls.Submitted(choices=tuple(kit.right(q3)))
    with pytest.raises(ValidationError) as exc:
        ls.attempt_submit(attempt, actor=learner, answers=answers)
    assert "Question 1: that is not one of its choices." in str(exc.value)
    attempt.refresh_from_db()
    assert attempt.status == "in_progress" and attempt.score is None


def test_an_answer_to_a_question_outside_the_quiz_is_refused(kit: CourseKit, learner: Any, trainer: Any) -> None:
    from rightpath.training.services import courses as cs

    other = cs.question_create(
        kit.course,
        actor=trainer,
        type="true_false",
        prompts={"en": "Not on this quiz"},
        choices=[({"en": "True"}, True), ({"en": "False"}, False)],
    )
    ls.enrolment_create(kit.course, actor=learner)
    attempt = ls.attempt_start(kit.module_quiz.course.quizzes.get(kind="pre_test"), actor=learner)
    answers = _answers(kit, kit.pre)
    answers[str(other.code)] = ls.Submitted(choices=tuple(kit.right(other)))
    with pytest.raises(ValidationError, match="do not belong to this quiz"):
        ls.attempt_submit(attempt, actor=learner, answers=answers)


def test_two_choices_on_a_single_choice_question_are_refused(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    attempt = ls.attempt_start(kit.pre, actor=learner)
    answers = _answers(kit, kit.pre)
    q1 = kit.questions[0]
    answers[str(q1.code)] = ls.Submitted(choices=tuple(q1.choices.values_list("code", flat=True)))
    with pytest.raises(ValidationError, match="choose one answer only"):
        ls.attempt_submit(attempt, actor=learner, answers=answers)


def test_a_forged_score_in_the_form_is_ignored(kit: CourseKit, learner: Any, client_for: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    client = client_for(learner)
    url = client.post(reverse("training:quiz_start", args=[kit.pre.code]))["Location"]
    data: dict[str, Any] = {"score": "100", "passed": "1", "status": "graded"}
    for q in kit.pre.questions.all():
        data[f"q-{q.code}"] = kit.wrong(q)
    assert client.post(url, data).status_code == 302
    attempt = Attempt.objects.get(quiz=kit.pre)
    assert attempt.score == Decimal("0.00")


def test_unanswered_questions_get_a_clear_message_per_question(kit: CourseKit, learner: Any, client_for: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    client = client_for(learner)
    url = client.post(reverse("training:quiz_start", args=[kit.pre.code]))["Location"]
    q1 = kit.questions[0]
    response = client.post(url, {f"q-{q1.code}": kit.right(q1)})
    assert response.status_code == 400
    assert "Question 2: choose an answer." in response.text
    assert "Question 3: choose an answer." in response.text


def test_another_learners_attempt_is_not_found(kit: CourseKit, learner: Any, make_user: Any, client_for: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    attempt = ls.attempt_start(kit.pre, actor=learner)
    other = make_user(username="other")
    ls.enrolment_create(kit.course, actor=other)
    response = client_for(other).post(reverse("training:attempt", args=[attempt.code]), {})
    assert response.status_code == 404
    assert AuditEntry.objects.filter(event="access.denied", actor_id=other.pk).exists()


def test_an_attempt_is_submitted_once(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    attempt = _take(kit, kit.pre, learner)
    with pytest.raises(ValidationError, match="already been submitted"):
        ls.attempt_submit(attempt, actor=learner, answers=_answers(kit, kit.pre, right=False))
    attempt.refresh_from_db()
    assert attempt.score == Decimal("100.00")


def test_no_attempt_beyond_the_limit(kit: CourseKit, learner: Any) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    _take(kit, kit.pre, learner, right=False)
    _finish_lessons(kit, learner)
    for _ in range(kit.post.max_attempts):
        _take(kit, kit.post, learner, right=False)
    with pytest.raises(ValidationError, match="used every attempt"):
        ls.attempt_start(kit.post, actor=learner)
    assert Attempt.objects.filter(quiz=kit.post).count() == kit.post.max_attempts


def test_quiz_needs_an_enrolment(kit: CourseKit, learner: Any, client_for: Any) -> None:
    response = client_for(learner).post(reverse("training:quiz_start", args=[kit.pre.code]))
    assert response.status_code == 403


def test_short_answers_wait_for_a_trainer_then_count(trainer: Any, learner: Any, client_for: Any) -> None:
    kit = build_course(trainer, short_answer=True)
    ls.enrolment_create(kit.course, actor=learner)
    attempt = _take(kit, kit.pre, learner)
    assert attempt.status == "awaiting_grading" and attempt.score is None
    page = client_for(trainer).get(reverse("training:grading", args=[kit.course.code]))
    assert "Family support" in page.text
    short = kit.questions[-1]
    response = client_for(trainer).post(
        reverse("training:grade", args=[attempt.code, short.code]),
        {
            f"{attempt.answers.get(question=short).pk}-credit": "0.5",
            f"{attempt.answers.get(question=short).pk}-feedback": "Partly",
        },
    )
    assert response.status_code == 302
    attempt.refresh_from_db()
    # 3 of 4 points from the choices plus half a point: 3.5 / 4.
    assert attempt.status == "graded" and attempt.score == Decimal("87.50")


def test_a_learner_cannot_grade(trainer: Any, learner: Any, client_for: Any) -> None:
    kit = build_course(trainer, short_answer=True)
    ls.enrolment_create(kit.course, actor=learner)
    attempt = _take(kit, kit.pre, learner)
    short = kit.questions[-1]
    response = client_for(learner).post(reverse("training:grade", args=[attempt.code, short.code]), {})
    assert response.status_code == 403


def test_completing_a_trainer_track_makes_the_learner_a_trainer(trainer: Any, learner: Any) -> None:
    kit = build_course(trainer, is_trainer_track=True)
    assert not learner.has_role(Role.TRAINER)
    ls.enrolment_create(kit.course, actor=learner)
    _take(kit, kit.pre, learner)
    _finish_lessons(kit, learner)
    _take(kit, kit.module_quiz, learner)
    _take(kit, kit.post, learner)
    learner.refresh_from_db()
    learner._role_cache = None
    assert learner.has_role(Role.TRAINER)
    assert TrainerCertification.objects.filter(person=learner, course=kit.course).exists()
    assert AuditEntry.objects.filter(event="training.trainer_certified", target_id=str(learner.code)).exists()
    assert AuditEntry.objects.filter(event="accounts.roles_changed", target_id=str(learner.code)).exists()


def test_right_answers_are_shown_after_a_pass_but_never_for_the_pre_test(
    kit: CourseKit, learner: Any, client_for: Any
) -> None:
    ls.enrolment_create(kit.course, actor=learner)
    client = client_for(learner)
    pre = _take(kit, kit.pre, learner, right=False)
    assert "right answer" not in client.get(reverse("training:attempt", args=[pre.code])).text
    _finish_lessons(kit, learner)
    quiz = _take(kit, kit.module_quiz, learner)
    assert "right answer" in client.get(reverse("training:attempt", args=[quiz.code])).text


def test_enrolling_someone_of_another_organisation_needs_course_staff(
    kit: CourseKit, make_user: Any, other_org: Any, org: Any
) -> None:
    admin = make_user(Role.ORG_ADMIN)
    stranger = make_user(organisation=other_org)
    with pytest.raises(ValidationError, match="your own organisation"):
        ls.enrolment_create(kit.course, actor=admin, learner=stranger)
    colleague = make_user()
    assert ls.enrolment_create(kit.course, actor=admin, learner=colleague, cohort="Spring").cohort == "Spring"
