"""Assessment fixtures: the demonstration instrument, a case with an assessor on its team, and
helpers to build drafts and signed-off assessments."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rightpath.accounts.models import Organisation, User
from rightpath.assessments.demo import load_demo_instrument
from rightpath.assessments.models import Assessment, Instrument, ItemRating
from rightpath.cases.models import Case
from rightpath.cases.tests import conftest as cases_fixtures
from rightpath.cases.vocab import CaseRole

SMALL = """format: rightpath-instrument/1
key: small
version: "1"
kind: spj
name: {en: Small instrument, sq: Instrument i vogël}
scales:
  yn:
    options:
      - {value: "no", label: {en: "No"}}
      - {value: "partly", label: {en: Partly}, present: true}
      - {value: "yes", label: {en: "Yes"}, present: true}
domains:
  - key: home
    life_domain: housing
    name: {en: Home}
    items:
      - {key: A1, kind: need, scale: yn, name: {en: Needs a home}}
      - {key: A2, kind: protective, scale: yn, name: {en: Supportive household}}
"""

# The case part's fixtures: a case led by ``org``, adding team members, and agreements.
case = cases_fixtures.case
add_member = cases_fixtures.add_member
agreement = cases_fixtures.agreement


@pytest.fixture
def demo_instrument(db: Any) -> Instrument:
    return load_demo_instrument()


@pytest.fixture
def small(db: Any) -> Instrument:
    from rightpath.assessments.services import instrument_load

    return instrument_load(actor=None, text=SMALL, filename="small.yaml").instrument


@pytest.fixture
def assessor(make_user: Callable[..., User], case: Case, add_member: Any) -> User:
    user = make_user("assessor", "practitioner")
    add_member(case, user, CaseRole.ASSESSOR)
    return user


@pytest.fixture
def make_assessment(db: Any) -> Callable[..., Assessment]:
    def make(
        case: Case,
        instrument: Instrument,
        assessor: User,
        *,
        signed: bool = False,
        days_ago: int = 0,
        values: dict[str, str] | None = None,
        level: str = "moderate",
    ) -> Assessment:
        signed_at = timezone.now() - timedelta(days=days_ago)
        a = Assessment.objects.create(
            case=case,
            instrument=instrument,
            assessor=assessor,
            organisation=assessor.organisation,
            sources="Interview",
            level_of_concern=level if signed else "",
            rationale="Reasoned judgement." if signed else "",
            next_review_on=timezone.localdate() + timedelta(days=60) if signed else None,
            status=Assessment.Status.SIGNED_OFF if signed else Assessment.Status.DRAFT,
            signed_off_at=signed_at if signed else None,
            signed_off_by=assessor if signed else None,
        )
        for item in instrument.items():
            value = (values or {}).get(item["key"], "no" if instrument.key == "small" else "0")
            ItemRating.objects.create(assessment=a, item_key=item["key"], value=value, evidence="Seen in interview.")
        return a

    return make


@pytest.fixture
def lead(org: Organisation) -> Organisation:
    return org
