"""In-person sessions: capacity, a first-come waiting list promoted automatically (also under
concurrent sign-ups and cancellations), attendance by the session's trainers, feedback."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.training.models import Signup, TrainingSession
from rightpath.training.services import sessions as ss


def _session(trainer: Any, *, capacity: int = 2, days: int = 7) -> TrainingSession:
    start = timezone.now() + timedelta(days=days)
    return ss.session_create(
        actor=trainer,
        title="Risk assessment workshop",
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        place="Skopje",
        country="MK",
        capacity=capacity,
        trainers=[trainer],
    )


def _people(make_user: Any, n: int) -> list[Any]:
    return [make_user(username=f"p{i}") for i in range(n)]


@pytest.mark.django_db
def test_places_fill_then_the_waiting_list(trainer: Any, make_user: Any) -> None:
    session = _session(trainer)
    statuses = [ss.signup_register(session, actor=p).status for p in _people(make_user, 4)]
    assert statuses == ["booked", "booked", "waitlisted", "waitlisted"]


@pytest.mark.django_db
def test_a_cancellation_promotes_the_first_on_the_waiting_list(trainer: Any, make_user: Any) -> None:
    session = _session(trainer)
    a, b, c, d = _people(make_user, 4)
    signups = [ss.signup_register(session, actor=p) for p in (a, b, c, d)]
    promoted = ss.signup_cancel(signups[0], actor=a)
    assert [s.person for s in promoted] == [c]
    assert dict(Signup.objects.values_list("person__username", "status")) == {
        "p0": "cancelled",
        "p1": "booked",
        "p2": "booked",
        "p3": "waitlisted",
    }
    assert AuditEntry.objects.filter(event="training.session_waitlist_promoted").count() == 1


@pytest.mark.django_db
def test_more_places_promote_in_sign_up_order(trainer: Any, make_user: Any) -> None:
    session = _session(trainer, capacity=1)
    people = _people(make_user, 4)
    for p in people:
        ss.signup_register(session, actor=p)
    promoted = ss.session_set_capacity(session, actor=trainer, capacity=3)
    assert [s.person for s in promoted] == people[1:3]


@pytest.mark.django_db
def test_signing_up_through_the_page_then_cancelling(trainer: Any, learner: Any, client_for: Any) -> None:
    session = _session(trainer, capacity=1)
    client = client_for(learner)
    assert client.post(reverse("training:session_register", args=[session.code])).status_code == 302
    page = client.get(reverse("training:session_detail", args=[session.code]))
    assert "Your sign-up: Booked." in page.text
    client.post(reverse("training:session_cancel", args=[session.code]))
    assert Signup.objects.get(person=learner).status == "cancelled"


@pytest.mark.django_db
def test_registration_closes_when_the_session_starts(trainer: Any, learner: Any, client_for: Any) -> None:
    session = _session(trainer)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    assert client_for(learner).post(reverse("training:session_register", args=[session.code])).status_code == 403


@pytest.mark.django_db
def test_the_sessions_trainer_records_attendance(trainer: Any, make_user: Any, client_for: Any) -> None:
    session = _session(trainer)
    a, b = _people(make_user, 2)
    sa, sb = ss.signup_register(session, actor=a), ss.signup_register(session, actor=b)
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=2))
    client = client_for(trainer)
    page = client.get(reverse("training:session_attendance", args=[session.code]))
    assert page.status_code == 200
    response = client.post(
        reverse("training:session_attendance", args=[session.code]),
        {f"attendance-{sa.code}": "attended", f"attendance-{sb.code}": "no_show"},
    )
    assert response.status_code == 302
    assert dict(Signup.objects.values_list("person__username", "status")) == {"p0": "attended", "p1": "no_show"}
    assert AuditEntry.objects.filter(event="training.session_attendance").exists()


@pytest.mark.django_db
def test_attendance_waits_for_the_session_to_start(trainer: Any, make_user: Any) -> None:
    session = _session(trainer)
    signup = ss.signup_register(session, actor=make_user(username="early"))
    with pytest.raises(ValidationError, match="once the session has started"):
        ss.attendance_record(session, actor=trainer, marks={str(signup.code): "attended"})


@pytest.mark.django_db
def test_a_trainer_of_another_organisation_cannot_record_attendance(
    trainer: Any, make_user: Any, other_org: Any, client_for: Any
) -> None:
    session = _session(trainer)
    stranger = make_user("trainer", organisation=other_org)
    assert client_for(stranger).get(reverse("training:session_attendance", args=[session.code])).status_code == 403


@pytest.mark.django_db
def test_a_waitlisted_person_cannot_be_marked_present(trainer: Any, make_user: Any) -> None:
    session = _session(trainer, capacity=1)
    ss.signup_register(session, actor=make_user(username="in"))
    waiting = ss.signup_register(session, actor=make_user(username="out"))
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="not booked"):
        ss.attendance_record(session, actor=trainer, marks={str(waiting.code): "attended"})


@pytest.mark.django_db
def test_feedback_comes_from_participants_who_attended_once(trainer: Any, learner: Any, client_for: Any) -> None:
    session = _session(trainer)
    signup = ss.signup_register(session, actor=learner)
    client = client_for(learner)
    url = reverse("training:session_feedback", args=[signup.code])
    assert client.get(url).status_code == 403
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now() - timedelta(hours=1))
    ss.attendance_record(session, actor=trainer, marks={str(signup.code): "attended"})
    assert "Feedback requested" in client.get(reverse("training:home")).text
    bad = client.post(url, {"relevance": "9", "trainer_quality": "4", "confidence": "4"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.text
    assert (
        client.post(url, {"relevance": "5", "trainer_quality": "4", "confidence": "3", "comment": "Useful"}).status_code
        == 302
    )
    signup.refresh_from_db()
    with pytest.raises(ValidationError, match="already given feedback"):
        ss.feedback_submit(signup, actor=learner, relevance=5, trainer_quality=5, confidence=5)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_sign_ups_never_overbook_and_cancellations_promote_exactly_one(trainer: Any, make_user: Any) -> None:
    session = _session(trainer, capacity=3)
    people = _people(make_user, 12)
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def sign_up(person: Any) -> None:
        from django.db import connections

        try:
            barrier.wait()
            ss.signup_register(session, actor=person)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=sign_up, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Signup.objects.filter(session=session, status="booked").count() == 3
    assert Signup.objects.filter(session=session, status="waitlisted").count() == 9
    booked = list(Signup.objects.filter(session=session, status="booked").select_related("person"))
    waiting_order = list(
        Signup.objects.filter(session=session, status="waitlisted")
        .order_by("signed_up_at", "id")
        .values_list("person_id", flat=True)
    )
    barrier2 = threading.Barrier(len(booked))

    def cancel(signup: Any) -> None:
        from django.db import connections

        try:
            barrier2.wait()
            ss.signup_cancel(signup, actor=signup.person)
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=cancel, args=(s,)) for s in booked]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    now_booked = set(Signup.objects.filter(session=session, status="booked").values_list("person_id", flat=True))
    assert now_booked == set(waiting_order[:3])
