"""Reading and writing spreadsheet files: CSV (UTF-8, "," or ";") and XLSX (first sheet)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from .columns import xlsx_unescape

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# An XLSX file is a zip archive: refuse one that would unpack to more than this (a "zip bomb").
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024


class FileRefused(ValueError):
    """The upload is not a spreadsheet this importer reads (the message says why, for the user)."""


def detect_format(content: bytes) -> str:
    """``"csv"`` or ``"xlsx"``, judged by the bytes (never by the file name); FileRefused otherwise."""
    if not content.strip():
        raise FileRefused(_("The file is empty."))
    if content.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                names = set(archive.namelist())
                unpacked = sum(info.file_size for info in archive.infolist())
        except zipfile.BadZipFile as exc:
            raise FileRefused(_("The file looks like an Excel workbook but is damaged.")) from exc
        if "xl/workbook.xml" not in names:
            raise FileRefused(_("The file is a zip archive, not an Excel workbook (.xlsx)."))
        if unpacked > MAX_XLSX_UNPACKED_BYTES:
            raise FileRefused(_("The workbook is too large once unpacked."))
        return "xlsx"
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(_("Old Excel files (.xls) are not read: save the file as .xlsx or as “CSV UTF-8”."))
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _(
                "The file is neither an Excel workbook (.xlsx) nor CSV text in UTF-8. If it is a CSV file, save it again as “CSV UTF-8”."
            )
        ) from exc
    # Text files never hold NUL characters; binary files almost always do.
    if "\x00" in text:
        raise FileRefused(_("The file is not a text file: upload a CSV or an Excel workbook (.xlsx)."))
    return "csv"


@dataclass
class Table:
    """A spreadsheet's first sheet: the header cells and the data rows with their row numbers."""

    headers: list[str]
    rows: Iterator[tuple[int, list[Any]]]


def _csv_table(content: bytes) -> Table:
    text = content.decode("utf-8-sig")
    first_line = text.split("\n", 1)[0]
    # Spreadsheets in most of Europe write ";" because "," is the decimal separator.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader, [])
    except csv.Error as exc:
        raise FileRefused(_("The CSV file cannot be read: %(error)s") % {"error": exc}) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        # A spreadsheet shows one record per row, even when a cell holds line breaks.
        number = 1
        try:
            for cells in reader:
                number += 1
                yield number, cells
        except csv.Error as exc:
            raise FileRefused(
                _("The CSV file cannot be read after row %(row)s: %(error)s") % {"row": number, "error": exc}
            ) from exc

    return Table([str(h) for h in headers], rows())


def _xlsx_table(content: bytes) -> Table:
    import openpyxl

    try:
        # data_only: read the values a spreadsheet computed, never formulas.
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; forget it so every row is read.
        sheet.reset_dimensions()
        iterator = sheet.iter_rows(values_only=True)
        first = next(iterator, ())
    except Exception as exc:  # openpyxl raises many kinds of errors for damaged files
        raise FileRefused(_("The Excel workbook cannot be read.")) from exc

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, cells in enumerate(iterator, start=2):
                yield number, [xlsx_unescape(c) if isinstance(c, str) else c for c in cells]
        finally:
            workbook.close()

    return Table(["" if h is None else xlsx_unescape(str(h)) for h in first], rows())


def read_table(content: bytes) -> Table:
    """The first sheet of a CSV (UTF-8, with or without BOM; "," or ";") or XLSX file."""
    return _xlsx_table(content) if detect_format(content) == "xlsx" else _csv_table(content)
