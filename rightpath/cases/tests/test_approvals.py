"""Approvals: a supervisor of the organisation that asks for them approves or returns (with a reason)
plans, lead transfers and closures; never their own request; the requester is told."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from rightpath.accounts.models import Organisation
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Approval, Case, Notification, PlanGoal, Transfer
from rightpath.cases.services import approvals as services
from rightpath.cases.services.plan import plan_submit
from rightpath.cases.services.transfers import CHECKLIST, transfer_start
from rightpath.cases.vocab import CaseRole


@pytest.fixture
def strict_org(org: Organisation) -> Organisation:
    """The lead organisation, asking for a supervisor's approval."""
    Organisation.objects.filter(pk=org.pk).update(approval_required=True)
    org.refresh_from_db()
    return org


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any, strict_org: Organisation) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    case.lead_organisation.refresh_from_db()
    return user


@pytest.fixture
def supervisor(make_user: Any) -> Any:
    return make_user("supervisor")


@pytest.fixture
def plan_approval(case: Case, coordinator: Any) -> Approval:
    PlanGoal.objects.create(case=case, domain="housing", title="Stable housing")
    plan_submit(case, actor=coordinator)
    return Approval.objects.get(case=case, kind="plan")


def url(name: str, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs=kwargs)


def test_the_queue_holds_the_organisations_pending_requests_but_not_the_supervisors_own(
    client_for: Any, supervisor: Any, plan_approval: Approval, case: Case, other_org: Organisation, make_user: Any
) -> None:
    own = Approval.objects.create(
        case=case, kind="closure", organisation=case.lead_organisation, requested_by=supervisor
    )
    Approval.objects.create(case=case, kind="closure", organisation=other_org, requested_by=make_user())
    Approval.objects.create(case=case, kind="closure", organisation=case.lead_organisation, status="approved")
    response = client_for(supervisor).get(url("approvals"))
    assert [a.pk for a in response.context["object_list"]] == [plan_approval.pk]
    assert own.pk not in [a.pk for a in response.context["object_list"]]
    entry = AuditEntry.objects.filter(event=events.PERSONAL_DATA_READ, actor_id=supervisor.pk).get()
    assert entry.data == {"section": "approvals", "cases": [str(case.code)]}


def test_someone_who_is_not_a_supervisor_has_an_empty_queue_and_cannot_decide(
    client_for: Any, make_user: Any, plan_approval: Approval
) -> None:
    practitioner = make_user("practitioner")
    client = client_for(practitioner)
    assert client.get(url("approvals")).context["object_list"] == []
    assert client.get(url("approval_detail", approval=plan_approval.code)).status_code == 403


def test_a_supervisor_of_another_organisation_does_not_see_the_request(
    client_for: Any, make_user: Any, other_org: Organisation, plan_approval: Approval
) -> None:
    stranger = make_user("supervisor", organisation=other_org)
    assert client_for(stranger).get(url("approval_detail", approval=plan_approval.code)).status_code == 404
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=stranger.pk).count() == 1


def test_a_supervisor_cannot_approve_their_own_request(
    client_for: Any, make_user: Any, case: Case, add_member: Any, strict_org: Organisation
) -> None:
    both = make_user("coordinator", "supervisor")
    add_member(case, both, CaseRole.COORDINATOR)
    PlanGoal.objects.create(case=case, domain="housing", title="Stable housing")
    plan_submit(case, actor=both)
    approval = Approval.objects.get(case=case)
    client = client_for(both)
    assert client.get(url("approvals")).context["object_list"] == []
    response = client.post(url("approval_detail", approval=approval.code), {"decision": "approve"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.approval_decide(approval, actor=both, approve=True)
    approval.refresh_from_db()
    case.refresh_from_db()
    assert (approval.status, case.plan_status) == ("pending", "awaiting_approval")
    denied = AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=both.pk)
    assert {e.data["reason"] for e in denied} == {"nobody approves their own request"}


def test_approving_the_plan_marks_it_approved_and_tells_the_requester(
    client_for: Any, supervisor: Any, plan_approval: Approval, coordinator: Any, case: Case
) -> None:
    client = client_for(supervisor)
    page = client.get(url("approval_detail", approval=plan_approval.code))
    assert page.status_code == 200 and case.reference in page.content.decode()
    response = client.post(url("approval_detail", approval=plan_approval.code), {"decision": "approve", "reason": ""})
    assert response.status_code == 302 and response["Location"] == url("approvals")
    plan_approval.refresh_from_db()
    case.refresh_from_db()
    assert (plan_approval.status, plan_approval.decided_by, case.plan_status) == ("approved", supervisor, "approved")
    assert Notification.objects.filter(user=coordinator, kind="approval").count() == 1


def test_returning_needs_a_reason_which_is_kept(
    client_for: Any, supervisor: Any, plan_approval: Approval, case: Case
) -> None:
    client = client_for(supervisor)
    detail = url("approval_detail", approval=plan_approval.code)
    response = client.post(detail, {"decision": "return", "reason": " "})
    assert "Give the reason for returning the request." in response.context["form"].errors["reason"]
    with pytest.raises(ValidationError):
        services.approval_decide(plan_approval, actor=supervisor, approve=False, reason="")
    assert Approval.objects.get(pk=plan_approval.pk).status == "pending"
    client.post(detail, {"decision": "return", "reason": "Add the family domain first."})
    plan_approval.refresh_from_db()
    case.refresh_from_db()
    assert (plan_approval.status, plan_approval.reason, case.plan_status) == (
        "returned",
        "Add the family domain first.",
        "returned",
    )


def test_a_request_is_decided_once(supervisor: Any, make_user: Any, plan_approval: Approval) -> None:
    other = make_user("supervisor")
    stale = Approval.objects.get(pk=plan_approval.pk)
    services.approval_decide(plan_approval, actor=supervisor, approve=True)
    with pytest.raises(ValidationError, match="already been decided"):
        services.approval_decide(stale, actor=other, approve=False, reason="No")
    assert Approval.objects.get(pk=plan_approval.pk).decided_by == supervisor


@pytest.fixture
def transfer_approval(case: Case, coordinator: Any, other_org: Organisation) -> Approval:
    transfer = transfer_start(
        case, actor=coordinator, to_organisation=other_org, checklist=[i.key for i in CHECKLIST if i.required]
    )
    return Approval.objects.get(transfer=transfer)


def test_an_approved_transfer_goes_to_the_receiving_organisation(
    supervisor: Any, transfer_approval: Approval, make_user: Any, other_org: Organisation, case: Case
) -> None:
    receiving = make_user("coordinator", organisation=other_org)
    services.approval_decide(transfer_approval, actor=supervisor, approve=True)
    transfer = Transfer.objects.get(pk=transfer_approval.transfer_id)
    assert transfer.status == "pending"
    assert Notification.objects.filter(user=receiving, kind="transfer_to_accept").count() == 1
    disclosure = AuditEntry.objects.get(event=events.DISCLOSURE, target_id=str(case.code))
    assert disclosure.data["what"] == "transfer" and disclosure.actor_id == supervisor.pk


def test_a_returned_transfer_is_cancelled_with_the_reason_kept(
    client_for: Any, supervisor: Any, transfer_approval: Approval, make_user: Any, other_org: Organisation
) -> None:
    receiving = make_user("coordinator", organisation=other_org)
    page = client_for(supervisor).get(url("approval_detail", approval=transfer_approval.code))
    assert "Receiving officer named" in page.content.decode()  # the checklist is shown to decide on
    services.approval_decide(transfer_approval, actor=supervisor, approve=False, reason="Housing is not arranged.")
    assert Transfer.objects.get(pk=transfer_approval.transfer_id).status == "cancelled"
    assert Approval.objects.get(pk=transfer_approval.pk).reason == "Housing is not arranged."
    assert not Notification.objects.filter(user=receiving).exists()


def test_an_approved_closure_closes_the_case(supervisor: Any, coordinator: Any, case: Case) -> None:
    approval = Approval.objects.create(
        case=case, kind="closure", organisation=case.lead_organisation, requested_by=coordinator
    )
    services.approval_decide(approval, actor=supervisor, approve=True)
    case.refresh_from_db()
    assert case.phase == "closed" and case.closed_at is not None


def test_a_returned_closure_leaves_the_case_open(supervisor: Any, coordinator: Any, case: Case) -> None:
    approval = Approval.objects.create(
        case=case, kind="closure", organisation=case.lead_organisation, requested_by=coordinator
    )
    services.approval_decide(approval, actor=supervisor, approve=False, reason="The aftercare review is due first.")
    case.refresh_from_db()
    assert case.closed_at is None and case.phase != "closed"
    assert Notification.objects.filter(user=coordinator, kind="approval").count() == 1


@pytest.mark.parametrize("n", [3, 20])
def test_the_queue_query_count_does_not_grow(
    client_for: Any, supervisor: Any, coordinator: Any, case: Case, django_assert_num_queries: Any, n: int
) -> None:
    Approval.objects.bulk_create(
        Approval(case=case, kind="closure", organisation=case.lead_organisation, requested_by=coordinator)
        for _ in range(n)
    )
    client = client_for(supervisor)
    client.get(url("approvals"))
    # Session, user, OTP device, roles, count, page, audit insert.
    with django_assert_num_queries(7):
        response = client.get(url("approvals"))
    assert len(response.context["object_list"]) == n
