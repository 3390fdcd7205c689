"""Writes for referrals: a case team refers the person to another organisation for a service.

Status: sent → accepted or declined (with a reason) → completed; the sender may withdraw. The
receiving organisation sees only the referral (service, message, case reference, category, sender)
until it accepts, and is not on the case team. Accepting may add the accepting coordinator to the
team, but only under an active information-sharing agreement between their organisation and the
case's lead organisation; without one the referral is accepted without team membership.

Every disclosure to another organisation is logged (``events.DISCLOSURE``) against the agreement or
consent that allowed it. Status changes are conditional updates (``… WHERE status = 'sent'``), so
two coordinators answering at once cannot both succeed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, CaseMembership, Consent, Referral, SharingAgreement
from rightpath.cases.policy import SectionRef, clear_cache
from rightpath.cases.selectors.referrals import active_agreement, active_consents, organisation_users_with_role
from rightpath.cases.vocab import CaseRole, Phase, Section

from .notify import notify
from .plan import require_section

SERVICE_MAX, MESSAGE_MAX, REASON_MAX = 300, 5000, 2000

# Case roles a coordinator of a receiving organisation may take when joining the team: the working
# roles, never the lead's coordination, a supervisor's read-everything, or emergency access.
JOINING_ROLES = [
    role
    for role in CaseRole
    if role not in (CaseRole.COORDINATOR, CaseRole.SUPERVISOR, CaseRole.BREAK_GLASS, CaseRole.ASSESSOR)
]


def require(actor: User, action: str, obj: Any, *, target: Any = None) -> None:
    """Refuse (and audit the refusal) unless the policy allows ``action`` on ``obj``.

    Called before any transaction opens, so the denial's audit entry is never rolled back.
    """
    decision = can(actor, action, obj)
    if not decision:
        record(
            events.ACCESS_DENIED,
            actor=actor,
            target=target if target is not None else obj,
            data={"action": action, "reason": decision.reason},
        )
        raise PermissionDenied(decision.reason)


def record_disclosure(
    *,
    actor: User | None,
    case: Case,
    to: Organisation,
    what: str,
    agreement: SharingAgreement | None,
    consent: Consent | None = None,
) -> None:
    """Log that information on ``case`` went to ``to``, against the agreement or consent that
    allowed it (both ``None`` when only the case's own legal basis covers the disclosure)."""
    record(
        events.DISCLOSURE,
        actor=actor,
        target=case,
        data={
            "to": str(to.code),
            "agreement": str(agreement.code) if agreement else None,
            "consent": str(consent.code) if consent else None,
            "what": what,
        },
    )


def tell(users: list[User], kind: str, case: Case) -> None:
    """Notify ``users`` in the current transaction: the in-app notification is part of the change,
    and ``notify`` queues the e-mail copy for after the commit."""
    if users:
        notify(users, kind, case=case)


def _case_is_open(case: Case) -> bool:
    return case.closed_at is None and case.phase != Phase.CLOSED


def _set_status(referral: Referral, expected: tuple[str, ...], **values: Any) -> bool:
    # A conditional UPDATE: of two answers given at once, only the first changes the row.
    values["updated_at"] = timezone.now()
    updated = Referral.objects.filter(pk=referral.pk, status__in=expected).update(version=F("version") + 1, **values)
    if updated:
        for key, value in values.items():
            setattr(referral, key, value)
        referral.version += 1
    return bool(updated)


def _audit(actor: User, referral: Referral, fields: list[str]) -> None:
    record(
        events.UPDATED,
        actor=actor,
        target=referral,
        data={
            "case": str(referral.case.code),
            "section": Section.REFERRALS,
            "fields": fields,
            "status": referral.status,
        },
    )


def referral_send(
    case: Case,
    *,
    actor: User,
    to_organisation: Organisation | None,
    service: str,
    message: str = "",
    consent: Consent | None = None,
) -> Referral:
    """Refer the person to another organisation for a service.

    Needs the right to change the case's referrals section. The receiving organisation's case
    coordinators are told; the disclosure (service, message, case reference and category) is logged
    against the active agreement between the two organisations, or the consent named, if any.
    """
    require_section(actor, case, Section.REFERRALS)
    with transaction.atomic():
        service, message = (service or "").strip(), (message or "").strip()
        errors: dict[str, str] = {}
        if to_organisation is None:
            errors["to_organisation"] = _("Choose the organisation you refer the person to.")
        elif not to_organisation.is_active:
            errors["to_organisation"] = _("This organisation is no longer active; choose another one.")
        elif to_organisation.pk == actor.organisation_id:
            errors["to_organisation"] = _("A referral goes to another organisation than your own.")
        if not service:
            errors["service"] = _("Say which service you ask for.")
        elif len(service) > SERVICE_MAX:
            errors["service"] = _("Keep the service to %(max)d characters.") % {"max": SERVICE_MAX}
        if len(message) > MESSAGE_MAX:
            errors["message"] = _("Keep the message to %(max)d characters.") % {"max": MESSAGE_MAX}
        if consent is not None and not active_consents(case).filter(pk=consent.pk).exists():
            errors["consent"] = _("Choose a consent of this case that is in force today.")
        if not _case_is_open(case):
            errors["__all__"] = _("This case is closed: no new referrals can be sent.")
        if errors:
            raise ValidationError(errors)
        assert to_organisation is not None  # for the type checker: validated above
        referral = Referral.objects.create(
            case=case,
            from_organisation_id=actor.organisation_id,
            to_organisation=to_organisation,
            service=service,
            message=message,
            sent_by=actor,
        )
        record(
            events.CREATED,
            actor=actor,
            target=referral,
            data={"case": str(case.code), "section": Section.REFERRALS, "to": str(to_organisation.code)},
        )
        record_disclosure(
            actor=actor,
            case=case,
            to=to_organisation,
            what="referral",
            agreement=active_agreement(actor.organisation_id, to_organisation),
            consent=consent,
        )
        tell(organisation_users_with_role(to_organisation, Role.COORDINATOR), "referral_received", case)
        return referral


@dataclass(frozen=True)
class Acceptance:
    """What accepting a referral did: the referral, and the team membership when one was made."""

    referral: Referral
    membership: CaseMembership | None
    agreement: SharingAgreement | None
    # True when joining the team was asked for but no agreement allowed it.
    needs_agreement: bool


def referral_accept(
    referral: Referral, *, actor: User, join_team: bool = False, case_role: str | None = None
) -> Acceptance:
    """Accept a referral addressed to the actor's organisation (case coordinators only).

    With ``join_team`` the actor joins the case team in ``case_role``, provided an active sharing
    agreement links their organisation with the case's lead organisation; otherwise the referral is
    accepted without membership (``needs_agreement`` says so). The sender is told.
    """
    require(actor, "cases.referral.answer", referral)
    case = referral.case
    with transaction.atomic():
        if join_team and case_role not in JOINING_ROLES:
            raise ValidationError({"case_role": _("Choose the case role you take on the team.")})
        now = timezone.now()
        if not _set_status(
            referral, (Referral.Status.SENT,), status=Referral.Status.ACCEPTED, answered_by=actor, answered_at=now
        ):
            raise ValidationError(_("This referral has already been answered or withdrawn."))
        _audit(actor, referral, ["status", "answered_by", "answered_at"])
        agreement = active_agreement(actor.organisation_id, case.lead_organisation_id) if join_team else None
        membership = None
        if join_team and agreement is not None:
            membership = _join_team(referral, actor=actor, role=str(case_role), agreement=agreement)
        if referral.sent_by_id and referral.sent_by.is_active:
            tell([referral.sent_by], "referral_answered", case)
        return Acceptance(referral, membership, agreement, needs_agreement=join_team and agreement is None)


def _join_team(referral: Referral, *, actor: User, role: str, agreement: SharingAgreement) -> CaseMembership:
    case = referral.case
    now = timezone.now()
    current = (
        CaseMembership.objects.filter(case=case, user=actor, removed_at__isnull=True, valid_from__lte=now)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .exclude(role=CaseRole.BREAK_GLASS)
        .first()
    )
    if current is not None:  # already on the team: nothing to add
        return current
    membership = CaseMembership.objects.create(
        case=case,
        user=actor,
        organisation_id=actor.organisation_id,
        role=role,
        added_by=actor,
        justification=_("Accepted the referral for: %(service)s") % {"service": referral.service},
    )
    record(
        events.CREATED,
        actor=actor,
        target=("cases.casemembership", membership.pk),
        data={"case": str(case.code), "role": role, "referral": str(referral.code)},
    )
    # The team member now reads the case under the agreement: that is a disclosure to their organisation.
    record_disclosure(actor=actor, case=case, to=actor.organisation, what="case_team", agreement=agreement)
    clear_cache(actor)
    return membership


def referral_decline(referral: Referral, *, actor: User, reason: str) -> Referral:
    """Decline a referral addressed to the actor's organisation; the reason is required and kept."""
    require(actor, "cases.referral.answer", referral)
    with transaction.atomic():
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for declining the referral.")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX}})
        if not _set_status(
            referral,
            (Referral.Status.SENT,),
            status=Referral.Status.DECLINED,
            decline_reason=reason,
            answered_by=actor,
            answered_at=timezone.now(),
        ):
            raise ValidationError(_("This referral has already been answered or withdrawn."))
        _audit(actor, referral, ["status", "decline_reason", "answered_by", "answered_at"])
        if referral.sent_by_id and referral.sent_by.is_active:
            tell([referral.sent_by], "referral_answered", referral.case)
        return referral


def referral_complete(referral: Referral, *, actor: User) -> Referral:
    """Mark an accepted referral as completed: by the receiving organisation's coordinator (who
    delivered the service) or by a case team member who may change the referrals section."""
    case = referral.case
    if not can(actor, "cases.referral.answer", referral):
        require_section(actor, case, Section.REFERRALS)
    with transaction.atomic():
        if not _set_status(
            referral, (Referral.Status.ACCEPTED,), status=Referral.Status.COMPLETED, completed_at=timezone.now()
        ):
            raise ValidationError(_("Only an accepted referral can be marked as completed."))
        _audit(actor, referral, ["status", "completed_at"])
        return referral


def referral_withdraw(referral: Referral, *, actor: User) -> Referral:
    """Withdraw a referral that is not finished: by the person who sent it or the case's lead
    coordinator, who must still be able to change the referrals section."""
    case = referral.case
    require_section(actor, case, Section.REFERRALS)
    if referral.sent_by_id != actor.pk:
        require(actor, "cases.case.manage", case)
    with transaction.atomic():
        if not _set_status(
            referral, (Referral.Status.SENT, Referral.Status.ACCEPTED), status=Referral.Status.WITHDRAWN
        ):
            raise ValidationError(_("Only a referral waiting for an answer or accepted can be withdrawn."))
        _audit(actor, referral, ["status"])
        return referral


def can_withdraw(actor: User, referral: Referral) -> bool:
    """Whether the referral page offers the actor to withdraw (the service checks again)."""
    if referral.status not in (Referral.Status.SENT, Referral.Status.ACCEPTED):
        return False
    if not can(actor, "cases.section.write", SectionRef(referral.case, Section.REFERRALS)):
        return False
    return referral.sent_by_id == actor.pk or bool(can(actor, "cases.case.manage", referral.case))
