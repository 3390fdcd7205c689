"""Retention: only closed cases past the period are anonymised (identity, notes, files and free text
go; reference, category, phases, dates and the team stay), each audited; running again changes
nothing; a dry run changes nothing. Re-encryption moves every value and file to the newest key."""

from __future__ import annotations

import base64
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import (
    Case,
    CaseMembership,
    Conference,
    Consent,
    Document,
    Identity,
    PhaseChange,
    PlanAction,
    PlanGoal,
    Referral,
    Session,
)
from rightpath.cases.services import documents as documents_service
from rightpath.cases.services import export as export_service
from rightpath.cases.services.retention import apply_retention, case_anonymise
from rightpath.cases.vocab import CaseRole, Phase
from rightpath.core import files, schedule

NOTES = "Talked about returning to his family's house in Kaçanik."
OLD_KEY = "old1:" + base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_KEY = "new2:" + base64.urlsafe_b64encode(b"n" * 32).decode()


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.CASE_RETENTION_DAYS = 365
    return settings.PRIVATE_MEDIA_ROOT


def make_case(org: Any, worker: Any, reference: str, *, closed_days_ago: int | None) -> Case:
    closed = timezone.now() - timedelta(days=closed_days_ago) if closed_days_ago is not None else None
    case = Case.objects.create(
        reference=reference,
        category="family",
        is_minor=True,
        best_interests_note="Stays with his grandmother in Kaçanik; school in Ferizaj.",
        lead_organisation=org,
        legal_basis="public_task",
        phase=Phase.CLOSED if closed else Phase.COMMUNITY,
        closed_at=closed,
    )
    Identity.objects.create(case=case, given_names="Ilir", family_name="Krasniqi", blind_index="b" * 64)
    CaseMembership.objects.create(case=case, user=worker, organisation=org, role=CaseRole.SOCIAL_WORKER)
    PhaseChange.objects.create(case=case, to_phase=Phase.REFERRAL, reason="Referred by his school in Ferizaj.")
    Session.objects.create(
        case=case,
        type="home_visit",
        provider=worker,
        organisation=org,
        held_on=timezone.localdate() - timedelta(days=900),
        duration_minutes=60,
        notes=NOTES,
    )
    goal = PlanGoal.objects.create(
        case=case, domain="education", title="Back to school in Ferizaj", description="With his cousin Arben."
    )
    PlanAction.objects.create(goal=goal, description="Enrol at the Ferizaj school", responsible_organisation=org)
    Referral.objects.create(
        case=case, from_organisation=org, to_organisation=org, service="Tutoring", message="His uncle asked."
    )
    Conference.objects.create(case=case, held_on=timezone.localdate(), decisions="Grandmother remains the carer.")
    Consent.objects.create(
        case=case, purpose="Counselling", given_by="guardian", guardian_name="Hava Krasniqi", given_on="2020-01-01"
    )
    return case


@pytest.fixture
def worker(make_user: Any) -> Any:
    return make_user("practitioner")


@pytest.fixture
def cases(org: Any, worker: Any) -> dict[str, Case]:
    out = {
        "old": make_case(org, worker, "XK-2019-0001", closed_days_ago=400),
        "recent": make_case(org, worker, "XK-2024-0002", closed_days_ago=100),
        "open": make_case(org, worker, "XK-2020-0003", closed_days_ago=None),
    }
    for case in out.values():
        _attach(case, worker)
    return out


def _attach(case: Case, worker: Any) -> Document:
    # Stored as an upload stores it: encrypted under a generated name.
    data = b"Certificate of Ilir Krasniqi"
    document = Document.objects.create(
        case=case,
        type="certificate",
        title="School certificate of Ilir",
        stored_name=uuid.uuid4().hex,
        content_type="text/plain; charset=utf-8",
        size=len(data),
        sha256="a" * 64,
        uploaded_by=worker,
    )
    files.write_private_file(documents_service.document_path(document), files.encrypt_bytes(data))
    return document


def test_only_closed_cases_past_the_period_are_anonymised(
    cases: dict[str, Case], django_capture_on_commit_callbacks: Any
) -> None:
    old_doc = Document.objects.get(case=cases["old"])
    other_docs = list(Document.objects.exclude(case=cases["old"]))
    export_dir = export_service.exports_dir(cases["old"])
    export_dir.mkdir(parents=True)
    (export_dir / "x.json").write_bytes(b"x")
    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention()
    assert [row["reference"] for row in report.cases] == ["XK-2019-0001"]
    assert report.cases[0]["removed"] == {"identity": 1, "sessions": 1, "documents": 1}

    case = Case.objects.get(pk=cases["old"].pk)
    assert case.anonymised_at is not None and case.best_interests_note == ""
    # Kept for statistics: reference, category, phase, dates, the team.
    assert (case.reference, case.category, case.phase, case.is_minor) == ("XK-2019-0001", "family", "closed", True)
    assert case.closed_at is not None
    assert CaseMembership.objects.filter(case=case).count() == 1
    assert PhaseChange.objects.get(case=case).to_phase == Phase.REFERRAL
    # Gone: identity, notes, free text, files.
    assert not Identity.objects.filter(case=case).exists()
    assert Session.objects.get(case=case).notes == ""
    assert Session.objects.get(case=case).duration_minutes == 60
    goal = PlanGoal.objects.get(case=case)
    assert (goal.title, goal.description, goal.domain) == ("", "", "education")
    assert PlanAction.objects.get(goal=goal).description == ""
    assert Referral.objects.get(case=case).message == ""
    assert Conference.objects.get(case=case).decisions == ""
    assert Consent.objects.get(case=case).guardian_name == ""
    assert PhaseChange.objects.get(case=case).reason == ""
    old_doc.refresh_from_db()
    assert old_doc.content_type == documents_service.REMOVED_BY_RETENTION and old_doc.title == ""
    assert not documents_service.document_path(old_doc).exists()
    assert not export_dir.exists()

    # The others are untouched.
    for key in ("recent", "open"):
        other = Case.objects.get(pk=cases[key].pk)
        assert other.anonymised_at is None
        assert Identity.objects.get(case=other).family_name == "Krasniqi"
        assert Session.objects.get(case=other).notes == NOTES
    for document in other_docs:
        assert documents_service.document_path(document).exists()

    entry = AuditEntry.objects.get(event=events.DELETED, target_id=str(case.code))
    assert entry.data["retention"] is True and entry.actor_id is None
    assert "Krasniqi" not in str(entry.data)


def test_running_again_changes_nothing(cases: dict[str, Case], django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        apply_retention()
    entries = AuditEntry.objects.count()
    versions = {c.pk: c.version for c in Case.objects.all()}
    with django_capture_on_commit_callbacks(execute=True):
        report = apply_retention()
    assert report.cases == [] and report.files_swept == 0
    assert AuditEntry.objects.count() == entries
    assert {c.pk: c.version for c in Case.objects.all()} == versions


def test_dry_run_lists_and_changes_nothing(cases: dict[str, Case]) -> None:
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "XK-2019-0001" in text and "would anonymise" in text and "XK-2024-0002" not in text
    assert "1 case(s) would anonymise" in text
    assert Case.objects.filter(anonymised_at__isnull=False).count() == 0
    assert Identity.objects.count() == 3
    assert all(documents_service.document_path(d).exists() for d in Document.objects.all())
    assert not AuditEntry.objects.filter(event=events.DELETED).exists()


def test_command_prints_what_it_did(cases: dict[str, Case]) -> None:
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "XK-2019-0001 (closed" in out.getvalue() and "1 case(s) anonymised." in out.getvalue()
    assert Case.objects.get(pk=cases["old"].pk).anonymised_at is not None


def test_leftover_files_of_removed_documents_are_swept(cases: dict[str, Case]) -> None:
    # Without running the on-commit callbacks, the files stay behind (as after a crash): the next run sweeps them.
    case_anonymise(cases["old"])
    document = Document.objects.get(case=cases["old"])
    assert documents_service.document_path(document).exists()
    report = apply_retention()
    assert report.files_swept == 1
    assert not documents_service.document_path(document).exists()


def test_retention_runs_daily() -> None:
    assert ("rightpath.cases.tasks_retention.apply_retention_daily", 86400) in schedule.PERIODIC


def test_retention_task_reports_references_only(cases: dict[str, Case]) -> None:
    from rightpath.cases.tasks_retention import apply_retention_daily

    result = apply_retention_daily.call()
    assert result["anonymised"] == ["XK-2019-0001"]


# --- re-encryption ---------------------------------------------------------------------------------


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()[0]


def test_reencrypt_moves_every_value_and_file_to_the_newest_key(
    settings: Any, org: Any, worker: Any, private_media: Path
) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    case = make_case(org, worker, "XK-2021-0009", closed_days_ago=None)
    document = _attach(case, worker)
    identity = Identity.objects.get(case=case)
    session = Session.objects.get(case=case)
    consent = Consent.objects.get(case=case)
    assert _raw("cases_session", "notes", session.pk).startswith("old1:")

    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()
    call_command("reencrypt_fields", stdout=out)
    text = out.getvalue()
    assert "cases.Identity.given_names: 1" in text and "cases.Session.notes: 1" in text
    assert "cases.Consent.guardian_name: 1" in text and "document files: 1" in text
    for table, column, pk in [
        ("cases_identity", "given_names", identity.pk),
        ("cases_identity", "family_name", identity.pk),
        ("cases_session", "notes", session.pk),
        ("cases_consent", "guardian_name", consent.pk),
    ]:
        assert _raw(table, column, pk).startswith("new2:")
    assert documents_service.document_path(document).read_bytes().startswith(b"new2:")

    # Readable under the new key alone.
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY]
    assert Session.objects.get(pk=session.pk).notes == NOTES
    assert Identity.objects.get(pk=identity.pk).family_name == "Krasniqi"
    assert Consent.objects.get(pk=consent.pk).guardian_name == "Hava Krasniqi"
    assert files.decrypt_bytes(documents_service.document_path(document).read_bytes()).startswith(b"Certificate")

    out = StringIO()
    call_command("reencrypt_fields", stdout=out)
    assert "0 value(s) and file(s) re-encrypted." in out.getvalue()


def test_reencrypt_dry_run_changes_nothing(settings: Any, org: Any, worker: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [OLD_KEY]
    case = make_case(org, worker, "XK-2021-0010", closed_days_ago=None)
    session = Session.objects.get(case=case)
    settings.FIELD_ENCRYPTION_KEYS = [NEW_KEY, OLD_KEY]
    out = StringIO()
    call_command("reencrypt_fields", "--dry-run", stdout=out)
    assert "cases.Session.notes: 1" in out.getvalue()
    assert _raw("cases_session", "notes", session.pk).startswith("old1:")
