"""Writes for sessions and contacts. Notes are encrypted at rest by the model field and never
appear in the audit log: entries name the fields that changed, not their values."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, Session
from rightpath.cases.selectors.sessions import case_team_users
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import save_versioned

from .plan import require_section

SESSION_FIELDS = ["type", "provider", "held_on", "duration_minutes", "notes"]
MIN_MINUTES, MAX_MINUTES = 1, 600


def _clean(case: Case, values: dict[str, Any]) -> None:
    errors: dict[str, str] = {}
    if values["type"] not in Session.Type.values:
        errors["type"] = _("Choose the type of contact from the list.")
    provider = values["provider"]
    if provider is None:
        errors["provider"] = _("Choose who provided the session.")
    elif not case_team_users(case).filter(pk=provider.pk).exists():
        errors["provider"] = _("The provider must be a member of the case team.")
    held_on: date | None = values["held_on"]
    if held_on is None:
        errors["held_on"] = _("Enter the date of the session.")
    elif held_on > timezone.localdate():
        errors["held_on"] = _("The date of a session cannot be in the future.")
    minutes = values["duration_minutes"]
    if minutes is None or not (MIN_MINUTES <= minutes <= MAX_MINUTES):
        errors["duration_minutes"] = _("The duration must be between %(min)d and %(max)d minutes.") % {
            "min": MIN_MINUTES,
            "max": MAX_MINUTES,
        }
    if errors:
        raise ValidationError(errors)


def session_create(
    case: Case,
    *,
    actor: User,
    type: str,
    provider: User | None,
    held_on: date | None,
    duration_minutes: int | None,
    notes: str = "",
) -> Session:
    """Log a session or contact with the person; the provider is a team member (usually the actor)."""
    require_section(actor, case, Section.SESSIONS)
    with transaction.atomic():
        values = {
            "type": type,
            "provider": provider,
            "held_on": held_on,
            "duration_minutes": duration_minutes,
            "notes": notes,
        }
        _clean(case, values)
        session = Session.objects.create(case=case, organisation_id=provider.organisation_id, **values)
        record(
            events.CREATED,
            actor=actor,
            target=session,
            data={"case": str(case.code), "section": Section.SESSIONS, "fields": [k for k, v in values.items() if v]},
        )
        return session


def session_update(session: Session, *, actor: User, expected_version: int, **fields: Any) -> Session:
    """Change a session; raises ``ConcurrentEditError`` if someone else saved it since it was read."""
    case = session.case
    require_section(actor, case, Section.SESSIONS)
    with transaction.atomic():
        new = {k: fields.get(k, getattr(session, k)) for k in SESSION_FIELDS}
        new["notes"] = new["notes"] or ""
        _clean(case, new)
        changed = [k for k in SESSION_FIELDS if getattr(session, k) != new[k]]
        for k in changed:
            setattr(session, k, new[k])
        if "provider" in changed and session.organisation_id != session.provider.organisation_id:
            session.organisation_id = session.provider.organisation_id
            changed.append("organisation")
        save_versioned(session, expected_version, changed)
        record(
            events.UPDATED,
            actor=actor,
            target=session,
            data={"case": str(case.code), "section": Section.SESSIONS, "fields": changed},
        )
        return session
