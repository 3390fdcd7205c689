"""The "my work" page: what is waiting for the signed-in user across their cases.

Every section is one query whatever the number of cases, actions or referrals (its first rows and its
total together): the case set is built in SQL (``visible`` plus the section grant of the user's case
roles), never case by case. Each section shows its first ``LIMIT`` items; its full list is paginated.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery, Window
from django.urls import NoReverseMatch, reverse
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
# Each section of the page shows at most this many items, with its total and a link to all of them.
LIMIT = 20
# Items per page of a section's full list.
SECTION_PAGE_SIZE = 50


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


def link(name: str, kwarg: str = "code") -> Callable[[Any], str]:
    """A function giving the URL named ``name`` for a code: one ``reverse`` for a whole list instead of
    one per row. A URL that is not installed gives "" (the row then shows no link)."""
    try:
        sample = reverse(name, kwargs={kwarg: _SAMPLE_CODE})
    except NoReverseMatch:
        return lambda code: ""
    head, tail = sample.split(str(_SAMPLE_CODE), 1)
    return lambda code: f"{head}{code}{tail}"


def capped(queryset: QuerySet, limit: int = LIMIT) -> tuple[list[Any], int]:
    """The first ``limit`` rows of ``queryset`` and how many there are in all, in one query (the
    total is a window count over the whole result, taken before the limit)."""
    rows = list(queryset.annotate(section_total=Window(Count("pk")))[:limit])
    return rows, (rows[0].section_total if rows else 0)


def _plan_cases(actor: Any) -> QuerySet[Case]:
    # Emergency access is for reading in a crisis, not for taking on the case's work.
    return cases_granting(actor, Section.PLAN, excluding_roles=(CaseRole.BREAK_GLASS,))


def _reviews(actor: Any, plan_cases: QuerySet[Case] | None = None) -> QuerySet[Case]:
    today = timezone.localdate()
    plan_cases = _plan_cases(actor) if plan_cases is None else plan_cases
    return (
        plan_cases.annotate(next_review_on=_latest_next_review())
        .filter(next_review_on__lte=today + timedelta(days=REVIEW_HORIZON_DAYS))
        .order_by("next_review_on", "reference", "pk")
        .only("code", "reference", "phase", "is_minor")
    )


def _actions(actor: Any, plan_cases: QuerySet[Case] | None = None) -> QuerySet[PlanAction]:
    today = timezone.localdate()
    plan_cases = _plan_cases(actor) if plan_cases is None else plan_cases
    coordinated = _active_memberships(actor).filter(role=CaseRole.COORDINATOR).values("case_id")
    return (
        PlanAction.objects.filter(
            goal__case__in=plan_cases.values("pk"), due_date__lt=today, status__in=OPEN_ACTION_STATUSES
        )
        .filter(Q(responsible_organisation_id=actor.organisation_id) | Q(goal__case_id__in=coordinated))
        .select_related("goal__case", "responsible_organisation")
        .only(
            "code",
            "description",
            "due_date",
            "status",
            "goal__case__code",
            "goal__case__reference",
            "responsible_organisation__name",
        )
        .order_by("due_date", "created_at", "pk")
    )


def _referrals(actor: Any) -> QuerySet[Referral]:
    return (
        Referral.objects.filter(to_organisation_id=actor.organisation_id, status=Referral.Status.SENT)
        .select_related("case", "from_organisation")
        .only("code", "service", "sent_at", "case__code", "case__reference", "from_organisation__name")
        .order_by("sent_at", "pk")
    )


def _transfers(actor: Any) -> QuerySet[Transfer]:
    return (
        Transfer.objects.filter(to_organisation_id=actor.organisation_id, status=Transfer.Status.PENDING)
        .select_related("case", "from_organisation")
        .only("code", "requested_at", "case__code", "case__reference", "from_organisation__name")
        .order_by("requested_at", "pk")
    )


def _approvals(actor: Any) -> QuerySet[Approval]:
    return (
        Approval.objects.filter(organisation_id=actor.organisation_id, status=Approval.Status.PENDING)
        .exclude(requested_by=actor)
        .select_related("case", "requested_by")
        .order_by("created_at", "pk")
    )


def _with_links(section: str, rows: list[Any]) -> list[Any]:
    """Give each row the URL it links to (``url``), computed once per list rather than per row."""
    today = timezone.localdate()
    if section == "reviews":
        to = link("cases:plan")
        for case in rows:
            case.url = f"{to(case.code)}#reviews"
            case.review_overdue = case.next_review_on < today
    elif section == "actions":
        to = link("cases:plan")
        for a in rows:
            a.url = f"{to(a.goal.case.code)}#action-{a.code}"
    elif section in ("referrals", "transfers", "approvals"):
        name, kwarg = SECTION_LINKS[section]
        to = link(name, kwarg)
        for x in rows:
            x.url = to(x.code)
    return rows


# The pages a waiting item links to, and the name of their URL's code.
SECTION_LINKS = {
    "referrals": ("cases:referral_answer", "referral"),
    "transfers": ("cases:transfer_answer", "transfer"),
    "approvals": ("cases:approval_detail", "approval"),
}
_SAMPLE_CODE = uuid.UUID(int=0)

# The sections of the page, the querysets that list them, and who has them.
SECTIONS: dict[str, Callable[[Any], QuerySet]] = {
    "reviews": _reviews,
    "actions": _actions,
    "referrals": _referrals,
    "transfers": _transfers,
    "approvals": _approvals,
}


def sections_for(actor: Any) -> list[str]:
    """The sections ``actor`` has on the page: referrals and transfers for case coordinators (who
    answer them for their organisation), approvals for supervisors."""
    out = ["reviews", "actions"]
    if actor.has_role(Role.COORDINATOR):
        out += ["referrals", "transfers"]
    if actor.has_role(Role.SUPERVISOR):
        out.append("approvals")
    return out


def _section(section: str, rows: list[Any], total: int) -> dict[str, Any]:
    return {"items": _with_links(section, rows), "total": total, "more": total > len(rows)}


def my_work(*, actor: Any) -> dict[str, Any]:
    """Everything waiting for ``actor``, as sections of the page, each with its first ``LIMIT`` items
    and its total (one query per section, whatever the number of items):

    * ``reviews``: plan reviews due within 14 days or overdue (the latest review's next date), on
      the actor's cases whose plan they may read;
    * ``actions``: overdue plan actions on those cases, given to the actor's organisation or on a
      case the actor coordinates;
    * ``referrals`` and ``transfers`` waiting for an answer from the actor's organisation (only for
      case coordinators, who answer them; they are not on those cases' teams yet);
    * ``approvals`` waiting for a supervisor of the actor's organisation, other than their own.
    """
    sections = sections_for(actor)
    result: dict[str, Any] = {
        "today": timezone.localdate(),
        "limit": LIMIT,
        "is_coordinator": "referrals" in sections,
        "is_supervisor": "approvals" in sections,
    }
    plan_cases = _plan_cases(actor)  # one query for the agreements, shared by both plan sections
    result["reviews"] = _section("reviews", *capped(_reviews(actor, plan_cases)))
    result["actions"] = _section("actions", *capped(_actions(actor, plan_cases)))
    for section in sections[2:]:
        result[section] = _section(section, *capped(SECTIONS[section](actor)))
    return result


def my_work_section(section: str, *, actor: Any, params: Mapping[str, str]) -> dict[str, Any] | None:
    """One section of "my work" in full, a page at a time (``None`` when the actor does not have
    that section). Two queries for the section (the total and the page), plus the agreements for
    the plan's sections."""
    if section not in sections_for(actor):
        return None
    page = Paginator(SECTIONS[section](actor), SECTION_PAGE_SIZE).get_page(params.get("page"))
    _with_links(section, list(page.object_list))
    return {"section": section, "page_obj": page, "object_list": page.object_list, "query": {}}


def case_codes(section: str, rows: list[Any]) -> set[str]:
    """The codes of the cases that ``rows`` of ``section`` name."""
    if section == "reviews":
        return {str(c.code) for c in rows}
    if section == "actions":
        return {str(a.goal.case.code) for a in rows}
    return {str(x.case.code) for x in rows}


def cases_shown(work: dict[str, Any]) -> list[str]:
    """The codes of the cases the page names, for the audit entry of the reading."""
    codes: set[str] = set()
    for section in SECTIONS:
        if section in work:
            codes |= case_codes(section, work[section]["items"])
    return sorted(codes)
