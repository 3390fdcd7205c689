"""The case endpoints of the API: the same policy as the web (404 off the team, 403 without the
section), JSON errors with the right status, every read audited, and a list whose query count stays
flat."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from rightpath.accounts.models import Organisation
from rightpath.api.services import CONSOLE, api_token_create, service_account_create
from rightpath.api.tests.conftest import bearer
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, PlanAction, PlanGoal, Referral, Session
from rightpath.cases.vocab import CaseRole

API = "/api/v1/cases/"


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def police(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.POLICE_LIAISON)
    return user


def api_client(user: Any) -> Client:
    return sign_in(Client(), user)


def assert_json_error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == code and body["error"]["message"]
    return body["error"]


# --- the case list ---------------------------------------------------------------------------------


def test_the_list_shows_only_the_callers_cases_with_their_roles(
    coordinator: Any, case: Case, org: Organisation, add_member: Any
) -> None:
    Case.objects.create(reference="XK-2026-0009", category="at_risk", lead_organisation=org, legal_basis="public_task")
    minor = Case.objects.create(
        reference="XK-2026-0010", category="family", lead_organisation=org, legal_basis="public_task", is_minor=True
    )
    add_member(minor, coordinator, CaseRole.SOCIAL_WORKER)
    add_member(minor, coordinator, CaseRole.COORDINATOR)
    response = api_client(coordinator).get(API)
    assert response.status_code == 200
    rows = {r["reference"]: r for r in response.json()["results"]}
    assert set(rows) == {case.reference, minor.reference}
    assert rows[minor.reference] == {
        "code": str(minor.code),
        "reference": "XK-2026-0010",
        "category": "family",
        "phase": "referral",
        "lead_organisation": str(org.code),
        "flags": {"woman": False, "minor": True},
        "my_roles": ["coordinator", "social_worker"],
    }
    entry = AuditEntry.objects.get(event=events.PERSONAL_DATA_READ, actor_id=coordinator.pk)
    assert entry.data["section"] == "case_list" and set(entry.data["cases"]) == {str(case.code), str(minor.code)}


def test_a_removed_member_no_longer_sees_the_case(
    coordinator: Any, make_user: Any, case: Case, add_member: Any
) -> None:
    former = make_user("practitioner")
    add_member(case, former, CaseRole.MENTOR, removed_at=timezone.now() - timedelta(days=1))
    assert api_client(former).get(API).json()["results"] == []
    assert_json_error(api_client(former).get(f"{API}{case.code}/"), 404, "not_found")


@pytest.mark.parametrize("n", [3, 15])
def test_the_list_query_count_does_not_grow_with_the_number_of_cases(
    coordinator: Any, org: Organisation, add_member: Any, django_assert_num_queries: Any, n: int
) -> None:
    for i in range(n):
        extra = Case.objects.create(
            reference=f"XK-2026-1{i:03d}", category="returnee", lead_organisation=org, legal_basis="public_task"
        )
        add_member(extra, coordinator, CaseRole.COORDINATOR)
    client = api_client(coordinator)
    client.get(API)
    # Session, user, OTP device, roles (second factor needed?), count, page, the caller's
    # memberships, audit insert.
    with django_assert_num_queries(8):
        response = client.get(API)
    assert response.json()["count"] == n + 1


# --- one case ------------------------------------------------------------------------------------


def test_the_summary_says_which_sections_the_caller_may_open(police: Any, case: Case) -> None:
    response = api_client(police).get(f"{API}{case.code}/")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == case.reference and body["my_roles"] == ["police_liaison"]
    assert body["sections"] == {
        "conferences": "r",
        "identity": "r",
        "plan_status": "r",
        "referrals": "r",
        "summary": "r",
    }
    entry = AuditEntry.objects.get(event=events.PERSONAL_DATA_READ, actor_id=police.pk)
    assert (entry.target_id, entry.data) == (str(case.code), {"section": "summary", "api": True})


def test_not_on_the_team_is_not_found_and_without_the_section_is_forbidden(
    police: Any, make_user: Any, case: Case
) -> None:
    outsider = make_user("coordinator")
    for path in ("", "plan/", "sessions/", "referrals/"):
        assert_json_error(api_client(outsider).get(f"{API}{case.code}/{path}"), 404, "not_found")
    assert_json_error(api_client(police).get(f"{API}{case.code}/plan/"), 403, "permission_denied")
    assert_json_error(api_client(police).get(f"{API}{case.code}/sessions/"), 403, "permission_denied")
    denied = AuditEntry.objects.filter(event=events.ACCESS_DENIED)
    assert denied.filter(actor_id=outsider.pk).count() == 4
    assert {e.data["section"] for e in denied.filter(actor_id=police.pk)} == {"plan", "sessions"}
    assert not AuditEntry.objects.filter(event=events.PERSONAL_DATA_READ).exists()


def test_an_unknown_case_is_not_found(coordinator: Any) -> None:
    assert_json_error(api_client(coordinator).get(f"{API}00000000-0000-0000-0000-000000000000/"), 404, "not_found")


def test_the_plan_lists_goals_with_their_actions(coordinator: Any, case: Case, org: Organisation) -> None:
    goal = PlanGoal.objects.create(case=case, domain="employment", title="Vocational training")
    PlanAction.objects.create(
        goal=goal,
        description="Enrol in the welding course",
        responsible_organisation=org,
        due_date=timezone.localdate(),
    )
    response = api_client(coordinator).get(f"{API}{case.code}/plan/")
    assert response.status_code == 200
    body = response.json()
    assert body["plan_status"] == "draft"
    assert [g["title"] for g in body["goals"]] == ["Vocational training"]
    assert body["goals"][0]["actions"][0]["description"] == "Enrol in the welding course"
    assert body["goals"][0]["actions"][0]["responsible_organisation"] == str(org.code)
    assert AuditEntry.objects.filter(event=events.PERSONAL_DATA_READ, data__section="plan").count() == 1


# --- sessions --------------------------------------------------------------------------------------


def _session(case: Case, provider: Any) -> dict[str, Any]:
    return {"type": "individual", "held_on": timezone.localdate().isoformat(), "duration_minutes": 45, "notes": "Calm."}


def test_a_session_is_logged_and_listed_without_its_notes(coordinator: Any, case: Case) -> None:
    client = api_client(coordinator)
    response = client.post(f"{API}{case.code}/sessions/", _session(case, coordinator), content_type="application/json")
    assert response.status_code == 201, response.content
    session = Session.objects.get(case=case)
    assert (session.provider, session.notes, response.json()["provider"]) == (
        coordinator,
        "Calm.",
        str(coordinator.code),
    )
    listed = client.get(f"{API}{case.code}/sessions/").json()
    assert [s["code"] for s in listed["results"]] == [str(session.code)]
    assert "notes" not in listed["results"][0]


@pytest.mark.parametrize(
    "change,field",
    [
        ({"held_on": (timezone.localdate() + timedelta(days=2)).isoformat()}, "held_on"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"type": "seance"}, "type"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"provider": "00000000-0000-0000-0000-000000000000"}, "provider"),
    ],
)
def test_bad_session_input_is_a_json_400_and_changes_nothing(
    coordinator: Any, case: Case, change: dict[str, Any], field: str
) -> None:
    response = api_client(coordinator).post(
        f"{API}{case.code}/sessions/", {**_session(case, coordinator), **change}, content_type="application/json"
    )
    error = assert_json_error(response, 400, "invalid")
    assert field in error["fields"] and error["fields"][field][0]
    assert not Session.objects.exists()


def test_the_provider_must_be_on_the_team(coordinator: Any, make_user: Any, case: Case) -> None:
    stranger = make_user("practitioner")
    response = api_client(coordinator).post(
        f"{API}{case.code}/sessions/",
        {**_session(case, coordinator), "provider": str(stranger.code)},
        content_type="application/json",
    )
    assert assert_json_error(response, 400, "invalid")["fields"]["provider"] == [
        "The provider must be a member of the case team."
    ]


def test_a_reader_of_sessions_cannot_log_one(make_user: Any, case: Case, add_member: Any) -> None:
    assessor = make_user("assessor")
    add_member(case, assessor, CaseRole.ASSESSOR)  # reads sessions, writes none
    client = api_client(assessor)
    assert client.get(f"{API}{case.code}/sessions/").status_code == 200
    response = client.post(f"{API}{case.code}/sessions/", _session(case, assessor), content_type="application/json")
    assert_json_error(response, 403, "permission_denied")
    assert not Session.objects.exists()


# --- referrals ----------------------------------------------------------------------------------


def test_a_referral_is_sent_and_listed_with_its_response_time(
    coordinator: Any, case: Case, other_org: Organisation
) -> None:
    client = api_client(coordinator)
    response = client.post(
        f"{API}{case.code}/referrals/",
        {"to_organisation": str(other_org.code), "service": "Job coaching", "message": "From May."},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["status"], body["to_organisation"], body["response_time_seconds"]) == (
        "sent",
        str(other_org.code),
        None,
    )
    referral = Referral.objects.get(case=case)
    Referral.objects.filter(pk=referral.pk).update(status="accepted", answered_at=referral.sent_at + timedelta(hours=5))
    listed = client.get(f"{API}{case.code}/referrals/").json()["results"]
    assert listed[0]["response_time_seconds"] == 5 * 3600
    disclosure = AuditEntry.objects.get(event=events.DISCLOSURE)
    assert disclosure.data == {"to": str(other_org.code), "agreement": None, "consent": None, "what": "referral"}


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"service": ""}, "service"),
        ({"to_organisation": "not-a-code"}, "to_organisation"),
        ({"to_organisation": "00000000-0000-0000-0000-000000000000"}, "to_organisation"),
        ({"consent": "00000000-0000-0000-0000-000000000000"}, "consent"),
    ],
)
def test_bad_referral_input_is_a_json_400_and_sends_nothing(
    coordinator: Any, case: Case, other_org: Organisation, payload: dict[str, Any], field: str
) -> None:
    data = {"to_organisation": str(other_org.code), "service": "Job coaching", **payload}
    response = api_client(coordinator).post(f"{API}{case.code}/referrals/", data, content_type="application/json")
    assert field in assert_json_error(response, 400, "invalid")["fields"]
    assert not Referral.objects.exists()


def test_a_referral_to_the_callers_own_organisation_is_refused(coordinator: Any, case: Case, org: Organisation) -> None:
    response = api_client(coordinator).post(
        f"{API}{case.code}/referrals/",
        {"to_organisation": str(org.code), "service": "Job coaching"},
        content_type="application/json",
    )
    assert assert_json_error(response, 400, "invalid")["fields"]["to_organisation"]
    assert not Referral.objects.exists()


def test_a_reader_of_referrals_cannot_send_one(police: Any, case: Case, other_org: Organisation) -> None:
    response = api_client(police).post(
        f"{API}{case.code}/referrals/",
        {"to_organisation": str(other_org.code), "service": "Job coaching"},
        content_type="application/json",
    )
    assert_json_error(response, 403, "permission_denied")
    assert not Referral.objects.exists()


# --- who gets in ---------------------------------------------------------------------------------


def test_anonymous_callers_get_a_json_401(case: Case, client: Client) -> None:
    assert_json_error(client.get(API), 401, "not_authenticated")
    assert_json_error(client.get(f"{API}{case.code}/"), 401, "not_authenticated")


def test_a_session_without_the_second_factor_is_refused(coordinator: Any, case: Case) -> None:
    client = Client()
    client.force_login(coordinator)  # signed in, second factor not verified
    assert_json_error(client.get(API), 403, "permission_denied")


def test_an_organisation_token_sees_no_case_even_when_its_account_is_on_the_team(
    org: Organisation, case: Case, add_member: Any, client: Client
) -> None:
    account = service_account_create(actor=CONSOLE, organisation=org, name="Case sync", roles=["coordinator"])
    _token, raw = api_token_create(actor=CONSOLE, service_account=account, name="sync", days=30)
    add_member(case, account, CaseRole.COORDINATOR)
    assert_json_error(client.get(API, **bearer(raw)), 403, "permission_denied")
    assert_json_error(client.get(f"{API}{case.code}/", **bearer(raw)), 403, "permission_denied")
