"""The permission matrix, generated from the same GRANTS table the policy uses: every case role ×
every section × read/write, plus the outsiders: another organisation's user, a removed member, a
member whose agreement expired, a member whose agreement does not cover the section, and the
platform administrator."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rightpath.access.policy import can, visible
from rightpath.cases.models import Case
from rightpath.cases.policy import GRANTS, MINOR_EXCLUDED, RW, SectionRef, clear_cache
from rightpath.cases.vocab import CaseRole, Section

MATRIX = [(role, section, mode) for role in GRANTS for section in Section for mode in ("read", "write")]


def _expected(role: str, section: str, mode: str, *, minor: bool = False) -> bool:
    granted = GRANTS[role].get(section)
    if granted and minor and section in MINOR_EXCLUDED.get(role, set()):
        granted = None
    return bool(granted) and (mode == "read" or granted == RW)


@pytest.mark.parametrize("role,section,mode", MATRIX, ids=[f"{r}-{s}-{m}" for r, s, m in MATRIX])
def test_member_of_the_lead_organisation_gets_exactly_the_grant(
    make_user: Any, case: Case, add_member: Any, role: str, section: str, mode: str
) -> None:
    user = make_user("practitioner")
    add_member(case, user, role)
    decision = can(user, f"cases.section.{mode}", SectionRef(case, section))
    assert decision.allowed is _expected(role, section, mode), decision.reason
    if not decision.allowed:
        assert not decision.conceal  # a member without the right is told "forbidden", not "not found"


@pytest.mark.parametrize("role", list(MINOR_EXCLUDED))
def test_minors_files_remove_the_restricted_sections(make_user: Any, case: Case, add_member: Any, role: str) -> None:
    case.is_minor = True
    case.save()
    user = make_user("practitioner")
    add_member(case, user, role)
    for section in Section:
        assert can(user, "cases.section.read", SectionRef(case, section)).allowed is _expected(
            role, section, "read", minor=True
        )


@pytest.mark.parametrize("section", list(Section))
def test_member_of_another_organisation_needs_an_agreement_covering_the_section(
    make_user: Any, case: Case, add_member: Any, agreement: Any, other_org: Any, org: Any, section: str
) -> None:
    outsider = make_user("practitioner", organisation=other_org)
    add_member(case, outsider, CaseRole.COORDINATOR)
    assert not can(outsider, "cases.section.read", SectionRef(case, section))  # no agreement yet
    agreement(org, other_org, categories=["plan", "sessions"])
    clear_cache(outsider)
    covered = section in ("plan", "sessions", "summary")
    assert can(outsider, "cases.section.read", SectionRef(case, section)).allowed is covered


def test_expired_agreement_ends_access_at_once(
    make_user: Any, case: Case, add_member: Any, agreement: Any, other_org: Any, org: Any
) -> None:
    outsider = make_user("practitioner", organisation=other_org)
    add_member(case, outsider, CaseRole.SOCIAL_WORKER)
    deal = agreement(org, other_org, categories=[s.value for s in Section])
    assert can(outsider, "cases.section.read", SectionRef(case, "plan"))
    assert list(visible(outsider, "cases.case.view", Case.objects.all())) == [case]
    deal.valid_until = timezone.localdate() - timedelta(days=1)
    deal.save()
    clear_cache(outsider)
    assert not can(outsider, "cases.section.read", SectionRef(case, "plan"))
    assert list(visible(outsider, "cases.case.view", Case.objects.all())) == []


def test_terminated_agreement_ends_access(
    make_user: Any, case: Case, add_member: Any, agreement: Any, other_org: Any, org: Any
) -> None:
    outsider = make_user("practitioner", organisation=other_org)
    add_member(case, outsider, CaseRole.SOCIAL_WORKER)
    deal = agreement(org, other_org, categories=["plan"])
    deal.terminated_at = timezone.now()
    deal.save()
    assert not can(outsider, "cases.case.view", case)


def test_removed_member_is_treated_as_a_stranger(make_user: Any, case: Case, add_member: Any) -> None:
    user = make_user("practitioner")
    membership = add_member(case, user, CaseRole.PROBATION_OFFICER)
    assert can(user, "cases.case.view", case)
    membership.removed_at = timezone.now()
    membership.save()
    clear_cache(user)
    decision = can(user, "cases.section.read", SectionRef(case, "plan"))
    assert not decision and decision.conceal
    assert list(visible(user, "cases.case.view", Case.objects.all())) == []


def test_membership_outside_its_dates_gives_nothing(make_user: Any, case: Case, add_member: Any) -> None:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.BREAK_GLASS, valid_until=timezone.now() - timedelta(minutes=1))
    assert not can(user, "cases.case.view", case)


def test_user_who_moved_to_another_organisation_loses_the_membership(
    make_user: Any, case: Case, add_member: Any, other_org: Any
) -> None:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.SOCIAL_WORKER)
    user.organisation = other_org
    user.save()
    clear_cache(user)
    assert not can(user, "cases.case.view", case)


@pytest.mark.parametrize("roles", [["platform_admin"], ["org_admin"], ["dpo"], ["coordinator"], ["supervisor"]])
def test_organisation_roles_alone_open_no_case(make_user: Any, case: Case, roles: list[str]) -> None:
    user = make_user(*roles)
    for section in Section:
        decision = can(user, "cases.section.read", SectionRef(case, section))
        assert not decision and decision.conceal
    assert list(visible(user, "cases.case.view", Case.objects.all())) == []


def test_another_organisations_user_sees_nothing(make_user: Any, case: Case, other_org: Any) -> None:
    stranger = make_user("coordinator", organisation=other_org)
    assert not can(stranger, "cases.case.view", case)
    assert list(visible(stranger, "cases.case.view", Case.objects.all())) == []


def test_inactive_user_loses_everything(make_user: Any, case: Case, add_member: Any) -> None:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.COORDINATOR)
    user.is_active = False
    assert not can(user, "cases.case.view", case)


def test_only_the_lead_coordinator_manages_the_team(
    make_user: Any, case: Case, add_member: Any, agreement: Any, other_org: Any, org: Any
) -> None:
    lead = make_user("coordinator")
    add_member(case, lead, CaseRole.COORDINATOR)
    partner = make_user("coordinator", organisation=other_org)
    add_member(case, partner, CaseRole.COORDINATOR)
    agreement(org, other_org, categories=["plan"])
    officer = make_user("practitioner")
    add_member(case, officer, CaseRole.PROBATION_OFFICER)
    assert can(lead, "cases.team.manage", case)
    assert not can(partner, "cases.team.manage", case)
    assert not can(officer, "cases.team.manage", case)


def test_case_list_scope_is_one_query_and_never_loads_other_cases(
    make_user: Any, org: Any, add_member: Any, django_assert_num_queries: Any
) -> None:
    user = make_user("practitioner")
    mine = []
    for i in range(20):
        c = Case.objects.create(
            reference=f"XK-2026-{i:04d}", category="offender", lead_organisation=org, legal_basis="public_task"
        )
        if i % 2 == 0:
            add_member(c, user, CaseRole.SOCIAL_WORKER)
            mine.append(c.pk)
    with django_assert_num_queries(1):
        ids = sorted(c.pk for c in visible(user, "cases.case.view", Case.objects.all()))
    assert ids == sorted(mine)
