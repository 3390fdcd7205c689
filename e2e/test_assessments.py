"""An assessor's journey: start an assessment on a case, rate the items, write the judgement, sign
off; then the change-over-time view. axe checks each page."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from rightpath.assessments.models import Assessment, ItemRating
from rightpath.assessments.services import instrument_load
from rightpath.assessments.tests.conftest import SMALL
from rightpath.cases.models import Case, CaseMembership
from rightpath.cases.vocab import CaseRole

from .conftest import axe_check, sign_in_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _settled(page: Page) -> None:
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def test_assessor_starts_rates_judges_signs_off_and_sees_change_over_time(
    live_server: Any, page: Page, make_user: Any, org: Any
) -> None:
    instrument = instrument_load(actor=None, text=SMALL, filename="small.yaml").instrument
    assessor = make_user("assessor", "practitioner", username="assessor")
    case = Case.objects.create(
        reference="XK-2026-0100", category="returnee", lead_organisation=org, legal_basis="public_task"
    )
    CaseMembership.objects.create(case=case, user=assessor, organisation=org, role=CaseRole.ASSESSOR)
    # An earlier signed-off assessment, so the change-over-time view has a history.
    earlier = Assessment.objects.create(
        case=case,
        instrument=instrument,
        assessor=assessor,
        organisation=org,
        status="signed_off",
        sources="Intake interview",
        level_of_concern="high",
        rationale="No housing, little support.",
        next_review_on=timezone.localdate() + timedelta(days=10),
        signed_off_at=timezone.now() - timedelta(days=120),
        signed_off_by=assessor,
    )
    ItemRating.objects.create(assessment=earlier, item_key="A1", value="yes")
    ItemRating.objects.create(assessment=earlier, item_key="A2", value="no")

    sign_in_verified(page, live_server.url, assessor)
    page.goto(f"{live_server.url}/cases/{case.code}/")
    page.get_by_role("navigation", name="Case file").get_by_role("link", name="Assessments").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Assessments")
    axe_check(page, label="case assessments")

    page.get_by_role("link", name="Start an assessment").click()
    axe_check(page, label="start an assessment")
    page.get_by_label("Small instrument").check()
    page.get_by_role("button", name="Start the assessment").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Assessment draft")
    _settled(page)
    axe_check(page, label="assessment draft form")
    expect(page.get_by_text("Counts (information only)")).to_be_visible()
    page.get_by_label("Sources of information").fill("Interview on 3 March; prison file.")
    page.locator("#id_rating_A1").select_option("partly")
    page.locator("#id_evidence_A1").fill("Staying with a cousin for now.")
    page.locator("#id_rating_A2").select_option("yes")
    page.locator("#id_evidence_A2").fill("The sister visits every week.")
    page.get_by_label("Moderate concern").check()
    page.get_by_label("Rationale").fill("Housing remains the main need; family support has grown.")
    page.get_by_label("Next review").fill((timezone.localdate() + timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft was saved.")).to_be_visible()
    axe_check(page, label="assessment detail (draft)")

    page.get_by_role("link", name="Sign off").click()
    axe_check(page, label="sign-off")
    page.get_by_role("button", name="Sign off and lock").click()
    expect(page.get_by_text("Signed off and locked.")).to_be_visible()
    axe_check(page, label="assessment detail (signed off)")
    assert Assessment.objects.filter(case=case, status="signed_off").count() == 2

    page.goto(f"{live_server.url}/assessments/cases/{case.code}/")
    page.get_by_role("link", name="Change over time").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change over time")
    expect(page.locator("svg[role=img]")).to_have_count(2)
    table = page.get_by_role("table").first
    expect(table).to_contain_text("Yes")
    expect(table).to_contain_text("Partly")
    axe_check(page, label="change over time")
