"""Need-to-know access to case files. Registered with ``rightpath.access``.

The effective right of a user on a section of a case is
``case-role grant ∩ agreement data categories ∩ validity dates``:

* the user must hold an active ``CaseMembership`` (not removed, within its dates) made while they
  belonged to the organisation they belong to now;
* the membership's case role must grant the section (``GRANTS``; minors' files narrow it further
  with ``MINOR_EXCLUDED``);
* a member from an organisation other than the case's lead organisation also needs an active
  ``SharingAgreement`` between the two whose data categories cover the section.

When any part lapses, access lapses at once: every check reads the current rows, no job runs.
Not being on the team answers "not found"; being on it without the right answers "forbidden".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.roles import Role

from .models import Case, CaseMembership, SharingAgreement
from .vocab import CaseRole, Section

R, RW = "r", "rw"
S = Section

# Which case role may read (r) or read and write (rw) which section. Reviewed like code; printed in
# docs/security.md by `manage.py document_policy`.
GRANTS: dict[str, dict[str, str]] = {
    CaseRole.COORDINATOR: {s: RW for s in Section},
    CaseRole.PRISON_OFFICER: {S.SUMMARY: R, S.IDENTITY: R, S.ASSESSMENTS: R, S.PLAN_STATUS: R, S.PLAN: RW, S.SESSIONS: RW, S.REFERRALS: RW, S.DOCUMENTS: RW, S.CONFERENCES: RW, S.CONSENT: R},
    CaseRole.PROBATION_OFFICER: {S.SUMMARY: R, S.IDENTITY: R, S.ASSESSMENTS: R, S.PLAN_STATUS: R, S.PLAN: RW, S.SESSIONS: RW, S.REFERRALS: RW, S.DOCUMENTS: RW, S.CONFERENCES: RW, S.CONSENT: R},
    CaseRole.SOCIAL_WORKER: {S.SUMMARY: R, S.IDENTITY: R, S.ASSESSMENTS: R, S.PLAN_STATUS: R, S.PLAN: RW, S.SESSIONS: RW, S.REFERRALS: RW, S.DOCUMENTS: RW, S.CONFERENCES: RW, S.CONSENT: RW},
    CaseRole.PSYCHOLOGIST: {S.SUMMARY: R, S.IDENTITY: R, S.ASSESSMENTS: RW, S.PLAN_STATUS: R, S.PLAN: RW, S.SESSIONS: RW, S.REFERRALS: R, S.DOCUMENTS: RW, S.CONFERENCES: RW, S.CONSENT: R},
    CaseRole.ASSESSOR: {S.SUMMARY: R, S.IDENTITY: R, S.ASSESSMENTS: RW, S.PLAN_STATUS: R, S.PLAN: R, S.SESSIONS: R, S.DOCUMENTS: R},
    CaseRole.RELIGIOUS_COUNSELLOR: {S.SUMMARY: R, S.PLAN_STATUS: R, S.PLAN: R, S.SESSIONS: RW, S.CONFERENCES: R},
    CaseRole.MENTOR: {S.SUMMARY: R, S.PLAN_STATUS: R, S.PLAN: R, S.SESSIONS: RW, S.CONFERENCES: R},
    CaseRole.NGO_WORKER: {S.SUMMARY: R, S.PLAN_STATUS: R, S.PLAN: R, S.SESSIONS: RW, S.REFERRALS: R, S.DOCUMENTS: R, S.CONFERENCES: R},
    # A police liaison sees where the plan stands and what conferences decided, never therapy notes.
    CaseRole.POLICE_LIAISON: {S.SUMMARY: R, S.IDENTITY: R, S.PLAN_STATUS: R, S.REFERRALS: R, S.CONFERENCES: R},
    CaseRole.SUPERVISOR: {s: R for s in Section},
    # Emergency access reads everything it needs for a short time, and writes nothing.
    CaseRole.BREAK_GLASS: {s: R for s in Section},
}  # fmt: skip

# Minors' files: these roles lose these sections (child-rights safeguard).
MINOR_EXCLUDED: dict[str, set[str]] = {
    CaseRole.POLICE_LIAISON: {S.IDENTITY, S.REFERRALS},
    CaseRole.RELIGIOUS_COUNSELLOR: {S.PLAN},
    CaseRole.MENTOR: {S.PLAN},
    CaseRole.NGO_WORKER: {S.DOCUMENTS},
}

# Organisation roles that may open cases, ask for emergency access, or run referrals for their organisation.
CASEWORK_ROLES = (Role.COORDINATOR, Role.PRACTITIONER, Role.ASSESSOR, Role.SUPERVISOR)


@dataclass(frozen=True)
class SectionRef:
    """The object of a section-level question: one section of one case."""

    case: Case
    section: str


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not getattr(user, "is_service_account", False))


def _active_agreements(org_a: int, org_b: int) -> list[SharingAgreement]:
    today = timezone.localdate()
    return list(
        SharingAgreement.objects.filter(
            parties=org_a, terminated_at__isnull=True, valid_from__lte=today, valid_until__gte=today
        ).filter(parties=org_b)
    )


def memberships_of(user: Any, case: Case) -> list[tuple[CaseMembership, set[str]]]:
    """The user's active memberships on ``case`` with the categories their agreements cover.

    The set is ``None``-free: for the lead organisation's members it holds every section. Cached on
    the user object for the request, so a page asking about many sections costs two queries.
    """
    cache: dict[int, list[tuple[CaseMembership, set[str]]]] = user.__dict__.setdefault("_case_access_cache", {})
    if case.pk in cache:
        return cache[case.pk]
    now = timezone.now()
    rows = []
    memberships = CaseMembership.objects.filter(
        case=case, user=user, organisation_id=user.organisation_id, removed_at__isnull=True, valid_from__lte=now
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
    agreements: list[SharingAgreement] | None = None
    for m in memberships:
        if m.organisation_id == case.lead_organisation_id:
            covered = {s.value for s in Section}
        else:
            if agreements is None:
                agreements = _active_agreements(m.organisation_id, case.lead_organisation_id)
            covered = {c for a in agreements for c in a.data_categories}
            if agreements:
                covered.add(S.SUMMARY)
        rows.append((m, covered))
    cache[case.pk] = rows
    return rows


def clear_cache(user: Any) -> None:
    user.__dict__.pop("_case_access_cache", None)


def section_rights(user: Any, case: Case) -> dict[str, str]:
    """Every section the user may read ("r") or write ("rw") on ``case`` right now."""
    rights: dict[str, str] = {}
    if not _signed_in(user):
        return rights
    for membership, covered in memberships_of(user, case):
        grants = GRANTS.get(membership.role, {})
        excluded = MINOR_EXCLUDED.get(membership.role, set()) if case.is_minor else set()
        for section, mode in grants.items():
            if section in covered and section not in excluded and (rights.get(section) != RW):
                rights[section] = mode
    return rights


def _section(user: Any, ref: SectionRef | None, mode: str) -> Decision:
    if ref is None or not _signed_in(user):
        return deny("not signed in", conceal=True)
    memberships = memberships_of(user, ref.case)
    if not memberships:
        return deny("not on this case's team", conceal=True)
    granted = section_rights(user, ref.case).get(ref.section)
    if granted is None:
        return deny(f"case role does not grant the {ref.section} section (or no agreement covers it)")
    if mode == RW and granted != RW:
        return deny(f"case role may read but not change the {ref.section} section")
    return allow(f"case team member ({', '.join(m.role for m, _ in memberships)})")


@rule("cases.section.read")
def section_read(user: Any, ref: SectionRef | None) -> Decision:
    """A case team member reads a section their case role grants (and, across organisations, an active agreement covers)."""
    return _section(user, ref, R)


@rule("cases.section.write")
def section_write(user: Any, ref: SectionRef | None) -> Decision:
    """A case team member changes a section their case role grants for writing (under the same conditions)."""
    return _section(user, ref, RW)


@rule("cases.case.view")
def case_view(user: Any, case: Case | None) -> Decision:
    """Case team members see the case list and the case summary; nobody else knows the case exists."""
    if not _signed_in(user):
        return deny("not signed in", conceal=True)
    if case is None:
        return allow("lists show only the user's own cases")
    return _section(user, SectionRef(case, S.SUMMARY), R)


@scope("cases.case.view")
def case_view_scope(user: Any, qs: QuerySet) -> QuerySet:
    """Cases with an active membership of the user, led by their organisation or a partner under an active agreement."""
    if not _signed_in(user):
        return qs.none()
    now, today = timezone.now(), timezone.localdate()
    # The user's own memberships, as one uncorrelated subquery: SQLite would otherwise check each
    # case of the organisation against every membership of the user.
    active = CaseMembership.objects.filter(
        user=user,
        organisation_id=user.organisation_id,
        removed_at__isnull=True,
        valid_from__lte=now,
    ).filter(Q(valid_until__isnull=True) | Q(valid_until__gte=now))
    parties = SharingAgreement.parties.through
    mine = parties.objects.filter(
        organisation_id=user.organisation_id,
        sharingagreement__terminated_at__isnull=True,
        sharingagreement__valid_from__lte=today,
        sharingagreement__valid_until__gte=today,
    ).values("sharingagreement_id")
    partners = parties.objects.filter(sharingagreement_id__in=mine).values("organisation_id")
    return qs.filter(pk__in=active.values("case_id")).filter(
        Q(lead_organisation_id=user.organisation_id) | Q(lead_organisation_id__in=partners)
    )


@rule("cases.case.create")
def case_create(user: Any, obj: Any) -> Decision:
    """A case coordinator opens a case for their organisation."""
    if _signed_in(user) and user.has_role(Role.COORDINATOR):
        return allow("case coordinator")
    return deny("only a case coordinator opens cases")


def _lead_coordinator(user: Any, case: Case | None) -> Decision:
    if case is None or not _signed_in(user):
        return deny("not signed in", conceal=True)
    memberships = memberships_of(user, case)
    if not memberships:
        return deny("not on this case's team", conceal=True)
    if any(m.role == CaseRole.COORDINATOR and m.organisation_id == case.lead_organisation_id for m, _ in memberships):
        return allow("coordinator of the lead organisation")
    return deny("only the case coordinator of the lead organisation does this")


@rule("cases.team.manage")
def team_manage(user: Any, case: Case | None) -> Decision:
    """The lead organisation's case coordinator adds and removes team members."""
    return _lead_coordinator(user, case)


@rule("cases.case.manage")
def case_manage(user: Any, case: Case | None) -> Decision:
    """The lead organisation's case coordinator moves the phase, refers, transfers the lead and closes the case."""
    return _lead_coordinator(user, case)


@rule("cases.break_glass")
def break_glass(user: Any, case: Case | None) -> Decision:
    """In an emergency, case workers who are not on the team may ask for time-limited read access, with a justification."""
    if not _signed_in(user) or not user.has_role(*CASEWORK_ROLES):
        return deny("only case workers may ask for emergency access")
    return allow("case worker")


@rule("cases.mywork.view")
def my_work(user: Any, obj: Any) -> Decision:
    """Any case worker sees their own due reviews, overdue actions and pending referrals."""
    if _signed_in(user) and user.has_role(*CASEWORK_ROLES, Role.ORG_ADMIN):
        return allow("case worker")
    return deny("no case work roles")


@rule("cases.referral.answer")
def referral_answer(user: Any, referral: Any) -> Decision:
    """A case coordinator of the receiving organisation accepts or declines a referral or a lead transfer."""
    if not _signed_in(user) or referral is None:
        return deny("not signed in", conceal=True)
    if referral.to_organisation_id != user.organisation_id:
        return deny("addressed to another organisation", conceal=True)
    if user.has_role(Role.COORDINATOR):
        return allow("coordinator of the receiving organisation")
    return deny("only a case coordinator of the receiving organisation answers")


@rule("cases.approval.decide")
def approval_decide(user: Any, approval: Any) -> Decision:
    """A supervisor of the organisation that asks for approval approves or returns it (never their own request)."""
    if not _signed_in(user) or approval is None:
        return deny("not signed in", conceal=True)
    if approval.organisation_id != user.organisation_id:
        return deny("another organisation's approval", conceal=True)
    if not user.has_role(Role.SUPERVISOR):
        return deny("only a supervisor decides approvals")
    if approval.requested_by_id == user.pk:
        return deny("nobody approves their own request")
    return allow("supervisor")


@rule("cases.agreement.manage")
def agreement_manage(user: Any, agreement: Any) -> Decision:
    """An organisation administrator or data-protection officer records agreements their organisation is party to."""
    if not _signed_in(user) or not user.has_role(Role.ORG_ADMIN, Role.DPO):
        return deny("only organisation administrators and data-protection officers manage agreements")
    if agreement is not None and not agreement.parties.filter(pk=user.organisation_id).exists():
        return deny("not a party to this agreement", conceal=True)
    return allow("administrator or data-protection officer of a party")


@scope("cases.agreement.manage")
def agreement_scope(user: Any, qs: QuerySet) -> QuerySet:
    if not _signed_in(user) or not user.has_role(Role.ORG_ADMIN, Role.DPO):
        return qs.none()
    return qs.filter(parties=user.organisation_id).distinct()


@rule("cases.subject.export")
def subject_export(user: Any, case: Case | None) -> Decision:
    """The lead organisation's data-protection officer exports everything held on one person."""
    if not _signed_in(user) or not user.has_role(Role.DPO):
        return deny("only a data-protection officer exports a person's data")
    if case is not None and case.lead_organisation_id != user.organisation_id:
        return deny("another organisation's case", conceal=True)
    return allow("data-protection officer of the lead organisation")


@scope("cases.subject.export")
def subject_export_scope(user: Any, qs: QuerySet) -> QuerySet:
    if not _signed_in(user) or not user.has_role(Role.DPO):
        return qs.none()
    return qs.filter(lead_organisation_id=user.organisation_id)


def grants_table_markdown() -> str:
    """The section grants as a Markdown table, for docs/security.md."""
    sections = list(Section)
    head = "| case role | " + " | ".join(str(s.label) for s in sections) + " |"
    rule_line = "|---" * (len(sections) + 1) + "|"
    lines = [
        "Case sections by case role (r = read, rw = read and write; minors' files remove the sections marked †):",
        "",
        head,
        rule_line,
    ]
    for role, grants in GRANTS.items():
        cells = []
        for s in sections:
            mode = grants.get(s, "")
            if mode and s in MINOR_EXCLUDED.get(role, set()):
                mode += " †"
            cells.append(mode or "–")
        lines.append(f"| {CaseRole(role).label} | " + " | ".join(cells) + " |")
    return "\n".join(lines)
