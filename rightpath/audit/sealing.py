"""Sealing the audit log: chaining committed entries, in id order, into append-only seal rows.

Each entry carries its own keyed MAC from the moment it is written (edits are detected at once), but
a per-row MAC cannot show that a row was deleted or that two rows were swapped. A seal closes that
gap: it covers a contiguous id range and holds HMAC(previous seal's MAC, the range, the entry count,
the MACs of the entries in the range in id order). Sealing runs off the request path (the periodic
task ``seal_audit_log``), so audited requests never wait for a chain lock (DESIGN §2, TOOLCHAIN §9).

A seal must never cover a range in which a row may still appear: on PostgreSQL a transaction that
started earlier can commit a *lower* id after a higher one is visible. The sealer therefore seals
only entries the database inserted before the start of the oldest transaction still open (both by
the database's clock: ``inserted_at`` is set by the INSERT itself, after its id was drawn, so an
entry built in Python before a slow INSERT cannot pass for older than it is), less
``AUDIT_SEAL_DELAY_SECONDS``, and stops at the first entry that is too young. SQLite has a single writer and we hold
its write lock while sealing, so every visible row there is final.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from . import crypto
from .models import AuditEntry, AuditSeal

# The MAC a first seal links to.
GENESIS_MAC = "0" * 64
# Entries per seal: bounds the memory and the time a verifier or sealer spends on one range.
SEAL_MAX_ENTRIES = 5000
# pg_advisory_xact_lock key that serialises sealers (any constant unique to this purpose).
_SEAL_LOCK_KEY = 0x52505F4155444954  # "RP_AUDIT"


def compute_seal_mac(
    key: bytes, *, previous_mac: str, first_entry_id: int, last_entry_id: int, entry_count: int, macs: Iterable[str]
) -> str:
    """HMAC-SHA256 over the previous seal's MAC, the range, the count and the entry MACs in id order.

    Fields are separated by newlines so no two different ranges can produce the same message.
    """
    digest = hmac.new(
        key, f"{previous_mac}\n{first_entry_id}\n{last_entry_id}\n{entry_count}\n".encode(), hashlib.sha256
    )
    for entry_mac in macs:
        digest.update(entry_mac.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _lock() -> None:
    """Serialise sealers so two of them never link a seal to the same predecessor (a fork).

    On PostgreSQL an advisory lock held until the transaction ends; on SQLite the transaction is
    started with BEGIN IMMEDIATE (settings), which already makes it the single writer.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK_KEY])


def _cutoff(now: datetime | None) -> datetime:
    """Entries inserted at or after this instant are left for a later run."""
    delay = timedelta(seconds=settings.AUDIT_SEAL_DELAY_SECONDS)
    cutoff = now or timezone.now()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            if now is None:
                # The database's clock, the one that stamped inserted_at and xact_start.
                cursor.execute("SELECT clock_timestamp()")
                (cutoff,) = cursor.fetchone()
            # Statistics views are cached per transaction; read them fresh after taking the lock.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            # Other sessions of this database only: our own transaction writes no entries while
            # sealing. A role sees xact_start only for its own sessions (or with pg_read_all_stats),
            # so every writer must run as the application role, which it does.
            cursor.execute(
                "SELECT min(xact_start) FROM pg_stat_activity "
                "WHERE pid <> pg_backend_pid() AND datname = current_database() AND xact_start IS NOT NULL"
            )
            (oldest,) = cursor.fetchone()
        if oldest is not None and oldest < cutoff:
            cutoff = oldest
    return cutoff - delay


def _seal_once(now: datetime | None, max_entries: int) -> int:
    with transaction.atomic():
        _lock()
        cutoff = _cutoff(now)
        last = AuditSeal.objects.order_by("-id").only("mac", "last_entry_id").first()
        previous_mac, after_id = (last.mac, last.last_entry_id) if last else (GENESIS_MAC, 0)
        candidates = (
            AuditEntry.objects.filter(id__gt=after_id)
            .order_by("id")
            .values_list("id", "inserted_at", "mac")[:max_entries]
        )
        ids: list[int] = []
        macs: list[str] = []
        for entry_id, inserted_at, entry_mac in candidates:
            # Stop (never skip) at the first young entry: a lower id may still be committing behind it.
            if inserted_at >= cutoff:
                break
            ids.append(entry_id)
            macs.append(entry_mac)
        if not ids:
            return 0
        key_id, key = crypto.current_key()
        AuditSeal.objects.create(
            first_entry_id=ids[0],
            last_entry_id=ids[-1],
            entry_count=len(ids),
            previous_mac=previous_mac,
            key_id=key_id,
            mac=compute_seal_mac(
                key,
                previous_mac=previous_mac,
                first_entry_id=ids[0],
                last_entry_id=ids[-1],
                entry_count=len(ids),
                macs=macs,
            ),
        )
        return len(ids)


def seal_pending(*, now: datetime | None = None, max_entries: int = SEAL_MAX_ENTRIES) -> int:
    """Seal every entry that is old enough, in seals of at most ``max_entries``; return how many.

    Each seal is appended in its own short transaction under the sealer lock, so a large backlog
    never holds the lock for long. Seal rows are only ever inserted, never updated.
    """
    total = 0
    while True:
        sealed = _seal_once(now, max_entries)
        total += sealed
        if sealed < max_entries:
            return total
