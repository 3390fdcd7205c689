"""Anonymise closed cases past the retention period (CASE_RETENTION_DAYS); see services/retention.py."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from rightpath.cases.services.retention import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymise every closed case whose closure is older than CASE_RETENTION_DAYS: the identity record, "
        "session notes, document files and free-text fields are removed; reference, category, phases, dates "
        "and the team are kept for statistics. Each case is audited. Also deletes subject exports older than "
        "a week. Runs daily as a periodic task; safe to run again. With --dry-run, only lists what would go."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="List the cases due and change nothing.")

    def handle(self, *args: Any, dry_run: bool = False, **options: Any) -> None:
        report = apply_retention(dry_run=dry_run)
        verb = "would anonymise" if dry_run else "anonymised"
        cutoff = timezone.localtime(report.cutoff).date().isoformat()
        self.stdout.write(
            f"Retention period: {settings.CASE_RETENTION_DAYS} days (cases closed before {cutoff})."
            + (" Dry run: nothing changes." if dry_run else "")
        )
        for row in report.cases:
            removed = row["removed"]
            closed = timezone.localtime(row["closed_at"]).date().isoformat()
            self.stdout.write(
                f"  {row['reference']} (closed {closed}): {verb}: identity record {removed.get('identity', 0)}, "
                f"session notes {removed.get('sessions', 0)}, document files {removed.get('documents', 0)}"
            )
        self.stdout.write(f"{len(report.cases)} case(s) {verb}.")
        if report.files_swept:
            self.stdout.write(
                f"{report.files_swept} leftover document file(s) {'would be ' if dry_run else ''}deleted."
            )
        if report.exports_purged:
            self.stdout.write(f"{report.exports_purged} old export file(s) {'would be ' if dry_run else ''}deleted.")
