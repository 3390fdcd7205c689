"""Who may read (whole or summary), start and sign off assessments: every case role, outsiders, and
the organisation's own choice of what each role sees."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from rightpath.access.policy import can
from rightpath.assessments.models import AssessmentVisibility, Parts
from rightpath.assessments.policy import parts_for
from rightpath.audit.models import AuditEntry
from rightpath.cases.policy import SectionRef, clear_cache
from rightpath.cases.vocab import CaseRole, Section

S = Section.ASSESSMENTS
FULL = {
    "coordinator",
    "prison_officer",
    "probation_officer",
    "social_worker",
    "psychologist",
    "assessor",
    "supervisor",
    "break_glass",
}
SUMMARY = FULL | {"police_liaison"}
WRITE = {"coordinator", "psychologist", "assessor"}

MATRIX = [(role, role in FULL, role in SUMMARY, role in WRITE, role in WRITE) for role in CaseRole.values]


@pytest.mark.parametrize("role,read_full,read_summary,write,sign_off", MATRIX, ids=[m[0] for m in MATRIX])
def test_case_role_matrix(
    role: str,
    read_full: bool,
    read_summary: bool,
    write: bool,
    sign_off: bool,
    make_user: Any,
    case: Any,
    add_member: Any,
    small: Any,
    make_assessment: Any,
) -> None:
    user = make_user("assessor", "practitioner")
    add_member(case, user, role)
    own_draft = make_assessment(case, small, user)
    ref = SectionRef(case, S)
    assert bool(can(user, "assessments.assessment.read", ref)) is read_full
    assert bool(can(user, "assessments.summary.read", ref)) is read_summary
    assert bool(can(user, "assessments.assessment.start", ref)) is write
    assert bool(can(user, "assessments.assessment.sign_off", own_draft)) is sign_off


def test_starting_needs_the_assessor_organisation_role_as_well(make_user: Any, case: Any, add_member: Any) -> None:
    psychologist = make_user("practitioner")
    add_member(case, psychologist, CaseRole.PSYCHOLOGIST)
    decision = can(psychologist, "assessments.assessment.start", SectionRef(case, S))
    assert not decision and "assessor role" in decision.reason


def test_only_the_assessor_who_made_it_signs_it_off(
    make_user: Any, case: Any, add_member: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    colleague = make_user("assessor")
    add_member(case, colleague, CaseRole.ASSESSOR)
    draft = make_assessment(case, small, assessor)
    assert can(assessor, "assessments.assessment.sign_off", draft)
    assert not can(colleague, "assessments.assessment.sign_off", draft)
    assert can(colleague, "assessments.assessment.edit", draft)


def test_a_signed_off_assessment_is_locked_for_everyone(
    case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    signed = make_assessment(case, small, assessor, signed=True)
    assert not can(assessor, "assessments.assessment.edit", signed)
    assert not can(assessor, "assessments.assessment.sign_off", signed)
    assert can(assessor, "assessments.addendum.add", signed)


def test_another_organisations_user_is_told_nothing_exists_and_it_is_audited(
    client_for: Any, make_user: Any, other_org: Any, case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    outsider = make_user("assessor", "coordinator", organisation=other_org)
    signed = make_assessment(case, small, assessor, signed=True)
    decision = can(outsider, "assessments.summary.read", SectionRef(case, S))
    assert not decision and decision.conceal
    client = client_for(outsider)
    assert client.get(f"/assessments/cases/{case.code}/").status_code == 404
    assert client.get(f"/assessments/cases/{case.code}/{signed.code}/").status_code == 404
    assert AuditEntry.objects.filter(event="access.denied", actor_id=outsider.pk).count() == 2


def test_a_removed_member_loses_access_at_once_and_the_refusal_is_audited(
    client_for: Any, make_user: Any, case: Any, add_member: Any, small: Any, make_assessment: Any
) -> None:
    user = make_user("assessor")
    membership = add_member(case, user, CaseRole.ASSESSOR)
    signed = make_assessment(case, small, user, signed=True)
    client = client_for(user)
    assert client.get(f"/assessments/cases/{case.code}/{signed.code}/").status_code == 200
    membership.removed_at = timezone.now()
    membership.save()
    assert client.get(f"/assessments/cases/{case.code}/{signed.code}/").status_code == 404
    assert AuditEntry.objects.filter(event="access.denied", actor_id=user.pk).exists()


def test_a_member_without_any_part_gets_forbidden_and_it_is_audited(
    client_for: Any, make_user: Any, case: Any, add_member: Any
) -> None:
    mentor = make_user("practitioner")
    add_member(case, mentor, CaseRole.MENTOR)
    assert client_for(mentor).get(f"/assessments/cases/{case.code}/").status_code == 403
    assert AuditEntry.objects.filter(event="access.denied", actor_id=mentor.pk).exists()


def test_police_liaison_sees_the_summary_judgement_only_by_default(
    client_for: Any, make_user: Any, case: Any, add_member: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    signed = make_assessment(case, small, assessor, signed=True)
    draft = make_assessment(case, small, assessor)
    client = client_for(police)
    page = client.get(f"/assessments/cases/{case.code}/{signed.code}/")
    assert page.status_code == 200
    assert "assessments/assessment_summary.html" in [t.name for t in page.templates]
    body = page.content.decode()
    assert "Reasoned judgement." in body and "Seen in interview." not in body and "Interview" not in body
    assert client.get(f"/assessments/cases/{case.code}/{draft.code}/").status_code == 404
    assert client.get(f"/assessments/cases/{case.code}/change/").status_code == 403
    listing = client.get(f"/assessments/cases/{case.code}/")
    assert [a.code for a in listing.context["assessments"]] == [signed.code]


def test_across_organisations_the_agreement_must_cover_assessments(
    make_user: Any, other_org: Any, case: Any, add_member: Any, agreement: Any, org: Any
) -> None:
    police = make_user("practitioner", organisation=other_org)
    add_member(case, police, CaseRole.POLICE_LIAISON)
    agreement(org, other_org, categories=[Section.SUMMARY, Section.CONFERENCES])
    assert parts_for(police, case) == Parts.NONE
    agreement(org, other_org, categories=[Section.SUMMARY, Section.ASSESSMENTS])
    clear_cache(police)
    assert parts_for(police, case) == Parts.SUMMARY


def test_an_organisation_admin_narrows_or_widens_what_a_role_sees_within_the_grants(
    client_for: Any, make_user: Any, case: Any, add_member: Any, org: Any
) -> None:
    admin = make_user("org_admin")
    officer = make_user("practitioner")
    police = make_user("practitioner")
    add_member(case, officer, CaseRole.PROBATION_OFFICER)
    add_member(case, police, CaseRole.POLICE_LIAISON)
    client = client_for(admin)
    assert (
        client.post("/assessments/visibility/probation_officer/", {"parts": "summary", "version": 0}).status_code == 302
    )
    assert client.post("/assessments/visibility/police_liaison/", {"parts": "full", "version": 0}).status_code == 302
    assert parts_for(officer, case) == Parts.SUMMARY
    # Never more than the grants table: a police liaison is capped at the summary.
    assert parts_for(police, case) == Parts.SUMMARY
    assert AssessmentVisibility.objects.filter(organisation=org).count() == 2
    assert AuditEntry.objects.filter(event="data.updated", actor_id=admin.pk).count() == 2


def test_the_visibility_form_shows_the_other_change_on_a_conflict(client_for: Any, make_user: Any, org: Any) -> None:
    first, second = client_for(make_user("org_admin")), client_for(make_user("org_admin"))
    assert first.post("/assessments/visibility/mentor/", {"parts": "summary", "version": 0}).status_code == 302
    response = second.post("/assessments/visibility/mentor/", {"parts": "none", "version": 0})
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    assert response.context["conflict_parts"] == Parts.SUMMARY.label
    assert AssessmentVisibility.objects.get(case_role="mentor").parts == "summary"


def test_only_organisation_admins_choose_who_sees_assessments(client_for: Any, make_user: Any) -> None:
    assert client_for(make_user("coordinator")).get("/assessments/visibility/").status_code == 403
    assert client_for(make_user("platform_admin")).get("/assessments/visibility/").status_code == 403
    assert client_for(make_user("org_admin")).get("/assessments/visibility/").status_code == 200
