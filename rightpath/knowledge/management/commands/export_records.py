"""``manage.py export_records FILE``: write hub records to CSV or XLSX in the import's columns."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rightpath.knowledge import transfer


class Command(BaseCommand):
    help = (
        "Export knowledge-hub records to a CSV (UTF-8 with BOM) or Excel (.xlsx) file, chosen by the "
        "file's extension ('-' writes CSV to standard output). The columns are those of "
        "import_records, so the file imports again unchanged. Published records only, unless --all. "
        "Cells that a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage "
        "return) are written with a leading apostrophe so they stay text; import_records removes it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="where to write: a .csv or .xlsx file name, or - for CSV on standard output")
        parser.add_argument("--all", action="store_true", help="include drafts, records in review and archived records")

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["file"]
        if name == "-":
            buffer = io.StringIO(newline="")
            count = transfer.export_records(buffer, "csv", include_all=options["all"])
            self.stdout.write(buffer.getvalue(), ending="")
            self.stderr.write(f"Exported {count} record(s).")
            return
        try:
            fmt = transfer.format_for(name)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            if fmt == "csv":
                with open(name, "w", newline="", encoding="utf-8") as stream:
                    count = transfer.export_records(stream, fmt, include_all=options["all"])
            else:
                with open(name, "wb") as stream:
                    count = transfer.export_records(stream, fmt, include_all=options["all"])
        except OSError as exc:
            raise CommandError(f"Cannot write {name}: {exc.strerror}") from exc
        self.stdout.write(self.style.SUCCESS(f"Exported {count} record(s) to {name}."))
