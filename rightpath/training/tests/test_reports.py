"""Reports and the cascade: gain per cohort, organisation and country; CSV with formula cells made
inert; who trained whom through sessions and trainer tracks."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.training.models import TrainingSession
from rightpath.training.selectors import cascade, course_report
from rightpath.training.services import sessions as ss

from .conftest import CourseKit
from .helpers import complete

pytestmark = pytest.mark.django_db


def test_gain_is_reported_per_cohort_organisation_and_country(
    kit: CourseKit, trainer: Any, make_user: Any, org: Any, other_org: Any
) -> None:
    complete(kit, make_user(username="a"), cohort="Prishtina")
    complete(kit, make_user(username="b", organisation=other_org), cohort="Sarajevo", pre_right=True)
    report = course_report(kit.course, actor=trainer, language="en")
    by_country = {g["name"]: g for g in report["by_country"]}
    assert by_country["XK"]["pre"] == 0.0 and by_country["XK"]["normalised_gain"] == 1.0
    assert by_country["BA"]["pre"] == 100.0 and by_country["BA"]["normalised_gain"] is None
    assert {g["name"] for g in report["by_cohort"]} == {"Prishtina", "Sarajevo"}
    assert report["overall"][0]["pre"] == 50.0 and report["overall"][0]["normalised_gain"] == 1.0


def test_csv_export_makes_formula_cells_inert_and_is_audited(
    kit: CourseKit, trainer: Any, make_user: Any, client_for: Any
) -> None:
    person = make_user(username="x")
    person.first_name, person.last_name = '=HYPERLINK("http://evil")', ""
    person.save()
    complete(kit, person, cohort="+cmd|' /C calc'!A0")
    response = client_for(trainer).get(reverse("training:report_csv", args=[kit.course.code]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[1][0].startswith("'=HYPERLINK")
    assert rows[1][3].startswith("'+cmd")
    assert AuditEntry.objects.filter(event="data.exported", actor_id=trainer.pk).exists()


def test_the_cascade_follows_trainers_through_sessions_and_trainer_tracks(
    trainer: Any, make_user: Any, other_org: Any, client_for: Any
) -> None:
    from .conftest import build_course

    track = build_course(trainer, is_trainer_track=True)
    start = timezone.now() + timedelta(days=1)

    def held_session(by: Any, people: list[Any]) -> None:
        session = ss.session_create(
            actor=by,
            title="Session",
            starts_at=start,
            ends_at=start + timedelta(hours=3),
            place="Tetovo",
            country="MK",
            capacity=10,
            trainers=[by],
            course=track.course,
        )
        signups = [ss.signup_register(session, actor=p) for p in people]
        TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
        session.refresh_from_db()
        ss.attendance_record(session, actor=by, marks={str(s.code): "attended" for s in signups})

    second = make_user(username="second", organisation=other_org)
    held_session(trainer, [second])
    complete(track, second)  # the trainer track makes "second" a trainer
    second._role_cache = None
    third, fourth = make_user(username="third"), make_user(username="fourth", organisation=other_org)
    held_session(second, [third, fourth])

    data = cascade(actor=trainer)
    rows = {t["person"]["name"]: t for t in data["trainers"]}
    assert rows[trainer.get_full_name()]["direct"] == 1
    assert rows[trainer.get_full_name()]["reached"] == 3
    assert rows[second.get_full_name()]["certified_through"] == track.course
    assert rows[second.get_full_name()]["sessions"] == 1 and rows[second.get_full_name()]["direct"] == 2
    assert data["reached_total"] == 3
    assert dict(data["by_country"]) == {"BA": 2, "XK": 1}
    page = client_for(trainer).get(reverse("training:cascade"))
    assert page.status_code == 200 and second.get_full_name() in page.text
