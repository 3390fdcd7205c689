"""Exporting entries in the import columns, and empty import templates."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from rightpath.access.policy import visible
from rightpath.audit import events
from rightpath.audit.services import record

from ..models import TRANSLATED_FIELDS, Entry
from ..taxonomy import Status
from .columns import COLUMNS, HEADERS, join_list, lang_suffix, neutralise, xlsx_escape

ALLOWED_FORMATS = ("csv", "xlsx")


def export_entries(*, actor: Any, include_all: bool = False) -> QuerySet[Entry]:
    """The entries an export holds: what ``actor`` may read (an anonymous visitor: published only).

    ``actor=None`` is an operator on the command line: published entries, or every entry with
    ``include_all``.
    """
    qs = Entry.objects.all()
    if actor is None:
        qs = qs if include_all else qs.filter(status=Status.PUBLISHED)
    else:
        qs = visible(actor, "knowledge.entry.view", qs)
    return qs.prefetch_related("translations", "countries", "pillars", "target_groups", "sources").order_by(
        "created_at", "id"
    )


def entry_row(entry: Entry) -> dict[str, Any]:
    """One entry as a row of COLUMNS (plain Python values)."""
    row: dict[str, Any] = {
        "kind": entry.kind,
        "status": entry.status,
        "country": "; ".join(sorted(c.country for c in entry.countries.all())),
        "pillar": "; ".join(sorted(p.pillar for p in entry.pillars.all())),
        "target_groups": "; ".join(sorted(g.group for g in entry.target_groups.all())),
    }
    for column in COLUMNS:
        if column.field and not column.language:
            value = getattr(entry, column.field)
            row[column.name] = ("yes" if value else "no") if column.type == "bool" else value
    for t in entry.translations.all():
        suffix = lang_suffix(t.language)
        for name in TRANSLATED_FIELDS:
            row[f"{name}{suffix}"] = getattr(t, name)
        row[f"translation_status{suffix}"] = t.status
    sources = list(entry.sources.all())
    row["source_url"] = " ".join(s.url for s in sources)
    if any(s.title for s in sources):
        row["source_title"] = join_list([s.title for s in sources])
    if any(s.accessed_on for s in sources):
        row["source_accessed_on"] = join_list([s.accessed_on.isoformat() if s.accessed_on else "" for s in sources])
    return row


def write_rows(stream: Any, fmt: str, rows: Iterable[dict[str, Any]]) -> int:
    """Write a header and ``rows`` as CSV (text stream) or XLSX (binary stream); formula cells made inert."""
    if fmt == "csv":
        # The byte-order mark makes spreadsheet programs open the file as UTF-8 (Cyrillic included).
        stream.write("\ufeff")
        writer = csv.writer(stream)
        writer.writerow(HEADERS)
        count = 0
        for row in rows:
            writer.writerow([_csv_cell(row.get(name)) for name in HEADERS])
            count += 1
        return count
    if fmt == "xlsx":
        import openpyxl

        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("records")
        sheet.append(HEADERS)
        count = 0
        for row in rows:
            sheet.append([_xlsx_cell(row.get(name)) for name in HEADERS])
            count += 1
        _help_sheet(workbook)
        workbook.save(stream)
        return count
    raise ValueError(f"unknown format {fmt!r}")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date | int):
        return value.isoformat() if isinstance(value, dt.date) else str(value)
    return neutralise(str(value))


def _xlsx_cell(value: Any) -> Any:
    if value is None or isinstance(value, int | dt.date):
        return value
    return xlsx_escape(neutralise(str(value)))


def _help_sheet(workbook: Any) -> None:
    """A second sheet explaining each column (the importer reads the first sheet only)."""
    sheet = workbook.create_sheet("columns")
    sheet.append([_("column"), _("meaning"), _("how to fill it in")])
    for column in COLUMNS:
        sheet.append([column.name, _xlsx_cell(str(column.label)), _xlsx_cell(str(column.help))])


def export_records(stream: Any, fmt: str, *, actor: Any = None, include_all: bool = False) -> int:
    """Write the entries ``actor`` may read to ``stream`` in the columns of an import; audited."""
    entries = export_entries(actor=actor, include_all=include_all)
    count = write_rows(stream, fmt, (entry_row(e) for e in entries.iterator(chunk_size=500)))
    record(
        events.EXPORTED,
        actor=actor if actor is not None and actor.is_authenticated else None,
        target=("knowledge.export", fmt),
        data={"rows": count, "format": fmt, "all": include_all},
    )
    return count


def write_template(stream: Any, fmt: str) -> None:
    """An empty import file: the header row only (an XLSX template also explains every column)."""
    write_rows(stream, fmt, [])


def format_for(path: str | Path) -> str:
    """``csv`` or ``xlsx`` from a file name's extension."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in ALLOWED_FORMATS:
        raise ValueError(_("The file name must end in .csv or .xlsx."))
    return suffix
