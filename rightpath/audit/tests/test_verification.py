"""verify_audit: an intact log passes; edits, deletions, reordering and truncation are named."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from rightpath.audit import events
from rightpath.audit.models import AuditEntry, AuditSeal
from rightpath.audit.sealing import seal_pending
from rightpath.audit.verification import verify_chain

from .conftest import tampering

only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def run(*args: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_intact_log_passes_and_reports_the_number_of_entries_checked(write_entries: Any) -> None:
    write_entries(4)
    seal_pending()
    write_entries(3)
    code, out, _ = run()
    assert code == 0
    assert "Audit log intact: 7 entries checked, 2 seals." in out
    # The verification itself is recorded, after counting.
    assert AuditEntry.objects.filter(event=events.AUDIT_VERIFIED).count() == 1
    code, out, _ = run()
    assert code == 0 and "8 entries checked, 3 seals." in out


def test_unsealed_entries_are_checked_and_reported_with_no_seal(write_entries: Any) -> None:
    write_entries(2)
    code, out, _ = run("--no-seal", "--no-record")
    assert code == 0
    assert "2 entries checked, 0 seals." in out and "2 recent entries are not sealed yet." in out
    assert not AuditSeal.objects.exists() and not AuditEntry.objects.filter(event=events.AUDIT_VERIFIED).exists()


def test_empty_log_is_intact(db: Any) -> None:
    result = verify_chain()
    assert result.intact and result.entries_checked == 0 and result.head is None


def test_a_changed_field_is_detected_at_that_entry(write_entries: Any) -> None:
    entries = write_entries(5)
    seal_pending()
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET justification = 'nothing to see' WHERE id = %s", [entries[2].pk])
    code, _, err = run()
    assert code == 1
    assert f"Audit log broken at entry #{entries[2].pk}: its contents do not match its MAC" in err


def test_the_first_broken_entry_is_named(write_entries: Any) -> None:
    entries = write_entries(6)
    seal_pending(max_entries=2)
    with tampering() as cursor:
        for entry in (entries[4], entries[1]):
            cursor.execute("UPDATE audit_auditentry SET target_id = 'C-x' WHERE id = %s", [entry.pk])
    result = verify_chain()
    assert not result.intact and result.broken_entry_id == entries[1].pk


def test_a_changed_unsealed_entry_is_detected_too(write_entries: Any) -> None:
    entries = write_entries(2)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET data = '{\"n\": 99}' WHERE id = %s", [entries[1].pk])
    code, _, err = run("--no-seal")
    assert code == 1 and f"entry #{entries[1].pk}:" in err


def test_an_entry_rewritten_with_a_recomputed_mac_but_an_unknown_key_is_detected(write_entries: Any) -> None:
    entries = write_entries(2)
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET key_id = 'forged' WHERE id = %s", [entries[0].pk])
    result = verify_chain()
    assert result.broken_entry_id == entries[0].pk and "unknown key" in result.reason


def test_deleting_a_sealed_entry_is_detected(write_entries: Any) -> None:
    entries = write_entries(5)
    seal_pending()
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entries[3].pk])
    code, _, err = run()
    assert code == 1
    assert f"Audit log broken at entry #{entries[0].pk}:" in err and "5 entries" in err and "4 are present" in err


def test_swapping_two_sealed_entries_is_detected(write_entries: Any) -> None:
    entries = write_entries(4)
    seal_pending()
    a, b = entries[1].pk, entries[2].pk
    with tampering() as cursor:
        # Renumber the rows so each keeps its own valid MAC but their order changes.
        cursor.execute("UPDATE audit_auditentry SET id = %s WHERE id = %s", [-a, a])
        cursor.execute("UPDATE audit_auditentry SET id = %s WHERE id = %s", [a, b])
        cursor.execute("UPDATE audit_auditentry SET id = %s WHERE id = %s", [b, -a])
    result = verify_chain()
    assert not result.intact
    assert result.broken_entry_id == entries[0].pk and "reordered" in result.reason


def test_an_entry_slipped_in_between_two_seals_is_detected(write_entries: Any) -> None:
    write_entries(2)
    seal_pending()
    gap = [e.pk for e in write_entries(2)]
    with tampering() as cursor:
        # Leave a gap in the ids before the second seal, as rolled-back transactions do.
        cursor.execute("UPDATE audit_auditentry SET id = id + 10 WHERE id >= %s", [gap[0]])
    seal_pending()
    assert verify_chain().intact
    slipped = write_entries(1)[0]  # a genuine MAC, moved into the sealed past
    with tampering() as cursor:
        cursor.execute("UPDATE audit_auditentry SET id = %s WHERE id = %s", [gap[0], slipped.pk])
    result = verify_chain()
    assert result.broken_entry_id == gap[0] and "not covered by any seal" in result.reason


def test_removing_the_newest_seals_and_entries_is_caught_by_the_exported_head(write_entries: Any) -> None:
    write_entries(3)
    seal_pending()
    intact_head = AuditSeal.objects.last()
    last_entries = write_entries(2)
    seal_pending()
    out = StringIO()
    call_command("export_audit_head", stdout=out)
    exported = out.getvalue().strip()
    assert exported == f"{AuditSeal.objects.last().pk}:{AuditSeal.objects.last().mac}"
    assert run("--head", exported, "--no-record")[0] == 0
    assert run("--head", f"{intact_head.pk}:{intact_head.mac}", "--no-record")[0] == 0
    with tampering() as cursor:
        cursor.execute("DELETE FROM audit_auditseal WHERE id = (SELECT max(id) FROM audit_auditseal)")
        cursor.execute("DELETE FROM audit_auditentry WHERE id >= %s", [last_entries[0].pk])
    # Without the head the shortened chain looks whole; with it the truncation shows.
    assert run("--no-record")[0] == 0
    code, _, err = run("--head", exported, "--no-record")
    assert code == 1 and "Audit log broken:" in err and "is not in the chain" in err


def test_a_wrong_head_is_reported(write_entries: Any) -> None:
    write_entries(1)
    code, _, err = run("--head", "f" * 64)
    assert code == 1 and "not in the chain" in err


def test_export_head_without_seals_fails_helpfully(db: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no seals yet"):
        call_command("export_audit_head")


def test_seal_audit_command_reports_the_count(write_entries: Any) -> None:
    write_entries(3)
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert "Sealed 3 entries." in out.getvalue()
    out = StringIO()
    call_command("seal_audit", stdout=out)
    assert "Nothing to seal." in out.getvalue()


@only_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditentry SET justification = 'x'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "UPDATE audit_auditseal SET mac = 'x'",
        "DELETE FROM audit_auditseal",
        "TRUNCATE audit_auditseal",
    ],
)
def test_postgresql_refuses_to_change_or_remove_audit_rows(write_entries: Any, sql: str) -> None:
    write_entries(2)
    seal_pending()
    with connection.cursor() as cursor:
        # This test's own session must not carry the test-flush allowance.
        cursor.execute("SET LOCAL rightpath.allow_audit_truncate = 'off'")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(sql)
    assert AuditEntry.objects.count() == 2 and AuditSeal.objects.count() == 1


@pytest.mark.parametrize("name", ["verify_audit", "seal_audit", "export_audit_head"])
def test_each_command_explains_itself_in_help(name: str) -> None:
    from django.core.management import load_command_class

    text = load_command_class("rightpath.audit", name).create_parser("manage.py", name).format_help()
    assert "audit" in text and "--help" in text
