"""Multilingual full-text search for the hub (same answers on PostgreSQL and SQLite)."""

from __future__ import annotations

from typing import Any


def reindex_entry(entry: Any) -> None:
    """Refresh the search documents of ``entry``: published entries are indexed, others removed."""
    from .models import SearchDocument
    from .taxonomy import Status

    if entry.status != Status.PUBLISHED:
        SearchDocument.objects.filter(entry=entry).delete()
