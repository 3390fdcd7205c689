"""Case work journeys across organisations: a coordinator refers a person to another organisation,
which accepts; the prison hands the lead over to probation (with and without a supervisor's
approval); a police liaison sees where the plan stands but cannot open the session notes. Each
user signs in with their second factor in their own browser; axe checks every case page visited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from rightpath.accounts.models import Organisation
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, CaseMembership, PlanGoal, Referral, Session, SharingAgreement, Transfer
from rightpath.cases.vocab import CaseRole

from .conftest import axe_check, sign_in_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NOTES = "He spoke about his brother's return from the camp and his fear of the neighbours."
HAND_OVER_NOTE = "Release on 3 March; the receiving officer is Drita Berisha."


# --- set-up ----------------------------------------------------------------------------------------


def _case(reference: str, lead: Organisation, **extra: Any) -> Case:
    return Case.objects.create(
        reference=reference, category="offender", lead_organisation=lead, legal_basis="legal_obligation", **extra
    )


def _member(case: Case, user: Any, role: str) -> CaseMembership:
    return CaseMembership.objects.create(case=case, user=user, organisation=user.organisation, role=role)


def _agreement(*parties: Organisation, categories: list[str]) -> SharingAgreement:
    today = timezone.localdate()
    agreement = SharingAgreement.objects.create(
        title="Reintegration case work",
        legal_basis="public_task",
        purposes="Multi-agency reintegration case work",
        data_categories=categories,
        valid_from=today - timedelta(days=30),
        valid_until=today + timedelta(days=365),
    )
    agreement.parties.set(parties)
    return agreement


def _signed_in(new_context: Callable[..., BrowserContext], base: str, user: Any) -> Page:
    """A browser of its own for ``user``, signed in with their second factor."""
    page = new_context(bypass_csp=True).new_page()
    sign_in_verified(page, base, user)
    return page


def _open_case(page: Page, reference: str) -> None:
    """From anywhere: the main navigation's case list, then the case by its reference."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cases")
    axe_check(page, label="case list")
    page.locator("main table").get_by_role("link", name=reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Case summary")


def _case_nav(page: Page, name: str) -> None:
    page.get_by_role("navigation", name="Case file").get_by_role("link", name=name, exact=True).click()


def _fact(page: Page, term: str) -> Any:
    """The value beside ``term`` in the page's list of facts."""
    return page.locator("dl.facts dt", has_text=term).first.locator("xpath=following-sibling::dd[1]")


def _my_work(page: Page) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name="My work").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My work")
    axe_check(page, label="my work")


# --- 1. a referral to another organisation ---------------------------------------------------------


def test_coordinator_refers_the_person_to_another_organisation_which_accepts_and_joins_the_team(
    live_server: Any, new_context: Callable[..., BrowserContext], make_org: Any, make_user: Any
) -> None:
    base = live_server.url
    probation = make_org("Kosovo Probation Service", type="probation", data_regime="law_enforcement")
    social_work = make_org("Centre for Social Work Prishtina", type="social_work")
    _agreement(probation, social_work, categories=["summary", "plan_status", "plan", "sessions", "referrals"])
    case = _case("XK-2026-0107", probation, phase="probation")
    coordinator = make_user("coordinator", organisation=probation, username="arta")
    _member(case, coordinator, CaseRole.COORDINATOR)
    receiver = make_user("coordinator", organisation=social_work, username="besa")

    # The lead coordinator sends the referral from the case's referrals section.
    lead = _signed_in(new_context, base, coordinator)
    _open_case(lead, case.reference)
    axe_check(lead, label="case summary (lead coordinator)")
    _case_nav(lead, "Referrals")
    expect(lead.get_by_role("heading", level=1)).to_have_text("Referrals")
    expect(lead.locator("main table")).to_contain_text("No referrals yet.")
    axe_check(lead, label="referral list (empty)")
    lead.get_by_role("link", name="Send a referral").click()
    expect(lead.get_by_role("heading", level=1)).to_have_text("Send a referral")
    axe_check(lead, label="referral form")
    lead.get_by_label("Refer to").select_option(label=social_work.name)
    lead.get_by_label("Service asked for").fill("Family counselling for the children")
    lead.get_by_label("Message").fill("Two children, 6 and 9; the mother asks for support.")
    lead.get_by_role("button", name="Send the referral").click()

    expect(lead.get_by_role("heading", level=1)).to_have_text(f"Referral to {social_work.name}")
    expect(lead.locator(".messages")).to_contain_text(
        f"The referral was sent. The coordinators of {social_work.name} were told."
    )
    expect(_fact(lead, "Status")).to_have_text("Sent")
    axe_check(lead, label="referral detail (sent)")
    referral = Referral.objects.get(case=case)
    assert (referral.status, referral.to_organisation, referral.sent_by) == ("sent", social_work, coordinator)

    # The receiving coordinator finds it among the referrals to their organisation: the referral, not the case.
    other = _signed_in(new_context, base, receiver)
    _my_work(other)
    expect(other.locator("#referrals")).to_contain_text(case.reference)
    other.locator("#referrals").get_by_role("link", name="All referrals to your organisation").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Referrals to your organisation")
    row = other.locator("main table tbody tr", has_text=case.reference)
    expect(row).to_contain_text("Family counselling for the children")
    expect(row).to_contain_text(probation.name)
    expect(row).to_contain_text("Sent")
    axe_check(other, label="incoming referrals")
    # The case file itself stays unknown to them until they join its team.
    response = other.goto(f"{base}/cases/{case.code}/")
    assert response is not None and response.status == 404
    expect(other.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    other.go_back()
    row.get_by_role("link", name=case.reference).click()
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Referral from {probation.name}")
    expect(other.locator("main")).to_contain_text("Two children, 6 and 9; the mother asks for support.")
    axe_check(other, label="referral answer page")

    other.get_by_label("Accept the referral").check()
    other.get_by_label("Join the case team").check()
    other.get_by_label("Your role on the team").select_option(label="Social worker")
    other.get_by_role("button", name="Send the answer").click()
    expect(other.locator(".messages")).to_contain_text("The referral was accepted and you joined the case team.")
    expect(other.get_by_role("heading", level=1)).to_have_text(f"Referral to {social_work.name}")
    expect(_fact(other, "Status")).to_have_text("Accepted")
    axe_check(other, label="referral detail (receiving side, now on the team)")
    membership = CaseMembership.objects.get(case=case, user=receiver)
    assert (membership.role, membership.organisation) == (CaseRole.SOCIAL_WORKER, social_work)

    # The lead coordinator sees the answer, who gave it, and the response time.
    lead.reload()
    expect(_fact(lead, "Status")).to_have_text("Accepted")
    expect(_fact(lead, "Answered")).to_contain_text(receiver.get_full_name())
    expect(_fact(lead, "Response time")).not_to_be_empty()
    _case_nav(lead, "Referrals")
    row = lead.locator("main table tbody tr", has_text="Family counselling for the children")
    expect(row).to_contain_text("Accepted")
    expect(row).not_to_contain_text("waiting for")
    axe_check(lead, label="referral list (accepted)")
    referral.refresh_from_db()
    assert (referral.status, referral.answered_by) == ("accepted", receiver)


# --- 2. the prison hands the lead over to probation -------------------------------------------------


@pytest.fixture
def hand_over(make_org: Any, make_user: Any) -> dict[str, Any]:
    """A prison-led case in release preparation with probation named as the receiving organisation."""
    prison = make_org("Dubrava Prison", type="prison", data_regime="law_enforcement")
    probation = make_org("Kosovo Probation Service", type="probation", data_regime="law_enforcement")
    # The prison's team stays on the case after the hand-over and sees it under this agreement.
    _agreement(prison, probation, categories=["summary", "plan_status", "plan", "referrals"])
    case = _case("XK-2026-0042", prison, phase="release", receiving_organisation=probation)
    coordinator = make_user("coordinator", organisation=prison, username="prison-coordinator")
    _member(case, coordinator, CaseRole.COORDINATOR)
    officer = make_user("practitioner", organisation=prison, username="prison-officer")
    _member(case, officer, CaseRole.PRISON_OFFICER)
    Session.objects.create(
        case=case,
        type="individual",
        provider=officer,
        organisation=prison,
        held_on=timezone.localdate() - timedelta(days=20),
        duration_minutes=60,
        notes="Motivated for the welding course after release.",
    )
    receiver = make_user("coordinator", organisation=probation, username="probation-coordinator")
    return {
        "prison": prison,
        "probation": probation,
        "case": case,
        "coordinator": coordinator,
        "officer": officer,
        "receiver": receiver,
    }


def _start_hand_over(page: Page, case: Case, probation: Organisation) -> None:
    """The lead coordinator fills the hand-over checklist; a missing required item is refused first."""
    _open_case(page, case.reference)
    _case_nav(page, "Lead transfers")
    expect(page.get_by_role("heading", level=1)).to_have_text("Lead transfers")
    axe_check(page, label="lead transfers (none yet)")
    page.get_by_role("link", name="Hand over the lead").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hand over the lead")
    # The receiving organisation named on the case is offered first.
    expect(page.get_by_label("Receiving organisation")).to_have_value(str(probation.code))
    axe_check(page, label="hand-over form")

    for item in (
        "Release date confirmed (required)",
        "Individual plan reviewed and shared (required)",
        "Risk and needs assessment up to date (required)",
        "Receiving officer named (required)",
        "Identity documents checked (required)",
        "Consent or legal basis for sharing recorded (required)",
    ):
        page.get_by_label(item).check()
    page.get_by_label("Hand-over note").fill(HAND_OVER_NOTE)
    page.get_by_role("button", name="Send the hand-over").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Still open: Housing arranged or referred.")
    axe_check(page, label="hand-over form (checklist incomplete)")
    assert not Transfer.objects.filter(case=case).exists()

    # Nothing typed is lost; ticking the missing item completes the checklist.
    expect(page.get_by_label("Hand-over note")).to_have_value(HAND_OVER_NOTE)
    page.get_by_label("Housing arranged or referred (required)").check()
    page.get_by_role("button", name="Send the hand-over").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hand-over of the lead to {probation.name}")


def _take_over_the_lead(page: Page, case: Case, prison: Organisation, probation: Organisation) -> None:
    """The receiving coordinator answers from "my work", moving the case into probation."""
    _my_work(page)
    section = page.locator("#transfers")
    expect(section).to_contain_text(case.reference)
    section.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hand-over of the lead from {prison.name}")
    expect(page.locator("main")).to_contain_text(HAND_OVER_NOTE)
    expect(page.locator("ul.checklist li")).to_have_count(8)
    # Only the optional item was left open.
    expect(page.locator("ul.checklist li", has_text="Not done:")).to_have_count(1)
    expect(page.locator("ul.checklist li", has_text="Not done:")).to_contain_text("Family informed")
    axe_check(page, label="hand-over answer page")

    page.get_by_label("Take over the lead").check()
    page.get_by_label("Move the case into the phase").select_option(label="Probation")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.locator(".messages")).to_contain_text("Your organisation now leads the case, and you coordinate it.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Case summary")
    expect(_fact(page, "Lead organisation")).to_contain_text(probation.name)
    expect(_fact(page, "Phase")).to_have_text("Probation")
    expect(_fact(page, "Receiving organisation")).to_have_text("—")
    axe_check(page, label="case summary (new lead)")


def _the_new_lead_sees_the_history(page: Page, prison: Organisation, probation: Organisation) -> None:
    _case_nav(page, "Timeline")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text(f"Lead transfer from {prison.name} to {probation.name}: Accepted")
    expect(timeline).to_contain_text("Phase changed from Release preparation to Probation")
    expect(timeline).to_contain_text("Individual session with First")  # logged in prison, before the hand-over
    axe_check(page, label="timeline (new lead)")


def test_prison_hands_the_lead_over_to_probation_through_the_checklist(
    live_server: Any, new_context: Callable[..., BrowserContext], hand_over: dict[str, Any]
) -> None:
    base = live_server.url
    case, prison, probation = hand_over["case"], hand_over["prison"], hand_over["probation"]

    sender = _signed_in(new_context, base, hand_over["coordinator"])
    _start_hand_over(sender, case, probation)
    expect(sender.locator(".messages")).to_contain_text(
        f"The hand-over was sent; the coordinators of {probation.name} were told."
    )
    expect(_fact(sender, "Status")).to_have_text("Waiting for the receiving organisation")
    axe_check(sender, label="hand-over detail (sent)")

    receiving = _signed_in(new_context, base, hand_over["receiver"])
    _take_over_the_lead(receiving, case, prison, probation)
    _the_new_lead_sees_the_history(receiving, prison, probation)

    case.refresh_from_db()
    assert (case.lead_organisation, case.phase, case.receiving_organisation) == (probation, "probation", None)
    assert CaseMembership.objects.get(case=case, user=hand_over["receiver"]).role == CaseRole.COORDINATOR

    # The prison coordinator stays on the team and sees the new lead, but no longer hands the lead over.
    _case_nav(sender, "Lead transfers")
    expect(sender.locator("main")).to_contain_text(f"{probation.name} leads this case.")
    expect(sender.locator("main table tbody")).to_contain_text("Accepted")
    expect(sender.get_by_role("link", name="Hand over the lead")).to_have_count(0)
    axe_check(sender, label="lead transfers (after the hand-over)")


def test_where_the_prison_asks_for_it_a_supervisor_approves_the_hand_over_first(
    live_server: Any, new_context: Callable[..., BrowserContext], make_user: Any, hand_over: dict[str, Any]
) -> None:
    base = live_server.url
    case, prison, probation = hand_over["case"], hand_over["prison"], hand_over["probation"]
    Organisation.objects.filter(pk=prison.pk).update(approval_required=True)
    supervisor = make_user("supervisor", organisation=prison, username="prison-supervisor")

    sender = _signed_in(new_context, base, hand_over["coordinator"])
    _start_hand_over(sender, case, probation)
    expect(sender.locator(".messages")).to_contain_text(
        "The hand-over waits for a supervisor's approval before it is sent."
    )
    expect(_fact(sender, "Status")).to_have_text("Awaiting approval")
    axe_check(sender, label="hand-over detail (awaiting approval)")

    # Until a supervisor approves, probation learns nothing.
    receiving = _signed_in(new_context, base, hand_over["receiver"])
    _my_work(receiving)
    expect(receiving.locator("#transfers")).to_contain_text("No lead transfer is waiting for an answer.")

    approver = _signed_in(new_context, base, supervisor)
    _my_work(approver)
    approvals = approver.locator("#approvals")
    expect(approvals).to_contain_text("Lead transfer")
    approvals.get_by_role("link", name=case.reference).click()
    expect(approver.get_by_role("heading", level=1)).to_have_text("Approval: Lead transfer")
    expect(approver.locator("main")).to_contain_text(HAND_OVER_NOTE)
    axe_check(approver, label="approval page")
    approver.get_by_label("Approve").check()
    approver.get_by_role("button", name="Record the decision").click()
    expect(approver.get_by_role("heading", level=1)).to_have_text("Approvals waiting for you")
    expect(approver.locator(".messages")).to_contain_text("Approved; the requester was told.")
    expect(approver.locator("main table")).not_to_contain_text(case.reference)
    axe_check(approver, label="approvals (decided)")

    sender.reload()
    expect(_fact(sender, "Status")).to_have_text("Waiting for the receiving organisation")

    _take_over_the_lead(receiving, case, prison, probation)
    case.refresh_from_db()
    assert (case.lead_organisation, case.phase) == (probation, "probation")


# --- 3. a police liaison sees the plan's status, never the notes ------------------------------------


def test_police_liaison_sees_the_plan_status_but_cannot_open_the_session_notes(
    live_server: Any, new_context: Callable[..., BrowserContext], make_org: Any, make_user: Any
) -> None:
    base = live_server.url
    probation = make_org("Kosovo Probation Service", type="probation", data_regime="law_enforcement")
    police = make_org("Kosovo Police Liaison Unit", type="police", data_regime="law_enforcement")
    # The agreement covers the sessions too: it is the police liaison's case role that keeps the notes closed.
    _agreement(probation, police, categories=["summary", "plan_status", "plan", "sessions", "conferences"])
    case = _case("XK-2026-0311", probation, phase="probation", plan_status="approved")
    officer = make_user("practitioner", organisation=probation, username="probation-officer")
    _member(case, officer, CaseRole.PROBATION_OFFICER)
    liaison = make_user("practitioner", organisation=police, username="police-liaison")
    _member(case, liaison, CaseRole.POLICE_LIAISON)
    PlanGoal.objects.create(case=case, domain="housing", title="A flat near his sister in Ferizaj", status="open")
    PlanGoal.objects.create(case=case, domain="housing", title="Rent support for six months", status="in_progress")
    PlanGoal.objects.create(case=case, domain="employment", title="Welding apprenticeship", status="achieved")
    session = Session.objects.create(
        case=case,
        type="individual",
        provider=officer,
        organisation=probation,
        held_on=timezone.localdate() - timedelta(days=3),
        duration_minutes=45,
        notes=NOTES,
    )

    page = _signed_in(new_context, base, liaison)
    _open_case(page, case.reference)
    expect(_fact(page, "Lead organisation")).to_contain_text(probation.name)
    case_file = page.get_by_role("navigation", name="Case file")
    expect(case_file.get_by_role("link", name="Individual plan")).to_be_visible()
    expect(case_file.get_by_role("link", name="Sessions and contacts")).to_have_count(0)
    axe_check(page, label="case summary (police liaison)")

    # The plan's status: how many goals per life domain and in which status, no titles.
    _case_nav(page, "Individual plan")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plan status")
    expect(_fact(page, "Approval status")).to_have_text("Approved")
    table = page.get_by_role("table", name="Goals per life domain")
    expect(table.get_by_role("row", name="Housing")).to_contain_text("Open: 1; In progress: 1")
    expect(table.get_by_role("row", name="Employment")).to_contain_text("Achieved: 1")
    expect(page.locator("main")).not_to_contain_text("Ferizaj")
    expect(page.locator("main")).not_to_contain_text("Welding")
    expect(
        page.get_by_role("navigation", name="Case file").get_by_role("link", name="Sessions and contacts")
    ).to_have_count(0)
    axe_check(page, label="plan status (police liaison)")

    # Typing the addresses does not help: the friendly "not allowed" page, and the attempt is recorded.
    for path, label in (
        (f"/cases/{case.code}/sessions/", "session list"),
        (f"/cases/{case.code}/sessions/{session.code}/", "session notes"),
    ):
        response = page.goto(f"{base}{path}")
        assert response is not None and response.status == 403, path
        expect(page.get_by_role("heading", level=1)).to_have_text("You do not have permission to do this")
        expect(page.locator("main")).to_contain_text("This attempt has been recorded.")
        expect(page.locator("main")).not_to_contain_text("brother")
        expect(page.get_by_role("link", name="Go to the start page")).to_be_visible()
        axe_check(page, label=f"{label} refused (police liaison)")
    denied = AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=liaison.pk).order_by("pk")
    assert [e.data["action"] for e in denied] == ["cases.section.read", "cases.section.read"]
    assert not AuditEntry.objects.filter(
        event=events.PERSONAL_DATA_READ, actor_id=liaison.pk, data__section="sessions"
    ).exists()


def test_a_probation_officer_reads_the_plan_on_a_phone_without_the_page_scrolling_sideways(
    live_server: Any, new_context: Callable[..., BrowserContext], make_org: Any, make_user: Any
) -> None:
    from rightpath.cases.models import PlanAction

    probation = make_org("Kosovo Probation Service", type="probation", data_regime="law_enforcement")
    case = _case("XK-2026-0312", probation, phase="probation")
    officer = make_user("practitioner", organisation=probation, username="probation-officer")
    _member(case, officer, CaseRole.PROBATION_OFFICER)
    goal = PlanGoal.objects.create(case=case, domain="housing", title="Stable housing", status="in_progress")
    for text in ("Visit the family home with the social worker", "Apply for the municipal housing support"):
        PlanAction.objects.create(
            goal=goal,
            description=text,
            responsible_organisation=probation,
            due_date=timezone.localdate() + timedelta(days=10),
        )

    page = _signed_in(new_context, live_server.url, officer)
    page.set_viewport_size({"width": 360, "height": 800})
    for path in (f"/cases/{case.code}/", f"/cases/{case.code}/plan/", "/cases/", "/cases/mywork/"):
        page.goto(f"{live_server.url}{path}")
        # Wide tables scroll inside their own box; the page itself never does.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
        if path.endswith("/plan/"):
            expect(page.get_by_role("table", name="Actions for “Stable housing”")).to_be_visible()
            axe_check(page, label="plan on a phone")
