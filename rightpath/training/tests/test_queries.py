"""Query budgets: the course page, the learner dashboard and the trainer report cost the same number
of queries with 3 learners as with 30."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from .conftest import CourseKit
from .helpers import complete

pytestmark = pytest.mark.django_db

# Every signed-in request reads the session, the user, the second-factor device and the roles (4);
# the numbers below include them. Each test warms the session up first (its first request of the
# minute also writes the session's activity time).
# Course page: + course, enrolment with certificate, lessons done, attempts.
COURSE_PAGE = 8
# Outline not cached yet: + course texts, lessons, lesson texts, quizzes, modules.
COURSE_PAGE_COLD = 13
# Dashboard: + enrolments with progress, course texts, lesson totals, coming sessions, feedback due.
DASHBOARD = 9
# Report: + course, enrolments with learners and certificates, lesson total, quizzes, graded attempts,
# feedback ratings, course texts, comments, and the audit entry of the read (or of the export).
REPORT = 13


def _learners(kit: CourseKit, make_user: Any, org: Any, other_org: Any, n: int) -> list[Any]:
    people = []
    for i in range(n):
        user = make_user(username=f"l{n}-{i}", organisation=org if i % 2 else other_org)
        complete(kit, user, cohort=f"cohort {i % 3}")
        people.append(user)
    return people


@pytest.mark.parametrize("n", [3, 30])
def test_course_page_queries_do_not_grow_with_learners(
    n: int, kit: CourseKit, make_user: Any, org: Any, other_org: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    people = _learners(kit, make_user, org, other_org, n)
    client = client_for(people[0])
    url = reverse("training:course_detail", args=[kit.course.code])
    client.get(url)
    cache.clear()
    # Cold: the outline is built (course texts, lessons with texts, quizzes, modules) and cached.
    with django_assert_num_queries(COURSE_PAGE_COLD):
        assert client.get(url).status_code == 200
    # Warm: session, user, roles, enrolment with certificate, lessons done, attempts, audit-free.
    with django_assert_num_queries(COURSE_PAGE):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_dashboard_queries_do_not_grow_with_learners(
    n: int, kit: CourseKit, make_user: Any, org: Any, other_org: Any, client_for: Any, django_assert_num_queries: Any
) -> None:
    people = _learners(kit, make_user, org, other_org, n)
    client = client_for(people[-1])
    client.get(reverse("training:home"))
    with django_assert_num_queries(DASHBOARD):
        assert client.get(reverse("training:home")).status_code == 200


@pytest.mark.parametrize("n", [3, 30])
def test_trainer_report_queries_do_not_grow_with_learners(
    n: int,
    kit: CourseKit,
    trainer: Any,
    make_user: Any,
    org: Any,
    other_org: Any,
    client_for: Any,
    django_assert_num_queries: Any,
) -> None:
    _learners(kit, make_user, org, other_org, n)
    client = client_for(trainer)
    client.get(reverse("training:home"))
    with django_assert_num_queries(REPORT):
        response = client.get(reverse("training:report", args=[kit.course.code]))
    assert response.status_code == 200
    assert response.text.count("Revoke the certificate of") == n
    with django_assert_num_queries(REPORT):
        assert client.get(reverse("training:report_csv", args=[kit.course.code])).status_code == 200
