"""Sessions and contacts: notes encrypted at rest, every reading audited, a police liaison kept out,
bad input refused, concurrent edits caught, and a list whose query count stays flat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Session
from rightpath.cases.services import sessions as services
from rightpath.cases.vocab import CaseRole

NOTES = "Talked about his brother's return from the camp and his fear of the neighbours."


@pytest.fixture
def psychologist(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.PSYCHOLOGIST)
    return user


@pytest.fixture
def session(case: Case, psychologist: Any) -> Session:
    return Session.objects.create(
        case=case,
        type="individual",
        provider=psychologist,
        organisation=psychologist.organisation,
        held_on=timezone.localdate() - timedelta(days=2),
        duration_minutes=50,
        notes=NOTES,
    )


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"code": case.code, **kwargs})


def form(**overrides: Any) -> dict[str, Any]:
    return {
        "type": "individual",
        "held_on": timezone.localdate().isoformat(),
        "duration_minutes": 45,
        "notes": NOTES,
        **overrides,
    }


def test_practitioner_logs_a_session_with_notes_encrypted_at_rest(
    client_for: Any, psychologist: Any, case: Case
) -> None:
    response = client_for(psychologist).post(url("session_create", case), form(provider=psychologist.pk))
    assert response.status_code == 302
    session = Session.objects.get(case=case)
    assert (session.provider, session.organisation, session.notes) == (psychologist, psychologist.organisation, NOTES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_session WHERE id = %s", [session.pk])
        stored = cursor.fetchone()[0]
    assert "brother" not in stored and stored.count(":") >= 1
    entry = AuditEntry.objects.get(event="data.created", target_id=str(session.code))
    assert "brother" not in str(entry.data)


def test_provider_defaults_to_the_user(client_for: Any, psychologist: Any, case: Case) -> None:
    response = client_for(psychologist).get(url("session_create", case))
    assert response.context["form"]["provider"].value() == psychologist.pk


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"held_on": (timezone.localdate() + timedelta(days=1)).isoformat()}, "cannot be in the future"),
        ({"duration_minutes": 0}, "between 1 and 600 minutes"),
        ({"duration_minutes": 601}, "between 1 and 600 minutes"),
    ],
    ids=["future date", "duration 0", "duration 601"],
)
def test_bad_session_input_is_refused_and_changes_nothing(
    client_for: Any, psychologist: Any, case: Case, overrides: dict[str, Any], message: str
) -> None:
    response = client_for(psychologist).post(url("session_create", case), form(provider=psychologist.pk, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_provider_must_be_on_the_case_team(client_for: Any, psychologist: Any, make_user: Any, case: Case) -> None:
    stranger = make_user("practitioner")
    response = client_for(psychologist).post(url("session_create", case), form(provider=stranger.pk))
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_every_reading_of_the_notes_is_audited(
    client_for: Any, psychologist: Any, case: Case, session: Session
) -> None:
    response = client_for(psychologist).get(url("session_detail", case, session=session.code))
    assert response.status_code == 200
    assert NOTES.split()[0] in response.content.decode()
    entry = AuditEntry.objects.filter(event="data.read", actor_id=psychologist.pk).latest("id")
    assert entry.target_id == str(case.code)
    assert entry.data["section"] == "sessions" and entry.data["session"] == str(session.code)


def test_the_list_never_shows_or_decrypts_the_notes(
    client_for: Any, psychologist: Any, case: Case, session: Session
) -> None:
    response = client_for(psychologist).get(url("session_list", case))
    assert response.status_code == 200
    assert "brother" not in response.content.decode()
    assert AuditEntry.objects.filter(event="data.read", data__section="sessions").count() == 1


def test_police_liaison_cannot_open_the_notes(
    client_for: Any, make_user: Any, add_member: Any, case: Case, session: Session
) -> None:
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    client = client_for(police)
    for path in (
        url("session_list", case),
        url("session_detail", case, session=session.code),
        url("session_edit", case, session=session.code),
        url("session_create", case),
    ):
        response = client.get(path)
        assert response.status_code == 403, path
        assert "brother" not in response.content.decode()
    denials = AuditEntry.objects.filter(event="access.denied", actor_id=police.pk)
    assert denials.count() == 4
    assert not AuditEntry.objects.filter(event="data.read", actor_id=police.pk).exists()


def test_removed_member_gets_not_found(
    client_for: Any, make_user: Any, add_member: Any, case: Case, session: Session
) -> None:
    former = make_user("practitioner")
    add_member(case, former, CaseRole.PSYCHOLOGIST, removed_at=timezone.now())
    assert client_for(former).get(url("session_detail", case, session=session.code)).status_code == 404


def test_concurrent_session_edit_shows_the_other_version_and_changes_nothing(
    client_for: Any, psychologist: Any, make_user: Any, add_member: Any, case: Case, session: Session
) -> None:
    mentor = make_user("practitioner")
    add_member(case, mentor, CaseRole.MENTOR)
    services.session_update(session, actor=mentor, expected_version=1, notes="Notes saved by the mentor")
    response = client_for(psychologist).post(
        url("session_edit", case, session=session.code),
        form(provider=psychologist.pk, held_on=session.held_on.isoformat(), notes="My stale notes", version=1),
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record" in body and "Notes saved by the mentor" in body
    session.refresh_from_db()
    assert (session.notes, session.version) == ("Notes saved by the mentor", 2)


def test_edit_saves_with_the_current_version(client_for: Any, psychologist: Any, case: Case, session: Session) -> None:
    response = client_for(psychologist).post(
        url("session_edit", case, session=session.code),
        form(provider=psychologist.pk, held_on=session.held_on.isoformat(), duration_minutes=90, version=1),
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.duration_minutes, session.version) == (90, 2)


@pytest.mark.parametrize("rows", [3, 30])
def test_session_list_query_count_does_not_grow(
    client_for: Any, psychologist: Any, case: Case, rows: int, django_assert_num_queries: Any
) -> None:
    Session.objects.bulk_create(
        Session(
            case=case,
            type="phone",
            provider=psychologist,
            organisation=psychologist.organisation,
            held_on=timezone.localdate() - timedelta(days=i),
            duration_minutes=20,
            notes=NOTES,
        )
        for i in range(rows)
    )
    client = client_for(psychologist)
    # Session, user, OTP device, case, memberships, count, page, audit insert, roles (navigation),
    # session save with its savepoint.
    with django_assert_num_queries(12):
        assert client.get(url("session_list", case)).status_code == 200
