"""Who sees and changes what: publication to the platform or to chosen organisations, drafts,
course staff, organisation administrators' reports on their own learners."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from rightpath.access.policy import can, visible
from rightpath.accounts.roles import Role
from rightpath.training.models import Course
from rightpath.training.selectors import course_report
from rightpath.training.services import courses as cs

from .conftest import build_course
from .helpers import complete

pytestmark = pytest.mark.django_db


def test_a_course_published_to_chosen_organisations_is_hidden_from_others(
    trainer: Any, org: Any, other_org: Any, make_user: Any, client_for: Any
) -> None:
    kit = build_course(trainer, audience="organisations", organisations=[org])
    inside, outside = make_user(), make_user(organisation=other_org)
    url = reverse("training:course_detail", args=[kit.course.code])
    assert client_for(inside).get(url).status_code == 200
    assert client_for(outside).get(url).status_code == 404
    assert list(visible(outside, "training.course.view", Course.objects.all())) == []
    assert list(visible(inside, "training.course.view", Course.objects.all())) == [kit.course]


def test_a_draft_is_seen_by_its_staff_only(trainer: Any, learner: Any, make_user: Any, other_org: Any) -> None:
    course = cs.course_create(actor=trainer, title="Draft course")
    assert can(trainer, "training.course.view", course)
    assert not can(learner, "training.course.view", course)
    assert not can(make_user("trainer", organisation=other_org), "training.course.view", course)


def test_only_the_owning_organisations_trainers_edit(
    trainer: Any, make_user: Any, other_org: Any, client_for: Any
) -> None:
    kit = build_course(trainer)
    stranger = make_user("trainer", organisation=other_org)
    assert client_for(stranger).get(reverse("training:course_manage", args=[kit.course.code])).status_code == 403
    assert client_for(trainer).get(reverse("training:course_manage", args=[kit.course.code])).status_code == 200


def test_a_learner_cannot_build_courses(learner: Any, client_for: Any) -> None:
    assert client_for(learner).get(reverse("training:course_create")).status_code == 403


def test_an_organisation_administrator_reports_on_their_own_learners_only(
    trainer: Any, org: Any, other_org: Any, make_user: Any
) -> None:
    kit = build_course(trainer)
    mine, theirs = make_user(username="mine"), make_user(username="theirs", organisation=other_org)
    complete(kit, mine)
    complete(kit, theirs)
    admin = make_user(Role.ORG_ADMIN)
    names = [r["name"] for r in course_report(kit.course, actor=admin, language="en")["rows"]]
    assert names == [mine.get_full_name()]
    assert len(course_report(kit.course, actor=trainer, language="en")["rows"]) == 2
    assert list(visible(admin, "training.report.view", Course.objects.all())) == [kit.course]


def test_a_learner_sees_no_reports(kit: Any, learner: Any, client_for: Any) -> None:
    assert client_for(learner).get(reverse("training:report", args=[kit.course.code])).status_code == 403
    assert client_for(learner).get(reverse("training:cascade")).status_code == 403


def test_a_service_account_has_no_training_rights(kit: Any, make_user: Any) -> None:
    robot = make_user(is_service_account=True)
    assert not can(robot, "training.course.view", kit.course)
    assert not can(robot, "training.learning.view")


def test_certificate_verification_is_open_to_anyone() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert can(AnonymousUser(), "training.certificate.verify")
