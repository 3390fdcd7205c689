"""Editing an in-person session (place, time, places with promotion from the waiting list,
optimistic locking) and cancelling it after a confirmation step."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.training.models import Signup, TrainingSession
from rightpath.training.services import sessions as ss

pytestmark = pytest.mark.django_db


def _session(trainer: Any, *, capacity: int = 1) -> TrainingSession:
    start = timezone.now() + timedelta(days=7)
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


def _form(session: TrainingSession, **changes: Any) -> dict[str, Any]:
    data = {
        "title": session.title,
        "starts_at": timezone.localtime(session.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(session.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "place": session.place,
        "capacity": session.capacity,
        "version": session.version,
    }
    return {**data, **changes}


@pytest.fixture
def outsider(make_user: Any, other_org: Any) -> Any:
    return make_user("trainer", organisation=other_org, username="outsider")


def test_more_places_on_the_edit_page_promote_the_waiting_list_in_sign_up_order(
    trainer: Any, make_user: Any, client_for: Any
) -> None:
    session = _session(trainer)
    people = [make_user(username=f"p{i}") for i in range(3)]
    for person in people:
        ss.signup_register(session, actor=person)
    client = client_for(trainer)
    page = client.get(reverse("training:session_edit", args=[session.code]))
    assert page.status_code == 200 and 'value="Skopje"' in page.text
    response = client.post(
        reverse("training:session_edit", args=[session.code]), _form(session, capacity=2, place="Tetovo"), follow=True
    )
    assert "1 person moved from the waiting list to a place." in response.text
    session.refresh_from_db()
    assert session.capacity == 2 and session.place == "Tetovo"
    statuses = [Signup.objects.get(session=session, person=p).status for p in people]
    assert statuses == ["booked", "booked", "waitlisted"]
    assert AuditEntry.objects.filter(event="training.session_waitlist_promoted").count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"capacity": 0}, "Ensure this value is greater than or equal to 1."),
        ({"place": ""}, "This field is required."),
        ({"starts_at": "not a date"}, "Enter a valid date/time."),
    ],
)
def test_bad_session_input_gets_a_clear_message_and_changes_nothing(
    changes: dict[str, Any], message: str, trainer: Any, client_for: Any
) -> None:
    session = _session(trainer)
    response = client_for(trainer).post(
        reverse("training:session_edit", args=[session.code]), _form(session, **changes)
    )
    assert response.status_code == 400 and message in response.text
    fresh = TrainingSession.objects.get(pk=session.pk)
    assert (fresh.capacity, fresh.place, fresh.starts_at, fresh.version) == (
        session.capacity,
        session.place,
        session.starts_at,
        session.version,
    )


def test_fewer_places_than_people_booked_or_an_end_before_the_start_is_refused(
    trainer: Any, make_user: Any, client_for: Any
) -> None:
    session = _session(trainer, capacity=2)
    for i in range(2):
        ss.signup_register(session, actor=make_user(username=f"b{i}"))
    client = client_for(trainer)
    fewer = client.post(reverse("training:session_edit", args=[session.code]), _form(session, capacity=1))
    assert fewer.status_code == 400 and "More people are booked than this number of places." in fewer.text
    backwards = client.post(
        reverse("training:session_edit", args=[session.code]),
        _form(session, ends_at=(timezone.localtime(session.starts_at) - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")),
    )
    assert backwards.status_code == 400 and "The session must end after it starts." in backwards.text
    session.refresh_from_db()
    assert session.capacity == 2


def test_a_stale_session_edit_shows_the_other_change_and_saves_nothing(trainer: Any, client_for: Any) -> None:
    session = _session(trainer)
    stale = _form(session, place="Ohrid")
    ss.session_update(
        session,
        actor=trainer,
        expected_version=session.version,
        title=session.title,
        place="Bitola",
        starts_at=session.starts_at,
        ends_at=session.ends_at,
        capacity=session.capacity,
    )
    response = client_for(trainer).post(reverse("training:session_edit", args=[session.code]), stale)
    assert response.status_code == 400
    assert "Someone else saved this session while you were editing it." in response.text and "Bitola" in response.text
    session.refresh_from_db()
    assert session.place == "Bitola"


def test_cancelling_a_session_asks_for_confirmation_then_cancels_every_sign_up_and_records_who_to_tell(
    trainer: Any, make_user: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    session = _session(trainer)
    booked, waiting = make_user(username="booked"), make_user(username="waiting")
    ss.signup_register(session, actor=booked)
    ss.signup_register(session, actor=waiting)
    client = client_for(trainer)
    confirm = client.get(reverse("training:session_call_off", args=[session.code]))
    assert confirm.status_code == 200 and "2 people have a place or are on the waiting list." in confirm.text
    assert TrainingSession.objects.get(pk=session.pk).status == "scheduled"
    no_reason = client.post(reverse("training:session_call_off", args=[session.code]), {"reason": ""})
    assert no_reason.status_code == 400 and "This field is required." in no_reason.text
    assert TrainingSession.objects.get(pk=session.pk).status == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            reverse("training:session_call_off", args=[session.code]), {"reason": "Venue flooded"}, follow=True
        )
    assert "Session cancelled. 2 sign-ups were cancelled" in done.text
    session.refresh_from_db()
    assert session.status == "cancelled"
    assert set(Signup.objects.filter(session=session).values_list("status", flat=True)) == {"cancelled"}
    entry = AuditEntry.objects.get(event="training.session_cancelled")
    assert entry.data["reason"] == "Venue flooded"
    assert set(entry.data["people_to_tell"]) == {str(booked.code), str(waiting.code)}
    # Each is told by e-mail, through the queue, after the commit.
    told = {m.to[0]: m for m in mail.outbox if "cancelled" in m.subject}
    assert set(told) == {booked.email, waiting.email}
    assert "Venue flooded" in told[booked.email].body and session.title in told[booked.email].subject
    with pytest.raises(ValidationError, match="Only a scheduled session can be cancelled"):
        ss.session_cancel(session, actor=trainer, reason="again")
    assert client.get(reverse("training:session_edit", args=[session.code])).status_code == 200
    edit = client.post(reverse("training:session_edit", args=[session.code]), _form(session, capacity=5))
    assert edit.status_code == 400 and "Only a scheduled session can be changed." in edit.text


@pytest.mark.parametrize("who", ["learner", "outsider"])
def test_learners_and_trainers_of_other_organisations_cannot_edit_or_cancel_a_session(
    who: str, trainer: Any, learner: Any, outsider: Any, client_for: Any
) -> None:
    session = _session(trainer)
    person = learner if who == "learner" else outsider
    client = client_for(person)
    for name in ("session_edit", "session_call_off"):
        assert client.get(reverse(f"training:{name}", args=[session.code])).status_code == 403
    assert (
        client.post(reverse("training:session_edit", args=[session.code]), _form(session, capacity=9)).status_code
        == 403
    )
    assert client.post(reverse("training:session_call_off", args=[session.code]), {"reason": "x"}).status_code == 403
    session.refresh_from_db()
    assert session.capacity == 1 and session.status == "scheduled"
    with pytest.raises(PermissionDenied):
        ss.session_cancel(session, actor=person, reason="x")


def test_the_session_page_links_its_trainers_to_editing_and_cancelling(trainer: Any, client_for: Any) -> None:
    session = _session(trainer)
    page = client_for(trainer).get(reverse("training:session_detail", args=[session.code]))
    assert reverse("training:session_edit", args=[session.code]) in page.text
    assert reverse("training:session_call_off", args=[session.code]) in page.text
