"""The case team: the lead coordinator adds people of their own organisation, or of one with an
active information-sharing agreement with the lead organisation, never a platform administrator or
a service account; a removed member loses access at once."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from rightpath.accounts.models import Organisation
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, CaseMembership
from rightpath.cases.vocab import CaseRole


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"code": case.code, **kwargs})


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


def named(make_user: Any, *roles: str, first_name: str, last_name: str = "", **extra: Any) -> Any:
    """A user with a name to search for (the shared factory numbers its names)."""
    user = make_user(*roles, **extra)
    user.first_name, user.last_name = first_name, last_name or user.last_name
    user.save(update_fields=["first_name", "last_name"])
    return user


def add(client: Any, case: Case, user: Any, role: str = CaseRole.SOCIAL_WORKER) -> Any:
    return client.post(url("team_add", case), {"user": str(user.code), "role": role})


def test_members_see_the_team_with_roles_and_organisations(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any
) -> None:
    mentor = named(make_user, "practitioner", first_name="Mira", last_name="Gashi")
    add_member(case, mentor, CaseRole.MENTOR)
    response = client_for(mentor).get(url("case_team", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mira Gashi" in html and "Mentor" in html and "Coordinator" in html and "Probation Service" in html
    # Viewing is not managing: no search, no remove links.
    assert url("team_add", case) not in html and "Remove" not in html
    assert AuditEntry.objects.filter(event="data.read", actor_id=mentor.pk, data__page="team").exists()


def test_coordinator_adds_a_colleague_of_the_lead_organisation(
    client_for: Any, make_user: Any, case: Case, coordinator: Any
) -> None:
    colleague = named(make_user, "practitioner", first_name="Drita")
    client = client_for(coordinator)
    found = client.get(url("case_team", case), {"q": "Drita"}).context["candidates"]
    assert colleague in found
    response = add(client, case, colleague)
    assert response.status_code == 302
    membership = CaseMembership.objects.get(case=case, user=colleague)
    assert (membership.role, membership.added_by, membership.organisation) == (
        CaseRole.SOCIAL_WORKER,
        coordinator,
        colleague.organisation,
    )
    entry = AuditEntry.objects.get(event="data.created", target_id=str(case.code))
    assert entry.data["team"] == "added" and entry.data["member"] == str(colleague.code)
    assert client_for(colleague).get(url("case_detail", case)).status_code == 200


def test_adding_across_organisations_is_refused_without_an_agreement(
    client_for: Any, make_user: Any, case: Case, coordinator: Any, other_org: Organisation
) -> None:
    outsider = named(make_user, "practitioner", organisation=other_org, first_name="Selma")
    client = client_for(coordinator)
    assert outsider not in client.get(url("case_team", case), {"q": "Selma"}).context["candidates"]
    response = add(client, case, outsider)
    assert response.status_code == 302
    assert not CaseMembership.objects.filter(user=outsider).exists()
    page = client.get(response["Location"]).content.decode()
    assert "no active information-sharing agreement" in page


def test_adding_across_organisations_is_allowed_under_an_active_agreement_and_logged_as_disclosure(
    client_for: Any,
    make_user: Any,
    case: Case,
    coordinator: Any,
    agreement: Any,
    org: Organisation,
    other_org: Organisation,
) -> None:
    outsider = named(make_user, "practitioner", organisation=other_org, first_name="Selma")
    deal = agreement(org, other_org, categories=["summary", "plan"])
    client = client_for(coordinator)
    assert outsider in client.get(url("case_team", case), {"q": "Selma"}).context["candidates"]
    assert add(client, case, outsider, CaseRole.NGO_WORKER).status_code == 302
    assert CaseMembership.objects.filter(user=outsider, role=CaseRole.NGO_WORKER).exists()
    disclosure = AuditEntry.objects.get(event="cases.disclosure", target_id=str(case.code))
    assert disclosure.data["agreement"] == str(deal.code) and disclosure.data["to"] == str(other_org.code)
    assert client_for(outsider).get(url("plan", case)).status_code == 200


def test_an_expired_agreement_lets_nobody_in(
    client_for: Any,
    make_user: Any,
    case: Case,
    coordinator: Any,
    agreement: Any,
    org: Organisation,
    other_org: Organisation,
) -> None:
    outsider = make_user("practitioner", organisation=other_org)
    agreement(org, other_org, categories=["summary"], days_left=-1)
    add(client_for(coordinator), case, outsider)
    assert not CaseMembership.objects.filter(user=outsider).exists()


@pytest.mark.parametrize("kind", ["platform_admin", "service_account", "inactive", "no_casework_role"])
def test_never_adds_an_administrator_a_service_account_or_a_non_case_worker(
    client_for: Any, make_user: Any, case: Case, coordinator: Any, kind: str
) -> None:
    people = {
        "platform_admin": lambda: named(make_user, "platform_admin", "coordinator", first_name="Zana"),
        "service_account": lambda: named(make_user, "practitioner", is_service_account=True, first_name="Zana"),
        "inactive": lambda: named(make_user, "practitioner", is_active=False, first_name="Zana"),
        "no_casework_role": lambda: named(make_user, "editor", first_name="Zana"),
    }
    person = people[kind]()
    client = client_for(coordinator)
    assert person not in client.get(url("case_team", case), {"q": "Zana"}).context["candidates"]
    add(client, case, person)
    assert not CaseMembership.objects.filter(user=person).exists()


def test_bad_input_changes_nothing(client_for: Any, make_user: Any, case: Case, coordinator: Any) -> None:
    colleague = make_user("practitioner")
    client = client_for(coordinator)
    for data in (
        {"user": str(colleague.code), "role": "break_glass"},
        {"user": str(colleague.code), "role": "king"},
        {"user": "not-a-code", "role": "mentor"},
        {"user": "00000000-0000-0000-0000-000000000000", "role": "mentor"},
    ):
        assert client.post(url("team_add", case), data).status_code == 302
    assert CaseMembership.objects.filter(case=case).count() == 1


def test_the_same_role_twice_is_refused(client_for: Any, make_user: Any, case: Case, coordinator: Any) -> None:
    colleague = make_user("practitioner")
    client = client_for(coordinator)
    add(client, case, colleague)
    add(client, case, colleague)
    assert CaseMembership.objects.filter(user=colleague).count() == 1


def test_only_the_lead_coordinator_manages_the_team(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any
) -> None:
    worker, colleague = make_user("practitioner"), make_user("practitioner")
    add_member(case, worker, CaseRole.SOCIAL_WORKER)
    assert add(client_for(worker), case, colleague).status_code == 403
    assert not CaseMembership.objects.filter(user=colleague).exists()
    assert AuditEntry.objects.filter(event="access.denied", actor_id=worker.pk).exists()


def test_removal_asks_first_then_ends_access_at_once(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any
) -> None:
    member = make_user("practitioner")
    membership = add_member(case, member, CaseRole.SOCIAL_WORKER)
    member_client = client_for(member)
    assert member_client.get(url("case_detail", case)).status_code == 200
    client = client_for(coordinator)
    confirm = client.get(url("team_remove", case, membership_id=membership.pk))
    assert confirm.status_code == 200 and "Remove" in confirm.content.decode()
    membership.refresh_from_db()
    assert membership.removed_at is None
    assert client.post(url("team_remove", case, membership_id=membership.pk)).status_code == 302
    membership.refresh_from_db()
    assert membership.removed_at is not None and membership.removed_by == coordinator
    # The removed member's next request: the case no longer exists for them.
    assert member_client.get(url("case_detail", case)).status_code == 404
    assert member_client.get(url("case_identity", case)).status_code == 404
    assert case.reference not in member_client.get(reverse("cases:case_list")).content.decode()
    entry = AuditEntry.objects.get(event="data.updated", target_id=str(case.code), data__team="removed")
    assert entry.data["member"] == str(member.code)
    # The team page keeps the history.
    assert membership in client.get(url("case_team", case)).context["past_members"]


def test_the_only_coordinator_cannot_be_removed(client_for: Any, case: Case, coordinator: Any) -> None:
    membership = CaseMembership.objects.get(user=coordinator)
    client_for(coordinator).post(url("team_remove", case, membership_id=membership.pk))
    membership.refresh_from_db()
    assert membership.removed_at is None


def test_a_membership_of_another_case_is_not_found(
    client_for: Any, make_user: Any, case: Case, coordinator: Any, org: Organisation, add_member: Any
) -> None:
    other = Case.objects.create(
        reference="XK-2026-0999", category="family", lead_organisation=org, legal_basis="public_task"
    )
    foreign = add_member(other, make_user("practitioner"), CaseRole.MENTOR)
    assert client_for(coordinator).post(url("team_remove", case, membership_id=foreign.pk)).status_code == 404
    foreign.refresh_from_db()
    assert foreign.removed_at is None


def test_a_minors_case_accepts_every_role_and_the_policy_narrows_it(
    client_for: Any, make_user: Any, case: Case, coordinator: Any
) -> None:
    case.is_minor, case.best_interests_note = True, "School first"
    case.save()
    police = make_user("practitioner")
    add(client_for(coordinator), case, police, CaseRole.POLICE_LIAISON)
    assert CaseMembership.objects.filter(user=police, role=CaseRole.POLICE_LIAISON).exists()
    assert client_for(police).get(url("case_identity", case)).status_code == 403


@pytest.mark.parametrize("members", [2, 20])
def test_team_page_query_count_does_not_grow(
    client_for: Any,
    make_user: Any,
    case: Case,
    add_member: Any,
    coordinator: Any,
    members: int,
    django_assert_num_queries: Any,
) -> None:
    for i in range(members):
        add_member(case, make_user("practitioner"), CaseRole.MENTOR, removed_at=timezone.now() if i % 2 else None)
    client = client_for(coordinator)
    # Session, user, OTP device, case, my memberships, the team (one query with everyone's names),
    # audit insert, navigation roles, session save with its savepoint.
    with django_assert_num_queries(11):
        assert client.get(url("case_team", case)).status_code == 200
