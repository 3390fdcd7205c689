"""Reads of referrals, lead transfers and approvals, and of the cases the API lists.

Two sides read referrals and transfers. The case team reads them on the case (the views have asked
the policy about the case's referrals section). The receiving organisation's coordinators read only
what is addressed to their organisation, and only the referral itself (service, message, case
reference, category, sender) until they accept: they are not on the team. The incoming lists are
narrowed in SQL exactly as the policy rule ``cases.referral.answer`` decides for one object
(addressed to the user's organisation, and the user is a case coordinator), and the approval queue as
``cases.approval.decide`` does (the supervisor's organisation, never their own request).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Consent,
    PlanAction,
    PlanGoal,
    Referral,
    Session,
    SharingAgreement,
    Transfer,
)
from rightpath.core.listing import paginate

PER_PAGE = 25

REFERRAL_SORT = {"sent": "sent_at", "status": "status", "service": "service", "answered": "answered_at"}
INCOMING_FILTERS = {
    "open": (Referral.Status.SENT, Referral.Status.ACCEPTED),
    "sent": (Referral.Status.SENT,),
    "answered": (Referral.Status.ACCEPTED, Referral.Status.DECLINED, Referral.Status.COMPLETED),
}


def response_time(sent_at: Any, answered_at: Any) -> timedelta | None:
    """How long the receiving side took to answer (``None`` while unanswered)."""
    if sent_at is None or answered_at is None:
        return None
    return answered_at - sent_at


def _with_response_times(rows: Any) -> Any:
    for row in rows:
        start = getattr(row, "sent_at", None) or getattr(row, "requested_at", None)
        row.response_time = response_time(start, row.answered_at)
    return rows


# --- organisations, agreements, consent -----------------------------------------------------------


def receiving_organisations(*, exclude: Organisation | int | None = None) -> QuerySet[Organisation]:
    """Organisations a referral or a transfer may go to: any active organisation but ``exclude``."""
    qs = Organisation.objects.filter(is_active=True).order_by("name")
    if exclude is not None:
        qs = qs.exclude(pk=getattr(exclude, "pk", exclude))
    return qs


def active_agreement(org_a: Organisation | int, org_b: Organisation | int) -> SharingAgreement | None:
    """An active information-sharing agreement to which both organisations are parties (the one valid
    longest when there are several), or ``None``."""
    a, b = getattr(org_a, "pk", org_a), getattr(org_b, "pk", org_b)
    today = timezone.localdate()
    return (
        SharingAgreement.objects.filter(
            parties=a, terminated_at__isnull=True, valid_from__lte=today, valid_until__gte=today
        )
        .filter(parties=b)
        .order_by("-valid_until", "pk")
        .first()
    )


def active_consents(case: Case) -> QuerySet[Consent]:
    """The case's consent records in force today (given, not withdrawn)."""
    today = timezone.localdate()
    return (
        Consent.objects.filter(case=case, given_on__lte=today)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=today))
        .order_by("-given_on", "-created_at")
    )


def organisation_users_with_role(organisation: Organisation | int, role: str) -> list[User]:
    """Active people (not service accounts) of ``organisation`` holding the organisation ``role``."""
    return list(
        User.objects.filter(
            organisation_id=getattr(organisation, "pk", organisation),
            is_active=True,
            is_service_account=False,
            role_assignments__role=role,
        )
        .distinct()
        .order_by("pk")
    )


# --- referrals ------------------------------------------------------------------------------------

_REFERRAL_RELATED = ("case", "from_organisation", "to_organisation", "sent_by", "answered_by")


def referral_list(case: Case, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the case's referrals (sent by any organisation on the team), newest first, each with
    its response time. Three queries whatever the number of rows."""
    qs = Referral.objects.filter(case=case).select_related(*_REFERRAL_RELATED[1:])
    page = paginate(qs, params, sort_fields=REFERRAL_SORT, default_sort="-sent", page_size=PER_PAGE)
    page["object_list"] = _with_response_times(list(page["object_list"]))
    return page


def referral_get(case_code: Any, code: Any) -> Referral:
    """One referral of the case named by ``case_code`` (404 when there is no such pair)."""
    referral = get_object_or_404(Referral.objects.select_related(*_REFERRAL_RELATED), case__code=case_code, code=code)
    _with_response_times([referral])
    return referral


def referral_by_code(code: Any) -> Referral:
    """One referral by its own code, as the receiving side addresses it (404 when unknown)."""
    referral = get_object_or_404(
        Referral.objects.select_related(*_REFERRAL_RELATED, "case__lead_organisation"), code=code
    )
    _with_response_times([referral])
    return referral


def _answering(actor: Any) -> bool:
    # Mirrors the rule "cases.referral.answer": only a case coordinator answers for their organisation.
    return bool(actor.organisation_id) and actor.has_role(Role.COORDINATOR) and not actor.is_service_account


def referral_incoming_list(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the referrals addressed to the actor's organisation, for its case coordinators (an
    empty page for anyone else). ``status`` narrows to ``open``, ``sent`` or ``answered``."""
    qs = Referral.objects.filter(to_organisation_id=actor.organisation_id).select_related(
        "case", "from_organisation", "sent_by"
    )
    if not _answering(actor):
        qs = qs.none()
    chosen = params.get("status", "")
    if chosen in INCOMING_FILTERS:
        qs = qs.filter(status__in=INCOMING_FILTERS[chosen])
    page = paginate(qs, params, sort_fields=REFERRAL_SORT, default_sort="-sent", page_size=PER_PAGE)
    page["object_list"] = _with_response_times(list(page["object_list"]))
    page["status"] = chosen if chosen in INCOMING_FILTERS else ""
    return page


# --- transfers ------------------------------------------------------------------------------------

TRANSFER_SORT = {"requested": "requested_at", "status": "status", "answered": "answered_at"}
OPEN_TRANSFER = (Transfer.Status.AWAITING_APPROVAL, Transfer.Status.PENDING)
_TRANSFER_RELATED = ("case", "from_organisation", "to_organisation", "requested_by", "answered_by")


def transfer_list(case: Case, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the case's lead transfers, newest first, with response times."""
    qs = Transfer.objects.filter(case=case).select_related(*_TRANSFER_RELATED[1:])
    page = paginate(qs, params, sort_fields=TRANSFER_SORT, default_sort="-requested", page_size=PER_PAGE)
    page["object_list"] = _with_response_times(list(page["object_list"]))
    return page


def open_transfer(case: Case) -> Transfer | None:
    """The case's transfer still waiting for approval or for the receiving organisation, if any."""
    return Transfer.objects.filter(case=case, status__in=OPEN_TRANSFER).select_related("to_organisation").first()


def transfer_get(case_code: Any, code: Any) -> Transfer:
    """One transfer of the case named by ``case_code`` (404 otherwise)."""
    transfer = get_object_or_404(Transfer.objects.select_related(*_TRANSFER_RELATED), case__code=case_code, code=code)
    _with_response_times([transfer])
    return transfer


def transfer_by_code(code: Any) -> Transfer:
    """One transfer by its own code, as the receiving side addresses it (404 when unknown)."""
    transfer = get_object_or_404(
        Transfer.objects.select_related(*_TRANSFER_RELATED, "case__lead_organisation"), code=code
    )
    _with_response_times([transfer])
    return transfer


def transfer_incoming_list(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the lead transfers addressed to the actor's organisation, for its case coordinators.

    Transfers still waiting for the sending organisation's supervisor are not shown: the receiving
    side learns of a transfer only once it has been approved.
    """
    qs = (
        Transfer.objects.filter(to_organisation_id=actor.organisation_id)
        .exclude(status=Transfer.Status.AWAITING_APPROVAL)
        .select_related("case", "from_organisation", "requested_by")
    )
    if not _answering(actor):
        qs = qs.none()
    if params.get("status") == "pending":
        qs = qs.filter(status=Transfer.Status.PENDING)
    page = paginate(qs, params, sort_fields=TRANSFER_SORT, default_sort="-requested", page_size=PER_PAGE)
    page["object_list"] = _with_response_times(list(page["object_list"]))
    page["status"] = "pending" if params.get("status") == "pending" else ""
    return page


# --- approvals ------------------------------------------------------------------------------------


def approval_queue(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the approvals waiting for a supervisor of the actor's organisation, oldest first,
    without the actor's own requests (nobody approves their own); empty for anyone but a supervisor."""
    qs = (
        Approval.objects.filter(organisation_id=actor.organisation_id, status=Approval.Status.PENDING)
        .exclude(requested_by=actor)
        .select_related("case", "requested_by", "transfer__to_organisation")
    )
    if not actor.has_role(Role.SUPERVISOR) or actor.is_service_account:
        qs = qs.none()
    page = paginate(
        qs,
        params,
        sort_fields={"requested": "created_at", "kind": "kind"},
        default_sort="requested",
        page_size=PER_PAGE,
    )
    page["object_list"] = list(page["object_list"])
    return page


def approval_by_code(code: Any) -> Approval:
    """One approval by its code, with what it is about (404 when unknown)."""
    return get_object_or_404(
        Approval.objects.select_related(
            "case",
            "case__lead_organisation",
            "requested_by",
            "decided_by",
            "transfer",
            "transfer__from_organisation",
            "transfer__to_organisation",
        ),
        code=code,
    )


# --- the API's case list --------------------------------------------------------------------------


def _my_memberships(actor: Any) -> Prefetch:
    now = timezone.now()
    mine = CaseMembership.objects.filter(
        user=actor, organisation_id=actor.organisation_id, removed_at__isnull=True, valid_from__lte=now
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
    return Prefetch("memberships", queryset=mine.order_by("role"), to_attr="my_memberships")


def api_case_list(*, actor: Any) -> QuerySet[Case]:
    """The cases the actor may see (``visible`` for "cases.case.view"), with the lead organisation
    and the actor's own active memberships fetched up front: two queries per page, however many."""
    return (
        visible(actor, "cases.case.view", Case.objects.all())
        .select_related("lead_organisation")
        .prefetch_related(_my_memberships(actor))
        .order_by("-opened_at", "pk")
    )


def api_case_get(*, actor: Any, code: Any) -> Case:
    """One case by its code with the actor's memberships (404 when unknown; the policy decides the rest)."""
    return get_object_or_404(
        Case.objects.select_related("lead_organisation", "receiving_organisation").prefetch_related(
            _my_memberships(actor)
        ),
        code=code,
    )


def api_session_list(case: Case) -> QuerySet[Session]:
    """The case's sessions for the API, newest first, without their notes (never decrypted here)."""
    return (
        Session.objects.filter(case=case)
        .select_related("provider", "organisation")
        .defer("notes")
        .order_by("-held_on", "-created_at", "pk")
    )


def api_referral_list(case: Case) -> QuerySet[Referral]:
    """The case's referrals for the API, newest first, with both organisations."""
    return (
        Referral.objects.filter(case=case)
        .select_related("from_organisation", "to_organisation")
        .order_by("-sent_at", "pk")
    )


def api_plan(case: Case) -> dict[str, Any]:
    """The case's plan for the API: its status and goals with their actions (two queries)."""
    actions = PlanAction.objects.select_related("responsible_organisation").order_by("due_date", "created_at", "pk")
    goals = (
        PlanGoal.objects.filter(case=case)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("domain", "created_at", "pk")
    )
    return {"plan_status": case.plan_status, "goals": list(goals)}
