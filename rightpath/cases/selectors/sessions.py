"""Reads of sessions and contacts, and of the case team members who can be named on case records.

The views have asked the policy about the case's sessions section first; these selectors only read
rows of that one case.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rightpath.accounts.models import User
from rightpath.cases.models import Case, CaseMembership, Session
from rightpath.cases.vocab import CaseRole
from rightpath.core.listing import paginate

SESSIONS_PER_PAGE = 25


def case_team_users(case: Case) -> QuerySet[User]:
    """Users on ``case``'s team right now (not removed, within their dates; emergency access excluded)."""
    now = timezone.now()
    active = (
        CaseMembership.objects.filter(case=case, user=OuterRef("pk"), removed_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .exclude(role=CaseRole.BREAK_GLASS)
    )
    return User.objects.filter(Exists(active), is_active=True).order_by("last_name", "first_name", "username")


def session_list(case: Case, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the case's sessions, newest first; the notes stay unread (and undecrypted) here."""
    qs = Session.objects.filter(case=case).select_related("provider", "organisation").defer("notes")
    return paginate(
        qs,
        params,
        sort_fields={"date": "held_on", "type": "type", "duration": "duration_minutes"},
        default_sort="-date",
        page_size=SESSIONS_PER_PAGE,
    )


def session_get(case: Case, code: Any) -> Session:
    """One session of ``case`` with its notes (404 when it belongs to no such case)."""
    return get_object_or_404(Session.objects.select_related("case", "provider", "organisation"), case=case, code=code)
