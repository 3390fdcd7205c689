"""Writes for multi-agency case conferences. Action items agreed at a conference become plan actions
(under a chosen goal, or under a new goal per life domain) in the same transaction: every item is
checked first, and one bad item saves nothing at all."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from rightpath.accounts.models import Organisation, User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, Conference, PlanAction, PlanGoal
from rightpath.cases.selectors.sessions import case_team_users
from rightpath.cases.vocab import LifeDomain, Section
from rightpath.core.concurrency import save_versioned

from .plan import require_section

CONFERENCE_FIELDS = ["held_on", "place", "chair", "other_participants", "decisions"]


@dataclass
class _Item:
    description: str
    goal: PlanGoal | None
    domain: str
    responsible_organisation: Organisation
    due_date: date


def _clean_conference(case: Case, values: dict[str, Any], participants: list[User], errors: dict[str, Any]) -> None:
    held_on = values.get("held_on")
    if held_on is None:
        errors["held_on"] = _("Enter the date of the conference.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("Record a conference once it has been held: the date cannot be in the future.")
    if not (values.get("decisions") or "").strip():
        errors["decisions"] = _("Record what the conference decided.")
    team = set(case_team_users(case).values_list("pk", flat=True))
    chair = values.get("chair")
    if chair is None:
        errors["chair"] = _("Choose who chaired the conference.")
    elif chair.pk not in team:
        errors["chair"] = _("The chair must be a member of the case team.")
    outsiders = [u for u in participants if u.pk not in team]
    if outsiders:
        errors["participants"] = _(
            "Only case team members can be chosen as participants; name others under “other participants”."
        )


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _normalise_code(value: Any) -> str:
    """A goal code as the database spells it (lower-case with dashes), or the raw text if not a code."""
    text = str(value or "").strip()
    return str(uuid.UUID(text)) if text and _is_uuid(text) else text


def _clean_items(case: Case, items: list[dict[str, Any]], errors: dict[str, Any]) -> list[_Item]:
    wanted = {_normalise_code(raw.get("goal")) for raw in items} - {""}
    valid = [code for code in wanted if _is_uuid(code)]
    goals = {str(g.code): g for g in PlanGoal.objects.filter(case=case, code__in=valid)} if valid else {}
    today = timezone.localdate()
    cleaned: list[_Item] = []
    for n, raw in enumerate(items):
        key = f"item_{n}_"
        description = (raw.get("description") or "").strip()
        if not description:
            errors[key + "description"] = _("Describe the action item.")
        goal_code, domain = _normalise_code(raw.get("goal")), raw.get("domain") or ""
        goal = goals.get(goal_code)
        if goal_code and goal is None:
            errors[key + "goal"] = _("This goal is not part of the case's plan.")
        elif not goal_code and not domain:
            errors[key + "goal"] = _("Choose an existing goal or the life domain of a new goal.")
        elif goal_code and domain:
            errors[key + "domain"] = _("Choose either an existing goal or a life domain, not both.")
        elif domain and domain not in LifeDomain.values:
            errors[key + "domain"] = _("Choose a life domain from the list.")
        organisation = raw.get("responsible_organisation")
        if organisation is None:
            errors[key + "responsible_organisation"] = _("Choose the organisation responsible for this action.")
        elif not organisation.is_active:
            errors[key + "responsible_organisation"] = _("This organisation is no longer active; choose another one.")
        due_date = raw.get("due_date")
        if due_date is None:
            errors[key + "due_date"] = _("Enter the due date.")
        elif due_date < today:
            errors[key + "due_date"] = _("The due date cannot be in the past.")
        cleaned.append(_Item(description, goal, domain, organisation, due_date))
    return cleaned


def conference_create(
    case: Case,
    *,
    actor: User,
    held_on: date | None,
    chair: User | None,
    decisions: str,
    place: str = "",
    participants: list[User] | None = None,
    other_participants: str = "",
    items: list[dict[str, Any]] | None = None,
) -> Conference:
    """Record a case conference and turn its action items into plan actions, all or nothing.

    Each item is a dict with ``description``, ``goal`` (a goal's code) or ``domain`` (a life domain:
    one new goal per domain collects that domain's items), ``responsible_organisation`` and
    ``due_date``. Errors name their item: ``item_<n>_<field>``.
    """
    items = items or []
    participants = list(participants or [])
    require_section(actor, case, Section.CONFERENCES)
    if items:
        # Action items change the plan, so the actor must be allowed to write it too.
        require_section(actor, case, Section.PLAN)
    with transaction.atomic():
        values = {
            "held_on": held_on,
            "place": (place or "").strip(),
            "chair": chair,
            "other_participants": other_participants or "",
            "decisions": (decisions or "").strip(),
        }
        errors: dict[str, Any] = {}
        _clean_conference(case, values, participants, errors)
        cleaned = _clean_items(case, items, errors)
        if errors:
            raise ValidationError(errors)
        conference = Conference.objects.create(case=case, **values)
        conference.participants.set(participants)
        record(
            events.CREATED,
            actor=actor,
            target=conference,
            data={"case": str(case.code), "section": Section.CONFERENCES, "action_items": len(cleaned)},
        )
        new_goals: dict[str, PlanGoal] = {}
        for item in cleaned:
            goal = item.goal
            if goal is None:
                goal = new_goals.get(item.domain)
                if goal is None:
                    goal = PlanGoal.objects.create(
                        case=case,
                        domain=item.domain,
                        title=_("Agreed at the case conference of %(date)s")
                        % {"date": date_format(conference.held_on, "SHORT_DATE_FORMAT")},
                        created_by=actor,
                    )
                    new_goals[item.domain] = goal
                    record(
                        events.CREATED,
                        actor=actor,
                        target=goal,
                        data={"case": str(case.code), "section": Section.PLAN, "conference": str(conference.code)},
                    )
            action = PlanAction.objects.create(
                goal=goal,
                description=item.description,
                responsible_organisation=item.responsible_organisation,
                due_date=item.due_date,
                conference=conference,
            )
            record(
                events.CREATED,
                actor=actor,
                target=action,
                data={"case": str(case.code), "section": Section.PLAN, "conference": str(conference.code)},
            )
        return conference


def conference_update(
    conference: Conference, *, actor: User, expected_version: int, participants: list[User] | None = None, **fields: Any
) -> Conference:
    """Correct a conference record; raises ``ConcurrentEditError`` if someone else saved it first.

    Its action items live on in the plan and are changed there.
    """
    case = conference.case
    require_section(actor, case, Section.CONFERENCES)
    with transaction.atomic():
        new = {k: fields.get(k, getattr(conference, k)) for k in CONFERENCE_FIELDS}
        new["place"] = (new["place"] or "").strip()
        new["other_participants"] = new["other_participants"] or ""
        new["decisions"] = (new["decisions"] or "").strip()
        current = list(conference.participants.all())
        chosen = current if participants is None else list(participants)
        errors: dict[str, Any] = {}
        _clean_conference(case, new, chosen, errors)
        if errors:
            raise ValidationError(errors)
        changed = [k for k in CONFERENCE_FIELDS if getattr(conference, k) != new[k]]
        for k in changed:
            setattr(conference, k, new[k])
        # The version moves even when only the participants changed, so a concurrent edit is caught.
        save_versioned(conference, expected_version, changed)
        if {u.pk for u in chosen} != {u.pk for u in current}:
            conference.participants.set(chosen)
            changed.append("participants")
        record(
            events.UPDATED,
            actor=actor,
            target=conference,
            data={"case": str(case.code), "section": Section.CONFERENCES, "fields": changed},
        )
        return conference
