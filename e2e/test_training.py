"""Training journeys in the browser: a learner takes the pre-test, a lesson and the post-test and
downloads the certificate; a visitor checks it on the public page; a trainer records attendance.
axe checks each page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rightpath.accounts.roles import Role
from rightpath.training.models import Certificate, Signup, TrainingSession
from rightpath.training.services import courses as cs
from rightpath.training.services import sessions as ss

from .conftest import axe_check, sign_in_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _course(trainer: Any) -> Any:
    course = cs.course_create(
        actor=trainer,
        title="Working with returnee families",
        summary="Reception, schooling and family ties.",
        status="published",
    )
    module = cs.module_save(course, actor=trainer, titles={"en": "Returnee children"}, pillar="vulnerable")
    cs.lesson_save(
        module,
        actor=trainer,
        language="en",
        title="A stable start",
        body="Children who return need an ordinary childhood.\n\n- documents\n- **school** soon\n- health checks",
    )
    q1 = cs.question_create(
        course,
        actor=trainer,
        type="single",
        prompts={"en": "What comes first in decisions about a child?"},
        choices=[({"en": "The best interests of the child"}, True), ({"en": "Public opinion"}, False)],
    )
    q2 = cs.question_create(
        course,
        actor=trainer,
        type="true_false",
        prompts={"en": "Prompt school enrolment helps returnee children."},
        choices=[({"en": "True"}, True), ({"en": "False"}, False)],
    )
    cs.quiz_save(course, actor=trainer, kind="pre_test", titles={"en": "Pre-test"}, questions=[q1, q2], max_attempts=1)
    cs.quiz_save(course, actor=trainer, kind="post_test", titles={"en": "Post-test"}, questions=[q1, q2], pass_mark=100)
    return course


def test_learner_takes_pre_test_lesson_post_test_and_downloads_the_certificate_which_a_visitor_verifies(
    live_server: Any, page: Page, make_user: Any, make_org: Any, new_context: Any
) -> None:
    academy = make_org("Academy", type="training", country="MK")
    trainer = make_user(Role.TRAINER, organisation=academy, username="trainer")
    course = _course(trainer)
    learner = make_user(username="learner")

    sign_in_verified(page, live_server.url, learner)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Training").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My learning")
    axe_check(page, label="my learning")
    page.get_by_role("link", name="Courses", exact=True).click()
    page.get_by_role("link", name="Working with returnee families").click()
    axe_check(page, label="course page before enrolment")
    page.get_by_role("button", name="Enrol in this course").click()
    expect(page.get_by_text("You are enrolled.")).to_be_visible()

    # Pre-test: one wrong answer.
    page.get_by_role("button", name="Start Pre-test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pre-test")
    axe_check(page, label="pre-test")
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_role("alert")).to_contain_text("Question 1: choose an answer.")
    page.get_by_label("Public opinion").check()
    page.get_by_label("True", exact=True).check()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Your score: 50.00%")).to_be_visible()
    axe_check(page, label="pre-test result")
    page.get_by_role("link", name="Back to the course").click()

    # The lesson.
    page.get_by_role("link", name="A stable start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A stable start")
    expect(page.locator("article strong")).to_have_text("school")
    axe_check(page, label="lesson")
    page.get_by_role("button", name="Mark this lesson as done").click()
    expect(page.get_by_text("You have done this lesson.")).to_be_visible()
    page.get_by_role("link", name="Working with returnee families").click()

    # Post-test: all right.
    page.get_by_role("button", name="Start Post-test").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Post-test")
    page.get_by_label("The best interests of the child").check()
    page.get_by_label("True", exact=True).check()
    expect(page.get_by_label("The best interests of the child")).to_be_checked()
    expect(page.get_by_label("True", exact=True)).to_be_checked()
    page.get_by_role("button", name="Submit my answers").click()
    expect(page.get_by_text("Your score: 100.00%")).to_be_visible()
    expect(page.get_by_text("You passed.")).to_be_visible()
    axe_check(page, label="post-test result")
    page.get_by_role("link", name="Back to the course").click()
    axe_check(page, label="course page after completion")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").first.click()
    pdf = download_info.value
    with open(pdf.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"

    certificate = Certificate.objects.get(enrolment__learner=learner)
    assert certificate.enrolment.course == course

    visitor = new_context(bypass_csp=True).new_page()
    visitor.goto(f"{live_server.url}/certificates/verify/{certificate.verification_code}/")
    expect(visitor.get_by_text("This certificate is valid.")).to_be_visible()
    expect(visitor.locator("main")).to_contain_text(learner.get_full_name())
    axe_check(visitor, label="certificate check")
    response = visitor.goto(f"{live_server.url}/certificates/verify/not-a-real-code-000000000000000000/")
    assert response is not None and response.status == 404


def test_trainer_records_attendance(live_server: Any, page: Page, make_user: Any, make_org: Any) -> None:
    academy = make_org("Academy", type="training", country="MK")
    trainer = make_user(Role.TRAINER, organisation=academy, username="trainer")
    present, absent = make_user(username="present"), make_user(username="absent")
    start = timezone.now() + timedelta(days=1)
    session = ss.session_create(
        actor=trainer,
        title="Risk assessment workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=5),
        place="Skopje",
        country="MK",
        capacity=10,
        trainers=[trainer],
    )
    for person in (present, absent):
        ss.signup_register(session, actor=person)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))

    sign_in_verified(page, live_server.url, trainer)
    page.goto(f"{live_server.url}/training/sessions/")
    axe_check(page, label="sessions")
    page.get_by_role("link", name="Risk assessment workshop").click()
    axe_check(page, label="session detail (trainer)")
    page.get_by_role("link", name="Record attendance").click()
    axe_check(page, label="attendance")
    page.get_by_role("group", name=present.get_full_name()).get_by_label("Attended in full").check()
    page.get_by_role("group", name=absent.get_full_name()).get_by_label("Did not attend").check()
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_text("Attendance saved: 2 change(s).")).to_be_visible()
    assert dict(Signup.objects.values_list("person__username", "status")) == {
        "present": "attended",
        "absent": "no_show",
    }
