"""Audit test fixtures: seal at once, tamper with rows the way an attacker with database access would."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.audit.services import record


@pytest.fixture(autouse=True)
def _seal_without_delay(settings: Any) -> None:
    settings.AUDIT_SEAL_DELAY_SECONDS = 0


@contextmanager
def tampering() -> Iterator[Any]:
    """A cursor that can rewrite the audit tables (PostgreSQL's append-only trigger switched off)."""
    tables = ("audit_auditentry", "audit_auditseal")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        try:
            yield cursor
        finally:
            if connection.vendor == "postgresql":
                for table in tables:
                    cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")


@pytest.fixture
def write_entries(db: Any) -> Callable[..., list[AuditEntry]]:
    """Append ``n`` entries (distinct contents) and return them in id order."""

    def write(n: int, *, organisation: Any = None) -> list[AuditEntry]:
        return [
            record(events.PERSONAL_DATA_READ, target=("case", f"C-{i}"), organisation=organisation, data={"n": i})
            for i in range(n)
        ]

    return write
