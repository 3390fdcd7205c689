"""Cases: a list that shows only the user's own cases in a fixed number of queries; opening a case
with its identity kept apart and encrypted; the summary, timeline and identity read and audited
within each case role's sections; phase moves with their reasons, release and closure rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from rightpath.accounts.models import Organisation
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import (
    Approval,
    Case,
    CaseMembership,
    Conference,
    Identity,
    PhaseChange,
    PlanReview,
    Referral,
    Session,
    Transfer,
)
from rightpath.cases.services import case as services
from rightpath.cases.vocab import CaseRole, Phase

YEAR = timezone.localdate().year


def url(name: str, case: Case | None = None, **kwargs: Any) -> str:
    if case is not None:
        kwargs["code"] = case.code
    return reverse(f"cases:{name}", kwargs=kwargs or None)


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def make_case(org: Organisation) -> Any:
    counter = {"n": 0}

    def make(lead: Organisation | None = None, **extra: Any) -> Case:
        counter["n"] += 1
        return Case.objects.create(
            reference=f"XK-2025-{counter['n'] + 100:04d}",
            category=extra.pop("category", "returnee"),
            lead_organisation=lead or org,
            legal_basis="public_task",
            **extra,
        )

    return make


def open_form(**overrides: Any) -> dict[str, Any]:
    return {
        "category": "returnee",
        "legal_basis": "public_task",
        "legal_basis_note": "Law on execution of criminal sanctions, art. 12",
        "given_names": "Arben",
        "family_name": "Krasniqi",
        "birth_date": "1990-04-12",
        "identity_numbers": "1234567890",
        "addresses": "Rruga e Dëshmorëve 5, Prishtinë",
        **overrides,
    }


# --- the case list --------------------------------------------------------------------------------


def test_list_shows_only_the_users_own_cases_with_their_case_role(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, other_org: Organisation
) -> None:
    me = make_user("practitioner")
    mine, minor_case, not_mine, removed, foreign = (
        make_case(),
        make_case(is_minor=True, is_woman=True, best_interests_note="School first"),
        make_case(),
        make_case(),
        make_case(lead=other_org),
    )
    add_member(mine, me, CaseRole.SOCIAL_WORKER)
    add_member(minor_case, me, CaseRole.PSYCHOLOGIST)
    add_member(removed, me, CaseRole.MENTOR, removed_at=timezone.now())
    add_member(foreign, me, CaseRole.MENTOR)  # no agreement with the other organisation
    response = client_for(me).get(url("case_list"))
    assert response.status_code == 200
    shown = {c.reference for c in response.context["object_list"]}
    assert shown == {mine.reference, minor_case.reference}
    html = response.content.decode()
    assert not_mine.reference not in html and removed.reference not in html and foreign.reference not in html
    assert "Social worker" in html and "Psychologist" in html
    entry = AuditEntry.objects.filter(event="data.read", actor_id=me.pk).latest("pk")
    assert entry.data["section"] == "case_list" and set(entry.data["cases"]) == {str(mine.code), str(minor_case.code)}


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"phase": "prison"}, {"in_prison"}),
        ({"category": "family"}, {"family"}),
        ({"minor": "1"}, {"minor"}),
        ({"woman": "1"}, {"woman"}),
        ({"q": "2025-0102"}, {"family"}),
        ({"phase": "bogus", "category": "bogus"}, {"in_prison", "family", "minor", "woman"}),
    ],
)
def test_list_filters(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, params: dict[str, str], expected: set[str]
) -> None:
    me = make_user("practitioner")
    cases = {
        "in_prison": make_case(phase="prison"),
        "family": make_case(category="family"),
        "minor": make_case(is_minor=True),
        "woman": make_case(is_woman=True),
    }
    for c in cases.values():
        add_member(c, me, CaseRole.SOCIAL_WORKER)
    response = client_for(me).get(url("case_list"), params)
    shown = {c.reference for c in response.context["object_list"]}
    assert shown == {cases[k].reference for k in expected}


def test_list_filters_by_lead_organisation(
    client_for: Any,
    make_user: Any,
    make_case: Any,
    add_member: Any,
    agreement: Any,
    org: Organisation,
    other_org: Organisation,
) -> None:
    me = make_user("practitioner")
    own, partner = make_case(), make_case(lead=other_org)
    add_member(own, me, CaseRole.SOCIAL_WORKER)
    add_member(partner, me, CaseRole.SOCIAL_WORKER)
    agreement(org, other_org, categories=["summary", "plan"])
    response = client_for(me).get(url("case_list"), {"lead": str(other_org.code)})
    assert [c.reference for c in response.context["object_list"]] == [partner.reference]
    assert {o.name for o in response.context["leads"]} == {org.name, other_org.name}


@pytest.mark.parametrize("rows", [3, 30])
def test_list_query_count_does_not_grow_with_cases_or_members(
    client_for: Any, make_user: Any, make_case: Any, add_member: Any, rows: int, django_assert_num_queries: Any
) -> None:
    me = make_user("coordinator")
    colleagues = [make_user("practitioner") for _ in range(5)]
    for _i in range(rows):
        c = make_case()
        add_member(c, me, CaseRole.COORDINATOR)
        add_member(c, me, CaseRole.SUPERVISOR)
        for colleague in colleagues:
            add_member(c, colleague, CaseRole.SOCIAL_WORKER)
    client = client_for(me)
    # Session, user, OTP device, count, page, my memberships on the page, lead organisations, audit
    # insert, roles (buttons and navigation), session save with its savepoint.
    with django_assert_num_queries(12):
        response = client.get(url("case_list"))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(rows, 25)


def test_platform_administrator_sees_no_cases(client_for: Any, make_user: Any, make_case: Any) -> None:
    admin = make_user("platform_admin")
    make_case()
    response = client_for(admin).get(url("case_list"))
    assert list(response.context["object_list"]) == []


# --- opening a case -------------------------------------------------------------------------------


def test_coordinator_opens_a_case_with_identity_encrypted_and_becomes_its_coordinator(
    client_for: Any, make_user: Any, org: Organisation
) -> None:
    me = make_user("coordinator")
    response = client_for(me).post(url("case_create"), open_form())
    case = Case.objects.get(created_by=me)
    assert response.status_code == 302 and response["Location"] == url("case_detail", case)
    assert case.reference == f"XK-{YEAR}-0001"
    assert (case.lead_organisation, case.phase, case.legal_basis) == (org, Phase.REFERRAL, "public_task")
    identity = Identity.objects.get(case=case)
    assert (identity.given_names, identity.family_name, identity.birth_date) == ("Arben", "Krasniqi", "1990-04-12")
    assert identity.blind_index == services.identity_blind_index("Arben", "Krasniqi", "1990-04-12")
    with connection.cursor() as cursor:
        cursor.execute("SELECT given_names, addresses FROM cases_identity WHERE id = %s", [identity.pk])
        stored = cursor.fetchone()
    assert "Arben" not in stored[0] and "Prishtin" not in stored[1]
    membership = CaseMembership.objects.get(case=case)
    assert (membership.user, membership.role, membership.organisation) == (me, CaseRole.COORDINATOR, org)
    change = PhaseChange.objects.get(case=case)
    assert (change.from_phase, change.to_phase, change.changed_by) == ("", Phase.REFERRAL, me)
    entry = AuditEntry.objects.get(event="data.created", target_id=str(case.code))
    assert "Arben" not in str(entry.data) and "Krasniqi" not in str(entry.data) and "1234567890" not in str(entry.data)
    assert "given_names" in entry.data["identity_fields"]


@pytest.mark.parametrize("kind", ["municipality", "panel"])
def test_a_municipal_referral_mechanism_or_a_local_panel_leads_the_case_it_opens(
    client_for: Any, make_user: Any, make_org: Any, kind: str
) -> None:
    local = make_org("Gjilan local body", type=kind, level="municipal", municipality="Gjilan")
    me = make_user("coordinator", organisation=local)
    client_for(me).post(url("case_create"), open_form())
    case = Case.objects.get(created_by=me)
    assert case.lead_organisation == local
    assert CaseMembership.objects.get(case=case).role == CaseRole.COORDINATOR
    assert client_for(me).get(url("case_detail", case)).status_code == 200


def test_references_follow_a_sequence_per_country_and_year(make_user: Any, make_org: Any) -> None:
    xk, ba = make_user("coordinator"), make_user("coordinator", organisation=make_org("CSW Sarajevo", country="BA"))
    refs = [
        services.case_open(actor=u, **{**open_form(), "given_names": f"P{i}", "birth_date": None}).reference
        for i, u in enumerate([xk, xk, ba])
    ]
    assert refs == [f"XK-{YEAR}-0001", f"XK-{YEAR}-0002", f"BA-{YEAR}-0001"]


def test_a_reference_taken_at_the_same_moment_is_retried(make_user: Any, org: Organisation, monkeypatch: Any) -> None:
    me = make_user("coordinator")
    Case.objects.create(
        reference=f"XK-{YEAR}-0007", category="returnee", lead_organisation=org, legal_basis="public_task"
    )
    real = services.next_reference

    def racing(country: str, year: int, *, skip: int = 0) -> str:
        # Another coordinator took number 7 between our look-up and our insert.
        return f"XK-{YEAR}-0007" if skip == 0 else real(country, year, skip=skip - 1)

    monkeypatch.setattr(services, "next_reference", racing)
    case = services.case_open(actor=me, **open_form())
    assert case.reference == f"XK-{YEAR}-0008"


def test_a_reference_that_keeps_colliding_gives_up(make_user: Any, org: Organisation, monkeypatch: Any) -> None:
    me = make_user("coordinator")
    Case.objects.create(
        reference=f"XK-{YEAR}-0007", category="returnee", lead_organisation=org, legal_basis="public_task"
    )
    monkeypatch.setattr(services, "next_reference", lambda country, year, *, skip=0: f"XK-{YEAR}-0007")
    with pytest.raises(IntegrityError):
        services.case_open(actor=me, **open_form())
    assert Case.objects.count() == 1


def test_a_minor_without_best_interests_note_is_refused(client_for: Any, make_user: Any) -> None:
    me = make_user("coordinator")
    response = client_for(me).post(url("case_create"), open_form(is_minor="on", best_interests_note="  "))
    assert response.status_code == 200
    assert "best interests" in response.content.decode()
    assert not Case.objects.exists() and not Identity.objects.exists()


def test_a_minor_with_best_interests_note_is_opened(client_for: Any, make_user: Any) -> None:
    me = make_user("coordinator")
    client_for(me).post(url("case_create"), open_form(is_minor="on", best_interests_note="Back to school first."))
    case = Case.objects.get()
    assert case.is_minor and case.best_interests_note == "Back to school first."


def test_consent_is_refused_as_legal_basis_under_the_law_enforcement_regime(
    client_for: Any, make_user: Any, make_org: Any
) -> None:
    prison = make_org("Dubrava Prison", type="prison", data_regime=Organisation.DataRegime.LAW_ENFORCEMENT)
    me = make_user("coordinator", organisation=prison)
    response = client_for(me).post(url("case_create"), open_form(legal_basis="consent"))
    assert response.status_code == 200
    assert "law-enforcement" in response.content.decode()
    assert not Case.objects.exists()
    # Public task is fine there, and consent is fine under the general regime.
    client_for(me).post(url("case_create"), open_form(legal_basis="public_task"))
    assert Case.objects.filter(lead_organisation=prison).count() == 1
    ngo_user = make_user("coordinator")
    client_for(ngo_user).post(url("case_create"), open_form(legal_basis="consent", given_names="Other"))
    assert Case.objects.filter(legal_basis="consent").count() == 1


def test_the_form_explains_that_consent_is_rarely_the_basis(client_for: Any, make_user: Any) -> None:
    response = client_for(make_user("coordinator")).get(url("case_create"))
    assert "consent is rarely" in response.content.decode()


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"given_names": ""}, "given_names"),
        ({"category": "tourist"}, "category"),
        ({"legal_basis": ""}, "legal_basis"),
        ({"birth_date": "2999-01-01"}, "birth_date"),
        ({"birth_date": "12/04/1990x"}, "birth_date"),
    ],
)
def test_bad_input_changes_nothing(client_for: Any, make_user: Any, overrides: dict[str, str], field: str) -> None:
    response = client_for(make_user("coordinator")).post(url("case_create"), open_form(**overrides))
    assert response.status_code == 200
    assert response.context["form"].errors.get(field)
    assert not Case.objects.exists()


def test_duplicate_warning_within_own_organisation_and_opening_after_confirmation(
    client_for: Any, make_user: Any, add_member: Any
) -> None:
    me, colleague = make_user("coordinator"), make_user("coordinator")
    first = services.case_open(actor=colleague, **open_form())
    client = client_for(me)
    # Spelling variants meet in the blind index.
    response = client.post(url("case_create"), open_form(given_names="ARBEN ", family_name="Krasniqi"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "may already have a case" in html
    # I am not on the colleague's case: its reference is not shown, only that it exists.
    assert first.reference not in html and response.context["duplicate"].others == 1
    assert Case.objects.count() == 1
    add_member(first, me, CaseRole.SOCIAL_WORKER)
    response = client.post(url("case_create"), open_form())
    assert first.reference in response.content.decode()
    response = client.post(url("case_create"), open_form(confirm_duplicate="on"))
    assert response.status_code == 302 and Case.objects.count() == 2
    entry = AuditEntry.objects.filter(event="data.created").latest("pk")
    assert entry.data["duplicate_confirmed"] is True


def test_no_duplicate_warning_for_another_organisations_case(
    client_for: Any, make_user: Any, other_org: Organisation
) -> None:
    services.case_open(actor=make_user("coordinator", organisation=other_org), **open_form())
    response = client_for(make_user("coordinator")).post(url("case_create"), open_form())
    assert response.status_code == 302
    assert Case.objects.count() == 2


def test_only_coordinators_open_cases(client_for: Any, make_user: Any) -> None:
    worker = make_user("practitioner")
    assert client_for(worker).post(url("case_create"), open_form()).status_code == 403
    assert not Case.objects.exists()
    assert AuditEntry.objects.filter(event="access.denied", actor_id=worker.pk).exists()


# --- detail, timeline, identity -------------------------------------------------------------------


def test_detail_is_audited_and_shows_only_the_sections_the_role_allows(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any
) -> None:
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    response = client_for(police).get(url("case_detail", case))
    assert response.status_code == 200
    html = response.content.decode()
    assert case.reference in html and "Police liaison" in html and "Coordinator" in html
    assert url("session_list", case) not in html and url("plan", case) in html
    assert url("case_phase", case) not in html
    entry = AuditEntry.objects.filter(event="data.read", actor_id=police.pk).latest("pk")
    assert entry.data == {"section": "summary"} and entry.target_id == str(case.code)
    coordinator_html = client_for(coordinator).get(url("case_detail", case)).content.decode()
    assert url("session_list", case) in coordinator_html and url("case_phase", case) in coordinator_html


def test_detail_answers_not_found_to_a_non_member_and_audits_it(client_for: Any, make_user: Any, case: Case) -> None:
    outsider = make_user("coordinator")
    for name in ("case_detail", "case_timeline", "case_identity", "case_team", "case_phase"):
        assert client_for(outsider).get(url(name, case)).status_code == 404
    assert AuditEntry.objects.filter(event="access.denied", actor_id=outsider.pk).count() == 5


@pytest.mark.parametrize("members", [1, 20])
def test_detail_query_count_does_not_grow_with_the_team(
    client_for: Any,
    make_user: Any,
    case: Case,
    add_member: Any,
    coordinator: Any,
    members: int,
    django_assert_num_queries: Any,
) -> None:
    for _i in range(members):
        add_member(case, make_user("practitioner"), CaseRole.MENTOR)
    client = client_for(coordinator)
    # Session, user, OTP device, case, my memberships, team, closure pending, audit insert,
    # navigation roles, session save with its savepoint.
    with django_assert_num_queries(12):
        assert client.get(url("case_detail", case)).status_code == 200


def _identity(case: Case) -> Identity:
    return Identity.objects.create(
        case=case,
        given_names="Arben",
        family_name="Krasniqi",
        birth_date="1990-04-12",
        blind_index=services.identity_blind_index("Arben", "Krasniqi", "1990-04-12"),
    )


def test_identity_is_shown_decrypted_and_audited_separately(client_for: Any, case: Case, coordinator: Any) -> None:
    _identity(case)
    response = client_for(coordinator).get(url("case_identity", case))
    assert response.status_code == 200 and "Krasniqi" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.filter(event="data.read", actor_id=coordinator.pk).latest("pk")
    assert entry.data == {"section": "identity"}


def test_police_liaison_cannot_open_the_identity_of_a_minor(
    client_for: Any, make_user: Any, case: Case, add_member: Any
) -> None:
    _identity(case)
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    assert client_for(police).get(url("case_identity", case)).status_code == 200
    case.is_minor = True
    case.best_interests_note = "Protect schooling"
    case.save()
    response = client_for(police).get(url("case_identity", case))
    assert response.status_code == 403
    assert "Krasniqi" not in response.content.decode()
    assert AuditEntry.objects.filter(event="access.denied", actor_id=police.pk).exists()
    assert url("case_identity", case) not in client_for(police).get(url("case_detail", case)).content.decode()


def test_identity_edit_refreshes_the_blind_index(client_for: Any, case: Case, coordinator: Any) -> None:
    identity = _identity(case)
    data = {"given_names": "Arben", "family_name": "Krasniqi-Berisha", "birth_date": "1990-04-12", "version": 1}
    response = client_for(coordinator).post(url("case_identity_edit", case), data)
    assert response.status_code == 302
    identity.refresh_from_db()
    assert (identity.family_name, identity.version) == ("Krasniqi-Berisha", 2)
    assert identity.blind_index == services.identity_blind_index("Arben", "Krasniqi-Berisha", "1990-04-12")
    entry = AuditEntry.objects.filter(event="data.updated", target_id=str(case.code)).latest("pk")
    assert entry.data == {"section": "identity", "fields": ["family_name"]}


def test_identity_edit_conflict_shows_the_other_version_and_changes_nothing(
    client_for: Any, case: Case, coordinator: Any
) -> None:
    identity = _identity(case)
    stale = {"given_names": "Arben", "family_name": "Mine", "birth_date": "1990-04-12", "version": 1}
    # Someone else saved first.
    identity.family_name, identity.version = "Theirs", 2
    identity.save()
    response = client_for(coordinator).post(url("case_identity_edit", case), stale)
    assert response.status_code == 200
    assert "Theirs" in response.content.decode() and "Someone else saved" in response.content.decode()
    identity.refresh_from_db()
    assert identity.family_name == "Theirs"
    assert response.context["form"].data["version"] == identity.version


def test_identity_is_recorded_when_none_exists(client_for: Any, case: Case, coordinator: Any) -> None:
    data = {"given_names": "Besa", "family_name": "Hoxha", "birth_date": "", "version": 0}
    assert client_for(coordinator).post(url("case_identity_edit", case), data).status_code == 302
    assert Identity.objects.get(case=case).family_name == "Hoxha"


def test_identity_write_needs_the_write_grant(client_for: Any, make_user: Any, case: Case, add_member: Any) -> None:
    probation = make_user("practitioner")
    add_member(case, probation, CaseRole.PROBATION_OFFICER)
    assert client_for(probation).get(url("case_identity_edit", case)).status_code == 403


def _session(case: Case, provider: Any) -> Session:
    return Session.objects.create(
        case=case,
        type="individual",
        provider=provider,
        organisation=provider.organisation,
        held_on=timezone.localdate() - timedelta(days=1),
        duration_minutes=45,
        notes="Confidential therapy notes",
    )


def test_timeline_shows_only_readable_sections_and_a_police_liaison_sees_no_sessions(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any
) -> None:
    psychologist, police = make_user("practitioner"), make_user("practitioner")
    add_member(case, psychologist, CaseRole.PSYCHOLOGIST)
    add_member(case, police, CaseRole.POLICE_LIAISON)
    _session(case, psychologist)
    services.case_phase_change(
        case, actor=coordinator, expected_version=case.version, to_phase="assessment", reason="Intake done"
    )

    kinds = {e["kind"] for e in client_for(psychologist).get(url("case_timeline", case)).context["object_list"]}
    assert {"session", "phase", "member_added"} <= kinds
    response = client_for(police).get(url("case_timeline", case))
    assert response.status_code == 200
    kinds = {e["kind"] for e in response.context["object_list"]}
    assert "session" not in kinds and "phase" in kinds
    html = response.content.decode()
    assert "Individual session" not in html and "Confidential" not in html and "Intake done" in html
    entry = AuditEntry.objects.filter(event="data.read", actor_id=police.pk).latest("pk")
    assert entry.data["section"] == "timeline"


@pytest.mark.parametrize("rows", [2, 40])
def test_timeline_query_count_does_not_grow(
    client_for: Any,
    make_user: Any,
    case: Case,
    add_member: Any,
    coordinator: Any,
    rows: int,
    django_assert_num_queries: Any,
) -> None:
    for _i in range(rows):
        _session(case, coordinator)
        add_member(case, make_user("practitioner"), CaseRole.MENTOR)
    client = client_for(coordinator)
    # Session, user, OTP device, case, my memberships, then one query per kind of event (phase
    # changes, memberships, sessions, referrals, transfers, conferences, plan reviews), audit insert,
    # navigation roles, session save with its savepoint.
    with django_assert_num_queries(17):
        response = client.get(url("case_timeline", case))
    assert response.status_code == 200
    assert len(response.context["object_list"]) == min(2 * rows + 1, 30)


# --- phases ---------------------------------------------------------------------------------------


def test_phase_change_is_recorded_with_its_reason(client_for: Any, case: Case, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        url("case_phase", case), {"to_phase": "assessment", "reason": "Intake interview done", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.phase == "assessment"
    change = PhaseChange.objects.get(case=case)
    assert (change.from_phase, change.to_phase, change.reason, change.changed_by) == (
        "referral",
        "assessment",
        "Intake interview done",
        coordinator,
    )
    assert AuditEntry.objects.filter(event="data.updated", target_id=str(case.code)).exists()


def test_phase_change_needs_a_reason(client_for: Any, case: Case, coordinator: Any) -> None:
    response = client_for(coordinator).post(
        url("case_phase", case), {"to_phase": "assessment", "reason": "  ", "version": case.version}
    )
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.phase == "referral" and not PhaseChange.objects.exists()


def test_release_preparation_needs_a_receiving_organisation(
    client_for: Any, case: Case, coordinator: Any, other_org: Organisation
) -> None:
    client = client_for(coordinator)
    response = client.post(
        url("case_phase", case), {"to_phase": "release", "reason": "Release in 3 months", "version": case.version}
    )
    assert response.status_code == 200
    assert "receiving organisation" in str(response.context["form"].errors["receiving_organisation"])
    case.refresh_from_db()
    assert case.phase == "referral" and case.receiving_organisation is None
    response = client.post(
        url("case_phase", case),
        {
            "to_phase": "release",
            "reason": "Release in 3 months",
            "receiving_organisation": other_org.pk,
            "version": case.version,
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.phase, case.receiving_organisation) == ("release", other_org)


def test_concurrent_phase_moves_are_caught(client_for: Any, case: Case, coordinator: Any) -> None:
    stale = case.version
    services.case_phase_change(case, actor=coordinator, expected_version=stale, to_phase="assessment", reason="First")
    response = client_for(coordinator).post(
        url("case_phase", case), {"to_phase": "prison", "reason": "Second", "version": stale}
    )
    assert response.status_code == 200 and "Someone else" in response.content.decode()
    case.refresh_from_db()
    assert case.phase == "assessment" and PhaseChange.objects.count() == 1


def test_closing_without_approval_closes_at_once(client_for: Any, case: Case, coordinator: Any) -> None:
    client_for(coordinator).post(
        url("case_phase", case), {"to_phase": "closed", "reason": "Goals met", "version": case.version}
    )
    case.refresh_from_db()
    assert case.phase == "closed" and case.closed_at is not None
    with pytest.raises(ValidationError):
        services.case_phase_change(
            case, actor=coordinator, expected_version=case.version, to_phase="aftercare", reason="x"
        )


def test_closing_with_approval_required_waits_for_the_supervisor(
    client_for: Any, make_user: Any, case: Case, coordinator: Any, org: Organisation
) -> None:
    org.approval_required = True
    org.save()
    supervisor = make_user("supervisor")
    client_for(coordinator).post(
        url("case_phase", case), {"to_phase": "closed", "reason": "Goals met", "version": case.version}
    )
    case.refresh_from_db()
    assert case.phase == "referral" and case.closed_at is None
    approval = Approval.objects.get(case=case)
    assert (approval.kind, approval.organisation, approval.requested_by, approval.status) == (
        "closure",
        org,
        coordinator,
        "pending",
    )
    assert supervisor.notifications.filter(kind="approval", case=case).exists()
    with pytest.raises(ValidationError, match="already waiting"):
        services.case_phase_change(
            case, actor=coordinator, expected_version=case.version, to_phase="closed", reason="Again"
        )

    # The approvals part approves, then asks this part to close.
    approval.status, approval.decided_by, approval.reason = "approved", supervisor, "Agreed"
    approval.save()
    services.case_close_after_approval(case, approval=approval)
    case.refresh_from_db()
    assert case.phase == "closed" and case.closed_at is not None
    change = PhaseChange.objects.get(case=case, to_phase="closed")
    assert change.changed_by == coordinator and "Goals met" in change.reason and "Agreed" in change.reason
    # Applying it twice changes nothing.
    services.case_close_after_approval(case, approval=approval)
    assert PhaseChange.objects.filter(case=case, to_phase="closed").count() == 1


def test_closure_is_never_applied_without_approval(case: Case, coordinator: Any, org: Organisation) -> None:
    approval = Approval.objects.create(case=case, kind="closure", organisation=org, requested_by=coordinator)
    with pytest.raises(ValueError):
        services.case_close_after_approval(case, approval=approval)
    case.refresh_from_db()
    assert case.phase == "referral"


def test_only_the_lead_coordinator_moves_the_phase(
    client_for: Any, make_user: Any, case: Case, add_member: Any
) -> None:
    worker = make_user("practitioner")
    add_member(case, worker, CaseRole.SOCIAL_WORKER)
    assert client_for(worker).get(url("case_phase", case)).status_code == 403
    assert (
        client_for(worker)
        .post(url("case_phase", case), {"to_phase": "closed", "reason": "x", "version": 1})
        .status_code
        == 403
    )
    case.refresh_from_db()
    assert case.phase == "referral"


def test_timeline_tells_every_kind_of_event_to_a_reader_of_every_section(
    client_for: Any, make_user: Any, case: Case, add_member: Any, coordinator: Any, other_org: Organisation
) -> None:
    _session(case, coordinator)
    Referral.objects.create(
        case=case, from_organisation=case.lead_organisation, to_organisation=other_org, service="Housing"
    )
    Transfer.objects.create(case=case, from_organisation=case.lead_organisation, to_organisation=other_org)
    Conference.objects.create(case=case, held_on=timezone.localdate(), chair=coordinator, decisions="Meet monthly")
    PlanReview.objects.create(
        case=case, reviewed_by=coordinator, summary="Private summary", next_review_on=timezone.localdate()
    )
    leaver = add_member(case, make_user("practitioner"), CaseRole.MENTOR, removed_at=timezone.now())
    response = client_for(coordinator).get(url("case_timeline", case))
    kinds = {e["kind"] for e in response.context["object_list"]}
    assert kinds == {
        "session",
        "referral",
        "transfer",
        "conference",
        "plan_review",
        "member_added",
        "member_removed",
    }
    html = response.content.decode()
    assert f"Referral to {other_org.name}" in html and "Lead transfer from" in html and "Case conference" in html
    assert "Plan reviewed" in html and f"{leaver.user.get_full_name()} left the team" in html
    assert "Private summary" not in html and "Confidential" not in html
