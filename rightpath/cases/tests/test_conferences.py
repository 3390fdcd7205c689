"""Case conferences: participants from the team, decisions required, action items that become plan
actions in one step (all or nothing), concurrent edits caught."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Conference, PlanAction, PlanGoal
from rightpath.cases.services import conferences as services
from rightpath.cases.vocab import CaseRole

TODAY = timezone.localdate


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def social_worker(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.SOCIAL_WORKER)
    return user


@pytest.fixture
def goal(case: Case) -> PlanGoal:
    return PlanGoal.objects.create(case=case, domain="family", title="Rebuild contact with the children")


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"code": case.code, **kwargs})


def post_data(coordinator: Any, participants: list[Any], items: list[dict[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "held_on": TODAY().isoformat(),
        "place": "Centre for social work, Prizren",
        "chair": coordinator.pk,
        "participants": [p.pk for p in participants],
        "other_participants": "Imam of the local mosque",
        "decisions": "Start family mediation; look for vocational training.",
        "items-TOTAL_FORMS": str(max(3, len(items))),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "20",
    }
    for n, item in enumerate(items):
        for key, value in item.items():
            data[f"items-{n}-{key}"] = value
    return data


def test_action_items_become_plan_actions_with_the_conference(
    client_for: Any, coordinator: Any, social_worker: Any, case: Case, goal: PlanGoal, org: Any
) -> None:
    due = (TODAY() + timedelta(days=14)).isoformat()
    items = [
        {
            "description": "Arrange supervised visits",
            "goal": str(goal.code),
            "responsible_organisation": org.pk,
            "due_date": due,
        },
        {
            "description": "Enrol in welding course",
            "domain": "employment",
            "responsible_organisation": org.pk,
            "due_date": due,
        },
        {
            "description": "Meet the employment office",
            "domain": "employment",
            "responsible_organisation": org.pk,
            "due_date": due,
        },
    ]
    response = client_for(coordinator).post(
        url("conference_create", case), post_data(coordinator, [social_worker], items)
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    conference = Conference.objects.get(case=case)
    assert list(conference.participants.all()) == [social_worker]
    assert conference.chair == coordinator
    actions = PlanAction.objects.filter(conference=conference).order_by("description")
    assert [a.description for a in actions] == [
        "Arrange supervised visits",
        "Enrol in welding course",
        "Meet the employment office",
    ]
    assert actions[0].goal == goal
    # One new goal per life domain collects that domain's items.
    new_goal = PlanGoal.objects.get(case=case, domain="employment")
    assert {a.goal_id for a in actions[1:]} == {new_goal.pk}
    assert AuditEntry.objects.filter(event="data.created", target_id=str(conference.code)).exists()


def test_one_bad_action_item_saves_nothing(
    client_for: Any, coordinator: Any, case: Case, goal: PlanGoal, org: Any
) -> None:
    items = [
        {
            "description": "Good item",
            "domain": "housing",
            "responsible_organisation": org.pk,
            "due_date": (TODAY() + timedelta(days=5)).isoformat(),
        },
        {
            "description": "Late item",
            "goal": str(goal.code),
            "responsible_organisation": org.pk,
            "due_date": (TODAY() - timedelta(days=5)).isoformat(),
        },
    ]
    response = client_for(coordinator).post(url("conference_create", case), post_data(coordinator, [], items))
    assert response.status_code == 200
    assert "The due date cannot be in the past." in response.content.decode()
    assert not Conference.objects.exists()
    assert not PlanAction.objects.exists()
    assert list(PlanGoal.objects.all()) == [goal]


def test_service_checks_every_item_before_writing_any(coordinator: Any, case: Case, org: Any) -> None:
    other = Case.objects.create(
        reference="XK-2026-0099", category="family", lead_organisation=org, legal_basis="public_task"
    )
    foreign = PlanGoal.objects.create(case=other, domain="family", title="Another case's goal")
    due = TODAY() + timedelta(days=3)
    with pytest.raises(ValidationError) as exc:
        services.conference_create(
            case,
            actor=coordinator,
            held_on=TODAY(),
            chair=coordinator,
            decisions="Decided",
            items=[
                {"description": "Fine", "domain": "housing", "responsible_organisation": org, "due_date": due},
                {
                    "description": "Wrong goal",
                    "goal": str(foreign.code),
                    "responsible_organisation": org,
                    "due_date": due,
                },
                {"description": "", "domain": "housing", "responsible_organisation": None, "due_date": None},
            ],
        )
    assert set(exc.value.error_dict) == {
        "item_1_goal",
        "item_2_description",
        "item_2_responsible_organisation",
        "item_2_due_date",
    }
    assert not Conference.objects.exists() and not PlanAction.objects.exists()
    assert PlanGoal.objects.filter(case=case).count() == 0


def test_decisions_are_required_and_the_date_cannot_be_in_the_future(
    client_for: Any, coordinator: Any, case: Case
) -> None:
    data = post_data(coordinator, [], [])
    data["decisions"] = ""
    data["held_on"] = (TODAY() + timedelta(days=2)).isoformat()
    response = client_for(coordinator).post(url("conference_create", case), data)
    assert response.status_code == 200
    assert not Conference.objects.exists()
    data["decisions"] = "Decided"
    response = client_for(coordinator).post(url("conference_create", case), data)
    assert "cannot be in the future" in response.content.decode()
    assert not Conference.objects.exists()


def test_participants_must_be_team_members(client_for: Any, coordinator: Any, make_user: Any, case: Case) -> None:
    outsider = make_user("practitioner")
    response = client_for(coordinator).post(url("conference_create", case), post_data(coordinator, [outsider], []))
    assert response.status_code == 200
    assert not Conference.objects.exists()


def test_police_liaison_reads_decisions_but_does_not_record_conferences(
    client_for: Any, make_user: Any, add_member: Any, coordinator: Any, case: Case, goal: PlanGoal, org: Any
) -> None:
    conference = services.conference_create(
        case,
        actor=coordinator,
        held_on=TODAY(),
        chair=coordinator,
        decisions="Weekly reporting to probation",
        items=[
            {
                "description": "Supervised visits",
                "goal": str(goal.code),
                "responsible_organisation": org,
                "due_date": TODAY(),
            }
        ],
    )
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    client = client_for(police)
    response = client.get(url("conference_detail", case, conference=conference.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Weekly reporting to probation" in body
    assert goal.title not in body  # the plan's goals stay hidden from a plan-status reader
    assert client.get(url("conference_create", case)).status_code == 403


def test_concurrent_conference_edit_shows_the_other_version_and_changes_nothing(
    client_for: Any, coordinator: Any, social_worker: Any, case: Case
) -> None:
    conference = services.conference_create(
        case, actor=coordinator, held_on=TODAY(), chair=coordinator, decisions="First"
    )
    services.conference_update(
        conference, actor=social_worker, expected_version=1, decisions="Corrected by the social worker"
    )
    data = post_data(coordinator, [], [])
    data.update({"decisions": "My stale decisions", "version": 1})
    response = client_for(coordinator).post(url("conference_edit", case, conference=conference.code), data)
    assert response.status_code == 200
    assert "Corrected by the social worker" in response.content.decode()
    conference.refresh_from_db()
    assert (conference.decisions, conference.version) == ("Corrected by the social worker", 2)


@pytest.mark.parametrize("rows", [2, 20])
def test_conference_list_query_count_does_not_grow(
    client_for: Any, coordinator: Any, social_worker: Any, case: Case, rows: int, django_assert_num_queries: Any
) -> None:
    for i in range(rows):
        c = Conference.objects.create(case=case, held_on=TODAY() - timedelta(days=i), chair=coordinator, decisions="d")
        c.participants.set([coordinator, social_worker])
    client = client_for(coordinator)
    with django_assert_num_queries(CONFERENCE_LIST_QUERIES):
        assert client.get(url("conference_list", case)).status_code == 200


# Session, user, OTP device, case, memberships, count, page, participants, audit insert, roles,
# session save with its savepoint.
CONFERENCE_LIST_QUERIES = 13
