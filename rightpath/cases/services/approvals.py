"""Writes for approvals: a supervisor approves or returns a plan, a lead transfer or a case closure.

Organisations that ask for it (``Organisation.approval_required``) route these three decisions
through a supervisor of their own, never the person who asked. The decision is applied by the part
that owns the record (the plan, the transfer, the case) inside the same transaction, and the
requester is told.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Approval

from .case import case_close_after_approval
from .plan import plan_apply_approval
from .referrals import REASON_MAX, require, tell
from .transfers import transfer_apply_approval


def approval_decide(approval: Approval, *, actor: User, approve: bool, reason: str = "") -> Approval:
    """Approve or return ``approval`` (a supervisor of its organisation, not the requester).

    A reason is required when returning. The plan is marked approved or returned; an approved
    transfer goes to the receiving organisation and a returned one is cancelled; an approved
    closure closes the case. Raises ``ValidationError`` when the approval was already decided.
    """
    require(actor, "cases.approval.decide", approval, target=approval)
    with transaction.atomic():
        reason = (reason or "").strip()
        if not approve and not reason:
            raise ValidationError({"reason": _("Give the reason for returning the request.")})
        if len(reason) > REASON_MAX:
            raise ValidationError({"reason": _("Keep the reason to %(max)d characters.") % {"max": REASON_MAX}})
        now = timezone.now()
        status = Approval.Status.APPROVED if approve else Approval.Status.RETURNED
        updated = Approval.objects.filter(pk=approval.pk, status=Approval.Status.PENDING).update(
            status=status, decided_by=actor, decided_at=now, reason=reason, version=F("version") + 1, updated_at=now
        )
        if not updated:
            raise ValidationError(_("This request has already been decided or withdrawn."))
        approval.status, approval.decided_by, approval.decided_at, approval.reason = status, actor, now, reason
        approval.version += 1
        record(
            events.UPDATED,
            actor=actor,
            target=approval,
            data={"case": str(approval.case.code), "kind": approval.kind, "fields": ["status"], "status": status},
        )
        case = approval.case
        if approval.kind == Approval.Kind.PLAN:
            plan_apply_approval(case, approved=approve, actor=actor)
        elif approval.kind == Approval.Kind.TRANSFER:
            if approval.transfer is None:
                raise ValidationError(_("This request names no hand-over."))
            transfer_apply_approval(approval.transfer, approved=approve, actor=actor)
        elif approval.kind == Approval.Kind.CLOSURE and approve:
            case_close_after_approval(case, approval=approval, actor=actor)
        if approval.requested_by_id and approval.requested_by.is_active:
            tell([approval.requested_by], "approval", case)
        return approval
