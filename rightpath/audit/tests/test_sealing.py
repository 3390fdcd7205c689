"""Sealing: contiguous, linked seals in id order, never a fork, never past an entry still in flight."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from rightpath.audit.models import AuditEntry, AuditSeal
from rightpath.audit.sealing import GENESIS_MAC, seal_pending
from rightpath.audit.verification import verify_chain
from rightpath.core import schedule

from .conftest import tampering

only_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


def _assert_linear_chain() -> None:
    previous_mac, previous_last = GENESIS_MAC, 0
    for seal in AuditSeal.objects.order_by("id"):
        assert seal.previous_mac == previous_mac
        assert seal.first_entry_id > previous_last
        assert not AuditEntry.objects.filter(id__gt=previous_last, id__lt=seal.first_entry_id).exists()
        assert (
            AuditEntry.objects.filter(id__range=(seal.first_entry_id, seal.last_entry_id)).count() == seal.entry_count
        )
        previous_mac, previous_last = seal.mac, seal.last_entry_id
    assert len(set(AuditSeal.objects.values_list("previous_mac", flat=True))) == AuditSeal.objects.count()


def test_first_seal_links_to_the_genesis_mac_and_covers_every_entry(write_entries: Any) -> None:
    entries = write_entries(3)
    assert seal_pending() == 3
    seal = AuditSeal.objects.get()
    assert seal.previous_mac == GENESIS_MAC
    assert (seal.first_entry_id, seal.last_entry_id, seal.entry_count) == (entries[0].pk, entries[-1].pk, 3)


def test_sealer_never_forks_under_repeated_calls(write_entries: Any) -> None:
    for batch in (2, 0, 5, 1, 0, 3):
        write_entries(batch)
        for _ in range(3):
            seal_pending()
    assert AuditSeal.objects.count() == 4
    _assert_linear_chain()
    assert not AuditEntry.objects.filter(id__gt=AuditSeal.objects.last().last_entry_id).exists()


def test_large_backlog_is_split_into_bounded_seals(write_entries: Any) -> None:
    write_entries(7)
    assert seal_pending(max_entries=3) == 7
    assert list(AuditSeal.objects.values_list("entry_count", flat=True)) == [3, 3, 1]
    _assert_linear_chain()
    assert verify_chain().intact


def test_entries_younger_than_the_delay_wait_and_sealing_stops_at_the_first_of_them(
    write_entries: Any, settings: Any
) -> None:
    settings.AUDIT_SEAL_DELAY_SECONDS = 60
    old, _young, also_old = write_entries(3)
    # The middle entry is young; the one after it must not be sealed past it.
    with tampering() as cursor:
        cursor.execute(
            "UPDATE audit_auditentry SET inserted_at = %s WHERE id IN (%s, %s)",
            [timezone.now() - timedelta(minutes=5), old.pk, also_old.pk],
        )
    assert seal_pending() == 1
    assert AuditSeal.objects.get().last_entry_id == old.pk


def test_seal_task_is_registered_with_the_worker_and_seals(write_entries: Any) -> None:
    from rightpath.audit.tasks import seal_audit_log

    assert ("rightpath.audit.tasks.seal_audit_log", 10) in schedule.PERIODIC
    write_entries(2)
    result = seal_audit_log.enqueue()  # the test profile runs tasks immediately
    assert result.return_value == 2
    assert AuditSeal.objects.count() == 1


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_sealers_on_postgresql_keep_one_linear_chain(write_entries: Any) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        from django.db import connections

        try:
            for _ in range(5):
                write_entries(3)
                seal_pending()
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seal_pending()
    _assert_linear_chain()
    assert sum(AuditSeal.objects.values_list("entry_count", flat=True)) == 90
    assert verify_chain().intact


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_sealer_never_passes_an_entry_whose_transaction_is_still_open(write_entries: Any) -> None:
    from django.db import connections, transaction

    write_entries(1)
    in_flight = threading.Event()
    release = threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                write_entries(1)  # a lower id, committed only after a higher one
                in_flight.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert in_flight.wait(10)
    later = write_entries(1)[0]
    sealed_while_open = seal_pending()
    release.set()
    thread.join()
    # Only the entry written before the open transaction started was sealed.
    assert sealed_while_open == 1
    assert seal_pending() == 2
    assert AuditSeal.objects.last().last_entry_id == later.pk
    assert verify_chain().intact


@only_postgresql
@pytest.mark.django_db(transaction=True)
def test_an_entry_stamped_before_a_slow_insert_is_not_sealed_past_an_open_transaction(
    write_entries: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connections, transaction

    from rightpath.audit import services

    in_flight = threading.Event()
    release = threading.Event()

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                write_entries(1)  # a lower id, still uncommitted while the sealer runs
                in_flight.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    assert in_flight.wait(10)
    # An entry whose event time was taken long before its INSERT reached the database.
    stamped = timezone.now() - timedelta(minutes=10)
    monkeypatch.setattr(services.timezone, "now", lambda: stamped)
    late = write_entries(1)[0]
    monkeypatch.undo()
    sealed_while_open = seal_pending()
    release.set()
    thread.join()
    assert sealed_while_open == 0
    assert not AuditSeal.objects.filter(last_entry_id__gte=late.pk).exists()
    assert seal_pending() == 2
    _assert_linear_chain()
    assert verify_chain().intact
