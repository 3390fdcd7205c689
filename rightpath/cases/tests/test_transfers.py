"""Lead transfers: prison → probation → community through a hand-over checklist that must be complete,
a supervisor's approval where the organisation asks for it, and a receiving side that sees the whole
history once it has taken over the lead."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rightpath.accounts.models import Organisation
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Notification,
    PhaseChange,
    PlanGoal,
    Session,
    Transfer,
)
from rightpath.cases.services import transfers as services
from rightpath.cases.services.transfers import CHECKLIST
from rightpath.cases.vocab import CaseRole

ALL_ITEMS = [item.key for item in CHECKLIST]
REQUIRED = [item.key for item in CHECKLIST if item.required]


@pytest.fixture
def prison(make_org: Any) -> Organisation:
    return make_org("Prison Service", type="prison")


@pytest.fixture
def probation(make_org: Any) -> Organisation:
    return make_org("Probation Office", type="probation")


@pytest.fixture
def prison_case(prison: Organisation) -> Case:
    return Case.objects.create(
        reference="XK-2026-0042",
        category="offender",
        lead_organisation=prison,
        legal_basis="legal_obligation",
        phase="release",
    )


@pytest.fixture
def prison_coordinator(make_user: Any, prison: Organisation, prison_case: Case, add_member: Any) -> Any:
    user = make_user("coordinator", organisation=prison)
    add_member(prison_case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def probation_coordinator(make_user: Any, probation: Organisation) -> Any:
    return make_user("coordinator", organisation=probation)


@pytest.fixture
def transfer(prison_case: Case, prison_coordinator: Any, probation: Organisation) -> Transfer:
    return services.transfer_start(
        prison_case,
        actor=prison_coordinator,
        to_organisation=probation,
        checklist=ALL_ITEMS,
        note="Release on 3 March.",
    )


def url(name: str, case: Case | None = None, **kwargs: Any) -> str:
    if case is not None:
        kwargs["code"] = case.code
    return reverse(f"cases:{name}", kwargs=kwargs)


# --- starting a hand-over -------------------------------------------------------------------------


def test_an_incomplete_checklist_is_refused_and_nothing_changes(
    client_for: Any, prison_case: Case, prison_coordinator: Any, probation: Organisation, probation_coordinator: Any
) -> None:
    ticked = [k for k in REQUIRED if k not in ("housing", "sharing_basis")]
    before = Case.objects.values().get(pk=prison_case.pk)
    response = client_for(prison_coordinator).post(
        url("transfer_create", prison_case), {"to_organisation": probation.code, "checklist": ticked, "note": "x"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["checklist"][0]
    assert errors.startswith("Complete the hand-over checklist before sending.")
    assert "Housing arranged or referred" in errors and "Consent or legal basis for sharing recorded" in errors
    assert "Release date confirmed" not in errors
    assert not Transfer.objects.exists() and not Notification.objects.exists() and not Approval.objects.exists()
    assert Case.objects.values().get(pk=prison_case.pk) == before


def test_the_form_offers_the_named_receiving_organisation_first(
    client_for: Any, prison_case: Case, prison_coordinator: Any, probation: Organisation
) -> None:
    Case.objects.filter(pk=prison_case.pk).update(receiving_organisation=probation)
    form = client_for(prison_coordinator).get(url("transfer_create", prison_case)).context["form"]
    assert form["to_organisation"].value() == probation.code
    assert prison_case.lead_organisation not in form.fields["to_organisation"].queryset


def test_the_case_cannot_move_into_release_preparation_or_closure_on_acceptance(
    transfer: Transfer, probation_coordinator: Any
) -> None:
    for phase in ("release", "closed"):
        with pytest.raises(ValidationError):
            services.transfer_accept(transfer, actor=probation_coordinator, phase=phase)
    assert Transfer.objects.get(pk=transfer.pk).status == "pending"


def test_the_optional_item_may_stay_open(prison_case: Case, prison_coordinator: Any, probation: Organisation) -> None:
    transfer = services.transfer_start(
        prison_case, actor=prison_coordinator, to_organisation=probation, checklist=REQUIRED
    )
    assert transfer.checklist["family_informed"] is False
    assert all(transfer.checklist[k] for k in REQUIRED)


def test_the_lead_coordinator_hands_over_and_the_receiving_coordinators_are_told(
    client_for: Any, prison_case: Case, prison_coordinator: Any, probation: Organisation, probation_coordinator: Any
) -> None:
    response = client_for(prison_coordinator).post(
        url("transfer_create", prison_case),
        {"to_organisation": probation.code, "checklist": ALL_ITEMS, "note": "Release on 3 March."},
    )
    transfer = Transfer.objects.get(case=prison_case)
    assert response.status_code == 302
    assert response["Location"] == url("transfer_detail", prison_case, transfer=transfer.code)
    assert (transfer.status, transfer.from_organisation, transfer.to_organisation) == (
        "pending",
        prison_case.lead_organisation,
        probation,
    )
    assert transfer.checklist == dict.fromkeys(ALL_ITEMS, True)
    assert [n.user for n in Notification.objects.filter(kind="transfer_to_accept")] == [probation_coordinator]
    disclosure = AuditEntry.objects.get(event=events.DISCLOSURE, target_id=str(prison_case.code))
    assert disclosure.data == {"to": str(probation.code), "agreement": None, "consent": None, "what": "transfer"}
    prison_case.refresh_from_db()
    assert prison_case.lead_organisation != probation  # nothing moves before the answer


def test_only_the_lead_coordinator_starts_a_hand_over(
    client_for: Any, make_user: Any, add_member: Any, prison_case: Case, prison: Organisation, probation: Organisation
) -> None:
    officer = make_user("practitioner", organisation=prison)
    add_member(prison_case, officer, CaseRole.PRISON_OFFICER)
    outsider = make_user("coordinator", organisation=prison)
    assert client_for(officer).get(url("transfer_list", prison_case)).status_code == 200
    assert client_for(officer).get(url("transfer_create", prison_case)).status_code == 403
    assert client_for(outsider).get(url("transfer_create", prison_case)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.transfer_start(prison_case, actor=officer, to_organisation=probation, checklist=ALL_ITEMS)
    assert not Transfer.objects.exists()


def test_one_hand_over_at_a_time_and_never_to_the_lead_itself(
    transfer: Transfer, prison_coordinator: Any, prison: Organisation, make_org: Any
) -> None:
    case = transfer.case
    with pytest.raises(ValidationError, match="already under way"):
        services.transfer_start(case, actor=prison_coordinator, to_organisation=make_org("Centre"), checklist=ALL_ITEMS)
    with pytest.raises(ValidationError, match="another organisation than the current lead"):
        services.transfer_start(case, actor=prison_coordinator, to_organisation=prison, checklist=ALL_ITEMS)
    assert Transfer.objects.count() == 1


# --- approval -----------------------------------------------------------------------------------


def test_where_the_organisation_asks_for_it_a_supervisor_approves_first(
    client_for: Any,
    make_user: Any,
    prison: Organisation,
    prison_case: Case,
    prison_coordinator: Any,
    probation: Organisation,
    probation_coordinator: Any,
) -> None:
    Organisation.objects.filter(pk=prison.pk).update(approval_required=True)
    prison_case.lead_organisation.refresh_from_db()
    supervisor = make_user("supervisor", organisation=prison)
    transfer = services.transfer_start(
        prison_case, actor=prison_coordinator, to_organisation=probation, checklist=ALL_ITEMS
    )
    assert transfer.status == "awaiting_approval"
    approval = Approval.objects.get(transfer=transfer)
    assert (approval.kind, approval.organisation, approval.requested_by, approval.status) == (
        "transfer",
        prison,
        prison_coordinator,
        "pending",
    )
    assert [n.user for n in Notification.objects.filter(kind="approval")] == [supervisor]
    # The receiving side learns nothing yet.
    assert not Notification.objects.filter(user=probation_coordinator).exists()
    assert not AuditEntry.objects.filter(event=events.DISCLOSURE).exists()
    client = client_for(probation_coordinator)
    assert client.get(url("transfers_incoming")).context["object_list"] == []
    assert client.get(url("transfer_answer", transfer=transfer.code)).status_code == 404


# --- answering -------------------------------------------------------------------------------------


def test_the_accepted_transfer_moves_the_lead_and_the_new_lead_sees_the_whole_history(
    client_for: Any,
    make_user: Any,
    add_member: Any,
    transfer: Transfer,
    prison_coordinator: Any,
    probation: Organisation,
    probation_coordinator: Any,
    prison: Organisation,
    agreement: Any,
) -> None:
    case = transfer.case
    officer = make_user("practitioner", organisation=prison)
    add_member(case, officer, CaseRole.PSYCHOLOGIST)
    goal = PlanGoal.objects.create(case=case, domain="employment", title="Vocational training in welding")
    session = Session.objects.create(
        case=case,
        type="individual",
        provider=officer,
        organisation=prison,
        held_on=timezone.localdate() - timedelta(days=30),
        duration_minutes=60,
        notes="Motivated for the welding course.",
    )
    client = client_for(probation_coordinator)
    # Before accepting, the case does not exist for the receiving side.
    assert client.get(url("case_detail", case)).status_code == 404
    response = client.post(url("transfer_answer", transfer=transfer.code), {"decision": "accept", "phase": "probation"})
    assert response.status_code == 302
    assert response["Location"] == url("case_detail", case)
    case.refresh_from_db()
    assert (case.lead_organisation, case.receiving_organisation, case.phase) == (probation, None, "probation")
    change = PhaseChange.objects.get(case=case)
    assert (change.from_phase, change.to_phase, change.changed_by) == ("release", "probation", probation_coordinator)
    transfer.refresh_from_db()
    assert (transfer.status, transfer.answered_by) == ("accepted", probation_coordinator)
    assert CaseMembership.objects.get(case=case, user=probation_coordinator).role == CaseRole.COORDINATOR
    # The previous lead's members stay on the team.
    assert (
        CaseMembership.objects.filter(
            case=case, user__in=[prison_coordinator, officer], removed_at__isnull=True
        ).count()
        == 2
    )
    # The new lead coordinator sees the whole relevant history.
    for page in (
        url("case_detail", case),
        url("case_timeline", case),
        url("plan", case),
        url("session_list", case),
        url("session_detail", case, session=session.code),
        url("transfer_list", case),
    ):
        assert client.get(page).status_code == 200, page
    assert goal.title in client.get(url("plan", case)).content.decode()
    assert (
        "Motivated for the welding course."
        in client.get(url("session_detail", case, session=session.code)).content.decode()
    )
    # The previous lead now sees the case only under an agreement (the policy's business).
    previous = client_for(prison_coordinator)
    assert previous.get(url("case_detail", case)).status_code == 403
    agreement(prison, probation, categories=["summary", "plan"])
    assert previous.get(url("case_detail", case)).status_code == 200
    assert previous.get(url("session_list", case)).status_code == 403


def test_the_phase_is_optional_when_taking_over(transfer: Transfer, probation_coordinator: Any) -> None:
    services.transfer_accept(transfer, actor=probation_coordinator)
    case = Case.objects.get(pk=transfer.case.pk)
    assert case.phase == "release" and not PhaseChange.objects.exists()


def test_declining_needs_a_reason_and_the_case_stays_with_its_lead(
    client_for: Any, transfer: Transfer, probation_coordinator: Any, prison: Organisation
) -> None:
    client = client_for(probation_coordinator)
    answer = url("transfer_answer", transfer=transfer.code)
    response = client.post(answer, {"decision": "decline", "reason": ""})
    assert "Give the reason for declining." in response.context["form"].errors["reason"]
    assert Transfer.objects.get(pk=transfer.pk).status == "pending"
    response = client.post(answer, {"decision": "decline", "reason": "No officer free in that municipality."})
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.decline_reason) == ("declined", "No officer free in that municipality.")
    case = Case.objects.get(pk=transfer.case.pk)
    assert case.lead_organisation == prison and not CaseMembership.objects.filter(user=probation_coordinator).exists()


def test_only_the_receiving_coordinators_answer_and_only_once(
    client_for: Any,
    make_user: Any,
    transfer: Transfer,
    probation: Organisation,
    probation_coordinator: Any,
    prison_coordinator: Any,
) -> None:
    practitioner = make_user("practitioner", organisation=probation)
    answer = url("transfer_answer", transfer=transfer.code)
    assert client_for(practitioner).get(answer).status_code == 403
    assert client_for(prison_coordinator).get(answer).status_code == 404
    services.transfer_accept(transfer, actor=probation_coordinator)
    with pytest.raises(ValidationError, match="no longer waiting"):
        services.transfer_decline(Transfer.objects.get(pk=transfer.pk), actor=probation_coordinator, reason="x")


def test_the_team_link_sends_the_receiving_coordinator_to_the_answer_page(
    client_for: Any, transfer: Transfer, probation_coordinator: Any
) -> None:
    response = client_for(probation_coordinator).get(url("transfer_detail", transfer.case, transfer=transfer.code))
    assert response.status_code == 302 and response["Location"] == url("transfer_answer", transfer=transfer.code)


def test_the_receiving_side_sees_the_hand_over_not_the_case(
    client_for: Any, transfer: Transfer, probation_coordinator: Any
) -> None:
    client = client_for(probation_coordinator)
    listed = client.get(url("transfers_incoming"))
    assert [t.pk for t in listed.context["object_list"]] == [transfer.pk]
    page = client.get(url("transfer_answer", transfer=transfer.code))
    html = page.content.decode()
    assert "Release on 3 March." in html and transfer.case.reference in html and "Receiving officer named" in html
    read = AuditEntry.objects.get(
        event=events.PERSONAL_DATA_READ, actor_id=probation_coordinator.pk, target_id=str(transfer.case.code)
    )
    assert read.data == {"section": "referrals", "transfer": str(transfer.code), "receiving": True}


def test_the_lead_coordinator_cancels_a_hand_over_waiting_for_approval(
    client_for: Any,
    make_user: Any,
    prison: Organisation,
    prison_case: Case,
    prison_coordinator: Any,
    probation: Organisation,
) -> None:
    Organisation.objects.filter(pk=prison.pk).update(approval_required=True)
    prison_case.lead_organisation.refresh_from_db()
    transfer = services.transfer_start(
        prison_case, actor=prison_coordinator, to_organisation=probation, checklist=ALL_ITEMS
    )
    response = client_for(prison_coordinator).post(url("transfer_cancel", prison_case, transfer=transfer.code))
    assert response.status_code == 302
    assert Transfer.objects.get(pk=transfer.pk).status == "cancelled"
    assert Approval.objects.get(transfer=transfer).status == "returned"


def test_the_lead_must_still_be_the_sender_when_accepting(
    transfer: Transfer, probation_coordinator: Any, make_org: Any
) -> None:
    Case.objects.filter(pk=transfer.case.pk).update(lead_organisation=make_org("Someone else"))
    transfer = Transfer.objects.select_related("case", "from_organisation", "to_organisation").get(pk=transfer.pk)
    with pytest.raises(ValidationError, match="lead changed"):
        services.transfer_accept(transfer, actor=probation_coordinator)
    assert Transfer.objects.get(pk=transfer.pk).status == "pending"


# --- query counts ---------------------------------------------------------------------------------


def _many_transfers(case: Case, to: Organisation, by: Any, n: int) -> None:
    Transfer.objects.bulk_create(
        Transfer(
            case=case, from_organisation=case.lead_organisation, to_organisation=to, requested_by=by, status="declined"
        )
        for _ in range(n)
    )


@pytest.mark.parametrize("n", [3, 20])
def test_transfer_lists_query_counts_do_not_grow(
    client_for: Any,
    prison_case: Case,
    prison_coordinator: Any,
    probation: Organisation,
    probation_coordinator: Any,
    django_assert_num_queries: Any,
    n: int,
) -> None:
    _many_transfers(prison_case, probation, prison_coordinator, n)
    lead = client_for(prison_coordinator)
    lead.get(url("transfer_list", prison_case))
    # Session, user, OTP device, case, memberships, count, page, audit insert, roles, the open transfer.
    with django_assert_num_queries(10):
        response = lead.get(url("transfer_list", prison_case))
    assert len(response.context["object_list"]) == n
    receiving = client_for(probation_coordinator)
    receiving.get(url("transfers_incoming"))
    # Session, user, OTP device, roles, count, page, audit insert.
    with django_assert_num_queries(7):
        response = receiving.get(url("transfers_incoming"))
    assert len(response.context["object_list"]) == n
