"""Writing entries: each carries its own keyed MAC at insert."""

from __future__ import annotations

from typing import Any

from rightpath.audit import crypto, events
from rightpath.audit.models import AuditEntry
from rightpath.audit.services import compute_entry_mac, record


def test_record_writes_an_entry_with_a_keyed_mac_over_its_contents(db: Any) -> None:
    entry = record(events.EXPORTED, target=("case", "C-1"), data={"format": "pdf"}, justification="court order")
    stored = AuditEntry.objects.get(pk=entry.pk)
    key_id, key = crypto.current_key()
    assert stored.key_id == key_id and len(stored.mac) == 64
    assert compute_entry_mac(stored, key) == stored.mac
    stored.justification = "something else"
    assert compute_entry_mac(stored, key) != stored.mac


def test_the_mac_depends_on_the_key(db: Any) -> None:
    entry = record(events.LOGIN)
    assert compute_entry_mac(entry, b"another-key-0123456789") != entry.mac
