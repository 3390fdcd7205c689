"""Demo case work: synthetic cases in every phase and the three countries, seeded idempotently, and a
printed access table that is exactly what the policy decides."""

from __future__ import annotations

import re
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from rightpath.accounts.models import User
from rightpath.cases import demo
from rightpath.cases.models import (
    Case,
    CaseMembership,
    Consent,
    Document,
    PlanAction,
    Referral,
    Session,
    SharingAgreement,
    Transfer,
)
from rightpath.cases.policy import clear_cache, section_rights
from rightpath.cases.services.documents import document_download
from rightpath.cases.vocab import CaseRole, Phase, Section

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def seeded() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def snapshot() -> dict[str, Any]:
    return {
        "cases": sorted(Case.objects.values_list("reference", "phase", "lead_organisation__name")),
        "members": CaseMembership.objects.count(),
        "sessions": sorted(Session.objects.values_list("case__reference", "held_on", "notes")),
        "referrals": sorted(Referral.objects.values_list("case__reference", "status")),
        "transfers": sorted(Transfer.objects.values_list("case__reference", "status")),
        "agreements": sorted(SharingAgreement.objects.values_list("title", "valid_from", "valid_until")),
        "documents": Document.objects.count(),
        "users": User.objects.count(),
        "devices": TOTPDevice.objects.count(),
    }


def access_table(output: str) -> list[list[str]]:
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("USERNAME ") and "CAN OPEN" in line)
    rows = []
    for line in lines[start + 2 :]:
        if not line.strip():
            break
        rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_seeding_twice_gives_the_same_data(seeded: str) -> None:
    before = snapshot()
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Case work: 0 demo case(s) created, 12 already there." in out.getvalue()
    assert snapshot() == before
    assert access_table(out.getvalue()) == access_table(seeded)


def test_printed_access_table_matches_the_policy(seeded: str) -> None:
    rows = access_table(seeded)
    assert len(rows) == len(demo.ACCESS_CHECKS)
    for username, reference, _role, _who, can_open, cannot_open, _answer in rows:
        user = User.objects.get(username=username)
        clear_cache(user)
        rights = section_rights(user, Case.objects.get(reference=reference))
        expected = ", ".join(f"{s.value} ({rights[s.value]})" for s in Section if s.value in rights) or "—"
        assert can_open == expected, (username, reference)
        assert cannot_open == (", ".join(s.value for s in Section if s.value not in rights) or "—")


def test_access_table_names_the_users_outside_checks_need(seeded: str) -> None:
    rows = {(r[0], r[1]): r for r in access_table(seeded)}
    roles = {r[2] for r in rows.values()}
    every_role = {str(r.label) for r in CaseRole if r != CaseRole.BREAK_GLASS}
    assert every_role <= roles
    outsiders = {
        ("ngo.worker", "BA-2025-0004"): "403",
        ("removed.member", "XK-2024-0007"): "404",
        ("police.liaison", "XK-2024-0007"): "403",
        ("platform.admin", "XK-2024-0007"): "404",
    }
    for key, status in outsiders.items():
        assert rows[key][4] == "—" and status in rows[key][6], key
    # The e2e journey: a police liaison cannot open the notes.
    assert "sessions" in rows[("police.liaison", "XK-2025-0012")][5].split(", ")


def test_demo_cases_cover_every_phase_and_the_three_countries(seeded: str) -> None:
    cases = Case.objects.filter(reference__in=[c.reference for c in demo.CASES])
    assert set(cases.values_list("phase", flat=True)) == set(Phase.values)
    assert {ref[:2] for ref in cases.values_list("reference", flat=True)} == {"XK", "BA", "MK"}
    assert cases.filter(is_minor=True).exclude(best_interests_note="").exists()
    assert cases.filter(is_woman=True).count() >= 2
    assert Case.objects.get(reference="XK-2023-0003").closed_at is not None


def test_the_completed_hand_over_moved_the_lead_from_prison_to_probation(seeded: str) -> None:
    done = Transfer.objects.get(case__reference="XK-2024-0007")
    assert done.status == Transfer.Status.ACCEPTED
    assert done.from_organisation.name == demo.PRISON_XK and done.to_organisation.name == demo.PROBATION_XK
    assert done.case.lead_organisation.name == demo.PROBATION_XK
    assert all(done.checklist.values())
    pending = Transfer.objects.get(case__reference="XK-2025-0015")
    assert pending.status == Transfer.Status.PENDING


def test_agreements_active_expired_and_none(seeded: str) -> None:
    today = timezone.localdate()

    def between(a: str, b: str) -> list[SharingAgreement]:
        return list(SharingAgreement.objects.filter(parties__name=a).filter(parties__name=b))

    [gjilan] = between(demo.PROBATION_XK, demo.CSW_GJILAN)
    assert gjilan.is_active(today)
    [police] = between(demo.PROBATION_XK, demo.POLICE_XK)
    assert not police.is_active(today) and police.valid_until < today
    assert not SharingAgreement.objects.filter(parties__name=demo.NGO_SARAJEVO).exists()


def test_plans_referrals_consents_and_notes_are_realistic(seeded: str) -> None:
    assert PlanAction.objects.filter(due_date__lt=timezone.localdate(), status__in=["planned", "in_progress"]).exists()
    assert {"sent", "accepted", "declined", "completed"} <= set(Referral.objects.values_list("status", flat=True))
    guardian = Consent.objects.get(case__reference="XK-2025-0022")
    assert guardian.given_by == "guardian" and guardian.guardian_name
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM cases_session")
        assert all(":" in row[0] and "prison" not in row[0] for row in cursor.fetchall())


def test_demo_users_sign_in_with_a_second_factor_and_the_document_opens(seeded: str) -> None:
    for username, *_rest in demo.USERS:
        user = User.objects.get(username=username)
        assert user.check_password("RightPath-demo-2026")
        assert TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    officer = User.objects.get(username="probation.officer")
    document = Document.objects.get(case__reference="XK-2024-0007")
    data, _kind = document_download(document, actor=officer)
    assert data.startswith(b"Summary of the court decision")
