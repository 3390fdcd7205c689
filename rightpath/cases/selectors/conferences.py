"""Reads of case conferences. The views have asked the policy about the case's conferences section
first; these selectors only read rows of that one case, with related rows fetched up front."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from rightpath.accounts.models import User
from rightpath.cases.models import Case, Conference, PlanAction
from rightpath.core.listing import paginate


def conference_list(case: Case, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the case's conferences, latest first, with their chairs and participants."""
    qs = (
        Conference.objects.filter(case=case)
        .select_related("chair")
        .prefetch_related(Prefetch("participants", queryset=User.objects.order_by("last_name", "first_name")))
        .annotate(item_count=Count("action_items"))
    )
    return paginate(qs, params, sort_fields={"date": "held_on"}, default_sort="-date")


def conference_get(case: Case, code: Any) -> Conference:
    """One conference of ``case`` with its participants and the plan actions it agreed (404 otherwise)."""
    items = PlanAction.objects.select_related("goal", "responsible_organisation").order_by("due_date", "created_at")
    return get_object_or_404(
        Conference.objects.select_related("case", "chair").prefetch_related(
            Prefetch("participants", queryset=User.objects.order_by("last_name", "first_name")),
            Prefetch("action_items", queryset=items),
        ),
        case=case,
        code=code,
    )
