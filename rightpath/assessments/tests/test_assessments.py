"""An assessment from start to sign-off, its locking, addenda, recommendations that become plan
goals, optimistic locking, what is (and is never) computed, auditing, and query budgets."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from rightpath.assessments import services
from rightpath.assessments.models import Assessment
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import PlanGoal
from rightpath.cases.vocab import CaseRole
from rightpath.core.concurrency import ConcurrentEditError

from .conftest import SMALL

NEXT = (timezone.localdate() + timedelta(days=90)).isoformat()


def _post_data(assessment: Assessment, **extra: Any) -> dict[str, Any]:
    data = {
        "version": assessment.version,
        "sources": "Interview on 3 March; prison file",
        "rating_A1": "yes",
        "evidence_A1": "Lives in a shelter.",
        "rating_A2": "partly",
        "evidence_A2": "Sister offers a room.",
        "level_of_concern": "moderate",
        "rationale": "Housing is the main need; the sister's support is a strength.",
        "next_review_on": NEXT,
    }
    data.update(extra)
    return data


def test_an_assessor_starts_rates_judges_and_signs_off_and_it_is_then_locked(
    client_for: Any, case: Any, assessor: Any, small: Any
) -> None:
    client = client_for(assessor)
    response = client.post(f"/assessments/cases/{case.code}/start/", {"instrument": small.pk})
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.instrument == small and assessment.status == "draft"
    edit = f"/assessments/cases/{case.code}/{assessment.code}/edit/"
    assert client.post(edit, _post_data(assessment)).status_code == 302
    assessment.refresh_from_db()
    assert assessment.ratings.get(item_key="A1").evidence == "Lives in a shelter."
    response = client.post(
        f"/assessments/cases/{case.code}/{assessment.code}/sign-off/", {"version": assessment.version}
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == "signed_off" and assessment.signed_off_by == assessor
    assert client.get(edit).status_code == 403
    with pytest.raises(PermissionDenied):
        services.assessment_update(
            assessment,
            actor=assessor,
            expected_version=assessment.version,
            sources="x",
            ratings={},
            level_of_concern="low",
            rationale="x",
            next_review_on=None,
        )
    events = list(AuditEntry.objects.filter(target_id=str(assessment.code)).values_list("event", flat=True))
    assert events.count("data.created") == 1 and "data.updated" in events and "assessments.signed_off" in events


def test_sign_off_requires_sources_every_rating_a_level_a_rationale_and_a_future_review(
    case: Any, assessor: Any, small: Any
) -> None:
    draft = services.assessment_start(case, actor=assessor, instrument=small)
    with pytest.raises(ValidationError) as exc:
        services.assessment_sign_off(draft, actor=assessor, expected_version=draft.version)
    assert set(exc.value.message_dict) == {"sources", "ratings", "level_of_concern", "rationale", "next_review_on"}
    services.assessment_update(
        draft,
        actor=assessor,
        expected_version=draft.version,
        sources="File",
        ratings={"A1": ("no", ""), "A2": ("yes", "")},
        level_of_concern="low",
        rationale="   ",
        next_review_on=timezone.localdate() + timedelta(days=30),
    )
    with pytest.raises(ValidationError) as exc:
        services.assessment_sign_off(draft, actor=assessor, expected_version=draft.version)
    assert list(exc.value.message_dict) == ["rationale"]


def test_a_concurrent_edit_shows_the_other_change_and_overwrites_nothing(
    client_for: Any, make_user: Any, case: Any, add_member: Any, assessor: Any, small: Any
) -> None:
    colleague = make_user("assessor")
    add_member(case, colleague, CaseRole.ASSESSOR)
    draft = services.assessment_start(case, actor=assessor, instrument=small)
    stale = draft.version
    url = f"/assessments/cases/{case.code}/{draft.code}/edit/"
    assert client_for(colleague).post(url, _post_data(draft, evidence_A1="Colleague's evidence")).status_code == 302
    response = client_for(assessor).post(url, _post_data(draft, version=stale, evidence_A1="My evidence"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Someone else saved this assessment while you were editing it" in body
    assert "Colleague&#x27;s evidence" in body or "Colleague's evidence" in body
    assert response.context["form"].data["version"] == stale + 1
    assert Assessment.objects.get().ratings.get(item_key="A1").evidence == "Colleague's evidence"


def test_signing_off_a_version_you_did_not_see_is_a_conflict(case: Any, assessor: Any, small: Any) -> None:
    draft = services.assessment_start(case, actor=assessor, instrument=small)
    with pytest.raises(ConcurrentEditError):
        services.assessment_sign_off(draft, actor=assessor, expected_version=draft.version + 5)


def test_spj_counts_are_information_only_and_the_judgement_is_never_prefilled(
    client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    draft = make_assessment(case, small, assessor, values={"A1": "yes", "A2": "yes"})
    client = client_for(assessor)
    page = client.get(f"/assessments/cases/{case.code}/{draft.code}/edit/")
    body = page.content.decode()
    assert "Counts (information only)" in body and "never used to fill in the judgement" in body
    assert page.context["counts"] == {"risk": 0, "protective": 1, "need": 1}
    form = page.context["form"]
    assert form.initial["level_of_concern"] == "" and form.initial["rationale"] == ""
    assert (
        'value="low" checked' not in body
        and 'value="moderate" checked' not in body
        and 'value="high" checked' not in body
    )
    assert "Screening result" not in body


def test_a_rule_based_result_is_shown_as_a_screening_result_never_as_a_judgement(
    client_for: Any, case: Any, assessor: Any, make_assessment: Any
) -> None:
    text = (
        SMALL.replace("key: small", "key: screen")
        .replace("kind: spj", "kind: rule_based")
        .replace('{value: "no", label: {en: "No"}}', '{value: "no", label: {en: "No"}, score: 0}')
        .replace("label: {en: Partly}, present: true}", "label: {en: Partly}, present: true, score: 1}")
        .replace('label: {en: "Yes"}, present: true}', 'label: {en: "Yes"}, present: true, score: 2}')
        + "screening:\n  bands:\n    - {from: 0, label: {en: No follow-up}}\n    - {from: 3, label: {en: Refer for a full assessment}}\n"
    )
    screen = services.instrument_load(actor=None, text=text, filename="screen.yaml").instrument
    signed = make_assessment(case, screen, assessor, signed=True, values={"A1": "yes", "A2": "partly"})
    page = client_for(assessor).get(f"/assessments/cases/{case.code}/{signed.code}/")
    body = page.content.decode()
    assert page.context["screening"] == {"total": 3, "band": "Refer for a full assessment", "complete": True}
    assert "Rule-based screening" in body and "A screening result is not a professional judgement" in body
    judgement = body.split('id="judgement-h"')[1].split("</section>")[0]
    assert "Refer for a full assessment" not in judgement
    assert "Counts (information only)" not in body


def test_addenda_are_dated_and_leave_the_signed_off_assessment_unchanged(
    client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    signed = make_assessment(case, small, assessor, signed=True)
    before = (signed.rationale, signed.version)
    client = client_for(assessor)
    response = client.post(
        f"/assessments/cases/{case.code}/{signed.code}/addenda/new/", {"text": "The sister moved abroad."}
    )
    assert response.status_code == 302
    signed.refresh_from_db()
    assert (signed.rationale, signed.version) == before
    addendum = signed.addenda.get()
    assert addendum.written_at.date() == timezone.localdate() and addendum.written_by == assessor
    assert "The sister moved abroad." in client.get(f"/assessments/cases/{case.code}/{signed.code}/").content.decode()
    draft = services.assessment_start(case, actor=assessor, instrument=small)
    with pytest.raises(PermissionDenied):
        services.addendum_add(draft, actor=assessor, text="x")


def test_a_recommendation_becomes_a_plan_goal_in_one_step_through_the_plan_service(
    client_for: Any, make_user: Any, case: Any, add_member: Any, small: Any
) -> None:
    user = make_user("assessor")
    add_member(case, user, CaseRole.PSYCHOLOGIST)
    draft = services.assessment_start(case, actor=user, instrument=small)
    client = client_for(user)
    client.post(
        f"/assessments/cases/{case.code}/{draft.code}/recommendations/new/",
        {"domain": "housing", "title": "Find a room near the sister", "description": "Ask the municipality."},
    )
    recommendation = draft.recommendations.get()
    url = f"/assessments/cases/{case.code}/{draft.code}/recommendations/{recommendation.code}/goal/"
    response = client.post(url)
    goal = PlanGoal.objects.get(case=case)
    assert response.status_code == 302 and response["Location"].endswith(f"#goal-{goal.code}")
    assert (goal.domain, goal.title, goal.created_by) == ("housing", "Find a room near the sister", user)
    recommendation.refresh_from_db()
    assert recommendation.plan_goal == goal
    client.post(url)
    assert PlanGoal.objects.filter(case=case).count() == 1


def test_an_assessor_without_write_on_the_plan_cannot_turn_recommendations_into_goals(
    case: Any, assessor: Any, small: Any
) -> None:
    draft = services.assessment_start(case, actor=assessor, instrument=small)
    recommendation = services.recommendation_add(draft, actor=assessor, domain="housing", title="A room")
    with pytest.raises(PermissionDenied):
        services.recommendation_to_goal(recommendation, actor=assessor)
    assert not PlanGoal.objects.exists()


def test_every_reading_is_audited(client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any) -> None:
    signed = make_assessment(case, small, assessor, signed=True)
    client = client_for(assessor)
    for url in (
        f"/assessments/cases/{case.code}/",
        f"/assessments/cases/{case.code}/{signed.code}/",
        f"/assessments/cases/{case.code}/change/",
    ):
        before = AuditEntry.objects.filter(event="data.read").count()
        assert client.get(url).status_code == 200
        assert AuditEntry.objects.filter(event="data.read").count() == before + 1


def test_change_over_time_shows_each_item_across_signed_off_assessments_as_a_chart_and_a_table(
    client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    make_assessment(case, small, assessor, signed=True, days_ago=200, values={"A1": "yes", "A2": "no"})
    make_assessment(case, small, assessor, signed=True, days_ago=100, values={"A1": "partly", "A2": "partly"})
    make_assessment(case, small, assessor, signed=True, days_ago=10, values={"A1": "no", "A2": "yes"})
    make_assessment(case, small, assessor)  # a draft is not part of the history
    page = client_for(assessor).get(f"/assessments/cases/{case.code}/change/")
    item = page.context["domains"][0]["items"][0]
    assert [p["label"] for p in item["points"]] == ["Yes", "Partly", "No"]
    body = page.content.decode()
    assert body.count('<svg role="img"') == 2 and "<polyline" in body
    assert "table alternative to the charts" in body
    assert "<script" not in body.split("<main")[1]


@pytest.mark.parametrize("count", [2, 6])
def test_list_page_query_budget(
    client_for: Any,
    case: Any,
    assessor: Any,
    small: Any,
    make_assessment: Any,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    for i in range(count):
        make_assessment(case, small, assessor, signed=bool(i % 2))
    client = client_for(assessor)
    url = f"/assessments/cases/{case.code}/"
    client.get(url)
    with django_assert_num_queries(9):
        response = client.get(url)
    assert len(response.context["assessments"]) == count


@pytest.mark.parametrize("recommendations", [1, 5])
def test_detail_page_query_budget(
    client_for: Any,
    case: Any,
    assessor: Any,
    demo_instrument: Any,
    make_assessment: Any,
    django_assert_num_queries: Any,
    recommendations: int,
) -> None:
    signed = make_assessment(case, demo_instrument, assessor, signed=True)
    for i in range(recommendations):
        signed.recommendations.create(domain="housing", title=f"Recommendation {i}")
        signed.addenda.create(text=f"Addendum {i}", written_by=assessor)
    client = client_for(assessor)
    url = f"/assessments/cases/{case.code}/{signed.code}/"
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["recommendations"]) == recommendations
