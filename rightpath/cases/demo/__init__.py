"""Demonstration case work: synthetic cases in Kosovo, Bosnia and Herzegovina and North Macedonia.

Every person here is invented (names typical of the region, identity numbers marked "demo"). The
data shows the platform's hard parts: every phase from referral to closure, multi-agency teams with
every case role, information-sharing agreements (active, expired, and none at all), plans across
life domains with overdue actions, sessions with encrypted notes, referrals sent, accepted and
declined, a completed prison-to-probation hand-over and a pending one, a case conference, consent
(one by a guardian for a minor), a minor's case and women's cases.

``seed()`` is idempotent: users and agreements are refreshed (agreement dates stay relative to
today, so the expired one stays expired and the active ones active); a case is keyed by its
reference and built only when it does not exist yet, so running the seeder twice gives the same
data. ``access_rows()`` computes, from the policy itself, what the users that outside checks need can
and cannot open. The data itself is in ``data.py``.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rightpath.access.policy import can
from rightpath.accounts.models import Organisation, RoleAssignment, User
from rightpath.accounts.roles import Role
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
    SharingAgreement,
    Transfer,
)
from rightpath.cases.policy import SectionRef, clear_cache, section_rights
from rightpath.cases.services.documents import documents_dir
from rightpath.cases.vocab import CaseRole, LifeDomain, Phase, Section
from rightpath.core.files import TEXT, encrypt_bytes, write_private_file

from .data import (
    ACCESS_CHECKS,
    AGREEMENTS,
    CASES,
    CSW_GJILAN,
    CSW_ZENICA,
    NGO_SARAJEVO,
    POLICE_XK,
    PRISON_MK,
    PRISON_XK,
    PROBATION_XK,
    REASONS,
    USERS,
    YOUTH_SKOPJE,
    CaseSpec,
)


def _orgs() -> dict[str, Organisation]:
    names = {PRISON_XK, PROBATION_XK, CSW_GJILAN, POLICE_XK, CSW_ZENICA, NGO_SARAJEVO, PRISON_MK, YOUTH_SKOPJE}
    found = {o.name: o for o in Organisation.objects.filter(name__in=names)}
    missing = names - set(found)
    if missing:
        raise LookupError(f"run the accounts seeder first; missing organisations: {sorted(missing)}")
    return found


def _users(orgs: dict[str, Organisation]) -> tuple[dict[str, User], list[dict[str, str]]]:
    from rightpath.accounts.management.commands.seed_demo import DEMO_PASSWORD, demo_totp_key

    rows = []
    for username, first, last, org_name, roles in USERS:
        organisation = orgs[org_name]
        user, _created = User.objects.get_or_create(
            username=username,
            defaults={"email": f"{username}@demo.rightpath.invalid", "organisation": organisation},
        )
        user.first_name, user.last_name, user.organisation, user.is_active = first, last, organisation, True
        user.set_password(DEMO_PASSWORD)
        user.save()
        for role in roles:
            RoleAssignment.objects.get_or_create(user=user, role=role)
        user._role_cache = None
        secret = ""
        if user.needs_mfa:
            key = demo_totp_key(username)
            TOTPDevice.objects.filter(user=user).exclude(key=key).delete()
            TOTPDevice.objects.get_or_create(
                user=user, key=key, defaults={"name": "Demo authenticator", "confirmed": True}
            )
            secret = base64.b32encode(bytes.fromhex(key)).decode().rstrip("=")
        rows.append(
            {
                "role": ", ".join(str(Role(r).label) for r in roles) + " (case work)",
                "organisation": organisation.name,
                "username": username,
                "password": DEMO_PASSWORD,
                "totp": secret,
            }
        )
    users = {u.username: u for u in User.objects.filter(organisation__isnull=False).select_related("organisation")}
    return users, rows


def _agreements(orgs: dict[str, Organisation], creator: User | None) -> None:
    today = timezone.localdate()
    for title, parties, basis, reference, purposes, sections, start, end in AGREEMENTS:
        agreement, _created = SharingAgreement.objects.update_or_create(
            title=title,
            defaults={
                "legal_basis": basis,
                "legal_reference": reference,
                "purposes": purposes,
                "data_categories": [str(s) for s in sections],
                "valid_from": today + timedelta(days=start),
                "valid_until": today + timedelta(days=end),
                "review_date": today + timedelta(days=min(end, 90)) if end > 0 else None,
                "terminated_at": None,
                "created_by": creator,
            },
        )
        agreement.parties.set([orgs[p] for p in parties])


def _ago(days: int) -> datetime:
    return timezone.now() - timedelta(days=days)


def _day(days_ago: int) -> date:
    return timezone.localdate() - timedelta(days=days_ago)


def _phases_until(phase: str) -> list[str]:
    """The usual path through the phases up to ``phase`` (a closed case went through aftercare)."""
    path = {
        Phase.REFERRAL: [Phase.REFERRAL],
        Phase.ASSESSMENT: [Phase.REFERRAL, Phase.ASSESSMENT],
        Phase.PRISON: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.PRISON],
        Phase.RELEASE: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.PRISON, Phase.RELEASE],
        Phase.PROBATION: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.PRISON, Phase.RELEASE, Phase.PROBATION],
        Phase.COMMUNITY: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.COMMUNITY],
        Phase.AFTERCARE: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.PROBATION, Phase.COMMUNITY, Phase.AFTERCARE],
        Phase.CLOSED: [Phase.REFERRAL, Phase.ASSESSMENT, Phase.COMMUNITY, Phase.AFTERCARE, Phase.CLOSED],
    }
    return [str(p) for p in path[Phase(phase)]]


def _build_case(spec: CaseSpec, orgs: dict[str, Organisation], users: dict[str, User]) -> Case:
    from rightpath.cases.services.case import identity_blind_index

    coordinator = users[spec.team[0][0]]
    case = Case.objects.create(
        reference=spec.reference,
        category=spec.category,
        is_woman=spec.is_woman,
        is_minor=spec.is_minor,
        best_interests_note=spec.best_interests_note,
        lead_organisation=orgs[spec.lead],
        receiving_organisation=orgs[spec.receiving] if spec.receiving else None,
        phase=spec.phase,
        legal_basis=spec.legal_basis,
        legal_basis_note=spec.legal_basis_note,
        plan_status=Case.PlanStatus.APPROVED if spec.goals else Case.PlanStatus.DRAFT,
        opened_at=_ago(spec.opened_days_ago),
        closed_at=_ago(spec.closed_days_ago) if spec.closed_days_ago is not None else None,
        created_by=coordinator,
    )
    given, family, birth, numbers, address = spec.identity
    Identity.objects.create(
        case=case,
        given_names=given,
        family_name=family,
        birth_date=birth,
        identity_numbers=numbers,
        addresses=address,
        blind_index=identity_blind_index(given, family, birth),
    )
    for username, role in spec.team:
        user = users[username]
        CaseMembership.objects.create(
            case=case,
            user=user,
            organisation=user.organisation,
            role=role,
            valid_from=_ago(spec.opened_days_ago - 1),
            added_by=coordinator,
        )
    phases = _phases_until(spec.phase)
    end = spec.closed_days_ago if spec.closed_days_ago is not None else 2
    step = max(1, (spec.opened_days_ago - end) // max(1, len(phases)))
    previous = ""
    for i, phase in enumerate(phases):
        PhaseChange.objects.create(
            case=case,
            from_phase=previous,
            to_phase=phase,
            reason=REASONS[Phase(phase)],
            changed_by=coordinator,
            changed_at=_ago(spec.opened_days_ago - i * step),
        )
        previous = phase
    for domain, title, description, actions in spec.goals:
        goal = PlanGoal.objects.create(
            case=case,
            domain=domain,
            title=title,
            description=description,
            status=PlanGoal.Status.IN_PROGRESS,
            created_by=coordinator,
        )
        for text, org_name, due_in, status in actions:
            PlanAction.objects.create(
                goal=goal,
                description=text,
                responsible_organisation=orgs[org_name],
                due_date=timezone.localdate() + timedelta(days=due_in),
                status=status,
                completed_at=_ago(abs(due_in)) if status == PlanAction.Status.DONE else None,
            )
    for type_, provider, days_ago, minutes, notes in spec.sessions:
        user = users[provider]
        Session.objects.create(
            case=case,
            type=type_,
            provider=user,
            organisation=user.organisation,
            held_on=_day(days_ago),
            duration_minutes=minutes,
            notes=notes,
        )
    if spec.goals:
        PlanReview.objects.create(
            case=case,
            reviewed_at=_ago(100),
            reviewed_by=coordinator,
            summary="Plan agreed with the person and the team.",
            # Some reviews are already due, so "my work" has something to show.
            next_review_on=_day(10) if spec.phase in (Phase.PROBATION, Phase.COMMUNITY) else _day(-60),
        )
    return case


def _showcase(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """XK-2024-0007: the completed hand-over from prison to probation, referrals, a case conference,
    consent, an approved plan, a removed member and a document."""
    prison, probation, gjilan = orgs[PRISON_XK], orgs[PROBATION_XK], orgs[CSW_GJILAN]
    prison_coord, probation_coord = users["prison.coordinator"], users["probation.coordinator"]
    Transfer.objects.create(
        case=case,
        from_organisation=prison,
        to_organisation=probation,
        checklist={
            "release_date": True,
            "plan_shared": True,
            "assessment_current": True,
            "officer_named": True,
            "housing": True,
            "identity_documents": True,
            "family_informed": True,
            "sharing_basis": True,
        },
        note="Release on conditions confirmed by the court. Reporting to Gjilan probation office every Monday.",
        status=Transfer.Status.ACCEPTED,
        requested_by=prison_coord,
        requested_at=_ago(110),
        answered_by=probation_coord,
        answered_at=_ago(104),
    )
    Case.objects.filter(pk=case.pk).update(lead_organisation=probation, receiving_organisation=None)
    case.lead_organisation = probation
    CaseMembership.objects.filter(case=case, user=probation_coord).update(
        valid_from=_ago(104), justification="Took over the lead of the case."
    )
    CaseMembership.objects.filter(case=case, user=users["removed.member"]).update(
        removed_at=_ago(60), removed_by=probation_coord
    )
    Referral.objects.create(
        case=case,
        from_organisation=probation,
        to_organisation=gjilan,
        service="Family support and housing advice",
        message="Released last week; lives with his parents in Gjilan. Please assign a social worker.",
        status=Referral.Status.ACCEPTED,
        sent_by=probation_coord,
        sent_at=_ago(100),
        answered_by=users["gjilan.coordinator"],
        answered_at=_ago(97),
    )
    Referral.objects.create(
        case=case,
        from_organisation=probation,
        to_organisation=orgs[POLICE_XK],
        service="Joint home visit",
        message="Request for a joint visit with the community police officer.",
        status=Referral.Status.DECLINED,
        decline_reason="No agreement in force between our organisations since last month; please renew it first.",
        sent_by=probation_coord,
        sent_at=_ago(30),
        answered_at=_ago(28),
    )
    conference = Conference.objects.create(
        case=case,
        held_on=_day(40),
        place="Probation office, Gjilan",
        chair=probation_coord,
        other_participants="School pedagogue of the children's school in Ferizaj",
        decisions=(
            "1. Housing application to be supported by the centre for social work.\n"
            "2. Psychological sessions continue every two weeks.\n"
            "3. A mediated meeting with the children before the end of next month."
        ),
    )
    conference.participants.set(
        [users[u] for u in ("probation.officer", "probation.psychologist", "gjilan.socialworker", "gjilan.mentor")]
    )
    family_goal = PlanGoal.objects.get(case=case, domain=LifeDomain.FAMILY)
    PlanAction.objects.filter(goal=family_goal).update(conference=conference)
    Consent.objects.create(
        case=case,
        purpose="Sharing information with the Centre for Social Work Gjilan for family support",
        scope="Plan, sessions and contact details; not the court file.",
        given_by=Consent.GivenBy.PERSON,
        given_on=_day(99),
        recorded_by=users["probation.officer"],
    )
    Approval.objects.create(
        case=case,
        kind=Approval.Kind.PLAN,
        status=Approval.Status.APPROVED,
        organisation=probation,
        requested_by=probation_coord,
        decided_by=users["probation.supervisor"],
        decided_at=_ago(85),
        reason="Realistic goals; housing first.",
    )
    text = (
        b"Summary of the court decision (demo)\n\nConditional release granted. Conditions: report weekly to the "
        b"probation office in Gjilan; no contact with the persons named in the judgment; take part in the "
        b"rehabilitation programme.\n"
    )
    stored_name = uuid.uuid5(uuid.NAMESPACE_URL, f"rightpath-demo:{case.reference}:court").hex
    write_private_file(documents_dir() / stored_name, encrypt_bytes(text))
    Document.objects.create(
        case=case,
        type=Document.Type.COURT,
        title="Court decision on conditional release",
        stored_name=stored_name,
        content_type=TEXT.content_type,
        size=len(text),
        sha256=hashlib.sha256(text).hexdigest(),
        uploaded_by=users["probation.officer"],
    )


def _pending_handover(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """XK-2025-0015: the prison asked probation to take the lead; waiting for its answer."""
    Transfer.objects.create(
        case=case,
        from_organisation=orgs[PRISON_XK],
        to_organisation=orgs[PROBATION_XK],
        checklist={key: True for key in ("release_date", "plan_shared", "assessment_current", "officer_named")}
        | {"housing": True, "identity_documents": True, "sharing_basis": True},
        note="Release expected in three weeks; address with his uncle in Viti confirmed.",
        status=Transfer.Status.PENDING,
        requested_by=users["prison.coordinator"],
        requested_at=_ago(4),
    )


def _minor(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """XK-2025-0022: consent by the guardian; a referral waiting for an answer."""
    Consent.objects.create(
        case=case,
        purpose="Psychosocial support and school reintegration",
        scope="Erion was asked in words he understands; he wants to go to school with his cousins.",
        given_by=Consent.GivenBy.GUARDIAN,
        guardian_name="Mevlude Selimi",
        given_on=_day(40),
        recorded_by=users["gjilan.socialworker"],
    )
    Referral.objects.create(
        case=case,
        from_organisation=orgs[CSW_GJILAN],
        to_organisation=orgs[PROBATION_XK],
        service="Child psychologist with trauma experience",
        message="Please see the boy together with his grandmother.",
        status=Referral.Status.ACCEPTED,
        sent_by=users["gjilan.coordinator"],
        sent_at=_ago(38),
        answered_by=users["probation.coordinator"],
        answered_at=_ago(36),
    )


def _woman(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """XK-2025-0021: a referral sent and not yet answered."""
    Referral.objects.create(
        case=case,
        from_organisation=orgs[PROBATION_XK],
        to_organisation=orgs[CSW_GJILAN],
        service="Counselling group for returned women",
        message="Would join a women-only group; needs childcare during sessions.",
        sent_by=users["probation.coordinator"],
        sent_at=_ago(6),
    )


def _bosnia(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """BA-2025-0004: a declined referral and a withdrawn consent."""
    Referral.objects.create(
        case=case,
        from_organisation=orgs[CSW_ZENICA],
        to_organisation=orgs[NGO_SARAJEVO],
        service="Peer support group for returned women",
        status=Referral.Status.DECLINED,
        decline_reason="The group meets in Sarajevo only; no capacity in Zenica before spring.",
        sent_by=users["zenica.coordinator"],
        sent_at=_ago(90),
        answered_at=_ago(85),
    )
    Consent.objects.create(
        case=case,
        purpose="Participation in the NGO mentoring programme",
        given_by=Consent.GivenBy.PERSON,
        given_on=_day(120),
        withdrawn_on=_day(80),
        recorded_by=users["zenica.socialworker"],
    )


def _aftercare(case: Case, orgs: dict[str, Organisation], users: dict[str, User]) -> None:
    """XK-2024-0011: a completed referral."""
    Referral.objects.create(
        case=case,
        from_organisation=orgs[PROBATION_XK],
        to_organisation=orgs[CSW_GJILAN],
        service="Employment programme",
        status=Referral.Status.COMPLETED,
        sent_by=users["probation.coordinator"],
        sent_at=_ago(300),
        answered_by=users["gjilan.coordinator"],
        answered_at=_ago(296),
        completed_at=_ago(120),
    )


EXTRAS = {
    "XK-2024-0007": _showcase,
    "XK-2025-0015": _pending_handover,
    "XK-2025-0022": _minor,
    "XK-2025-0021": _woman,
    "BA-2025-0004": _bosnia,
    "XK-2024-0011": _aftercare,
}


def seed() -> tuple[list[dict[str, str]], list[str]]:
    """Create the demo case work (see the module docstring). Returns the login rows of the users it
    added and the references of the cases it created (empty when they all existed)."""
    orgs = _orgs()
    users, rows = _users(orgs)
    _agreements(orgs, users.get("probation.dpo"))
    created = []
    existing = set(Case.objects.filter(reference__in=[c.reference for c in CASES]).values_list("reference", flat=True))
    for spec in CASES:
        if spec.reference in existing:
            continue
        case = _build_case(spec, orgs, users)
        extra = EXTRAS.get(spec.reference)
        if extra:
            extra(case, orgs, users)
        created.append(spec.reference)
    return rows, created


def _section_list(sections: list[tuple[str, str]]) -> str:
    return ", ".join(f"{s} ({mode})" for s, mode in sections) or "—"


def access_rows() -> list[dict[str, str]]:
    """For each user outside checks need: what they can and cannot open on a demo case, computed
    from the policy (``section_rights``), so the printed table is always what the platform does."""
    cases = {c.reference: c for c in Case.objects.filter(reference__in={r for _u, r, _n in ACCESS_CHECKS})}
    users = {u.username: u for u in User.objects.filter(username__in={u for u, _r, _n in ACCESS_CHECKS})}
    rows = []
    for username, reference, note in ACCESS_CHECKS:
        user, case = users.get(username), cases.get(reference)
        if user is None or case is None:
            continue
        clear_cache(user)
        rights = section_rights(user, case)
        membership = (
            CaseMembership.objects.filter(case=case, user=user)
            .order_by("-valid_from")
            .values_list("role", flat=True)
            .first()
        )
        role = str(CaseRole(membership).label) if membership else "—"
        ordered = [s.value for s in Section]
        can_open = [(s, rights[s]) for s in ordered if s in rights]
        cannot = [s for s in ordered if s not in rights]
        if cannot:
            # What the platform answers for a section out of reach: 404 hides the case, 403 does not.
            refusal = can(user, "cases.section.read", SectionRef(case, cannot[0]))
            answer = ("every case page answers" if not rights else "the others answer") + (
                " 404 (not found)" if refusal.conceal else " 403 (forbidden)"
            )
        else:
            answer = "—"
        rows.append(
            {
                "username": username,
                "case": reference,
                "case_role": role,
                "who": note,
                "can_open": _section_list(can_open),
                "cannot_open": ", ".join(cannot) or "—",
                "answer": answer,
            }
        )
    return rows


def print_table(write: Any, rows: list[dict[str, str]], headers: dict[str, str]) -> None:
    """Print ``rows`` as a plain-text table through ``write`` (e.g. ``command.stdout.write``)."""
    widths = {k: max(len(headers[k]), *(len(r.get(k, "")) for r in rows)) if rows else len(headers[k]) for k in headers}
    write("  ".join(headers[k].ljust(widths[k]) for k in headers).rstrip())
    write("  ".join("-" * widths[k] for k in headers))
    for r in rows:
        write("  ".join(r.get(k, "").ljust(widths[k]) for k in headers).rstrip())


ACCESS_HEADERS = {
    "username": "USERNAME",
    "case": "CASE",
    "case_role": "CASE ROLE",
    "who": "WHO",
    "can_open": "CAN OPEN",
    "cannot_open": "CANNOT OPEN",
    "answer": "OTHERWISE",
}
