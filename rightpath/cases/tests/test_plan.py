"""The individual plan: goals per life domain, actions, reviews, approval; status-only readers;
optimistic locking; bad input changes nothing; query counts do not grow with the plan."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Approval, Case, PlanAction, PlanGoal, PlanReview
from rightpath.cases.services import plan as services
from rightpath.cases.vocab import CaseRole

TODAY = timezone.localdate


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def police(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.POLICE_LIAISON)
    return user


@pytest.fixture
def goal(case: Case, coordinator: Any) -> PlanGoal:
    return PlanGoal.objects.create(
        case=case, domain="housing", title="Find stable housing near the family", created_by=coordinator
    )


@pytest.fixture
def action(goal: PlanGoal, org: Any) -> PlanAction:
    return PlanAction.objects.create(
        goal=goal,
        description="Apply for municipal social housing",
        responsible_organisation=org,
        due_date=TODAY() + timedelta(days=30),
    )


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"code": case.code, **kwargs})


# --- reading -----------------------------------------------------------------------------------


def test_team_member_reads_the_plan_by_life_domain_and_the_reading_is_audited(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal, action: PlanAction
) -> None:
    response = client_for(coordinator).get(url("plan", case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Housing" in body and goal.title in body and action.description in body
    entry = AuditEntry.objects.filter(event="data.read", target_id=str(case.code)).latest("id")
    assert entry.data == {"section": "plan"}


def test_police_liaison_sees_the_plan_status_only(
    client_for: Any, police: Any, case: Case, goal: PlanGoal, action: PlanAction
) -> None:
    PlanGoal.objects.create(case=case, domain="housing", title="Second housing goal", status="achieved")
    response = client_for(police).get(url("plan", case))
    assert response.status_code == 200
    assert response.templates[0].name == "cases/plan_status.html"
    body = response.content.decode()
    assert goal.title not in body and "Second housing goal" not in body and action.description not in body
    assert response.context["domains"] == [
        {"label": "Housing", "total": 2, "statuses": [{"label": "Open", "n": 1}, {"label": "Achieved", "n": 1}]}
    ]
    assert response.context["plan_status"] == "Draft"
    entry = AuditEntry.objects.filter(event="data.read", target_id=str(case.code)).latest("id")
    assert entry.data == {"section": "plan_status"}


def test_partner_whose_agreement_covers_the_plan_but_not_its_status_reads_the_plan(
    client_for: Any,
    make_user: Any,
    add_member: Any,
    agreement: Any,
    org: Any,
    other_org: Any,
    case: Case,
    goal: PlanGoal,
) -> None:
    partner = make_user("practitioner", organisation=other_org)
    add_member(case, partner, CaseRole.SOCIAL_WORKER)
    agreement(org, other_org, categories=["plan"])
    response = client_for(partner).get(url("plan", case))
    assert response.status_code == 200
    assert goal.title in response.content.decode()


def test_partner_without_an_agreement_is_refused(
    client_for: Any, make_user: Any, add_member: Any, other_org: Any, case: Case
) -> None:
    partner = make_user("practitioner", organisation=other_org)
    add_member(case, partner, CaseRole.SOCIAL_WORKER)
    assert client_for(partner).get(url("plan", case)).status_code == 403
    assert AuditEntry.objects.filter(event="access.denied", actor_id=partner.pk).exists()


def test_police_liaison_cannot_change_the_plan(client_for: Any, police: Any, case: Case, goal: PlanGoal) -> None:
    client = client_for(police)
    assert client.get(url("plan_goal_create", case)).status_code == 403
    assert client.post(url("plan_goal_edit", case, goal=goal.code), {"title": "x"}).status_code == 403
    assert client.post(url("plan_submit", case)).status_code == 403
    assert AuditEntry.objects.filter(event="access.denied", actor_id=police.pk).count() == 3


def test_removed_member_gets_not_found(
    client_for: Any, make_user: Any, case: Case, add_member: Any, goal: PlanGoal
) -> None:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.SOCIAL_WORKER, removed_at=timezone.now())
    client = client_for(user)
    assert client.get(url("plan", case)).status_code == 404
    assert client.get(url("plan_goal_edit", case, goal=goal.code)).status_code == 404


def test_goal_of_another_case_is_not_found(
    client_for: Any, coordinator: Any, case: Case, org: Any, add_member: Any
) -> None:
    other = Case.objects.create(
        reference="XK-2026-0002", category="offender", lead_organisation=org, legal_basis="public_task"
    )
    add_member(other, coordinator, CaseRole.COORDINATOR)
    foreign = PlanGoal.objects.create(case=other, domain="family", title="Other case's goal")
    assert client_for(coordinator).get(url("plan_goal_edit", case, goal=foreign.code)).status_code == 404


# --- goals and actions ---------------------------------------------------------------------------


def test_coordinator_adds_a_goal_with_strengths(client_for: Any, coordinator: Any, case: Case) -> None:
    response = client_for(coordinator).post(
        url("plan_goal_create", case),
        {
            "domain": "employment",
            "title": "Vocational training as a welder",
            "strengths": "Skilled with hands",
            "status": "open",
        },
    )
    assert response.status_code == 302
    goal = PlanGoal.objects.get(case=case)
    assert (goal.domain, goal.strengths, goal.created_by) == ("employment", "Skilled with hands", coordinator)
    assert AuditEntry.objects.filter(event="data.created", target_id=str(goal.code)).exists()


def test_goal_without_a_title_is_refused(client_for: Any, coordinator: Any, case: Case) -> None:
    response = client_for(coordinator).post(
        url("plan_goal_create", case), {"domain": "employment", "title": "  ", "status": "open"}
    )
    assert response.status_code == 200
    assert not PlanGoal.objects.exists()


def test_action_with_a_due_date_in_the_past_is_refused(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal, org: Any
) -> None:
    response = client_for(coordinator).post(
        url("plan_action_create", case, goal=goal.code),
        {
            "description": "Register at the employment office",
            "responsible_organisation": org.pk,
            "due_date": (TODAY() - timedelta(days=1)).isoformat(),
            "status": "planned",
        },
    )
    assert response.status_code == 200
    assert "The due date cannot be in the past." in response.content.decode()
    assert not PlanAction.objects.exists()


def test_action_goes_to_any_active_organisation(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal, make_org: Any
) -> None:
    employment = make_org("Employment Agency", type="employment")
    retired = make_org("Closed NGO", type="ngo", is_active=False)
    client = client_for(coordinator)
    data = {
        "description": "Job-seeker registration",
        "due_date": (TODAY() + timedelta(days=7)).isoformat(),
        "status": "planned",
    }
    response = client.post(
        url("plan_action_create", case, goal=goal.code), {**data, "responsible_organisation": retired.pk}
    )
    assert response.status_code == 200 and not PlanAction.objects.exists()
    response = client.post(
        url("plan_action_create", case, goal=goal.code), {**data, "responsible_organisation": employment.pk}
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().responsible_organisation == employment


def test_marking_an_action_done_stamps_its_completion(coordinator: Any, action: PlanAction) -> None:
    services.plan_action_update(action, actor=coordinator, expected_version=action.version, status="done")
    action.refresh_from_db()
    assert action.status == "done" and action.completed_at is not None and action.version == 2


def test_concurrent_goal_edit_shows_the_other_version_and_changes_nothing(
    client_for: Any, coordinator: Any, make_user: Any, add_member: Any, case: Case, goal: PlanGoal
) -> None:
    colleague = make_user("practitioner")
    add_member(case, colleague, CaseRole.SOCIAL_WORKER)
    services.plan_goal_update(goal, actor=colleague, expected_version=1, title="Housing saved by the colleague")
    response = client_for(coordinator).post(
        url("plan_goal_edit", case, goal=goal.code),
        {"domain": "housing", "title": "My stale edit", "status": "open", "version": 1},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this record" in body and "Housing saved by the colleague" in body
    goal.refresh_from_db()
    assert (goal.title, goal.version) == ("Housing saved by the colleague", 2)
    assert response.context["form"]["version"].value() == 2  # saving again keeps the user's version


def test_concurrent_action_edit_shows_the_other_version_and_changes_nothing(
    client_for: Any, coordinator: Any, case: Case, action: PlanAction, org: Any
) -> None:
    services.plan_action_update(action, actor=coordinator, expected_version=1, status="in_progress")
    response = client_for(coordinator).post(
        url("plan_action_edit", case, action=action.code),
        {
            "description": "Stale description",
            "responsible_organisation": org.pk,
            "due_date": action.due_date.isoformat(),
            "status": "cancelled",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    action.refresh_from_db()
    assert (action.description, action.status, action.version) == (
        "Apply for municipal social housing",
        "in_progress",
        2,
    )


# --- reviews -------------------------------------------------------------------------------------


def test_review_with_a_next_date_in_the_past_is_refused(client_for: Any, coordinator: Any, case: Case) -> None:
    client = client_for(coordinator)
    for day in (TODAY() - timedelta(days=3), TODAY()):
        response = client.post(
            url("plan_review_create", case), {"summary": "Progress on housing", "next_review_on": day.isoformat()}
        )
        assert response.status_code == 200
        assert "The next review must be on a date in the future." in response.content.decode()
    assert not PlanReview.objects.exists()


def test_review_is_recorded_with_the_next_date(client_for: Any, coordinator: Any, case: Case) -> None:
    next_on = TODAY() + timedelta(days=90)
    response = client_for(coordinator).post(
        url("plan_review_create", case), {"summary": "Housing found; work next", "next_review_on": next_on.isoformat()}
    )
    assert response.status_code == 302
    review = PlanReview.objects.get(case=case)
    assert (review.next_review_on, review.reviewed_by) == (next_on, coordinator)


# --- approval ------------------------------------------------------------------------------------


def test_plan_is_approved_at_once_when_the_lead_needs_no_approval(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal
) -> None:
    response = client_for(coordinator).post(url("plan_submit", case))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.plan_status == "approved"
    assert not Approval.objects.exists()


def test_plan_waits_for_a_supervisor_where_the_lead_asks_for_approval(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal, org: Any
) -> None:
    org.approval_required = True
    org.save()
    client = client_for(coordinator)
    client.post(url("plan_submit", case))
    case.refresh_from_db()
    assert case.plan_status == "awaiting_approval"
    approval = Approval.objects.get()
    assert (approval.kind, approval.organisation, approval.requested_by, approval.status) == (
        "plan",
        org,
        coordinator,
        "pending",
    )
    # A second submission while one waits is refused and creates nothing.
    response = client.post(url("plan_submit", case), follow=True)
    assert "already waiting for a supervisor" in response.content.decode()
    assert Approval.objects.count() == 1


def test_an_empty_plan_cannot_be_submitted(coordinator: Any, case: Case) -> None:
    with pytest.raises(ValidationError):
        services.plan_submit(case, actor=coordinator)
    case.refresh_from_db()
    assert case.plan_status == "draft"


def test_approval_decision_sets_the_plan_status(case: Case) -> None:
    case.plan_status = "awaiting_approval"
    case.save()
    services.plan_apply_approval(case, approved=False)
    case.refresh_from_db()
    assert case.plan_status == "returned"
    services.plan_apply_approval(case, approved=True)
    case.refresh_from_db()
    assert case.plan_status == "approved"


def test_service_refuses_and_audits_a_reader_who_tries_to_write(make_user: Any, add_member: Any, case: Case) -> None:
    mentor = make_user("practitioner")
    add_member(case, mentor, CaseRole.MENTOR)
    with pytest.raises(PermissionDenied):
        services.plan_goal_create(case, actor=mentor, domain="family", title="x")
    assert not PlanGoal.objects.exists()
    assert AuditEntry.objects.filter(event="access.denied", actor_id=mentor.pk).exists()


# --- query budget --------------------------------------------------------------------------------


def _grow_plan(case: Case, org: Any, goals: int, actions_each: int) -> None:
    for i in range(goals):
        g = PlanGoal.objects.create(case=case, domain=["housing", "family", "employment"][i % 3], title=f"Goal {i}")
        for j in range(actions_each):
            PlanAction.objects.create(
                goal=g, description=f"Action {i}.{j}", responsible_organisation=org, due_date=TODAY()
            )
    PlanReview.objects.create(case=case, summary="Review", next_review_on=TODAY() + timedelta(days=10))


@pytest.mark.parametrize("goals,actions_each", [(1, 1), (12, 5)])
def test_plan_page_query_count_does_not_grow_with_the_plan(
    client_for: Any,
    coordinator: Any,
    case: Case,
    org: Any,
    goals: int,
    actions_each: int,
    django_assert_num_queries: Any,
) -> None:
    _grow_plan(case, org, goals, actions_each)
    client = client_for(coordinator)
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        assert client.get(url("plan", case)).status_code == 200


@pytest.mark.parametrize("goals", [1, 12])
def test_plan_status_page_query_count_does_not_grow_with_the_plan(
    client_for: Any, police: Any, case: Case, org: Any, goals: int, django_assert_num_queries: Any
) -> None:
    _grow_plan(case, org, goals, 2)
    client = client_for(police)
    with django_assert_num_queries(PLAN_STATUS_QUERIES):
        assert client.get(url("plan", case)).status_code == 200


# Session, user, OTP device, case, memberships, audit insert, goals, actions, reviews, pending
# approval, roles (navigation), session save (3 with its savepoint). Pinned exactly so an N+1 shows.
PLAN_PAGE_QUERIES = 14
# The same without goals, actions, reviews and approval, plus one grouped count of goals.
PLAN_STATUS_QUERIES = 11
