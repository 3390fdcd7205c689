"""Writes for the individual plan: goals per life domain, actions, periodic reviews and approval.

Every service checks the policy first (outside the transaction, so a denial's audit entry stays),
then validates, saves and audits in one transaction. Edits use optimistic locking
(``save_versioned``): a concurrent edit raises ``ConcurrentEditError`` and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.accounts.models import Organisation, User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Approval, Case, Conference, PlanAction, PlanGoal, PlanReview
from rightpath.cases.policy import SectionRef
from rightpath.cases.vocab import LifeDomain, Section
from rightpath.core.concurrency import save_versioned

GOAL_FIELDS = ["domain", "title", "description", "strengths", "status"]
ACTION_FIELDS = ["description", "responsible_organisation", "due_date", "status"]

# A plan can be (re)submitted from these statuses; one awaiting approval cannot be submitted twice.
SUBMITTABLE = (Case.PlanStatus.DRAFT, Case.PlanStatus.RETURNED, Case.PlanStatus.APPROVED)


def require_section(actor: User, case: Case, section: str, *, write: bool = True) -> None:
    """Refuse (and audit the refusal) unless ``actor`` may read or write ``section`` of ``case``.

    Called before any transaction opens, so the denial's audit entry is never rolled back.
    """
    action = "cases.section.write" if write else "cases.section.read"
    decision = can(actor, action, SectionRef(case, section))
    if not decision:
        record(
            events.ACCESS_DENIED,
            actor=actor,
            target=case,
            data={"action": action, "section": section, "reason": decision.reason},
        )
        raise PermissionDenied(decision.reason)


def check_organisation(organisation: Organisation | None, field: str = "responsible_organisation") -> None:
    """A responsible organisation must be named and still active on the platform."""
    if organisation is None:
        raise ValidationError({field: _("Choose the organisation responsible for this action.")})
    if not organisation.is_active:
        raise ValidationError({field: _("This organisation is no longer active; choose another one.")})


def check_new_due_date(due_date: date | None, field: str = "due_date") -> None:
    """A due date being set now cannot lie in the past."""
    if due_date is not None and due_date < timezone.localdate():
        raise ValidationError({field: _("The due date cannot be in the past.")})


def _completed_at(action: PlanAction, new_status: str) -> Any:
    if new_status == PlanAction.Status.DONE:
        return action.completed_at or timezone.now()
    return None


# --- goals ---------------------------------------------------------------------------------------


def _clean_goal(domain: str, title: str, status: str) -> None:
    errors: dict[str, str] = {}
    if domain not in LifeDomain.values:
        errors["domain"] = _("Choose a life domain from the list.")
    if not (title or "").strip():
        errors["title"] = _("Describe the goal in a few words.")
    if status not in PlanGoal.Status.values:
        errors["status"] = _("Choose a status from the list.")
    if errors:
        raise ValidationError(errors)


def plan_goal_create(
    case: Case,
    *,
    actor: User,
    domain: str,
    title: str,
    description: str = "",
    strengths: str = "",
    status: str = PlanGoal.Status.OPEN,
) -> PlanGoal:
    """Add a goal in one life domain to the case's plan."""
    require_section(actor, case, Section.PLAN)
    with transaction.atomic():
        _clean_goal(domain, title, status)
        goal = PlanGoal.objects.create(
            case=case,
            domain=domain,
            title=title.strip(),
            description=description,
            strengths=strengths,
            status=status,
            created_by=actor,
        )
        record(events.CREATED, actor=actor, target=goal, data={"case": str(case.code), "section": Section.PLAN})
        return goal


def plan_goal_update(goal: PlanGoal, *, actor: User, expected_version: int, **fields: Any) -> PlanGoal:
    """Change a goal; raises ``ConcurrentEditError`` if someone else saved it since it was read."""
    require_section(actor, goal.case, Section.PLAN)
    with transaction.atomic():
        new = {k: fields.get(k, getattr(goal, k)) for k in GOAL_FIELDS}
        _clean_goal(new["domain"], new["title"], new["status"])
        new["title"] = new["title"].strip()
        changed = [k for k in GOAL_FIELDS if getattr(goal, k) != new[k]]
        for k in changed:
            setattr(goal, k, new[k])
        save_versioned(goal, expected_version, changed)
        record(
            events.UPDATED,
            actor=actor,
            target=goal,
            data={"case": str(goal.case.code), "section": Section.PLAN, "fields": changed},
        )
        return goal


# --- actions -------------------------------------------------------------------------------------


def _clean_action(description: str, organisation: Organisation | None, status: str) -> None:
    errors: dict[str, str] = {}
    if not (description or "").strip():
        errors["description"] = _("Describe the action.")
    if status not in PlanAction.Status.values:
        errors["status"] = _("Choose a status from the list.")
    if errors:
        raise ValidationError(errors)
    check_organisation(organisation)


def plan_action_create(
    goal: PlanGoal,
    *,
    actor: User,
    description: str,
    responsible_organisation: Organisation | None,
    due_date: date | None,
    status: str = PlanAction.Status.PLANNED,
    conference: Conference | None = None,
) -> PlanAction:
    """Add an action to a goal, with the organisation responsible for it and a due date."""
    require_section(actor, goal.case, Section.PLAN)
    with transaction.atomic():
        _clean_action(description, responsible_organisation, status)
        check_new_due_date(due_date)
        action = PlanAction(
            goal=goal,
            description=description.strip(),
            responsible_organisation=responsible_organisation,
            due_date=due_date,
            status=status,
            conference=conference,
        )
        action.completed_at = _completed_at(action, status)
        action.save()
        record(events.CREATED, actor=actor, target=action, data={"case": str(goal.case.code), "section": Section.PLAN})
        return action


def plan_action_update(action: PlanAction, *, actor: User, expected_version: int, **fields: Any) -> PlanAction:
    """Change an action; a changed due date cannot lie in the past; ``done`` stamps the completion time."""
    case = action.goal.case
    require_section(actor, case, Section.PLAN)
    with transaction.atomic():
        new = {k: fields.get(k, getattr(action, k)) for k in ACTION_FIELDS}
        _clean_action(new["description"], new["responsible_organisation"], new["status"])
        new["description"] = new["description"].strip()
        if new["due_date"] != action.due_date:
            check_new_due_date(new["due_date"])
        changed = [k for k in ACTION_FIELDS if getattr(action, k) != new[k]]
        for k in changed:
            setattr(action, k, new[k])
        completed_at = _completed_at(action, action.status)
        if completed_at != action.completed_at:
            action.completed_at = completed_at
            changed.append("completed_at")
        save_versioned(action, expected_version, changed)
        record(
            events.UPDATED,
            actor=actor,
            target=action,
            data={"case": str(case.code), "section": Section.PLAN, "fields": changed},
        )
        return action


# --- reviews -------------------------------------------------------------------------------------


def plan_review_create(case: Case, *, actor: User, summary: str, next_review_on: date | None) -> PlanReview:
    """Record a periodic review of the plan and when the next one is due (a date in the future)."""
    require_section(actor, case, Section.PLAN)
    with transaction.atomic():
        errors: dict[str, str] = {}
        if not (summary or "").strip():
            errors["summary"] = _("Summarise what the review found.")
        if next_review_on is None:
            errors["next_review_on"] = _("Enter the date of the next review.")
        elif next_review_on <= timezone.localdate():
            errors["next_review_on"] = _("The next review must be on a date in the future.")
        if errors:
            raise ValidationError(errors)
        review = PlanReview.objects.create(
            case=case, reviewed_by=actor, summary=summary.strip(), next_review_on=next_review_on
        )
        record(
            events.CREATED,
            actor=actor,
            target=("cases.planreview", review.pk),
            data={"case": str(case.code), "section": Section.PLAN},
        )
        return review


# --- approval ------------------------------------------------------------------------------------


def _set_plan_status(case: Case, status: str, *, expected: tuple[str, ...] | None = None) -> bool:
    # A conditional UPDATE of the status alone: two submissions at once cannot both succeed, and
    # editing the case's details elsewhere (its version) is not disturbed by a plan decision.
    qs = Case.objects.filter(pk=case.pk)
    if expected is not None:
        qs = qs.filter(plan_status__in=expected)
    updated = qs.update(plan_status=status, updated_at=timezone.now())
    if updated:
        case.plan_status = status
    return bool(updated)


def plan_submit(case: Case, *, actor: User) -> Case:
    """Submit the plan: a supervisor of the lead organisation approves it where that organisation
    asks for approval; otherwise the plan counts as approved at once."""
    require_section(actor, case, Section.PLAN)
    with transaction.atomic():
        if not PlanGoal.objects.filter(case=case).exists():
            raise ValidationError(_("Add at least one goal before submitting the plan."))
        needs_approval = case.lead_organisation.approval_required
        new_status = Case.PlanStatus.AWAITING_APPROVAL if needs_approval else Case.PlanStatus.APPROVED
        if not _set_plan_status(case, new_status, expected=SUBMITTABLE):
            raise ValidationError(_("The plan is already waiting for a supervisor's approval."))
        approval = None
        if needs_approval:
            approval = Approval.objects.create(
                case=case, kind=Approval.Kind.PLAN, organisation=case.lead_organisation, requested_by=actor
            )
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={
                "section": Section.PLAN,
                "fields": ["plan_status"],
                "plan_status": new_status,
                "approval": str(approval.code) if approval else "",
            },
        )
        return case


def plan_apply_approval(case: Case, *, approved: bool, actor: User | None = None) -> Case:
    """Apply a supervisor's decision to the plan: ``approved`` or ``returned`` for changes.

    Called by the approvals service inside its own transaction, after it has checked that the
    actor may decide; this function does not check the policy again.
    """
    status = Case.PlanStatus.APPROVED if approved else Case.PlanStatus.RETURNED
    with transaction.atomic():
        _set_plan_status(case, status)
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={"section": Section.PLAN, "fields": ["plan_status"], "plan_status": status},
        )
    return case
