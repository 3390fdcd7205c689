"""Rebuild the knowledge hub's search index from the published entries and publications."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from rightpath.knowledge import search


class Command(BaseCommand):
    help = (
        "Re-create the full-text index objects if missing (FTS5 table and triggers on SQLite, the "
        "tsvector column and GIN index on PostgreSQL), then re-index every published entry and "
        "publication in every language it has. Safe to run at any time; searches keep working "
        "(the rebuild is one transaction). Run it after changing the normalisation in search.py."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        search.ensure_index()
        count = search.rebuild_index()
        self.stdout.write(f"Indexed {count} search documents.")
