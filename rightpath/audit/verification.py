"""Checking the audit log: every entry's MAC, every seal's link and range, and optionally the head.

``verify_chain`` walks entries and seals together in id order, in one pass and bounded memory
(one seal's range at a time), and stops at the first problem, naming the lowest entry id it
concerns. What each check catches:

- an entry's MAC, recomputed with the key named by its ``key_id``: any edit of an entry's fields;
- a seal's ``previous_mac``: a seal removed, replaced or inserted in the middle of the chain;
- the entries present in a seal's range, their count and the seal's recomputed MAC: an entry
  deleted or added inside a sealed range, or rows swapped or renumbered (the seal covers the
  entries' MACs in id order, which an entry's own MAC does not);
- an entry lying between two seals or before the first: a row inserted after sealing;
- ``expected_head`` (a seal MAC exported earlier): the newest seals and entries truncated away, or
  the whole chain rewritten by someone holding the database but not the key.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from . import crypto
from .models import AuditEntry, AuditSeal
from .sealing import GENESIS_MAC, compute_seal_mac
from .services import compute_entry_mac

# Rows fetched per round trip while streaming the tables.
_CHUNK = 2000


@dataclass(frozen=True)
class Result:
    """The outcome of a verification; ``broken_entry_id`` and ``reason`` are set when it failed."""

    entries_checked: int
    seals_checked: int
    unsealed_entries: int
    head: str | None
    broken_entry_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return not self.reason


class _Broken(Exception):
    def __init__(self, entry_id: int | None, reason: str) -> None:
        super().__init__(reason)
        self.entry_id = entry_id
        self.reason = reason


class _Peekable:
    """An entry iterator that can look at the next entry without consuming it."""

    def __init__(self, iterator: Iterator[AuditEntry]) -> None:
        self._iterator = iterator
        self._next: AuditEntry | None = next(iterator, None)

    def peek(self) -> AuditEntry | None:
        return self._next

    def pop(self) -> AuditEntry:
        current = self._next
        assert current is not None
        self._next = next(self._iterator, None)
        return current


class _Keys:
    """Audit keys by id, looked up once per verification."""

    def __init__(self) -> None:
        self._cache: dict[str, bytes | None] = {}

    def get(self, key_id: str) -> bytes | None:
        if key_id not in self._cache:
            self._cache[key_id] = crypto.key_by_id(key_id)
        return self._cache[key_id]


def _check_entry(entry: AuditEntry, keys: _Keys) -> None:
    key = keys.get(entry.key_id)
    if key is None:
        raise _Broken(entry.pk, _("its MAC was made with an unknown key (%(key)s)") % {"key": entry.key_id})
    if compute_entry_mac(entry, key) != entry.mac:
        raise _Broken(entry.pk, _("its contents do not match its MAC (the entry was changed)"))


def _check_seal(seal: AuditSeal, previous_mac: str, previous_last_id: int, macs: list[str], keys: _Keys) -> None:
    where = {"seal": seal.pk, "first": seal.first_entry_id, "last": seal.last_entry_id}
    if seal.previous_mac != previous_mac:
        raise _Broken(
            seal.first_entry_id,
            _("seal #%(seal)s does not link to the seal before it (a seal was removed, replaced or inserted)") % where,
        )
    if seal.first_entry_id <= previous_last_id or seal.last_entry_id < seal.first_entry_id:
        raise _Broken(
            seal.first_entry_id,
            _("seal #%(seal)s covers entries #%(first)s to #%(last)s, which overlap the seal before it") % where,
        )
    if len(macs) != seal.entry_count:
        raise _Broken(
            seal.first_entry_id,
            _(
                "seal #%(seal)s covers %(count)s entries from #%(first)s to #%(last)s but %(present)s are present "
                "(an entry was deleted or added)"
            )
            % {**where, "count": seal.entry_count, "present": len(macs)},
        )
    key = keys.get(seal.key_id)
    if key is None:
        raise _Broken(
            seal.first_entry_id,
            _("seal #%(seal)s was made with an unknown key (%(key)s)") % {**where, "key": seal.key_id},
        )
    expected = compute_seal_mac(
        key,
        previous_mac=seal.previous_mac,
        first_entry_id=seal.first_entry_id,
        last_entry_id=seal.last_entry_id,
        entry_count=seal.entry_count,
        macs=macs,
    )
    if expected != seal.mac:
        raise _Broken(
            seal.first_entry_id,
            _(
                "seal #%(seal)s over entries #%(first)s to #%(last)s does not match them "
                "(entries were reordered, renumbered or replaced, or the seal was changed)"
            )
            % where,
        )


def verify_chain(expected_head: str | None = None) -> Result:
    """Recompute every entry MAC and every seal; return the first broken entry, if any.

    ``expected_head`` is a seal MAC exported earlier (``export_audit_head``); it must still be in
    the chain. Entries newer than the last seal are checked one by one only: seal them first
    (``seal_pending``) to have their order and completeness checked too.
    """
    keys = _Keys()
    checked = seals_checked = 0
    previous_mac, previous_last_id = GENESIS_MAC, 0
    head_found = expected_head is None
    # One transaction: PostgreSQL then streams both tables through plain (non-holdable) cursors.
    with transaction.atomic():
        # Seals are read before entries: every entry a visible seal covers was committed before
        # that seal, so it is visible to the entry query that starts afterwards.
        seals = AuditSeal.objects.order_by("id").iterator(chunk_size=_CHUNK)
        first_seal = next(seals, None)
        entries = _Peekable(AuditEntry.objects.order_by("id").iterator(chunk_size=_CHUNK))
        try:
            seal = first_seal
            while seal is not None:
                macs: list[str] = []
                while (entry := entries.peek()) is not None and entry.pk <= seal.last_entry_id:
                    entries.pop()
                    if entry.pk < seal.first_entry_id:
                        raise _Broken(
                            entry.pk,
                            _("it is not covered by any seal although later entries are (inserted after sealing)"),
                        )
                    _check_entry(entry, keys)
                    checked += 1
                    macs.append(entry.mac)
                _check_seal(seal, previous_mac, previous_last_id, macs, keys)
                seals_checked += 1
                previous_mac, previous_last_id = seal.mac, seal.last_entry_id
                head_found = head_found or seal.mac == expected_head
                seal = next(seals, None)
            unsealed = 0
            while entries.peek() is not None:
                entry = entries.pop()
                _check_entry(entry, keys)
                checked += 1
                unsealed += 1
        except _Broken as broken:
            return Result(
                entries_checked=checked,
                seals_checked=seals_checked,
                unsealed_entries=0,
                head=None,
                broken_entry_id=broken.entry_id,
                reason=broken.reason,
            )
    head = previous_mac if seals_checked else None
    if not head_found:
        return Result(
            entries_checked=checked,
            seals_checked=seals_checked,
            unsealed_entries=unsealed,
            head=head,
            reason=_(
                "the exported head %(expected)s is not in the chain (newer seals and entries were removed, "
                "or the chain was rewritten)"
            )
            % {"expected": expected_head},
        )
    return Result(entries_checked=checked, seals_checked=seals_checked, unsealed_entries=unsealed, head=head)
