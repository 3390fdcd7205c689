"""My work: due reviews, overdue actions, referrals and transfers to answer, approvals to decide; only
the user's own cases; a query count that does not grow; and the daily "due" notifications."""

from __future__ import annotations

import importlib
import sys
import types
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import (
    Approval,
    Case,
    Notification,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    Transfer,
)
from rightpath.cases.policy import GRANTS, clear_cache, section_rights
from rightpath.cases.selectors.mywork import LIMIT, SECTION_PAGE_SIZE, cases_granting
from rightpath.cases.tasks import notify_due_items
from rightpath.cases.vocab import CaseRole

TODAY = timezone.localdate
MYWORK = "/cases/mywork/"


@pytest.fixture
def make_case(org: Any) -> Any:
    counter = {"n": 0}

    def make(lead: Any = None, **extra: Any) -> Case:
        counter["n"] += 1
        return Case.objects.create(
            reference=f"XK-2026-1{counter['n']:03d}",
            category="returnee",
            lead_organisation=lead or org,
            legal_basis="public_task",
            **extra,
        )

    return make


def review(case: Case, in_days: int, ago_days: int = 1) -> PlanReview:
    return PlanReview.objects.create(
        case=case,
        summary="Review",
        next_review_on=TODAY() + timedelta(days=in_days),
        reviewed_at=timezone.now() - timedelta(days=ago_days),
    )


def action(case: Case, organisation: Any, due_in: int, status: str = "planned", title: str = "x") -> PlanAction:
    goal = PlanGoal.objects.create(case=case, domain="housing", title="Housing")
    return PlanAction.objects.create(
        goal=goal,
        description=title,
        responsible_organisation=organisation,
        due_date=TODAY() + timedelta(days=due_in),
        status=status,
    )


def test_coordinator_sees_due_reviews_and_overdue_actions_of_their_cases_only(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, org: Any, other_org: Any
) -> None:
    me = make_user("coordinator")
    coordinated, worked_on, not_mine, police_case = make_case(), make_case(), make_case(), make_case()
    add_member(coordinated, me, CaseRole.COORDINATOR)
    add_member(worked_on, me, CaseRole.SOCIAL_WORKER)
    add_member(police_case, me, CaseRole.POLICE_LIAISON)
    review(coordinated, in_days=5)
    review(worked_on, in_days=-2, ago_days=30)
    review(worked_on, in_days=40, ago_days=1)  # the latest review decides: not due
    review(not_mine, in_days=1)
    review(police_case, in_days=1)  # a police liaison does not read the plan
    listed = [
        action(coordinated, other_org, -3, title="overdue on a case I coordinate"),
        action(worked_on, org, -1, title="overdue, given to my organisation"),
    ]
    action(worked_on, other_org, -1, title="someone else's on a case I do not coordinate")
    action(coordinated, org, -1, status="done", title="done")
    action(coordinated, org, 2, title="not yet due")
    action(not_mine, org, -5, title="not my case")
    action(police_case, org, -5, title="plan I cannot read")
    response = client_for(me).get(MYWORK)
    assert response.status_code == 200
    assert [c.pk for c in response.context["reviews"]["items"]] == [coordinated.pk]
    assert [a.pk for a in response.context["actions"]["items"]] == [a.pk for a in listed]
    body = response.content.decode()
    assert "not my case" not in body and "plan I cannot read" not in body
    entry = AuditEntry.objects.filter(event="data.read", actor_id=me.pk).latest("id")
    assert entry.data["section"] == "mywork"
    assert set(entry.data["cases"]) == {str(coordinated.code), str(worked_on.code)}


def test_emergency_access_does_not_bring_a_case_into_my_work(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any
) -> None:
    me = make_user("practitioner")
    case = make_case()
    add_member(case, me, CaseRole.BREAK_GLASS, justification="Crisis call at night")
    review(case, in_days=1)
    assert client_for(me).get(MYWORK).context["reviews"]["items"] == []


def test_coordinator_sees_referrals_and_transfers_addressed_to_their_organisation(
    client_for: Any, make_user: Any, make_case: Any, org: Any, other_org: Any, make_org: Any
) -> None:
    me = make_user("coordinator")
    theirs = make_case(lead=other_org)
    waiting = Referral.objects.create(
        case=theirs, from_organisation=other_org, to_organisation=org, service="Housing support"
    )
    Referral.objects.create(
        case=theirs, from_organisation=other_org, to_organisation=org, service="Answered", status="accepted"
    )
    Referral.objects.create(
        case=theirs, from_organisation=other_org, to_organisation=make_org("Third"), service="Elsewhere"
    )
    transfer = Transfer.objects.create(case=theirs, from_organisation=other_org, to_organisation=org)
    Transfer.objects.create(case=theirs, from_organisation=other_org, to_organisation=org, status="awaiting_approval")
    response = client_for(me).get(MYWORK)
    assert [r.pk for r in response.context["referrals"]["items"]] == [waiting.pk]
    assert [t.pk for t in response.context["transfers"]["items"]] == [transfer.pk]
    body = response.content.decode()
    assert "Housing support" in body
    # The receiving side is not on the case team: the links open the pages where it answers.
    assert f'href="/cases/referrals/{waiting.code}/answer/"' in body
    assert f'href="/cases/transfers/{transfer.code}/answer/"' in body
    assert client_for(me).get(f"/cases/referrals/{waiting.code}/answer/").status_code == 200


def test_practitioner_without_the_coordinator_role_sees_no_referrals(
    client_for: Any, make_user: Any, make_case: Any, org: Any, other_org: Any
) -> None:
    me = make_user("practitioner")
    Referral.objects.create(
        case=make_case(lead=other_org), from_organisation=other_org, to_organisation=org, service="Secret"
    )
    response = client_for(me).get(MYWORK)
    assert response.status_code == 200
    assert "referrals" not in response.context and "Secret" not in response.content.decode()


def test_supervisor_sees_approvals_waiting_for_them_but_not_their_own(
    client_for: Any, make_user: Any, make_case: Any, org: Any, other_org: Any
) -> None:
    supervisor, colleague = make_user("supervisor"), make_user("coordinator")
    case = make_case()
    waiting = Approval.objects.create(case=case, kind="plan", organisation=org, requested_by=colleague)
    Approval.objects.create(case=case, kind="closure", organisation=org, requested_by=supervisor)
    Approval.objects.create(case=case, kind="plan", organisation=org, requested_by=colleague, status="approved")
    Approval.objects.create(case=case, kind="plan", organisation=other_org, requested_by=colleague)
    response = client_for(supervisor).get(MYWORK)
    assert [a.pk for a in response.context["approvals"]["items"]] == [waiting.pk]
    assert "approvals" not in client_for(colleague).get(MYWORK).context


def test_user_without_case_work_roles_is_refused(client_for: Any, make_user: Any) -> None:
    assert client_for(make_user("editor")).get(MYWORK).status_code == 403


def test_my_work_is_in_the_navigation(client_for: Any, make_user: Any) -> None:
    body = client_for(make_user("practitioner")).get(MYWORK).content.decode()
    assert 'href="/cases/mywork/"' in body


@pytest.mark.parametrize("cases", [3, 30])
def test_my_work_query_count_does_not_grow_with_cases_actions_or_referrals(
    client_for: Any,
    make_user: Any,
    make_case: Any,
    add_member: Any,
    org: Any,
    other_org: Any,
    cases: int,
    django_assert_num_queries: Any,
) -> None:
    me, colleague = make_user("coordinator", "supervisor"), make_user("coordinator")
    for _ in range(cases):
        case = make_case()
        add_member(case, me, CaseRole.COORDINATOR)
        review(case, in_days=-1)
        action(case, org, -2)
        action(case, other_org, -2)
        theirs = make_case(lead=other_org)
        Referral.objects.create(case=theirs, from_organisation=other_org, to_organisation=org, service="Help")
        Transfer.objects.create(case=theirs, from_organisation=other_org, to_organisation=org)
        Approval.objects.create(case=case, kind="plan", organisation=org, requested_by=colleague)
    client = client_for(me)
    # Session, user, OTP device, roles, agreements, reviews, actions, referrals, transfers,
    # approvals, audit insert, session save with its two savepoint statements.
    with django_assert_num_queries(14):
        response = client.get(MYWORK)
    actions = response.context["actions"]
    assert len(actions["items"]) == min(2 * cases, LIMIT) and actions["total"] == 2 * cases
    assert actions["more"] is (2 * cases > LIMIT)
    assert len(response.context["referrals"]["items"]) == min(cases, LIMIT)
    assert response.context["referrals"]["total"] == cases


def test_each_section_shows_its_first_items_its_total_and_a_link_to_all_of_them(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, org: Any
) -> None:
    me = make_user("coordinator")
    for _ in range(LIMIT + 5):
        case = make_case()
        add_member(case, me, CaseRole.COORDINATOR)
        action(case, org, -2)
    review(case, in_days=1)
    response = client_for(me).get(MYWORK)
    assert len(response.context["actions"]["items"]) == LIMIT
    assert response.context["actions"]["total"] == LIMIT + 5
    body = response.content.decode()
    assert f'href="/cases/mywork/actions/">Show all {LIMIT + 5}</a>' in body
    # A section with no more than it shows has no such link.
    assert 'href="/cases/mywork/reviews/"' not in body
    entry = AuditEntry.objects.filter(event="data.read", actor_id=me.pk).latest("id")
    assert len(entry.data["cases"]) == LIMIT + 1  # the 20 actions' cases and the review's


def test_a_section_in_full_lists_every_item_a_page_at_a_time_and_audits_the_cases_shown(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, org: Any
) -> None:
    me = make_user("coordinator")
    cases = []
    for _ in range(SECTION_PAGE_SIZE + 3):
        case = make_case()
        add_member(case, me, CaseRole.COORDINATOR)
        action(case, org, -2, title=f"Action of {case.reference}")
        cases.append(case)
    client = client_for(me)
    first = client.get(f"{MYWORK}actions/")
    assert first.status_code == 200
    assert len(first.context["object_list"]) == SECTION_PAGE_SIZE
    assert first.context["page_obj"].paginator.count == SECTION_PAGE_SIZE + 3
    second = client.get(f"{MYWORK}actions/?page=2")
    assert len(second.context["object_list"]) == 3
    shown = {a.goal.case.pk for a in [*first.context["object_list"], *second.context["object_list"]]}
    assert shown == {c.pk for c in cases}
    assert f'href="/cases/{cases[0].code}/plan/#action-' in first.content.decode()
    entry = AuditEntry.objects.filter(event="data.read", actor_id=me.pk).latest("id")
    assert entry.data["section"] == "mywork" and entry.data["list"] == "actions" and entry.data["page"] == "2"
    assert len(entry.data["cases"]) == 3


def test_a_section_the_user_does_not_have_is_not_found(client_for: Any, make_user: Any) -> None:
    client = client_for(make_user("practitioner"))
    for section in ("referrals", "transfers", "approvals", "assessments", "unknown"):
        assert client.get(f"{MYWORK}{section}/").status_code == 404
    assert client.get(f"{MYWORK}reviews/").status_code == 200


def test_a_section_in_full_is_refused_without_case_work_roles(client_for: Any, make_user: Any) -> None:
    assert client_for(make_user("editor")).get(f"{MYWORK}reviews/").status_code == 403


@pytest.mark.parametrize("cases", [3, 30])
@pytest.mark.parametrize(
    ("section", "budget"),
    # Session, user, OTP device, roles, [agreements,] count, page, audit insert, session save with its
    # two savepoint statements.
    [("reviews", 11), ("actions", 11), ("referrals", 10), ("transfers", 10), ("approvals", 10)],
)
def test_a_section_in_full_costs_the_same_queries_whatever_the_number_of_items(
    client_for: Any,
    make_user: Any,
    make_case: Any,
    add_member: Any,
    org: Any,
    other_org: Any,
    cases: int,
    section: str,
    budget: int,
    django_assert_num_queries: Any,
) -> None:
    me, colleague = make_user("coordinator", "supervisor"), make_user("coordinator")
    for _ in range(cases):
        case = make_case()
        add_member(case, me, CaseRole.COORDINATOR)
        review(case, in_days=-1)
        action(case, org, -2)
        theirs = make_case(lead=other_org)
        Referral.objects.create(case=theirs, from_organisation=other_org, to_organisation=org, service="Help")
        Transfer.objects.create(case=theirs, from_organisation=other_org, to_organisation=org)
        Approval.objects.create(case=case, kind="plan", organisation=org, requested_by=colleague)
    client = client_for(me)
    with django_assert_num_queries(budget):
        response = client.get(f"{MYWORK}{section}/")
    assert response.context["page_obj"].paginator.count == cases


# --- the SQL case set agrees with the policy -----------------------------------------------------


@pytest.mark.parametrize("role", list(GRANTS))
@pytest.mark.parametrize("minor", [False, True])
def test_cases_granting_the_plan_agrees_with_the_policy(
    make_user: Any, make_case: Any, add_member: Any, role: str, minor: bool
) -> None:
    user = make_user("practitioner")
    case = make_case(is_minor=minor)
    add_member(case, user, role)
    expected = "plan" in section_rights(user, case)
    assert (case in cases_granting(user, "plan")) is expected


@pytest.mark.parametrize("categories", [["plan"], ["sessions"]])
def test_cases_granting_needs_an_agreement_covering_the_section_across_organisations(
    make_user: Any, make_case: Any, add_member: Any, agreement: Any, org: Any, other_org: Any, categories: list[str]
) -> None:
    outsider = make_user("practitioner", organisation=other_org)
    case = make_case()
    add_member(case, outsider, CaseRole.SOCIAL_WORKER)
    agreement(org, other_org, categories=categories)
    clear_cache(outsider)
    expected = "plan" in section_rights(outsider, case)
    assert expected is ("plan" in categories)
    assert (case in cases_granting(outsider, "plan")) is expected


# --- daily "due" notifications --------------------------------------------------------------------


@pytest.fixture
def notified(monkeypatch: Any) -> list[tuple[list[int], str, int | None]]:
    """Record every notify() call; use the real notify when it exists, a stand-in otherwise."""
    calls: list[tuple[list[int], str, int | None]] = []
    name = "rightpath.cases.services.notify"
    try:
        module = importlib.import_module(name)
        real = module.notify
    except ImportError:
        module = types.ModuleType(name)
        monkeypatch.setitem(sys.modules, name, module)
        real = None

    def spy(users: Any, kind: str, *, case: Any = None) -> Any:
        users = list(users)
        calls.append((sorted(u.pk for u in users), kind, case.pk if case else None))
        if real is not None:
            return real(users, kind, case=case)
        Notification.objects.bulk_create(Notification(user=u, kind=kind, case=case) for u in users)
        return None

    monkeypatch.setattr(module, "notify", spy, raising=False)
    return calls


def test_coordinators_are_told_once_a_day_about_due_reviews_and_actions(
    notified: list[Any], make_user: Any, make_case: Any, add_member: Any, org: Any
) -> None:
    coordinator, worker, former = make_user("coordinator"), make_user("practitioner"), make_user("coordinator")
    review_due, action_due, not_yet, closed = make_case(), make_case(), make_case(), make_case(phase="closed")
    for case in (review_due, action_due, not_yet, closed):
        add_member(case, coordinator, CaseRole.COORDINATOR)
        add_member(case, worker, CaseRole.SOCIAL_WORKER)
        add_member(case, former, CaseRole.COORDINATOR, removed_at=timezone.now())
    review(review_due, in_days=0)
    action(action_due, org, -4)
    review(not_yet, in_days=1)
    action(not_yet, org, 3)
    action(not_yet, org, -1, status="done")
    review(closed, in_days=-10)

    assert notify_due_items.enqueue().return_value == 2
    assert sorted((users, kind, case) for users, kind, case in notified) == sorted(
        [([coordinator.pk], "due", review_due.pk), ([coordinator.pk], "due", action_due.pk)]
    )
    # Later runs the same day tell nobody again.
    notified.clear()
    assert notify_due_items.enqueue().return_value == 0
    assert notified == []
    assert Notification.objects.filter(kind="due", user=coordinator).count() == 2


def test_notify_due_items_is_a_periodic_task() -> None:
    from rightpath.core import schedule

    assert ("rightpath.cases.tasks.notify_due_items", 3600) in schedule.PERIODIC
