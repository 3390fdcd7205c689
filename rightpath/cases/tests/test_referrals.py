"""Referrals: sent → accepted or declined (with a reason) → completed, with response times; the
receiving organisation sees only the referral until it accepts, joins the team only under an
agreement, and every disclosure is logged against the agreement or consent that allowed it."""

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
from rightpath.cases.models import Case, CaseMembership, Consent, Identity, Notification, PlanGoal, Referral
from rightpath.cases.services import referrals as services
from rightpath.cases.vocab import CaseRole

SERVICE = "Family counselling for the children"


@pytest.fixture
def lead_coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def receiver(make_user: Any, other_org: Organisation) -> Any:
    """A case coordinator of the organisation the referral goes to (not on the case team)."""
    return make_user("coordinator", organisation=other_org)


@pytest.fixture
def referral(case: Case, lead_coordinator: Any, other_org: Organisation) -> Referral:
    return services.referral_send(
        case, actor=lead_coordinator, to_organisation=other_org, service=SERVICE, message="Two children, 6 and 9."
    )


def url(name: str, case: Case | None = None, **kwargs: Any) -> str:
    if case is not None:
        kwargs["code"] = case.code
    return reverse(f"cases:{name}", kwargs=kwargs)


def disclosures(case: Case) -> list[dict[str, Any]]:
    entries = AuditEntry.objects.filter(event=events.DISCLOSURE, target_id=str(case.code)).order_by("pk")
    return [e.data for e in entries]


# --- sending --------------------------------------------------------------------------------------


def test_coordinator_sends_a_referral_and_the_receiving_coordinators_are_told(
    client_for: Any, lead_coordinator: Any, receiver: Any, make_user: Any, case: Case, other_org: Organisation
) -> None:
    practitioner = make_user("practitioner", organisation=other_org)
    response = client_for(lead_coordinator).post(
        url("referral_create", case), {"to_organisation": other_org.code, "service": SERVICE, "message": "Urgent"}
    )
    referral = Referral.objects.get(case=case)
    assert response.status_code == 302
    assert response["Location"] == url("referral_detail", case, referral=referral.code)
    assert (referral.status, referral.from_organisation, referral.to_organisation) == (
        "sent",
        case.lead_organisation,
        other_org,
    )
    assert referral.sent_by == lead_coordinator
    told = Notification.objects.filter(kind="referral_received", case=case)
    assert [n.user for n in told] == [receiver]  # coordinators only, not the practitioner
    assert not Notification.objects.filter(user=practitioner).exists()
    assert AuditEntry.objects.filter(event=events.CREATED, target_id=str(referral.code)).exists()


def test_sending_is_logged_as_a_disclosure_without_agreement_or_consent(
    referral: Referral, other_org: Organisation
) -> None:
    assert disclosures(referral.case) == [
        {"to": str(other_org.code), "agreement": None, "consent": None, "what": "referral"}
    ]


def test_the_disclosure_names_the_agreement_between_the_two_organisations(
    case: Case, lead_coordinator: Any, other_org: Organisation, agreement: Any, org: Organisation
) -> None:
    shared = agreement(org, other_org, categories=["summary"])
    agreement(org, categories=["summary"])  # an agreement the receiver is not party to does not count
    services.referral_send(case, actor=lead_coordinator, to_organisation=other_org, service=SERVICE)
    assert disclosures(case) == [
        {"to": str(other_org.code), "agreement": str(shared.code), "consent": None, "what": "referral"}
    ]


def test_the_disclosure_names_the_consent_the_sender_chose(
    client_for: Any, case: Case, lead_coordinator: Any, other_org: Organisation
) -> None:
    consent = Consent.objects.create(
        case=case, purpose="Referral to family support", given_by="person", given_on=timezone.localdate()
    )
    client = client_for(lead_coordinator)
    assert "consent" in client.get(url("referral_create", case)).context["form"].fields
    client.post(
        url("referral_create", case), {"to_organisation": other_org.code, "service": SERVICE, "consent": consent.code}
    )
    assert disclosures(case)[0]["consent"] == str(consent.code)


def test_a_withdrawn_consent_cannot_be_named(case: Case, lead_coordinator: Any, other_org: Organisation) -> None:
    today = timezone.localdate()
    consent = Consent.objects.create(
        case=case, purpose="x", given_by="person", given_on=today - timedelta(days=9), withdrawn_on=today
    )
    with pytest.raises(ValidationError) as exc:
        services.referral_send(
            case, actor=lead_coordinator, to_organisation=other_org, service=SERVICE, consent=consent
        )
    assert "consent" in exc.value.message_dict
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "data,field,message",
    [
        ({"service": "  "}, "service", "This field is required."),
        ({"to_organisation": ""}, "to_organisation", "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_sends_nothing(
    client_for: Any,
    case: Case,
    lead_coordinator: Any,
    other_org: Organisation,
    data: dict[str, Any],
    field: str,
    message: str,
) -> None:
    response = client_for(lead_coordinator).post(
        url("referral_create", case), {"to_organisation": other_org.code, "service": SERVICE, **data}
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert not Referral.objects.exists() and not Notification.objects.exists()
    assert not AuditEntry.objects.filter(event=events.DISCLOSURE).exists()


def test_a_referral_goes_to_another_active_organisation_for_a_named_service(
    case: Case, lead_coordinator: Any, make_org: Any, org: Organisation, other_org: Organisation
) -> None:
    with pytest.raises(ValidationError, match="Say which service you ask for"):
        services.referral_send(case, actor=lead_coordinator, to_organisation=other_org, service="   ")
    closed = make_org("Closed NGO", is_active=False)
    for target, text in [(org, "another organisation"), (closed, "no longer active")]:
        with pytest.raises(ValidationError, match=text):
            services.referral_send(case, actor=lead_coordinator, to_organisation=target, service=SERVICE)
    assert not Referral.objects.exists()


def test_a_closed_case_sends_no_referral(case: Case, lead_coordinator: Any, other_org: Organisation) -> None:
    Case.objects.filter(pk=case.pk).update(phase="closed", closed_at=timezone.now())
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="closed"):
        services.referral_send(case, actor=lead_coordinator, to_organisation=other_org, service=SERVICE)


def test_sending_needs_the_right_to_change_the_referrals_section(
    client_for: Any, make_user: Any, case: Case, add_member: Any, other_org: Organisation
) -> None:
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)  # reads referrals, changes nothing
    outsider = make_user("coordinator")
    assert client_for(police).get(url("referral_list", case)).status_code == 200
    assert client_for(police).get(url("referral_create", case)).status_code == 403
    assert client_for(outsider).get(url("referral_list", case)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.referral_send(case, actor=police, to_organisation=other_org, service=SERVICE)
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=police.pk).count() == 2


def test_reading_the_referrals_of_a_case_is_audited(client_for: Any, lead_coordinator: Any, referral: Referral) -> None:
    client = client_for(lead_coordinator)
    client.get(url("referral_list", referral.case))
    client.get(url("referral_detail", referral.case, referral=referral.code))
    reads = AuditEntry.objects.filter(event=events.PERSONAL_DATA_READ, target_id=str(referral.case.code)).order_by("pk")
    assert [e.data["section"] for e in reads] == ["referrals", "referrals"]
    assert reads.last().data["referral"] == str(referral.code)


# --- what the receiving side sees -------------------------------------------------------------


def test_the_receiving_side_sees_only_the_referral_and_not_the_case(
    client_for: Any, receiver: Any, referral: Referral
) -> None:
    case = referral.case
    Identity.objects.create(case=case, given_names="Arben", family_name="Krasniqi", blind_index="x" * 64)
    PlanGoal.objects.create(case=case, domain="housing", title="Secret plan goal")
    client = client_for(receiver)
    incoming = client.get(url("referrals_incoming"))
    assert incoming.status_code == 200
    assert [r.pk for r in incoming.context["object_list"]] == [referral.pk]
    page = client.get(url("referral_answer", referral=referral.code))
    html = page.content.decode()
    assert page.status_code == 200
    for shown in (
        SERVICE,
        "Two children, 6 and 9.",
        case.reference,
        "Returning foreign terrorist fighter",
        "Probation Service",
    ):
        assert shown in html
    assert "Krasniqi" not in html and "Secret plan goal" not in html
    # The case itself does not exist for them: every page of it answers "not found".
    for name in ("case_detail", "referral_list", "plan", "session_list"):
        assert client.get(url(name, case)).status_code == 404, name
    read = AuditEntry.objects.filter(event=events.PERSONAL_DATA_READ, actor_id=receiver.pk, target_id=str(case.code))
    assert read.get().data == {"section": "referrals", "referral": str(referral.code), "receiving": True}


def test_the_team_link_sends_the_receiving_coordinator_to_the_answer_page(
    client_for: Any, receiver: Any, referral: Referral
) -> None:
    response = client_for(receiver).get(url("referral_detail", referral.case, referral=referral.code))
    assert response.status_code == 302
    assert response["Location"] == url("referral_answer", referral=referral.code)


def test_only_the_receiving_organisations_coordinators_answer(
    client_for: Any, make_user: Any, referral: Referral, other_org: Organisation, make_org: Any
) -> None:
    practitioner = make_user("practitioner", organisation=other_org)
    stranger = make_user("coordinator", organisation=make_org("Third organisation"))
    answer = url("referral_answer", referral=referral.code)
    assert client_for(practitioner).get(answer).status_code == 403
    assert client_for(stranger).get(answer).status_code == 404
    assert client_for(practitioner).get(url("referrals_incoming")).context["object_list"] == []
    assert client_for(stranger).get(url("referrals_incoming")).context["object_list"] == []
    denied = AuditEntry.objects.filter(event=events.ACCESS_DENIED, target_id=str(referral.code))
    assert denied.count() == 2
    with pytest.raises(PermissionDenied):
        services.referral_accept(referral, actor=stranger)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


# --- answering ------------------------------------------------------------------------------------


def test_declining_needs_a_reason_and_changes_nothing_without_one(
    client_for: Any, receiver: Any, referral: Referral, lead_coordinator: Any
) -> None:
    client = client_for(receiver)
    answer = url("referral_answer", referral=referral.code)
    response = client.post(answer, {"decision": "decline", "reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for declining." in response.context["form"].errors["reason"]
    assert Referral.objects.get(pk=referral.pk).status == "sent"
    with pytest.raises(ValidationError):
        services.referral_decline(referral, actor=receiver, reason="")
    response = client.post(answer, {"decision": "decline", "reason": "No places until spring."})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason, referral.answered_by) == (
        "declined",
        "No places until spring.",
        receiver,
    )
    assert Notification.objects.filter(user=lead_coordinator, kind="referral_answered").count() == 1


def test_accepting_with_team_membership_is_refused_without_an_agreement(
    client_for: Any, receiver: Any, referral: Referral
) -> None:
    client = client_for(receiver)
    answer = url("referral_answer", referral=referral.code)
    page = client.get(answer)
    assert page.context["can_join"] is False
    assert "needs an active information-sharing agreement" in page.content.decode()
    response = client.post(answer, {"decision": "accept", "join_team": "on", "case_role": "ngo_worker"}, follow=True)
    assert "you were not added to the case team" in response.content.decode()
    assert "needs an active information-sharing agreement" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == "accepted"
    assert not CaseMembership.objects.filter(user=receiver).exists()
    assert client.get(url("case_detail", referral.case)).status_code == 404
    assert [d["what"] for d in disclosures(referral.case)] == ["referral"]


def test_service_accepts_without_membership_when_no_agreement_allows_it(receiver: Any, referral: Referral) -> None:
    result = services.referral_accept(referral, actor=receiver, join_team=True, case_role=CaseRole.NGO_WORKER)
    assert (result.membership, result.agreement, result.needs_agreement) == (None, None, True)
    assert result.referral.status == "accepted"


def test_accepting_under_an_agreement_adds_the_coordinator_and_logs_the_disclosure_against_it(
    client_for: Any, receiver: Any, referral: Referral, agreement: Any, org: Organisation, other_org: Organisation
) -> None:
    shared = agreement(org, other_org, categories=["summary", "plan", "sessions", "referrals"])
    client = client_for(receiver)
    answer = url("referral_answer", referral=referral.code)
    assert client.get(answer).context["can_join"] is True
    response = client.post(answer, {"decision": "accept", "join_team": "on", "case_role": "ngo_worker"})
    assert response.status_code == 302
    assert response["Location"] == url("referral_detail", referral.case, referral=referral.code)
    membership = CaseMembership.objects.get(user=receiver)
    assert (membership.case, membership.role, membership.organisation) == (referral.case, "ngo_worker", other_org)
    assert disclosures(referral.case)[-1] == {
        "to": str(other_org.code),
        "agreement": str(shared.code),
        "consent": None,
        "what": "case_team",
    }
    # Now on the team: the case opens, within the role and the agreement.
    assert client.get(url("case_detail", referral.case)).status_code == 200
    assert client.get(url("referral_detail", referral.case, referral=referral.code)).status_code == 200


def test_joining_needs_a_case_role(
    client_for: Any, receiver: Any, referral: Referral, agreement: Any, org: Any, other_org: Any
) -> None:
    agreement(org, other_org, categories=["summary"])
    response = client_for(receiver).post(
        url("referral_answer", referral=referral.code), {"decision": "accept", "join_team": "on"}
    )
    assert "Choose the case role you take on the team." in response.context["form"].errors["case_role"]
    with pytest.raises(ValidationError):
        services.referral_accept(referral, actor=receiver, join_team=True, case_role=CaseRole.COORDINATOR)
    assert Referral.objects.get(pk=referral.pk).status == "sent"


def test_a_referral_is_answered_once(
    receiver: Any, referral: Referral, make_user: Any, other_org: Organisation
) -> None:
    colleague = make_user("coordinator", organisation=other_org)
    stale = Referral.objects.get(pk=referral.pk)
    services.referral_accept(referral, actor=receiver)
    with pytest.raises(ValidationError, match="already been answered"):
        services.referral_decline(stale, actor=colleague, reason="Full")
    referral.refresh_from_db()
    assert (referral.status, referral.answered_by, referral.decline_reason) == ("accepted", receiver, "")


def test_completed_after_acceptance_with_response_times_listed(
    client_for: Any, receiver: Any, referral: Referral, lead_coordinator: Any
) -> None:
    Referral.objects.filter(pk=referral.pk).update(sent_at=timezone.now() - timedelta(days=2, hours=3))
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="Only an accepted referral"):
        services.referral_complete(referral, actor=receiver)
    services.referral_accept(referral, actor=receiver)
    client = client_for(receiver)
    response = client.post(url("referral_answer", referral=referral.code), {"action": "complete"})
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.completed_at is not None
    assert timedelta(days=2, hours=2) < referral.answered_at - referral.sent_at < timedelta(days=2, hours=4)
    listed = client_for(lead_coordinator).get(url("referral_list", referral.case))
    row = listed.context["object_list"][0]
    assert row.response_time == referral.answered_at - referral.sent_at
    assert "2\xa0days, 3\xa0hours" in listed.content.decode()
    incoming = client.get(url("referrals_incoming"), {"status": "answered"})
    assert [r.pk for r in incoming.context["object_list"]] == [referral.pk]
    assert "2\xa0days, 3\xa0hours" in incoming.content.decode()


def test_the_sending_team_can_mark_an_accepted_referral_completed(
    client_for: Any, receiver: Any, referral: Referral, lead_coordinator: Any
) -> None:
    services.referral_accept(referral, actor=receiver)
    response = client_for(lead_coordinator).post(url("referral_complete", referral.case, referral=referral.code))
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "completed"


def test_the_sender_withdraws_but_another_team_member_cannot(
    client_for: Any, make_user: Any, add_member: Any, referral: Referral, lead_coordinator: Any
) -> None:
    social_worker = make_user("practitioner")
    add_member(referral.case, social_worker, CaseRole.SOCIAL_WORKER)
    with pytest.raises(PermissionDenied):
        services.referral_withdraw(referral, actor=social_worker)
    page = client_for(social_worker).get(url("referral_detail", referral.case, referral=referral.code))
    assert page.context["can_withdraw"] is False
    response = client_for(lead_coordinator).post(url("referral_withdraw", referral.case, referral=referral.code))
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "withdrawn"
    with pytest.raises(ValidationError):
        services.referral_withdraw(Referral.objects.get(pk=referral.pk), actor=lead_coordinator)


# --- query counts ---------------------------------------------------------------------------------


def _many_referrals(case: Case, sender: Any, to: Organisation, n: int) -> None:
    Referral.objects.bulk_create(
        Referral(
            case=case,
            from_organisation=case.lead_organisation,
            to_organisation=to,
            service=f"Service {i}",
            sent_by=sender,
            status="accepted" if i % 2 else "sent",
            answered_by=sender if i % 2 else None,
            answered_at=timezone.now() if i % 2 else None,
        )
        for i in range(n)
    )


@pytest.mark.parametrize("n", [3, 20])
def test_the_case_referral_list_query_count_does_not_grow(
    client_for: Any, lead_coordinator: Any, case: Case, other_org: Organisation, django_assert_num_queries: Any, n: int
) -> None:
    _many_referrals(case, lead_coordinator, other_org, n)
    client = client_for(lead_coordinator)
    client.get(url("referral_list", case))  # warm the session
    # Session, user, OTP device, case, memberships (the lead's members need no agreement), count,
    # page, audit insert, roles (for the page header).
    with django_assert_num_queries(9):
        response = client.get(url("referral_list", case))
    assert len(response.context["object_list"]) == n


@pytest.mark.parametrize("n", [3, 20])
def test_the_incoming_list_query_count_does_not_grow(
    client_for: Any,
    receiver: Any,
    lead_coordinator: Any,
    case: Case,
    other_org: Organisation,
    django_assert_num_queries: Any,
    n: int,
) -> None:
    _many_referrals(case, lead_coordinator, other_org, n)
    client = client_for(receiver)
    client.get(url("referrals_incoming"))
    # Session, user, OTP device, roles, count, page, audit insert.
    with django_assert_num_queries(7):
        response = client.get(url("referrals_incoming"))
    assert len(response.context["object_list"]) == n
