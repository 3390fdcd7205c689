"""Writes for lead transfers: the hand-over of a case from prison to probation to the community.

The lead organisation's case coordinator starts a transfer through a hand-over checklist whose
required items must all be ticked. Where the lead organisation asks for approval, a supervisor
approves it first (``Approval`` of kind transfer); then the receiving organisation's coordinators are
told and one of them accepts or declines (with a reason). On acceptance the receiving organisation
becomes the lead, the accepting coordinator joins the team as its coordinator, and the previous
lead's members stay on the team: from then on they see the case only under an active agreement,
which is the policy's business. The receiving side then sees the whole history, as the new lead.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Approval, Case, CaseMembership, PhaseChange, Transfer
from rightpath.cases.policy import clear_cache
from rightpath.cases.selectors.referrals import OPEN_TRANSFER, active_agreement, organisation_users_with_role
from rightpath.cases.vocab import CaseRole, Phase, Section

from .referrals import REASON_MAX, record_disclosure, require, tell

NOTE_MAX = 5000


class ChecklistItem(NamedTuple):
    key: str
    label: Any
    required: bool


# The hand-over checklist: nothing is lost between prison, probation and the community.
CHECKLIST: list[ChecklistItem] = [
    ChecklistItem("release_date", gettext_lazy("Release date confirmed"), True),
    ChecklistItem("plan_shared", gettext_lazy("Individual plan reviewed and shared"), True),
    ChecklistItem("assessment_current", gettext_lazy("Risk and needs assessment up to date"), True),
    ChecklistItem("officer_named", gettext_lazy("Receiving officer named"), True),
    ChecklistItem("housing", gettext_lazy("Housing arranged or referred"), True),
    ChecklistItem("identity_documents", gettext_lazy("Identity documents checked"), True),
    ChecklistItem("family_informed", gettext_lazy("Family informed (if appropriate)"), False),
    ChecklistItem("sharing_basis", gettext_lazy("Consent or legal basis for sharing recorded"), True),
]
CHECKLIST_KEYS = [item.key for item in CHECKLIST]
# Phases a case may move into when the receiving organisation takes the lead. Not release
# preparation: it needs a receiving organisation named, and taking over the lead clears it.
PHASES_ON_ACCEPT = [p for p in Phase if p not in (Phase.REFERRAL, Phase.RELEASE, Phase.CLOSED)]


def checklist_rows(checklist: dict[str, Any]) -> list[dict[str, Any]]:
    """The stored checklist as rows for a page: label, required, ticked."""
    return [{"label": i.label, "required": i.required, "done": bool(checklist.get(i.key))} for i in CHECKLIST]


def _set_status(transfer: Transfer, expected: tuple[str, ...], **values: Any) -> bool:
    # A conditional UPDATE: an answer, an approval and a cancellation cannot overtake each other.
    values["updated_at"] = timezone.now()
    updated = Transfer.objects.filter(pk=transfer.pk, status__in=expected).update(version=F("version") + 1, **values)
    if updated:
        for key, value in values.items():
            setattr(transfer, key, value)
        transfer.version += 1
    return bool(updated)


def _audit(actor: User | None, transfer: Transfer, fields: list[str]) -> None:
    record(
        events.UPDATED,
        actor=actor,
        target=transfer,
        data={
            "case": str(transfer.case.code),
            "section": Section.REFERRALS,
            "fields": fields,
            "status": transfer.status,
        },
    )


def _announce(transfer: Transfer, *, actor: User | None) -> None:
    """The receiving organisation now learns of the transfer: log the disclosure and tell its coordinators."""
    record_disclosure(
        actor=actor,
        case=transfer.case,
        to=transfer.to_organisation,
        what="transfer",
        agreement=active_agreement(transfer.from_organisation_id, transfer.to_organisation_id),
    )
    tell(
        organisation_users_with_role(transfer.to_organisation_id, Role.COORDINATOR), "transfer_to_accept", transfer.case
    )


def transfer_start(
    case: Case,
    *,
    actor: User,
    to_organisation: Organisation | None,
    checklist: list[str] | dict[str, Any],
    note: str = "",
) -> Transfer:
    """Start handing the lead over to ``to_organisation`` (the lead coordinator only).

    ``checklist`` names the ticked items (or maps item → ticked); every required item must be
    ticked, else nothing changes. The transfer waits for a supervisor's approval where the lead
    organisation asks for it, otherwise for the receiving organisation.
    """
    require(actor, "cases.case.manage", case)
    with transaction.atomic():
        # Lock the case row so two hand-overs started at once cannot both pass the "one at a time" check.
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
        ticked = set(checklist if not isinstance(checklist, dict) else [k for k, v in checklist.items() if v])
        note = (note or "").strip()
        errors: dict[str, Any] = {}
        if to_organisation is None:
            errors["to_organisation"] = _("Choose the organisation that takes over the lead.")
        elif not to_organisation.is_active:
            errors["to_organisation"] = _("This organisation is no longer active; choose another one.")
        elif to_organisation.pk == case.lead_organisation_id:
            errors["to_organisation"] = _("The lead goes to another organisation than the current lead.")
        unknown = ticked - set(CHECKLIST_KEYS)
        missing = [str(i.label) for i in CHECKLIST if i.required and i.key not in ticked]
        if unknown:
            errors["checklist"] = _("Unknown checklist items: %(items)s.") % {"items": ", ".join(sorted(unknown))}
        elif missing:
            errors["checklist"] = _("Complete the hand-over checklist before sending. Still open: %(items)s.") % {
                "items": "; ".join(missing)
            }
        if len(note) > NOTE_MAX:
            errors["note"] = _("Keep the hand-over note to %(max)d characters.") % {"max": NOTE_MAX}
        if case.closed_at is not None or case.phase == Phase.CLOSED:
            errors["__all__"] = _("This case is closed: its lead cannot be handed over.")
        elif Transfer.objects.filter(case=case, status__in=OPEN_TRANSFER).exists():
            errors["__all__"] = _("A hand-over of this case is already under way; cancel it before starting another.")
        if errors:
            raise ValidationError(errors)
        assert to_organisation is not None  # for the type checker: validated above
        needs_approval = case.lead_organisation.approval_required
        transfer = Transfer.objects.create(
            case=case,
            from_organisation_id=case.lead_organisation_id,
            to_organisation=to_organisation,
            checklist={key: key in ticked for key in CHECKLIST_KEYS},
            note=note,
            status=Transfer.Status.AWAITING_APPROVAL if needs_approval else Transfer.Status.PENDING,
            requested_by=actor,
        )
        record(
            events.CREATED,
            actor=actor,
            target=transfer,
            data={
                "case": str(case.code),
                "section": Section.REFERRALS,
                "to": str(to_organisation.code),
                "status": transfer.status,
            },
        )
        if needs_approval:
            Approval.objects.create(
                case=case,
                kind=Approval.Kind.TRANSFER,
                transfer=transfer,
                organisation_id=case.lead_organisation_id,
                requested_by=actor,
            )
            supervisors = [
                u for u in organisation_users_with_role(case.lead_organisation_id, Role.SUPERVISOR) if u.pk != actor.pk
            ]
            tell(supervisors, "approval", case)
        else:
            _announce(transfer, actor=actor)
        return transfer


def transfer_apply_approval(transfer: Transfer, *, approved: bool, actor: User) -> Transfer:
    """Apply a supervisor's decision: an approved transfer goes to the receiving organisation, a
    returned one is cancelled (the reason stays on the approval).

    Called by the approvals service inside its transaction, after it checked the supervisor's right.
    """
    new = Transfer.Status.PENDING if approved else Transfer.Status.CANCELLED
    if not _set_status(transfer, (Transfer.Status.AWAITING_APPROVAL,), status=new):
        raise ValidationError(_("This hand-over is no longer waiting for approval."))
    _audit(actor, transfer, ["status"])
    if approved:
        _announce(transfer, actor=actor)
    return transfer


def transfer_accept(transfer: Transfer, *, actor: User, phase: str | None = None) -> Transfer:
    """Take over the lead (a case coordinator of the receiving organisation).

    The receiving organisation becomes the lead and is no longer named as receiving; the actor joins
    the team as coordinator; the previous lead's members stay. With ``phase`` the case moves into it
    and the move is recorded.
    """
    require(actor, "cases.referral.answer", transfer)
    case = transfer.case
    with transaction.atomic():
        if phase and phase not in PHASES_ON_ACCEPT:
            raise ValidationError({"phase": _("Choose the phase the case moves into, or keep the current one.")})
        now = timezone.now()
        if not _set_status(
            transfer, (Transfer.Status.PENDING,), status=Transfer.Status.ACCEPTED, answered_by=actor, answered_at=now
        ):
            raise ValidationError(_("This hand-over is no longer waiting for an answer."))
        _audit(actor, transfer, ["status", "answered_by", "answered_at"])
        values: dict[str, Any] = {"lead_organisation_id": transfer.to_organisation_id, "receiving_organisation": None}
        moved = bool(phase) and phase != case.phase
        if moved:
            values["phase"] = phase
        # The lead changes only if it is still the organisation that handed it over.
        updated = Case.objects.filter(pk=case.pk, lead_organisation_id=transfer.from_organisation_id).update(
            version=F("version") + 1, updated_at=now, **values
        )
        if not updated:
            raise ValidationError(_("The case's lead changed since this hand-over was sent; it cannot be accepted."))
        old_phase = case.phase
        case.refresh_from_db()
        if moved:
            PhaseChange.objects.create(
                case=case,
                from_phase=old_phase,
                to_phase=str(phase),
                reason=_("Lead handed over from %(from)s to %(to)s.")
                % {"from": transfer.from_organisation.name, "to": transfer.to_organisation.name},
                changed_by=actor,
                changed_at=now,
            )
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={
                "section": Section.SUMMARY,
                "fields": list(values.keys()),
                "transfer": str(transfer.code),
                "from": str(transfer.from_organisation.code),
                "to": str(transfer.to_organisation.code),
                **({"phase": phase} if moved else {}),
            },
        )
        already = CaseMembership.objects.filter(
            case=case, user=actor, role=CaseRole.COORDINATOR, removed_at__isnull=True, valid_from__lte=now
        ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        if not already.exists():
            membership = CaseMembership.objects.create(
                case=case,
                user=actor,
                organisation_id=actor.organisation_id,
                role=CaseRole.COORDINATOR,
                added_by=actor,
                justification=_("Took over the lead of the case."),
            )
            record(
                events.CREATED,
                actor=actor,
                target=("cases.casemembership", membership.pk),
                data={"case": str(case.code), "role": CaseRole.COORDINATOR, "transfer": str(transfer.code)},
            )
        clear_cache(actor)
        transfer.case = case
        return transfer


def transfer_decline(transfer: Transfer, *, actor: User, reason: str) -> Transfer:
    """Decline to take over the lead; the reason is required. The case stays with its lead."""
    require(actor, "cases.referral.answer", transfer)
    with transaction.atomic():
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason for declining the hand-over.")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX}})
        if not _set_status(
            transfer,
            (Transfer.Status.PENDING,),
            status=Transfer.Status.DECLINED,
            decline_reason=reason,
            answered_by=actor,
            answered_at=timezone.now(),
        ):
            raise ValidationError(_("This hand-over is no longer waiting for an answer."))
        _audit(actor, transfer, ["status", "decline_reason", "answered_by", "answered_at"])
        return transfer


def transfer_cancel(transfer: Transfer, *, actor: User) -> Transfer:
    """Cancel a hand-over not yet accepted (the lead coordinator); a pending approval is withdrawn too."""
    require(actor, "cases.case.manage", transfer.case)
    with transaction.atomic():
        if not _set_status(transfer, OPEN_TRANSFER, status=Transfer.Status.CANCELLED):
            raise ValidationError(_("Only a hand-over that is still waiting can be cancelled."))
        _audit(actor, transfer, ["status"])
        # A request nobody needs to decide any more leaves the supervisors' queue, saying why.
        now = timezone.now()
        for approval in Approval.objects.filter(transfer=transfer, status=Approval.Status.PENDING):
            Approval.objects.filter(pk=approval.pk, status=Approval.Status.PENDING).update(
                status=Approval.Status.RETURNED,
                decided_by=actor,
                decided_at=now,
                reason=_("The hand-over was cancelled by the case coordinator."),
                version=F("version") + 1,
                updated_at=now,
            )
            record(
                events.UPDATED,
                actor=actor,
                target=approval,
                data={"case": str(transfer.case.code), "fields": ["status"], "status": Approval.Status.RETURNED},
            )
        return transfer
