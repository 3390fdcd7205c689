"""Emergency (break-glass) access: a case worker outside the team asks with the exact reference and a
justification; access is read-only and time-limited, stands out in the audit log, the coordinators
and the data-protection officers are told, and the coordinator reviews it afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from rightpath.accounts.models import Organisation
from rightpath.audit.events import label
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, CaseMembership, Notification
from rightpath.cases.vocab import CaseRole

REASON = "Person taken to emergency ward after a threat; need the safety plan and contacts now."
NOT_FOUND = "no case with this reference that you could be given emergency access to"


def url(name: str, case: Case | None = None, **kwargs: Any) -> str:
    if case is not None:
        kwargs["code"] = case.code
    return reverse(f"cases:{name}", kwargs=kwargs or None)


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def dpo(make_user: Any) -> Any:
    return make_user("dpo")


@pytest.fixture
def on_call(make_user: Any) -> Any:
    """A practitioner of the lead organisation who is not on the team."""
    return make_user("practitioner")


def ask(client: Any, reference: str, justification: str = REASON) -> Any:
    return client.post(url("break_glass"), {"reference": reference, "justification": justification})


def test_emergency_access_is_granted_time_limited_audited_and_notified(
    client_for: Any,
    case: Case,
    coordinator: Any,
    dpo: Any,
    on_call: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_for(on_call)
    assert client.get(url("case_detail", case)).status_code == 404
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, case.reference)
    assert response.status_code == 302 and response["Location"] == url("case_detail", case)
    membership = CaseMembership.objects.get(case=case, user=on_call)
    assert membership.role == CaseRole.BREAK_GLASS and membership.justification == REASON
    hours = timedelta(hours=settings.BREAK_GLASS_HOURS)
    assert before + hours <= membership.valid_until <= timezone.now() + hours

    entry = AuditEntry.objects.get(event="cases.break_glass")
    assert (entry.actor_id, entry.target_id, entry.justification) == (on_call.pk, str(case.code), REASON)
    assert label(entry.event) == "Emergency access granted"

    told = set(Notification.objects.filter(kind="break_glass", case=case).values_list("user_id", flat=True))
    assert told == {coordinator.pk, dpo.pk}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email, dpo.email])
    assert all(case.reference not in m.body and REASON not in m.body for m in mail.outbox)

    detail = client.get(url("case_detail", case))
    assert detail.status_code == 200
    assert "emergency access" in detail.content.decode()
    listing = client.get(url("case_list")).content.decode()
    assert case.reference in listing and "through emergency access" in listing


def test_emergency_access_reads_but_never_writes(client_for: Any, case: Case, coordinator: Any, on_call: Any) -> None:
    client = client_for(on_call)
    ask(client, case.reference)
    assert client.get(url("case_identity", case)).status_code == 200
    assert client.get(url("case_identity_edit", case)).status_code == 403
    assert client.get(url("case_phase", case)).status_code == 403


def test_emergency_access_ends_after_its_time(client_for: Any, case: Case, coordinator: Any, on_call: Any) -> None:
    client = client_for(on_call)
    ask(client, case.reference)
    assert client.get(url("case_detail", case)).status_code == 200
    CaseMembership.objects.filter(user=on_call).update(valid_until=timezone.now() - timedelta(seconds=1))
    assert client.get(url("case_detail", case)).status_code == 404
    assert case.reference not in client.get(url("case_list")).content.decode()


@pytest.mark.parametrize("justification", ["", "urgent", "   need it now   "])
def test_a_justification_is_required(client_for: Any, case: Case, on_call: Any, justification: str) -> None:
    response = ask(client_for(on_call), case.reference, justification)
    assert response.status_code == 200
    assert response.context["form"].errors.get("justification")
    assert not CaseMembership.objects.filter(user=on_call).exists()


def test_unknown_and_unreachable_references_get_the_same_answer(
    client_for: Any, make_user: Any, org: Organisation, other_org: Organisation, on_call: Any
) -> None:
    foreign = Case.objects.create(
        reference="BA-2026-0001", category="returnee", lead_organisation=other_org, legal_basis="public_task"
    )
    client = client_for(on_call)
    unknown = ask(client, "XK-1999-0001").context["form"].errors["reference"]
    unreachable = ask(client, foreign.reference).context["form"].errors["reference"]
    assert unknown == unreachable and NOT_FOUND in unknown[0]
    assert not CaseMembership.objects.filter(user=on_call).exists()
    denials = AuditEntry.objects.filter(event="access.denied", actor_id=on_call.pk)
    assert denials.count() == 2 and {d.data["reference"] for d in denials} == {"XK-1999-0001", "BA-2026-0001"}


def test_a_partner_under_an_active_agreement_may_ask_and_the_disclosure_is_logged(
    client_for: Any,
    make_user: Any,
    case: Case,
    coordinator: Any,
    agreement: Any,
    org: Organisation,
    other_org: Organisation,
) -> None:
    partner_worker = make_user("practitioner", organisation=other_org)
    deal = agreement(org, other_org, categories=["summary", "plan"])
    response = ask(client_for(partner_worker), case.reference.lower())
    assert response.status_code == 302
    assert CaseMembership.objects.filter(user=partner_worker, role=CaseRole.BREAK_GLASS).exists()
    disclosure = AuditEntry.objects.get(event="cases.disclosure", target_id=str(case.code))
    assert disclosure.data["agreement"] == str(deal.code)


def test_only_case_workers_may_ask(client_for: Any, make_user: Any, case: Case) -> None:
    for roles in (("editor",), ("platform_admin",), ("dpo",)):
        user = make_user(*roles)
        assert ask(client_for(user), case.reference).status_code == 403
        assert not CaseMembership.objects.filter(user=user).exists()


def test_a_team_member_is_simply_sent_to_the_case(client_for: Any, case: Case, coordinator: Any) -> None:
    response = ask(client_for(coordinator), case.reference)
    assert response.status_code == 302
    assert CaseMembership.objects.filter(user=coordinator).count() == 1
    assert not AuditEntry.objects.filter(event="cases.break_glass").exists()


def test_the_coordinator_reviews_emergency_access(
    client_for: Any, make_user: Any, case: Case, coordinator: Any, on_call: Any, add_member: Any
) -> None:
    ask(client_for(on_call), case.reference)
    membership = CaseMembership.objects.get(user=on_call)
    client = client_for(coordinator)
    team = client.get(url("case_team", case)).content.decode()
    assert REASON in team and url("team_review", case, membership_id=membership.pk) in team
    # Nobody else reviews it: not the person who used it, not another member.
    worker = make_user("practitioner")
    add_member(case, worker, CaseRole.SOCIAL_WORKER)
    assert client_for(worker).post(url("team_review", case, membership_id=membership.pk)).status_code == 403
    assert client.post(url("team_review", case, membership_id=membership.pk)).status_code == 302
    membership.refresh_from_db()
    assert membership.reviewed_by == coordinator and membership.reviewed_at is not None
    # Once reviewed it stays so; an ordinary membership is never "reviewed".
    client.post(url("team_review", case, membership_id=membership.pk))
    ordinary = CaseMembership.objects.get(user=worker)
    client.post(url("team_review", case, membership_id=ordinary.pk))
    ordinary.refresh_from_db()
    assert ordinary.reviewed_at is None
    assert AuditEntry.objects.filter(event="data.updated", data__team="break_glass_reviewed").count() == 1
