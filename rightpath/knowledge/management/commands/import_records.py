"""``manage.py import_records FILE``: load hub records from a CSV or XLSX file, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightpath.access.policy import can
from rightpath.knowledge import transfer
from rightpath.knowledge.taxonomy import Status


class Command(BaseCommand):
    help = (
        "Import knowledge-hub records (policies, practices, institutions, figures, frameworks) from a "
        "CSV file (UTF-8, with or without BOM, separated by ',' or ';') or an Excel workbook (.xlsx, "
        "first sheet). One record per row; the 'kind' column says which. Every row is checked first: "
        "if any row has a problem, NOTHING is imported, each problem is printed as row (the header is "
        "row 1), column and message, and the command exits with status 1. Records are imported as "
        "drafts unless --publish is given or the file's 'status' column says otherwise. "
        "Use --template FILE to write an empty file with the expected columns."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="the .csv or .xlsx file to import")
        parser.add_argument(
            "--template",
            metavar="FILE",
            help="write an empty import file with the expected header row (CSV or XLSX by extension) and stop",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="import rows without a status as published (default: draft)",
        )
        parser.add_argument(
            "--skip-existing",
            action="store_true",
            help="leave out rows already in the hub (same kind, country, year and title) instead of failing",
        )
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help="the knowledge editor the records are credited to (default: none, the operator)",
        )
        parser.add_argument("--check", action="store_true", help="check the file and report, without importing")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["template"]:
            self._template(options["template"])
            return
        if not options["file"]:
            raise CommandError("Give the file to import, or --template FILE.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        actor = self._user(options["user"]) if options["user"] else None
        try:
            report = transfer.import_records(
                content,
                filename=path.name,
                actor=actor,
                status=Status.PUBLISHED if options["publish"] else Status.DRAFT,
                skip_existing=options["skip_existing"],
                # Whoever runs commands on the server is trusted beyond the web's publishing rule.
                allow_publish=True,
                check_only=options["check"],
            )
        except transfer.FileRefused as exc:
            raise CommandError(str(exc)) from exc
        if not report.ok:
            for line in report.lines():
                self.stderr.write(line)
            raise CommandError(
                f"Nothing was imported: {report.error_count} problem(s) in {path.name}. Fix them and run again."
            )
        if report.checked_only:
            self.stdout.write(self.style.SUCCESS(f"{report.rows} row(s) checked: no problems. Nothing was imported."))
            return
        message = f"Imported {report.created} record(s) from {path.name}."
        if report.skipped:
            message += f" {report.skipped} already in the hub were left out."
        self.stdout.write(self.style.SUCCESS(message))

    def _user(self, username: str) -> Any:
        from rightpath.accounts.models import User

        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"No active user “{username}”.")
        if not can(user, "knowledge.entry.edit"):
            raise CommandError(f"“{username}” is not a knowledge editor or reviewer.")
        return user

    def _template(self, name: str) -> None:
        try:
            fmt = transfer.format_for(name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        with open(
            name, "w" if fmt == "csv" else "wb", **({"newline": "", "encoding": "utf-8"} if fmt == "csv" else {})
        ) as stream:
            transfer.write_template(stream, fmt)
        self.stdout.write(self.style.SUCCESS(f"Wrote the import template {name} ({len(transfer.HEADERS)} columns)."))
