"""Background tasks of case work."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone
from django_tasks import task

from .models import Case, CaseMembership, Notification, PlanAction, PlanReview
from .vocab import CaseRole, Phase

OPEN_ACTIONS = (PlanAction.Status.PLANNED, PlanAction.Status.IN_PROGRESS)


def _due_case_ids(today: date) -> set[int]:
    """Open cases with a plan review or an unfinished plan action due today or earlier."""
    latest_next = Subquery(
        PlanReview.objects.filter(case=OuterRef("pk")).order_by("-reviewed_at", "-pk").values("next_review_on")[:1]
    )
    open_cases = Case.objects.filter(closed_at__isnull=True).exclude(phase=Phase.CLOSED)
    reviews = open_cases.annotate(next_review_on=latest_next).filter(next_review_on__lte=today)
    actions = PlanAction.objects.filter(
        due_date__lte=today, status__in=OPEN_ACTIONS, goal__case__in=open_cases.values("pk")
    ).values_list("goal__case_id", flat=True)
    return set(reviews.values_list("pk", flat=True)) | set(actions)


@task()
def notify_due_items() -> int:
    """Tell each case's coordinators, once a day, that a plan review or action is due or overdue.

    Runs every hour; a coordinator who already got a "due" notification for a case today is not
    told again, so each case's due items reach them once per day while they stay due. Returns the
    number of notifications sent.
    """
    from .services.notify import notify

    now = timezone.now()
    today = timezone.localdate()
    case_ids = _due_case_ids(today)
    if not case_ids:
        return 0
    coordinators = (
        CaseMembership.objects.filter(
            case_id__in=case_ids,
            role=CaseRole.COORDINATOR,
            removed_at__isnull=True,
            valid_from__lte=now,
            # A membership made for another organisation than the user's current one gives no access.
            organisation_id=F("user__organisation_id"),
            user__is_active=True,
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .select_related("user", "case")
    )
    start_of_day = timezone.make_aware(datetime.combine(today, time.min))
    already = set(
        Notification.objects.filter(
            kind=Notification.Kind.DUE, case_id__in=case_ids, created_at__gte=start_of_day
        ).values_list("user_id", "case_id")
    )
    by_case: dict[int, tuple[Case, dict[int, object]]] = {}
    for membership in coordinators:
        if (membership.user_id, membership.case_id) in already:
            continue
        entry = by_case.setdefault(membership.case_id, (membership.case, {}))
        entry[1][membership.user_id] = membership.user
    sent = 0
    for case, users in by_case.values():
        notify(list(users.values()), Notification.Kind.DUE, case=case)
        sent += len(users)
    return sent
