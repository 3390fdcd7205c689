"""Writes for consent records: per purpose, given by the person or a parent or guardian, withdrawn
but never deleted. For a minor, a parent or guardian must always be named."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, Consent
from rightpath.cases.vocab import Section
from rightpath.core.concurrency import save_versioned

from .plan import require_section


def consent_create(
    case: Case,
    *,
    actor: User,
    purpose: str,
    given_by: str,
    given_on: date | None,
    scope: str = "",
    guardian_name: str = "",
) -> Consent:
    """Record consent for one purpose. A guardian's name is required when a guardian gave it and for
    every minor: a minor's consent alone is refused."""
    require_section(actor, case, Section.CONSENT)
    with transaction.atomic():
        purpose, guardian_name = (purpose or "").strip(), (guardian_name or "").strip()
        errors: dict[str, str] = {}
        if not purpose:
            errors["purpose"] = _("Name the purpose the consent is for.")
        if given_by not in Consent.GivenBy.values:
            errors["given_by"] = _("Choose who gave the consent.")
        elif case.is_minor and given_by == Consent.GivenBy.PERSON and not guardian_name:
            errors["given_by"] = _(
                "This case is a minor's: consent given by the child alone is not enough. Name the parent or guardian who gave it; note the child's own view under scope."
            )
        elif not guardian_name and (case.is_minor or given_by == Consent.GivenBy.GUARDIAN):
            errors["guardian_name"] = _("Enter the name of the parent or guardian who gave consent.")
        if given_on is None:
            errors["given_on"] = _("Enter the date the consent was given.")
        elif given_on > timezone.localdate():
            errors["given_on"] = _("The date consent was given cannot be in the future.")
        if errors:
            raise ValidationError(errors)
        consent = Consent.objects.create(
            case=case,
            purpose=purpose,
            scope=scope or "",
            given_by=given_by,
            guardian_name=guardian_name,
            given_on=given_on,
            recorded_by=actor,
        )
        record(
            events.CREATED,
            actor=actor,
            target=consent,
            data={"case": str(case.code), "section": Section.CONSENT, "given_by": given_by},
        )
        return consent


def consent_withdraw(consent: Consent, *, actor: User, expected_version: int, withdrawn_on: date | None) -> Consent:
    """Record that consent was withdrawn (the record stays); raises ``ConcurrentEditError`` if the
    record changed since it was read."""
    case = consent.case
    require_section(actor, case, Section.CONSENT)
    with transaction.atomic():
        errors: dict[str, str] = {}
        if consent.withdrawn_on is not None:
            errors["withdrawn_on"] = _("This consent has already been withdrawn.")
        elif withdrawn_on is None:
            errors["withdrawn_on"] = _("Enter the date the consent was withdrawn.")
        elif withdrawn_on > timezone.localdate():
            errors["withdrawn_on"] = _("The date of withdrawal cannot be in the future.")
        elif withdrawn_on < consent.given_on:
            errors["withdrawn_on"] = _("Consent cannot be withdrawn before the date it was given.")
        if errors:
            raise ValidationError(errors)
        consent.withdrawn_on = withdrawn_on
        save_versioned(consent, expected_version, ["withdrawn_on"])
        record(
            events.UPDATED,
            actor=actor,
            target=consent,
            data={"case": str(case.code), "section": Section.CONSENT, "fields": ["withdrawn_on"]},
        )
        return consent
