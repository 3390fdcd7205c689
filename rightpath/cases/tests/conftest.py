"""Case fixtures: a case led by the probation service, with helpers to build its team."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from rightpath.accounts.models import Organisation, User
from rightpath.cases.models import Case, CaseMembership, SharingAgreement


@pytest.fixture
def case(org: Organisation) -> Case:
    return Case.objects.create(
        reference="XK-2026-0001", category="returnee", lead_organisation=org, legal_basis="public_task"
    )


@pytest.fixture
def add_member(db: Any) -> Callable[..., CaseMembership]:
    def add(case: Case, user: User, role: str, **extra: Any) -> CaseMembership:
        return CaseMembership.objects.create(case=case, user=user, organisation=user.organisation, role=role, **extra)

    return add


@pytest.fixture
def agreement(db: Any) -> Callable[..., SharingAgreement]:
    def make(*orgs: Organisation, categories: list[str], days_left: int = 365, **extra: Any) -> SharingAgreement:
        today = timezone.localdate()
        a = SharingAgreement.objects.create(
            title="Agreement",
            legal_basis="public_task",
            purposes="Multi-agency reintegration case work",
            data_categories=categories,
            valid_from=today - timedelta(days=30),
            valid_until=today + timedelta(days=days_left),
            **extra,
        )
        a.parties.set(orgs)
        return a

    return make
