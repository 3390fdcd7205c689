"""Who may see and do what with assessments. Registered with ``rightpath.access``.

Case access follows the case part's rules (``cases.policy``): the ``assessments`` section of the
case grants table, narrowed by agreements across organisations and by the minors' safeguard. On top
of it, which *parts* of an assessment a case role sees is configurable per lead organisation
(``AssessmentVisibility``): the whole assessment, the summary judgement only, or nothing. A role
may be given the summary judgement even without the section in the grants table (by default the
police liaison), but never more than the grants table allows; across organisations the agreement
must still cover the assessments category.

Starting, editing and signing off need the organisation role *assessor* and write on the section.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from rightpath.access.policy import Decision, allow, deny, rule, scope
from rightpath.accounts.roles import Role
from rightpath.cases.models import Case
from rightpath.cases.policy import CASEWORK_ROLES, GRANTS, MINOR_EXCLUDED, RW, SectionRef, memberships_of
from rightpath.cases.vocab import CaseRole, Section

from .models import Assessment, AssessmentVisibility, Parts

S = Section.ASSESSMENTS

# Without an organisation's own choice: roles the grants table lets read assessments see them whole;
# a police liaison sees the summary judgement only; every other role sees nothing.
DEFAULT_PARTS: dict[str, str] = {CaseRole.POLICE_LIAISON: Parts.SUMMARY}

_RANK = {Parts.NONE: 0, Parts.SUMMARY: 1, Parts.FULL: 2}


def _signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not getattr(user, "is_service_account", False))


def _case_of(obj: Any) -> Case | None:
    if isinstance(obj, SectionRef):
        return obj.case
    if isinstance(obj, Assessment):
        return obj.case
    if isinstance(obj, Case):
        return obj
    return None


def default_parts(role: str) -> str:
    """What ``role`` sees when the lead organisation has not chosen."""
    if role in DEFAULT_PARTS:
        return DEFAULT_PARTS[role]
    return Parts.FULL if S in GRANTS.get(role, {}) else Parts.NONE


def configured_parts(user: Any, organisation_id: int) -> dict[str, str]:
    """The lead organisation's choices per case role (one query, kept on the user for the request)."""
    cache: dict[int, dict[str, str]] = user.__dict__.setdefault("_assessment_parts_cache", {})
    if organisation_id not in cache:
        cache[organisation_id] = dict(
            AssessmentVisibility.objects.filter(organisation_id=organisation_id).values_list("case_role", "parts")
        )
    return cache[organisation_id]


def role_parts(role: str, configured: dict[str, str]) -> str:
    """What ``role`` sees under ``configured``, capped by the grants table."""
    cap = Parts.FULL if S in GRANTS.get(role, {}) else Parts.SUMMARY
    chosen = configured.get(role, default_parts(role))
    return chosen if _RANK[chosen] <= _RANK[cap] else cap


def parts_for(user: Any, case: Case) -> str | None:
    """Which parts of ``case``'s assessments ``user`` sees: full, summary or none; ``None`` when the
    user is not on the case's team at all."""
    if not _signed_in(user):
        return None
    memberships = memberships_of(user, case)
    if not memberships:
        return None
    configured = configured_parts(user, case.lead_organisation_id)
    best = Parts.NONE
    for membership, covered in memberships:
        if S not in covered:
            continue
        if case.is_minor and S in MINOR_EXCLUDED.get(membership.role, set()):
            continue
        parts = role_parts(membership.role, configured)
        if _RANK[parts] > _RANK[best]:
            best = parts
    return best


def _writes(user: Any, case: Case) -> bool:
    """Write on the assessments section through a case role that also sees them whole."""
    configured = configured_parts(user, case.lead_organisation_id)
    for membership, covered in memberships_of(user, case):
        if S not in covered or (case.is_minor and S in MINOR_EXCLUDED.get(membership.role, set())):
            continue
        if GRANTS.get(membership.role, {}).get(S) == RW and role_parts(membership.role, configured) == Parts.FULL:
            return True
    return False


def _read(user: Any, obj: Any, needed: str) -> Decision:
    case = _case_of(obj)
    if case is None:
        return deny("no case", conceal=True)
    parts = parts_for(user, case)
    if parts is None:
        return deny("not on this case's team", conceal=True)
    if _RANK[parts] < _RANK[needed]:
        if parts == Parts.NONE:
            return deny("case role does not show assessments (or no agreement covers them)")
        return deny("case role shows the summary judgement only")
    return allow(f"case team member who sees {parts}")


@rule("assessments.summary.read")
def summary_read(user: Any, obj: Any) -> Decision:
    """A case team member whose case role is shown the summary judgement (or the whole assessment) reads it."""
    return _read(user, obj, Parts.SUMMARY)


@rule("assessments.assessment.read")
def assessment_read(user: Any, obj: Any) -> Decision:
    """A case team member whose case role reads the assessments section, and whom the lead organisation shows whole assessments, reads ratings, evidence and sources."""
    return _read(user, obj, Parts.FULL)


def _write(user: Any, obj: Any) -> Decision:
    decision = _read(user, obj, Parts.FULL)
    if not decision:
        return decision
    case = _case_of(obj)
    assert case is not None
    if not _writes(user, case):
        return deny("case role may read but not change assessments")
    if not user.has_role(Role.ASSESSOR):
        return deny("only a user holding the assessor role does assessments")
    return allow("assessor with write on the assessments section")


@rule("assessments.assessment.start")
def assessment_start(user: Any, obj: Any) -> Decision:
    """An assessor (organisation role) whose case role writes the assessments section starts an assessment."""
    return _write(user, obj)


@rule("assessments.assessment.edit")
def assessment_edit(user: Any, obj: Any) -> Decision:
    """An assessor with write on the assessments section changes a draft; a signed-off assessment is locked."""
    decision = _write(user, obj)
    if decision and isinstance(obj, Assessment) and obj.is_locked:
        return deny("the assessment is signed off; add an addendum instead")
    return decision


@rule("assessments.assessment.sign_off")
def assessment_sign_off(user: Any, obj: Any) -> Decision:
    """The assessor who started a draft signs it off (while they still may write the section)."""
    decision = _write(user, obj)
    if not decision or not isinstance(obj, Assessment):
        return decision
    if obj.is_locked:
        return deny("the assessment is already signed off")
    if obj.assessor_id != user.pk:
        return deny("only the assessor who made the assessment signs it off")
    return allow("the assessment's assessor")


@rule("assessments.addendum.add")
def addendum_add(user: Any, obj: Any) -> Decision:
    """A case team member who writes the assessments section adds a dated addendum to a signed-off assessment."""
    decision = _read(user, obj, Parts.FULL)
    if not decision:
        return decision
    case = _case_of(obj)
    assert case is not None
    if not _writes(user, case):
        return deny("case role may read but not change assessments")
    if isinstance(obj, Assessment) and not obj.is_locked:
        return deny("a draft is changed directly; addenda are for signed-off assessments")
    return allow("writes the assessments section")


@rule("assessments.instrument.view")
def instrument_view(user: Any, obj: Any) -> Decision:
    """Case workers and administrators see the loaded instruments (definitions hold no personal data)."""
    if _signed_in(user) and user.has_role(*CASEWORK_ROLES, Role.ORG_ADMIN, Role.PLATFORM_ADMIN):
        return allow("case worker or administrator")
    return deny("no case work or administrator role")


@scope("assessments.instrument.view")
def instrument_view_scope(user: Any, qs: QuerySet) -> QuerySet:
    if _signed_in(user) and user.has_role(*CASEWORK_ROLES, Role.ORG_ADMIN, Role.PLATFORM_ADMIN):
        return qs
    return qs.none()


@rule("assessments.instrument.load")
def instrument_load(user: Any, obj: Any) -> Decision:
    """A platform or organisation administrator loads an instrument definition file."""
    if _signed_in(user) and user.has_role(Role.PLATFORM_ADMIN, Role.ORG_ADMIN):
        return allow("administrator")
    return deny("only platform and organisation administrators load instruments")


@rule("assessments.visibility.manage")
def visibility_manage(user: Any, obj: Any) -> Decision:
    """An organisation administrator chooses which parts of assessments each case role sees on the cases their organisation leads."""
    if _signed_in(user) and user.has_role(Role.ORG_ADMIN) and user.organisation_id:
        return allow("organisation administrator")
    return deny("only organisation administrators choose who sees assessments")
