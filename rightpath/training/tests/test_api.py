"""Training endpoints of the REST API: the same policy as the pages, no right answers served."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import CourseKit, build_course
from .helpers import complete

pytestmark = pytest.mark.django_db


def test_courses_list_and_detail(kit: CourseKit, learner: Any, client_for: Any) -> None:
    client = client_for(learner)
    listed = client.get("/api/v1/training/courses/").json()
    assert [c["code"] for c in listed] == [str(kit.course.code)]
    detail = client.get(f"/api/v1/training/courses/{kit.course.code}/").json()
    assert detail["pre_test"]["kind"] == "pre_test"
    assert len(detail["modules"]) == 2
    assert "is_correct" not in str(detail) and "choices" not in str(detail)


def test_a_course_not_published_to_the_caller_is_404(
    trainer: Any, org: Any, other_org: Any, make_user: Any, client_for: Any
) -> None:
    kit = build_course(trainer, audience="organisations", organisations=[org])
    outsider = make_user(organisation=other_org)
    assert client_for(outsider).get(f"/api/v1/training/courses/{kit.course.code}/").status_code == 404


def test_my_enrolments(kit: CourseKit, learner: Any, client_for: Any) -> None:
    cert = complete(kit, learner)
    rows = client_for(learner).get("/api/v1/training/enrolments/").json()
    assert rows[0]["status"] == "completed" and rows[0]["certificate_code"] == cert.verification_code


def test_anonymous_callers_get_401_or_403(kit: CourseKit, client: Any) -> None:
    assert client.get("/api/v1/training/courses/").status_code in (401, 403)
