"""Reads for the data-protection officer's subject export: finding a case of their organisation by
reference, and gathering everything held on the person of one case.

``subject_case_find`` is narrowed in SQL by ``visible(user, "cases.subject.export", …)`` (cases led by
the officer's organisation). ``subject_data`` is called by the export task after the policy allowed
the export; it decrypts identity fields, session notes and guardians' names, so its result must only
ever go into the encrypted export files, never into logs, URLs or the audit log.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q
from django.utils import timezone

from rightpath.access.policy import visible
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Conference,
    Consent,
    Document,
    Identity,
    PhaseChange,
    PlanAction,
    PlanGoal,
    PlanReview,
    Referral,
    Session,
    Transfer,
)

EXPORT_FORMAT = "rightpath-subject-export"
EXPORT_VERSION = 1


def subject_case_find(*, actor: Any, reference: str) -> Case | None:
    """The case with this reference if the actor may export it (their organisation leads it), else None."""
    reference = (reference or "").strip().upper()
    if not reference:
        return None
    qs = Case.objects.filter(reference=reference).select_related("lead_organisation")
    return visible(actor, "cases.subject.export", qs).first()


def _when(value: Any) -> str | None:
    if value is None:
        return None
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return value.isoformat()


def _person(user: Any) -> dict[str, str] | None:
    if user is None:
        return None
    return {"name": user.get_full_name() or user.username, "username": user.username}


def _org(organisation: Any) -> str | None:
    return organisation.name if organisation is not None else None


def _case(case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "code": str(case.code),
        "category": case.category,
        "category_label": str(case.get_category_display()),
        "is_woman": case.is_woman,
        "is_minor": case.is_minor,
        "best_interests_note": case.best_interests_note,
        "lead_organisation": _org(case.lead_organisation),
        "receiving_organisation": _org(case.receiving_organisation),
        "phase": case.phase,
        "phase_label": str(case.get_phase_display()),
        "legal_basis": case.legal_basis,
        "legal_basis_label": str(case.get_legal_basis_display()),
        "legal_basis_note": case.legal_basis_note,
        "plan_status": case.plan_status,
        "plan_status_label": str(case.get_plan_status_display()),
        "opened_at": _when(case.opened_at),
        "closed_at": _when(case.closed_at),
        "anonymised_at": _when(case.anonymised_at),
        "created_by": _person(case.created_by),
    }


def _identity(identity: Identity | None) -> dict[str, Any] | None:
    if identity is None:
        return None
    return {
        "given_names": identity.given_names,
        "family_name": identity.family_name,
        "birth_date": identity.birth_date,
        "identity_numbers": identity.identity_numbers,
        "addresses": identity.addresses,
        "photo_document": str(identity.photo.code) if identity.photo else None,
        "recorded_at": _when(identity.created_at),
        "changed_at": _when(identity.updated_at),
    }


def _goal(goal: PlanGoal) -> dict[str, Any]:
    return {
        "domain": goal.domain,
        "domain_label": str(goal.get_domain_display()),
        "title": goal.title,
        "description": goal.description,
        "strengths": goal.strengths,
        "status": goal.status,
        "status_label": str(goal.get_status_display()),
        "created_at": _when(goal.created_at),
        "created_by": _person(goal.created_by),
        "actions": [
            {
                "description": a.description,
                "responsible_organisation": _org(a.responsible_organisation),
                "due_date": _when(a.due_date),
                "status": a.status,
                "status_label": str(a.get_status_display()),
                "completed_at": _when(a.completed_at),
                "from_conference": _when(a.conference.held_on) if a.conference else None,
            }
            for a in goal.actions.all()
        ],
    }


def _audit_entries(case: Case) -> list[dict[str, Any]]:
    code = str(case.code)
    entries = AuditEntry.objects.filter(Q(target_type="cases.case", target_id=code) | Q(data__case=code)).order_by("id")
    return [
        {
            "time": _when(e.created_at),
            "event": e.event,
            "event_label": events.label(e.event),
            "actor": e.actor_label,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "justification": e.justification,
            "data": e.data,
        }
        for e in entries.iterator(chunk_size=2000)
    ]


def subject_data(case: Case, *, actor: Any) -> dict[str, Any]:
    """Everything held on the person of ``case``, decrypted, as JSON-ready data.

    The case and identity, the team (past members included), phase changes, the plan with its
    actions and reviews, sessions with their notes, referrals, lead transfers, case conferences,
    consents, approvals, the documents' metadata with their SHA-256 (the files stay encrypted on
    the platform), and the audit entries about the case. A fixed number of queries, whatever the
    size of the case.
    """
    case = Case.objects.select_related("lead_organisation", "receiving_organisation", "created_by").get(pk=case.pk)
    identity = Identity.objects.filter(case=case).select_related("photo").first()
    memberships = CaseMembership.objects.filter(case=case).select_related(
        "user", "organisation", "added_by", "removed_by", "reviewed_by"
    )
    phase_changes = PhaseChange.objects.filter(case=case).select_related("changed_by").order_by("changed_at", "pk")
    goals = (
        PlanGoal.objects.filter(case=case)
        .select_related("created_by")
        .prefetch_related(
            Prefetch(
                "actions",
                queryset=PlanAction.objects.select_related("responsible_organisation", "conference").order_by(
                    "due_date", "created_at", "pk"
                ),
            )
        )
        .order_by("domain", "created_at", "pk")
    )
    reviews = PlanReview.objects.filter(case=case).select_related("reviewed_by").order_by("reviewed_at", "pk")
    sessions = Session.objects.filter(case=case).select_related("provider", "organisation").order_by("held_on", "pk")
    referrals = (
        Referral.objects.filter(case=case)
        .select_related("from_organisation", "to_organisation", "sent_by", "answered_by")
        .order_by("sent_at", "pk")
    )
    transfers = (
        Transfer.objects.filter(case=case)
        .select_related("from_organisation", "to_organisation", "requested_by", "answered_by")
        .order_by("requested_at", "pk")
    )
    conferences = (
        Conference.objects.filter(case=case)
        .select_related("chair")
        .prefetch_related("participants", "action_items")
        .order_by("held_on", "pk")
    )
    consents = Consent.objects.filter(case=case).select_related("recorded_by").order_by("given_on", "pk")
    approvals = (
        Approval.objects.filter(case=case)
        .select_related("organisation", "requested_by", "decided_by", "transfer")
        .order_by("created_at", "pk")
    )
    documents = Document.objects.filter(case=case).select_related("uploaded_by").order_by("created_at", "pk")
    return {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "generated_at": _when(timezone.now()),
        "generated_by": _person(actor),
        "case": _case(case),
        "identity": _identity(identity),
        "team": [
            {
                "member": _person(m.user),
                "organisation": _org(m.organisation),
                "role": m.role,
                "role_label": str(m.get_role_display()),
                "from": _when(m.valid_from),
                "until": _when(m.valid_until),
                "removed_at": _when(m.removed_at),
                "removed_by": _person(m.removed_by),
                "added_by": _person(m.added_by),
                "justification": m.justification,
                "reviewed_at": _when(m.reviewed_at),
            }
            for m in memberships
        ],
        "phase_changes": [
            {
                "from": p.from_phase,
                "to": p.to_phase,
                "to_label": str(p.get_to_phase_display()),
                "reason": p.reason,
                "changed_by": _person(p.changed_by),
                "changed_at": _when(p.changed_at),
            }
            for p in phase_changes
        ],
        "plan": {
            "status": case.plan_status,
            "goals": [_goal(g) for g in goals],
            "reviews": [
                {
                    "reviewed_at": _when(r.reviewed_at),
                    "reviewed_by": _person(r.reviewed_by),
                    "summary": r.summary,
                    "next_review_on": _when(r.next_review_on),
                }
                for r in reviews
            ],
        },
        "sessions": [
            {
                "date": _when(s.held_on),
                "type": s.type,
                "type_label": str(s.get_type_display()),
                "provider": _person(s.provider),
                "organisation": _org(s.organisation),
                "duration_minutes": s.duration_minutes,
                "notes": s.notes,
            }
            for s in sessions
        ],
        "referrals": [
            {
                "from": _org(r.from_organisation),
                "to": _org(r.to_organisation),
                "service": r.service,
                "message": r.message,
                "status": r.status,
                "status_label": str(r.get_status_display()),
                "decline_reason": r.decline_reason,
                "sent_by": _person(r.sent_by),
                "sent_at": _when(r.sent_at),
                "answered_by": _person(r.answered_by),
                "answered_at": _when(r.answered_at),
                "completed_at": _when(r.completed_at),
            }
            for r in referrals
        ],
        "transfers": [
            {
                "from": _org(t.from_organisation),
                "to": _org(t.to_organisation),
                "checklist": t.checklist,
                "note": t.note,
                "status": t.status,
                "status_label": str(t.get_status_display()),
                "requested_by": _person(t.requested_by),
                "requested_at": _when(t.requested_at),
                "answered_by": _person(t.answered_by),
                "answered_at": _when(t.answered_at),
                "decline_reason": t.decline_reason,
            }
            for t in transfers
        ],
        "conferences": [
            {
                "date": _when(c.held_on),
                "place": c.place,
                "chair": _person(c.chair),
                "participants": [_person(u) for u in c.participants.all()],
                "other_participants": c.other_participants,
                "decisions": c.decisions,
                "action_items": [a.description for a in c.action_items.all()],
            }
            for c in conferences
        ],
        "consents": [
            {
                "purpose": c.purpose,
                "scope": c.scope,
                "given_by": c.given_by,
                "given_by_label": str(c.get_given_by_display()),
                "guardian_name": c.guardian_name,
                "given_on": _when(c.given_on),
                "withdrawn_on": _when(c.withdrawn_on),
                "recorded_by": _person(c.recorded_by),
            }
            for c in consents
        ],
        "approvals": [
            {
                "kind": a.kind,
                "kind_label": str(a.get_kind_display()),
                "status": a.status,
                "status_label": str(a.get_status_display()),
                "organisation": _org(a.organisation),
                "requested_by": _person(a.requested_by),
                "requested_at": _when(a.created_at),
                "decided_by": _person(a.decided_by),
                "decided_at": _when(a.decided_at),
                "reason": a.reason,
            }
            for a in approvals
        ],
        "documents": [
            {
                "code": str(d.code),
                "type": d.type,
                "type_label": str(d.get_type_display()),
                "title": d.title,
                "content_type": d.content_type,
                "size": d.size,
                "sha256": d.sha256,
                "uploaded_by": _person(d.uploaded_by),
                "uploaded_at": _when(d.created_at),
            }
            for d in documents
        ],
        "audit": _audit_entries(case),
    }
