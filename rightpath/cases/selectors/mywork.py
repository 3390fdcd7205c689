"""The "my work" page: what is waiting for the signed-in user across their cases.

Every list is one query whatever the number of cases, actions or referrals: the case set is built in
SQL (``visible`` plus the section grant of the user's case roles), never case by case.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.accounts.roles import Role
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    PlanAction,
    PlanReview,
    Referral,
    SharingAgreement,
    Transfer,
)
from rightpath.cases.policy import GRANTS, MINOR_EXCLUDED
from rightpath.cases.vocab import CaseRole, Phase, Section

from .plan import OPEN_ACTION_STATUSES

# Reviews due within this many days (or overdue) are listed.
REVIEW_HORIZON_DAYS = 14
# Each list shows at most this many items; one more is fetched to say that there are more.
LIMIT = 100


def _active_memberships(user: Any) -> QuerySet[CaseMembership]:
    now = timezone.now()
    return CaseMembership.objects.filter(
        user=user, organisation_id=user.organisation_id, removed_at__isnull=True, valid_from__lte=now
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))


def cases_granting(user: Any, section: str, *, excluding_roles: tuple[str, ...] = ()) -> QuerySet[Case]:
    """Open cases on which ``user`` may read ``section``, in SQL.

    The same rule as ``policy.section_rights``, asked for many cases at once: the case must be
    ``visible`` to the user, one of their active memberships must hold a case role granting the
    section (minus the roles a minor's file excludes), and a case led by another organisation needs
    an active agreement whose data categories cover the section. One query for the agreements; the
    rest stays a subquery. ``excluding_roles`` leaves out memberships in those case roles.
    """
    roles = [role for role, grants in GRANTS.items() if section in grants and role not in excluding_roles]
    minor_roles = [role for role in roles if section not in MINOR_EXCLUDED.get(role, set())]
    today = timezone.localdate()
    covering = [
        a.pk
        for a in SharingAgreement.objects.filter(
            parties=user.organisation_id, terminated_at__isnull=True, valid_from__lte=today, valid_until__gte=today
        ).only("pk", "data_categories")
        if section in (a.data_categories or [])
    ]
    partners = SharingAgreement.parties.through.objects.filter(sharingagreement_id__in=covering).values(
        "organisation_id"
    )
    # Uncorrelated subqueries over the user's own memberships (see ``case_view_scope``).
    member = _active_memberships(user)
    return (
        visible(user, "cases.case.view", Case.objects.all())
        .filter(closed_at__isnull=True)
        .exclude(phase=Phase.CLOSED)
        .filter(Q(lead_organisation_id=user.organisation_id) | Q(lead_organisation_id__in=partners))
        .filter(pk__in=member.filter(role__in=roles).values("case_id"))
        .filter(Q(is_minor=False) | Q(pk__in=member.filter(role__in=minor_roles).values("case_id")))
    )


def _latest_next_review() -> Subquery:
    return Subquery(
        PlanReview.objects.filter(case=OuterRef("pk")).order_by("-reviewed_at", "-pk").values("next_review_on")[:1]
    )


def _capped(rows: list[Any]) -> dict[str, Any]:
    return {"items": rows[:LIMIT], "more": len(rows) > LIMIT}


def my_work(*, actor: Any) -> dict[str, Any]:
    """Everything waiting for ``actor``, as sections of the page:

    * ``reviews``: plan reviews due within 14 days or overdue (the latest review's next date), on
      the actor's cases whose plan they may read;
    * ``actions``: overdue plan actions on those cases, given to the actor's organisation or on a
      case the actor coordinates;
    * ``referrals`` and ``transfers`` waiting for an answer from the actor's organisation (only for
      case coordinators, who answer them; they are not on those cases' teams yet);
    * ``approvals`` waiting for a supervisor of the actor's organisation, other than their own.
    """
    today = timezone.localdate()
    # Emergency access is for reading in a crisis, not for taking on the case's work.
    plan_cases = cases_granting(actor, Section.PLAN, excluding_roles=(CaseRole.BREAK_GLASS,))
    reviews = list(
        plan_cases.annotate(next_review_on=_latest_next_review())
        .filter(next_review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS))
        .order_by("next_review_on", "reference")
        .only("code", "reference", "phase", "is_minor")[: LIMIT + 1]
    )
    for case in reviews:
        case.review_overdue = case.next_review_on < today
    coordinated = _active_memberships(actor).filter(role=CaseRole.COORDINATOR).values("case_id")
    actions = list(
        PlanAction.objects.filter(
            goal__case__in=plan_cases.values("pk"), due_date__lt=today, status__in=OPEN_ACTION_STATUSES
        )
        .filter(Q(responsible_organisation_id=actor.organisation_id) | Q(goal__case_id__in=coordinated))
        .select_related("goal__case", "responsible_organisation")
        .order_by("due_date", "created_at")[: LIMIT + 1]
    )
    result: dict[str, Any] = {
        "today": today,
        "reviews": _capped(reviews),
        "actions": _capped(actions),
        "is_coordinator": actor.has_role(Role.COORDINATOR),
        "is_supervisor": actor.has_role(Role.SUPERVISOR),
    }
    if result["is_coordinator"]:
        result["referrals"] = _capped(
            list(
                Referral.objects.filter(to_organisation_id=actor.organisation_id, status=Referral.Status.SENT)
                .select_related("case", "from_organisation")
                .order_by("sent_at")[: LIMIT + 1]
            )
        )
        result["transfers"] = _capped(
            list(
                Transfer.objects.filter(to_organisation_id=actor.organisation_id, status=Transfer.Status.PENDING)
                .select_related("case", "from_organisation")
                .order_by("requested_at")[: LIMIT + 1]
            )
        )
    if result["is_supervisor"]:
        result["approvals"] = _capped(
            list(
                Approval.objects.filter(organisation_id=actor.organisation_id, status=Approval.Status.PENDING)
                .exclude(requested_by=actor)
                .select_related("case", "requested_by")
                .order_by("created_at")[: LIMIT + 1]
            )
        )
    return result


def cases_shown(work: dict[str, Any]) -> list[str]:
    """The codes of the cases the page names, for the audit entry of the reading."""
    codes: set[str] = {str(c.code) for c in work["reviews"]["items"]}
    codes |= {str(a.goal.case.code) for a in work["actions"]["items"]}
    for key in ("referrals", "transfers", "approvals"):
        if key in work:
            codes |= {str(x.case.code) for x in work[key]["items"]}
    return sorted(codes)
