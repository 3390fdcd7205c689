"""Reads of the individual plan. The views have asked the policy about the case's section first;
these selectors only ever read rows of that one case, with their related rows fetched up front."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rightpath.accounts.models import Organisation
from rightpath.cases.models import Approval, Case, PlanAction, PlanGoal, PlanReview
from rightpath.cases.vocab import LifeDomain

# How many past reviews the plan page lists (the latest one decides when the next is due).
REVIEWS_SHOWN = 10


OPEN_ACTION_STATUSES = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS)


def is_overdue(action: PlanAction, today: date) -> bool:
    """An action is overdue when its due date has passed and it is neither done nor cancelled."""
    return action.due_date is not None and action.due_date < today and action.status in OPEN_ACTION_STATUSES


def plan_get(case: Case) -> dict[str, Any]:
    """The whole plan of ``case``: goals grouped by life domain (in the domains' order) with their
    actions, the latest reviews and the open approval request. Four queries, whatever the size."""
    actions = PlanAction.objects.select_related("responsible_organisation").order_by("due_date", "created_at")
    goals = list(
        PlanGoal.objects.filter(case=case)
        .prefetch_related(Prefetch("actions", queryset=actions))
        .order_by("domain", "created_at")
    )
    today = timezone.localdate()
    by_domain: dict[str, list[PlanGoal]] = {}
    for goal in goals:
        by_domain.setdefault(goal.domain, []).append(goal)
        for action in goal.actions.all():
            action.is_overdue = is_overdue(action, today)
    domains = [
        {"value": value, "label": label, "goals": by_domain[value]}
        for value, label in LifeDomain.choices
        if value in by_domain
    ]
    reviews = list(PlanReview.objects.filter(case=case).select_related("reviewed_by")[:REVIEWS_SHOWN])
    pending = (
        Approval.objects.filter(case=case, kind=Approval.Kind.PLAN, status=Approval.Status.PENDING)
        .select_related("requested_by")
        .first()
    )
    return {
        "domains": domains,
        "goal_count": len(goals),
        "reviews": reviews,
        "latest_review": reviews[0] if reviews else None,
        "pending_approval": pending,
        "today": today,
    }


def plan_status_summary(case: Case) -> dict[str, Any]:
    """What a reader of the plan status (not the plan) may see: per life domain the number of goals
    and how many are in each status, and the plan's approval status. No titles, no actions."""
    rows = PlanGoal.objects.filter(case=case).values("domain", "status").annotate(n=Count("id")).order_by()
    counts: dict[str, Counter[str]] = {}
    for row in rows:
        counts.setdefault(row["domain"], Counter())[row["status"]] += row["n"]
    domains = []
    for value, label in LifeDomain.choices:
        if value in counts:
            c = counts[value]
            domains.append(
                {
                    "label": label,
                    "total": sum(c.values()),
                    "statuses": [{"label": s_label, "n": c[s]} for s, s_label in PlanGoal.Status.choices if c[s]],
                }
            )
    return {"domains": domains, "plan_status": case.get_plan_status_display()}


def plan_goal_get(case: Case, code: Any) -> PlanGoal:
    """One goal of ``case`` by its code (404 when it belongs to no such case)."""
    return get_object_or_404(PlanGoal.objects.select_related("case", "case__lead_organisation"), case=case, code=code)


def plan_action_get(case: Case, code: Any) -> PlanAction:
    """One action of ``case``'s plan by its code (404 otherwise)."""
    return get_object_or_404(
        PlanAction.objects.select_related(
            "goal", "goal__case", "goal__case__lead_organisation", "responsible_organisation"
        ),
        goal__case=case,
        code=code,
    )


def responsible_organisations() -> QuerySet[Organisation]:
    """Organisations an action can be given to: any active organisation on the platform."""
    return Organisation.objects.filter(is_active=True).order_by("name")


def goal_choices(case: Case) -> list[tuple[str, str]]:
    """The case's goals as (code, "domain: title") pairs for a choice list."""
    labels = dict(LifeDomain.choices)
    return [
        (str(code), f"{labels.get(domain, domain)}: {title}")
        for code, domain, title in PlanGoal.objects.filter(case=case)
        .order_by("domain", "created_at")
        .values_list("code", "domain", "title")
    ]
