"""Reads of cases: the case list, a case's summary, timeline, identity and team, people who may join
the team, and the user's notifications.

The case list is narrowed in SQL by ``visible(user, "cases.case.view", …)``; the other reads are about
one case whose section the view has already asked the policy about. Every page costs a fixed number
of queries whatever the number of cases, members or events.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Conference,
    Identity,
    Notification,
    NotificationPreference,
    PhaseChange,
    PlanReview,
    Referral,
    Session,
    SharingAgreement,
    Transfer,
)
from rightpath.cases.policy import CASEWORK_ROLES
from rightpath.cases.vocab import CaseRole, Category, Phase, Section
from rightpath.core.listing import paginate

from .mywork import link

CASES_PER_PAGE = 25
TIMELINE_PER_PAGE = 30
NOTIFICATIONS_PER_PAGE = 30
CANDIDATES_LIMIT = 20
CASE_SORT = {"reference": "reference", "opened": "opened_at", "phase": "phase", "category": "category"}
FLAGS = {"woman": "is_woman", "minor": "is_minor"}


def active_memberships(user: Any) -> QuerySet[CaseMembership]:
    """The user's memberships that give access now: not removed, within their dates, and made for
    the organisation the user belongs to today (the same test as the policy)."""
    now = timezone.now()
    return CaseMembership.objects.filter(
        user=user, organisation_id=user.organisation_id, removed_at__isnull=True, valid_from__lte=now
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))


def current_members(case: Case) -> QuerySet[CaseMembership]:
    """The case's team right now (emergency access included, so it shows), with users and organisations."""
    now = timezone.now()
    return (
        CaseMembership.objects.filter(case=case, removed_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .select_related("user", "organisation")
        .order_by("role", "user__last_name", "user__first_name", "pk")
    )


# --- the case list --------------------------------------------------------------------------------


def _case_filters(params: Mapping[str, str]) -> dict[str, str]:
    """The list's filters from the query string, keeping only values it understands."""
    out: dict[str, str] = {}
    if params.get("phase") in Phase.values:
        out["phase"] = params["phase"]
    if params.get("category") in Category.values:
        out["category"] = params["category"]
    lead = params.get("lead", "")
    if lead:
        with contextlib.suppress(ValueError):
            out["lead"] = str(uuid.UUID(lead))
    for flag in FLAGS:
        if params.get(flag) == "1":
            out[flag] = "1"
    q = (params.get("q") or "").strip()
    if q:
        out["q"] = q[:32]
    return out


def case_list(*, actor: Any, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of the cases ``actor`` is on (``visible``), filtered by phase, category, lead
    organisation, flags and reference, with the actor's own case roles on each row.

    Four queries whatever the number of cases or members: the count, the page, the actor's
    memberships on the page's cases, and the lead organisations for the filter.
    """
    mine = visible(actor, "cases.case.view", Case.objects.all())
    filters = _case_filters(params)
    qs = mine
    if "phase" in filters:
        qs = qs.filter(phase=filters["phase"])
    if "category" in filters:
        qs = qs.filter(category=filters["category"])
    if "lead" in filters:
        qs = qs.filter(lead_organisation__code=filters["lead"])
    for flag, field in FLAGS.items():
        if flag in filters:
            qs = qs.filter(**{field: True})
    if "q" in filters:
        qs = qs.filter(reference__icontains=filters["q"])
    qs = qs.select_related("lead_organisation").prefetch_related(
        Prefetch("memberships", queryset=active_memberships(actor).order_by("valid_from"), to_attr="my_memberships")
    )
    page = paginate(qs, params, sort_fields=CASE_SORT, default_sort="-opened", page_size=CASES_PER_PAGE)
    to = link("cases:case_detail")  # one reverse for the page, not one per row
    for case in page["object_list"]:
        case.emergency = [m for m in case.my_memberships if m.role == CaseRole.BREAK_GLASS]
        case.url = to(case.code)
    page["filters"] = filters
    page["leads"] = list(
        Organisation.objects.filter(pk__in=mine.values("lead_organisation_id")).order_by("name").only("code", "name")
    )
    return page


# --- one case -------------------------------------------------------------------------------------


def case_summary(case: Case, *, actor: Any) -> dict[str, Any]:
    """The case's team (with roles and organisations), the actor's emergency access if any, and a
    closure waiting for approval. Two queries whatever the size of the team."""
    team = list(current_members(case))
    emergency = [m for m in team if m.user_id == actor.pk and m.role == CaseRole.BREAK_GLASS]
    closure_pending = Approval.objects.filter(
        case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING
    ).exists()
    return {"team": team, "emergency": emergency, "closure_pending": closure_pending}


def with_birth_date(identity: Identity) -> Identity:
    """Give ``identity`` a ``birth_date_value`` (a date, or ``None``) for display in the user's format."""
    try:
        identity.birth_date_value = date.fromisoformat(identity.birth_date) if identity.birth_date else None
    except ValueError:
        identity.birth_date_value = None
    return identity


def identity_get(case: Case) -> Identity | None:
    """The case's identity record, decrypted (``None`` when none was recorded)."""
    identity = Identity.objects.filter(case=case).first()
    return with_birth_date(identity) if identity is not None else None


def _day(d: Any) -> datetime:
    """A date as the start of that day, so date-only events sort among timed ones."""
    return timezone.make_aware(datetime.combine(d, time.min))


def case_timeline(case: Case, *, rights: Mapping[str, str], params: Mapping[str, str]) -> dict[str, Any]:
    """The case's events, newest first, from the sections ``rights`` lets the reader see.

    Phase changes and team changes come with the summary; sessions (type, date, provider: never
    the notes), referrals and transfers, conferences and plan reviews only with their sections. One
    query per kind of event, whatever their number; the events of one case are few enough to merge
    in memory, then one page is shown.
    """
    events: list[dict[str, Any]] = []
    if Section.SUMMARY in rights:
        for change in PhaseChange.objects.filter(case=case).select_related("changed_by"):
            events.append({"at": change.changed_at, "kind": "phase", "item": change})
        for m in CaseMembership.objects.filter(case=case).select_related("user", "organisation"):
            events.append({"at": m.valid_from, "kind": "member_added", "item": m})
            if m.removed_at:
                events.append({"at": m.removed_at, "kind": "member_removed", "item": m})
    if Section.SESSIONS in rights:
        sessions = Session.objects.filter(case=case).select_related("provider", "organisation").defer("notes")
        for s in sessions:
            events.append({"at": _day(s.held_on), "kind": "session", "item": s})
    if Section.REFERRALS in rights:
        for r in Referral.objects.filter(case=case).select_related("from_organisation", "to_organisation"):
            events.append({"at": r.sent_at, "kind": "referral", "item": r})
        for t in Transfer.objects.filter(case=case).select_related("from_organisation", "to_organisation"):
            events.append({"at": t.requested_at, "kind": "transfer", "item": t})
    if Section.CONFERENCES in rights:
        for c in Conference.objects.filter(case=case).select_related("chair"):
            events.append({"at": _day(c.held_on), "kind": "conference", "item": c})
    if Section.PLAN in rights or Section.PLAN_STATUS in rights:
        for review in PlanReview.objects.filter(case=case).select_related("reviewed_by").defer("summary"):
            events.append({"at": review.reviewed_at, "kind": "plan_review", "item": review})
    events.sort(key=lambda e: e["at"], reverse=True)
    page = Paginator(events, TIMELINE_PER_PAGE).get_page(params.get("page"))
    return {"page_obj": page, "object_list": page.object_list, "query": {}}


# --- the team -------------------------------------------------------------------------------------


def team_list(case: Case) -> dict[str, Any]:
    """Everyone who is or was on the case team: current members, and past ones (removed or ended)."""
    now = timezone.now()
    rows = list(
        CaseMembership.objects.filter(case=case)
        .select_related("user", "organisation", "added_by", "removed_by", "reviewed_by")
        .order_by("valid_from", "pk")
    )
    current = [m for m in rows if m.is_active(now)]
    past = [m for m in rows if not m.is_active(now) and m.valid_from <= now]
    return {"members": current, "past_members": past}


def membership_get(case: Case, membership_id: int) -> CaseMembership:
    """One membership of ``case`` (404 when it belongs to another case)."""
    return get_object_or_404(CaseMembership.objects.select_related("case", "user"), case=case, pk=membership_id)


def partner_organisation_ids(organisation_id: int) -> QuerySet:
    """Ids of the organisations that share an active information-sharing agreement with ``organisation_id``."""
    today = timezone.localdate()
    parties = SharingAgreement.parties.through
    agreements = parties.objects.filter(
        organisation_id=organisation_id,
        sharingagreement__terminated_at__isnull=True,
        sharingagreement__valid_from__lte=today,
        sharingagreement__valid_until__gte=today,
    ).values("sharingagreement_id")
    return parties.objects.filter(sharingagreement_id__in=agreements).values("organisation_id")


def team_candidates(case: Case, *, query: str) -> list[User]:
    """People who may be added to the team, matching ``query`` (name, user name or e-mail): active
    case workers of the lead organisation or of an organisation with an active agreement with it;
    never a platform administrator or a service account; not already on the team."""
    query = (query or "").strip()
    if len(query) < 2:
        return []
    now = timezone.now()
    on_team = (
        CaseMembership.objects.filter(case=case, user=OuterRef("pk"), removed_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .exclude(role=CaseRole.BREAK_GLASS)
    )
    lead = case.lead_organisation_id
    words = Q()
    for word in query.split()[:4]:
        words &= (
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(username__icontains=word)
            | Q(email__icontains=word)
        )
    qs = (
        User.objects.filter(words, is_active=True, is_service_account=False, organisation__is_active=True)
        .filter(Q(organisation_id=lead) | Q(organisation_id__in=partner_organisation_ids(lead)))
        .filter(role_assignments__role__in=CASEWORK_ROLES)
        .exclude(role_assignments__role=Role.PLATFORM_ADMIN)
        .exclude(Exists(on_team))
        .select_related("organisation")
        .distinct()
        .order_by("last_name", "first_name", "username")
    )
    return list(qs[:CANDIDATES_LIMIT])


def receiving_organisation_choices() -> QuerySet[Organisation]:
    """Organisations that can be named as the receiving organisation: any active one."""
    return Organisation.objects.filter(is_active=True).order_by("name")


# --- notifications --------------------------------------------------------------------------------


def notification_list(user: Any, *, params: Mapping[str, str]) -> dict[str, Any]:
    """A page of ``user``'s own notifications, newest first, each saying whether the user can still
    open its case (so a link is shown only where it leads somewhere). Three queries."""
    can_open = active_memberships(user).filter(case=OuterRef("case_id"))
    qs = (
        Notification.objects.filter(user=user)
        .select_related("case")
        .only("pk", "kind", "created_at", "read_at", "case__code", "case__reference")
        .annotate(can_open=Exists(can_open))
    )
    page = Paginator(qs.order_by("-created_at", "-pk"), NOTIFICATIONS_PER_PAGE).get_page(params.get("page"))
    unread = Notification.objects.filter(user=user, read_at__isnull=True).count()
    return {"page_obj": page, "object_list": page.object_list, "query": {}, "unread": unread}


def notification_preferences(user: Any) -> dict[str, bool]:
    """Per kind of notification, whether ``user`` gets an e-mail copy (on unless turned off)."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return {kind: stored.get(kind, True) for kind in Notification.Kind.values}
