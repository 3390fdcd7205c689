"""Writes for cases: opening a case with its encrypted identity, phase moves and closure, the case
team, and emergency (break-glass) access.

Every service asks the policy first, outside the transaction, so a denial's audit entry is never
rolled back; then validates, saves and audits in one transaction, and queues notifications for after
the commit. Audit entries name fields and pseudonymous codes, never decrypted identity values.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import visible
from rightpath.accounts.models import Organisation, User
from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.audit.services import record
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Identity,
    Notification,
    PhaseChange,
)
from rightpath.cases.policy import CASEWORK_ROLES, SectionRef, clear_cache
from rightpath.cases.selectors.case import active_memberships, partner_organisation_ids
from rightpath.cases.selectors.referrals import active_agreement
from rightpath.cases.vocab import CaseRole, Category, LegalBasis, Phase, Section
from rightpath.core.concurrency import ConcurrentEditError, save_versioned
from rightpath.core.fields import blind_index

from .notify import notify
from .referrals import record_disclosure, require

IDENTITY_FIELDS = ["given_names", "family_name", "birth_date", "identity_numbers", "addresses"]
NAME_MAX, TEXT_MAX, REASON_MAX, NOTE_MAX = 200, 2000, 2000, 5000
# Emergency access needs a real explanation, not "urgent".
JUSTIFICATION_MIN_LENGTH = 20
REFERENCE_ATTEMPTS = 5


def break_glass_not_found() -> str:
    """One message for unknown references and for cases out of reach: it must not tell them apart."""
    return _("There is no case with this reference that you could be given emergency access to.")


class PossibleDuplicate(Exception):
    """The person may already have a case led by the actor's organisation.

    ``references`` are the cases the actor is on the team of; ``others`` counts the ones they are
    not (their references are not shown). Other organisations' cases are never looked at.
    """

    def __init__(self, references: list[str], others: int):
        self.references = references
        self.others = others
        super().__init__("possible duplicate identity")


# --- opening a case -------------------------------------------------------------------------------


def identity_blind_index(given_names: str, family_name: str, birth_date: str) -> str:
    """The duplicate-check key of an identity: keyed hash of the normalised full name and birth date."""
    return blind_index(f"{given_names} {family_name}", birth_date or "")


def _birth_iso(birth_date: date | str | None) -> str:
    if not birth_date:
        return ""
    return birth_date.isoformat() if isinstance(birth_date, date) else str(birth_date)


def _clean_identity(values: dict[str, Any], errors: dict[str, str]) -> dict[str, str]:
    out = {k: (values.get(k) or "") for k in IDENTITY_FIELDS}
    out["birth_date"] = _birth_iso(values.get("birth_date"))
    for k in ("given_names", "family_name", "identity_numbers", "addresses"):
        out[k] = str(out[k]).strip()
    if not out["given_names"]:
        errors["given_names"] = _("Enter the person's given names.")
    if not out["family_name"]:
        errors["family_name"] = _("Enter the person's family name.")
    for k in ("given_names", "family_name"):
        if len(out[k]) > NAME_MAX:
            errors[k] = _("Keep this to %(max)d characters.") % {"max": NAME_MAX}
    for k in ("identity_numbers", "addresses"):
        if len(out[k]) > TEXT_MAX:
            errors[k] = _("Keep this to %(max)d characters.") % {"max": TEXT_MAX}
    if out["birth_date"] and out["birth_date"] > timezone.localdate().isoformat():
        errors["birth_date"] = _("The birth date cannot be in the future.")
    return out


def _possible_duplicates(actor: User, index: str) -> PossibleDuplicate | None:
    """Cases led by the actor's organisation whose identity has the same blind index."""
    case_ids = list(
        Identity.objects.filter(
            blind_index=index, case__lead_organisation_id=actor.organisation_id, case__anonymised_at__isnull=True
        ).values_list("case_id", flat=True)
    )
    if not case_ids:
        return None
    shown = sorted(
        visible(actor, "cases.case.view", Case.objects.filter(pk__in=case_ids)).values_list("reference", flat=True)
    )
    return PossibleDuplicate(shown, len(case_ids) - len(shown))


def next_reference(country: str, year: int, *, skip: int = 0) -> str:
    """The next free pseudonymous reference ``<COUNTRY>-<YEAR>-<sequence>`` (four digits at least)."""
    prefix = f"{country}-{year}-"
    taken = Case.objects.filter(reference__regex=rf"^{re.escape(prefix)}[0-9]+$").values_list("reference", flat=True)
    highest = max((int(ref[len(prefix) :]) for ref in taken), default=0)
    return f"{prefix}{highest + 1 + skip:04d}"


def _create_with_reference(country: str, **fields: Any) -> Case:
    """Create the case under the next reference; two coordinators opening cases at the same moment
    may pick the same one, so a collision is retried with the following number."""
    year = timezone.localdate().year
    attempt = 0
    while True:
        reference = next_reference(country, year, skip=attempt)
        try:
            with transaction.atomic():
                return Case.objects.create(reference=reference, **fields)
        except IntegrityError:
            attempt += 1
            # Only a taken reference is worth another try; any other integrity error is a real one.
            if attempt >= REFERENCE_ATTEMPTS or not Case.objects.filter(reference=reference).exists():
                raise


def case_open(
    *,
    actor: User,
    category: str,
    legal_basis: str,
    given_names: str,
    family_name: str,
    birth_date: date | str | None = None,
    identity_numbers: str = "",
    addresses: str = "",
    is_woman: bool = False,
    is_minor: bool = False,
    best_interests_note: str = "",
    legal_basis_note: str = "",
    confirm_duplicate: bool = False,
) -> Case:
    """Open a case for the actor's organisation (which leads it) from a referral or intake.

    The identity goes into its own encrypted record with a blind index; a person who may already
    have a case led by the same organisation raises ``PossibleDuplicate`` until the actor confirms.
    A minor's case needs a best-interests note; consent cannot be the legal basis under the
    law-enforcement regime. The case gets a pseudonymous reference, starts in the referral phase
    (recorded as a phase change), and the actor becomes its coordinator.
    """
    require(actor, "cases.case.create", None)
    lead: Organisation | None = actor.organisation
    with transaction.atomic():
        errors: dict[str, str] = {}
        if lead is None or not lead.is_active:
            raise ValidationError(_("Only a member of an active organisation can open a case."))
        if category not in Category.values:
            errors["category"] = _("Choose the category from the list.")
        best_interests_note = (best_interests_note or "").strip()
        if is_minor and not best_interests_note:
            errors["best_interests_note"] = _(
                "For a minor, write how the child's best interests are served: it is required."
            )
        if len(best_interests_note) > NOTE_MAX:
            errors["best_interests_note"] = _("Keep this to %(max)d characters.") % {"max": NOTE_MAX}
        if legal_basis not in LegalBasis.values:
            errors["legal_basis"] = _("Choose the legal basis from the list.")
        elif legal_basis == LegalBasis.CONSENT and lead.data_regime == Organisation.DataRegime.LAW_ENFORCEMENT:
            errors["legal_basis"] = _(
                "Your organisation works under the law-enforcement data-protection regime: consent cannot be "
                "the legal basis here, because it is rarely freely given in prison or on probation. Choose "
                "public task, legal obligation or court order, and record consent separately if the person gives it."
            )
        legal_basis_note = (legal_basis_note or "").strip()[:300]
        identity = _clean_identity(
            {
                "given_names": given_names,
                "family_name": family_name,
                "birth_date": birth_date,
                "identity_numbers": identity_numbers,
                "addresses": addresses,
            },
            errors,
        )
        if errors:
            raise ValidationError(errors)
        index = identity_blind_index(identity["given_names"], identity["family_name"], identity["birth_date"])
        if not confirm_duplicate:
            duplicate = _possible_duplicates(actor, index)
            if duplicate is not None:
                raise duplicate
        case = _create_with_reference(
            lead.country,
            category=category,
            is_woman=bool(is_woman),
            is_minor=bool(is_minor),
            best_interests_note=best_interests_note,
            lead_organisation=lead,
            legal_basis=legal_basis,
            legal_basis_note=legal_basis_note,
            created_by=actor,
        )
        Identity.objects.create(case=case, blind_index=index, **identity)
        CaseMembership.objects.create(
            case=case, user=actor, organisation=lead, role=CaseRole.COORDINATOR, added_by=actor
        )
        PhaseChange.objects.create(
            case=case, from_phase="", to_phase=Phase.REFERRAL, reason=_("Case opened."), changed_by=actor
        )
        record(
            events.CREATED,
            actor=actor,
            target=case,
            data={
                "section": Section.SUMMARY,
                "category": category,
                "legal_basis": legal_basis,
                "identity_fields": [k for k, v in identity.items() if v],
                "duplicate_confirmed": bool(confirm_duplicate),
            },
        )
        clear_cache(actor)
        return case


# --- identity -------------------------------------------------------------------------------------


def identity_save(
    case: Case, *, actor: User, expected_version: int, identity: Identity | None = None, **fields: Any
) -> Identity:
    """Change the case's identity record (or record it, when none exists); refresh its blind index.

    Raises ``ConcurrentEditError`` when someone else saved it since ``expected_version`` was read.
    """
    require(actor, "cases.section.write", SectionRef(case, Section.IDENTITY), target=case)
    with transaction.atomic():
        errors: dict[str, str] = {}
        values = _clean_identity(fields, errors)
        if errors:
            raise ValidationError(errors)
        index = identity_blind_index(values["given_names"], values["family_name"], values["birth_date"])
        if identity is None:
            if Identity.objects.filter(case=case).exists():
                raise ConcurrentEditError(Identity.objects.get(case=case))
            identity = Identity.objects.create(case=case, blind_index=index, **values)
            changed = [k for k, v in values.items() if v]
            event = events.CREATED
        else:
            changed = [k for k in IDENTITY_FIELDS if (getattr(identity, k) or "") != values[k]]
            for k in changed:
                setattr(identity, k, values[k])
            identity.blind_index = index
            save_versioned(identity, expected_version, [*changed, "blind_index"])
            event = events.UPDATED
        record(event, actor=actor, target=case, data={"section": Section.IDENTITY, "fields": changed})
        return identity


# --- phases and closure ---------------------------------------------------------------------------


def case_phase_change(
    case: Case,
    *,
    actor: User,
    expected_version: int,
    to_phase: str,
    reason: str,
    receiving_organisation: Organisation | None = None,
) -> Approval | None:
    """Move the case to ``to_phase`` with a reason (recorded as a phase change).

    Release preparation needs a receiving organisation (given here or already named). Closing a case
    whose lead organisation asks for approval creates a closure ``Approval`` and leaves the case open
    (returned); otherwise the case closes at once. Raises ``ConcurrentEditError`` when the case
    changed since ``expected_version`` was read.
    """
    require(actor, "cases.case.manage", case)
    with transaction.atomic():
        reason = (reason or "").strip()
        errors: dict[str, str] = {}
        if case.phase == Phase.CLOSED or case.closed_at is not None:
            raise ValidationError(_("This case is closed; its phase can no longer change."))
        if to_phase not in Phase.values:
            errors["to_phase"] = _("Choose the new phase from the list.")
        elif to_phase == case.phase:
            errors["to_phase"] = _("The case is already in this phase.")
        if not reason:
            errors["reason"] = _("Give the reason for the move: it is kept with the case's history.")
        elif len(reason) > REASON_MAX:
            errors["reason"] = _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX}
        receiving = receiving_organisation or case.receiving_organisation
        if receiving_organisation is not None and not receiving_organisation.is_active:
            errors["receiving_organisation"] = _("This organisation is no longer active; choose another one.")
        elif to_phase == Phase.RELEASE and receiving is None:
            errors["receiving_organisation"] = _(
                "Release preparation cannot start without a receiving organisation: name the organisation "
                "that will take the case over."
            )
        if errors:
            raise ValidationError(errors)
        lead = case.lead_organisation
        if to_phase == Phase.CLOSED and lead.approval_required:
            if Approval.objects.filter(case=case, kind=Approval.Kind.CLOSURE, status=Approval.Status.PENDING).exists():
                raise ValidationError(_("The closure of this case is already waiting for a supervisor's approval."))
            # Counts as an edit of the case: a concurrent phase move is caught.
            save_versioned(case, expected_version, [])
            approval = Approval.objects.create(
                case=case, kind=Approval.Kind.CLOSURE, organisation=lead, requested_by=actor, reason=reason
            )
            record(
                events.UPDATED,
                actor=actor,
                target=case,
                justification=reason,
                data={"section": Section.SUMMARY, "closure_requested": True, "approval": str(approval.code)},
            )
            _tell_supervisors(case, actor)
            return approval
        from_phase = case.phase
        fields = ["phase"]
        case.phase = to_phase
        if receiving_organisation is not None and receiving_organisation.pk != case.receiving_organisation_id:
            case.receiving_organisation = receiving_organisation
            fields.append("receiving_organisation")
        if to_phase == Phase.CLOSED:
            case.closed_at = timezone.now()
            fields.append("closed_at")
        save_versioned(case, expected_version, fields)
        PhaseChange.objects.create(case=case, from_phase=from_phase, to_phase=to_phase, reason=reason, changed_by=actor)
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={"section": Section.SUMMARY, "fields": fields, "from_phase": from_phase, "to_phase": to_phase},
        )
        return None


def _tell_supervisors(case: Case, actor: User) -> None:
    supervisors = User.objects.filter(
        organisation_id=case.lead_organisation_id, is_active=True, role_assignments__role=Role.SUPERVISOR
    ).exclude(pk=actor.pk)
    notify(list(supervisors.distinct()), Notification.Kind.APPROVAL, case=case)


def _closure_request_reason(case: Case, approval: Approval) -> str:
    """The coordinator's reason for asking to close, as recorded with the request (the approval's
    own ``reason`` holds the supervisor's decision once decided)."""
    entry = (
        AuditEntry.objects.filter(
            event=events.UPDATED, target_type="cases.case", target_id=str(case.code), data__approval=str(approval.code)
        )
        .order_by("-pk")
        .only("justification")
        .first()
    )
    return entry.justification if entry else ""


def case_close_after_approval(case: Case, *, approval: Approval, actor: User | None = None) -> Case:
    """Close ``case`` once a supervisor approved its closure (``approval``, already saved as approved).

    Called by the approvals service inside its transaction, after it checked that its actor may
    decide; no policy check here. Records the phase change (by the coordinator who asked, with their
    reason and the supervisor's) and audits it. Closing an already closed case changes nothing.
    """
    if approval.kind != Approval.Kind.CLOSURE or approval.case_id != case.pk:
        raise ValueError("not a closure approval of this case")
    if approval.status != Approval.Status.APPROVED:
        raise ValueError("the closure has not been approved")
    with transaction.atomic():
        current = Case.objects.select_for_update().get(pk=case.pk)
        if current.phase == Phase.CLOSED:
            return current
        now = timezone.now()
        Case.objects.filter(pk=case.pk).update(
            phase=Phase.CLOSED, closed_at=now, version=F("version") + 1, updated_at=now
        )
        requested = _closure_request_reason(case, approval)
        reason = requested or _("Closure approved by a supervisor.")
        if approval.reason:
            reason = f"{reason}\n{_('Supervisor')}: {approval.reason}"
        PhaseChange.objects.create(
            case=case,
            from_phase=current.phase,
            to_phase=Phase.CLOSED,
            reason=reason,
            changed_by_id=approval.requested_by_id,
            changed_at=now,
        )
        record(
            events.UPDATED,
            actor=actor or approval.decided_by,
            target=case,
            data={
                "section": Section.SUMMARY,
                "fields": ["phase", "closed_at"],
                "from_phase": current.phase,
                "to_phase": Phase.CLOSED,
                "approval": str(approval.code),
            },
        )
        case.phase, case.closed_at, case.version = Phase.CLOSED, now, current.version + 1
        return case


# --- the case team --------------------------------------------------------------------------------

TEAM_ROLES = [r.value for r in CaseRole if r != CaseRole.BREAK_GLASS]


def team_member_add(case: Case, *, actor: User, user: User | None, role: str) -> CaseMembership:
    """Add ``user`` to the case team in a case role (the lead coordinator does this).

    The user must be an active case worker of the lead organisation, or of an organisation with an
    active information-sharing agreement with it (the disclosure is logged against that agreement);
    never a platform administrator or a service account. On a minor's case every role may be given:
    the policy narrows what each role sees.
    """
    require(actor, "cases.team.manage", case)
    with transaction.atomic():
        if role not in TEAM_ROLES:
            raise ValidationError({"role": _("Choose the case role from the list.")})
        if user is None:
            raise ValidationError({"user": _("Choose the person to add from the search results.")})
        if user.is_service_account or not user.is_active or user.organisation_id is None:
            raise ValidationError({"user": _("Only an active person's account can join a case team.")})
        if user.is_platform_admin:
            raise ValidationError({"user": _("A platform administrator runs the system and never joins a case team.")})
        if not user.has_role(*CASEWORK_ROLES):
            raise ValidationError(
                {"user": _("Only case workers (coordinators, practitioners, assessors, supervisors) join case teams.")}
            )
        agreement = None
        if user.organisation_id != case.lead_organisation_id:
            agreement = active_agreement(user.organisation_id, case.lead_organisation_id)
            if agreement is None:
                raise ValidationError(
                    {
                        "user": _(
                            "%(org)s has no active information-sharing agreement with %(lead)s, which leads "
                            "this case. A member from another organisation can be added only under one."
                        )
                        % {"org": user.organisation.name, "lead": case.lead_organisation.name}
                    }
                )
        if active_memberships(user).filter(case=case, role=role).exists():
            raise ValidationError({"role": _("This person already has this role on the case team.")})
        membership = CaseMembership.objects.create(
            case=case, user=user, organisation_id=user.organisation_id, role=role, added_by=actor
        )
        record(
            events.CREATED,
            actor=actor,
            target=case,
            data={
                "section": Section.SUMMARY,
                "team": "added",
                "member": str(user.code),
                "role": role,
                "membership": membership.pk,
                "agreement": str(agreement.code) if agreement else None,
            },
        )
        if agreement is not None:
            record_disclosure(
                actor=actor, case=case, to=user.organisation, what="case team membership", agreement=agreement
            )
        clear_cache(user)
        return membership


def team_member_remove(membership: CaseMembership, *, actor: User) -> CaseMembership:
    """Take a member off the case team: their access ends at once (the row stays, for the history).

    The case's last coordinator of the lead organisation cannot be removed, so someone can still
    manage the case.
    """
    case = membership.case
    require(actor, "cases.team.manage", case)
    with transaction.atomic():
        if membership.removed_at is not None:
            raise ValidationError(_("This person was already removed from the team."))
        if membership.role == CaseRole.COORDINATOR and membership.organisation_id == case.lead_organisation_id:
            now = timezone.now()
            others = (
                CaseMembership.objects.filter(
                    case=case,
                    role=CaseRole.COORDINATOR,
                    organisation_id=case.lead_organisation_id,
                    removed_at__isnull=True,
                    valid_from__lte=now,
                )
                .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
                .exclude(pk=membership.pk)
            )
            if not others.exists():
                raise ValidationError(
                    _("This is the case's only coordinator. Add another coordinator first, then remove this one.")
                )
        now = timezone.now()
        updated = CaseMembership.objects.filter(pk=membership.pk, removed_at__isnull=True).update(
            removed_at=now, removed_by=actor
        )
        if not updated:
            raise ValidationError(_("This person was already removed from the team."))
        membership.removed_at, membership.removed_by = now, actor
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={
                "section": Section.SUMMARY,
                "team": "removed",
                "member": str(membership.user.code),
                "role": membership.role,
                "membership": membership.pk,
            },
        )
        clear_cache(membership.user)
        return membership


# --- emergency access -----------------------------------------------------------------------------


def _reachable_case(actor: User, reference: str) -> Case | None:
    """The case with exactly ``reference`` led by the actor's organisation or a partner under an
    active agreement; ``None`` otherwise (unknown and unreachable look the same)."""
    if actor.organisation_id is None:
        return None
    return (
        Case.objects.select_related("lead_organisation")
        .filter(reference=reference, anonymised_at__isnull=True)
        .filter(
            Q(lead_organisation_id=actor.organisation_id)
            | Q(lead_organisation_id__in=partner_organisation_ids(actor.organisation_id))
        )
        .first()
    )


def _break_glass_recipients(case: Case) -> list[User]:
    """The case's coordinators and the lead organisation's data-protection officers."""
    now = timezone.now()
    coordinators = (
        CaseMembership.objects.filter(
            case=case,
            role=CaseRole.COORDINATOR,
            removed_at__isnull=True,
            valid_from__lte=now,
            organisation_id=F("user__organisation_id"),
        )
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
        .values("user_id")
    )
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=coordinators) | Q(organisation_id=case.lead_organisation_id, role_assignments__role=Role.DPO))
        .distinct()
    )


def break_glass_request(*, actor: User, reference: str, justification: str) -> CaseMembership:
    """Give ``actor`` time-limited, read-only emergency access to the case with ``reference``.

    The case must be led by the actor's organisation or a partner under an active agreement; any
    other reference gets the same "no such case" answer as an unknown one (and the attempt is
    audited). The access lasts ``BREAK_GLASS_HOURS``, is audited as emergency access with the
    justification, and the case's coordinators and the lead organisation's data-protection officers
    are notified. The lead coordinator reviews it afterwards.
    """
    require(actor, "cases.break_glass", None)
    reference = (reference or "").strip().upper()
    justification = (justification or "").strip()
    if len(justification) < JUSTIFICATION_MIN_LENGTH:
        raise ValidationError(
            {
                "justification": _(
                    "Explain why you need emergency access in at least %(min)d characters: the coordinator and "
                    "the data-protection officer will read it."
                )
                % {"min": JUSTIFICATION_MIN_LENGTH}
            }
        )
    if len(justification) > REASON_MAX:
        raise ValidationError(
            {"justification": _("Keep the justification to %(max)d characters.") % {"max": REASON_MAX}}
        )
    case = _reachable_case(actor, reference) if reference else None
    if case is None:
        # Outside the transaction: the refused attempt stays in the audit log.
        record(
            events.ACCESS_DENIED,
            actor=actor,
            data={"action": "cases.break_glass", "reason": "no reachable case", "reference": reference[:32]},
        )
        raise ValidationError({"reference": break_glass_not_found()})
    with transaction.atomic():
        existing = active_memberships(actor).filter(case=case).order_by("-valid_from").first()
        if existing is not None:
            # Already on the team (or already in emergency access): nothing new to grant.
            return existing
        now = timezone.now()
        membership = CaseMembership.objects.create(
            case=case,
            user=actor,
            organisation_id=actor.organisation_id,
            role=CaseRole.BREAK_GLASS,
            valid_from=now,
            valid_until=now + timedelta(hours=settings.BREAK_GLASS_HOURS),
            justification=justification,
            added_by=actor,
        )
        record(
            events.BREAK_GLASS,
            actor=actor,
            target=case,
            justification=justification,
            data={
                "section": Section.SUMMARY,
                "membership": membership.pk,
                "valid_until": membership.valid_until.isoformat(),
            },
        )
        if actor.organisation_id != case.lead_organisation_id:
            record_disclosure(
                actor=actor,
                case=case,
                to=actor.organisation,
                what="emergency access",
                agreement=active_agreement(actor.organisation_id, case.lead_organisation_id),
            )
        notify(_break_glass_recipients(case), Notification.Kind.BREAK_GLASS, case=case)
        clear_cache(actor)
        return membership


def break_glass_review(membership: CaseMembership, *, actor: User) -> CaseMembership:
    """The lead coordinator marks an emergency access as reviewed (after checking its justification)."""
    case = membership.case
    require(actor, "cases.team.manage", case)
    with transaction.atomic():
        if membership.role != CaseRole.BREAK_GLASS:
            raise ValidationError(_("Only emergency access is reviewed."))
        now = timezone.now()
        updated = CaseMembership.objects.filter(pk=membership.pk, reviewed_at__isnull=True).update(
            reviewed_at=now, reviewed_by=actor
        )
        if not updated:
            raise ValidationError(_("This emergency access was already reviewed."))
        membership.reviewed_at, membership.reviewed_by = now, actor
        record(
            events.UPDATED,
            actor=actor,
            target=case,
            data={"section": Section.SUMMARY, "team": "break_glass_reviewed", "membership": membership.pk},
        )
        return membership
