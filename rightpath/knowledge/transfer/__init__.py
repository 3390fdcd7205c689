"""Import and export of hub records as spreadsheets (CSV or XLSX), one record per row.

Modules: ``columns`` (the schema and how a cell is read), ``files`` (reading CSV/XLSX files),
``importing`` (validate every row, then write all or nothing), ``exporting`` (entries in the same
columns, templates), ``jobs`` (web uploads imported by a background task).

The column schema is ``COLUMNS``: a row names its ``kind`` (policy, practice, institution, figure,
framework) and carries the language-neutral fields, the text per language (``title`` and
``summary`` are English, ``title_sq``, ``summary_sq``… the other content languages), countries,
pillars, target groups and sources. An export writes exactly these columns, so it imports again.

An import is all or nothing (DESIGN.md §4): every row is parsed and validated first, collecting
every problem as (row as the spreadsheet shows it, header = row 1; column; message); only a file
without a single problem is written, in one transaction, with one audit entry for the whole import.
The writer is a bulk path (a few queries per hundred rows, not per row) built on the same
``services.validate`` as the editing forms, so imported entries obey the same rules.

Cells a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
return) are exported with a leading apostrophe, the convention spreadsheets themselves use for
"this is text"; the importer removes that apostrophe again, so an export round-trips unchanged.

Web imports run as a background task; the job's state and report live in a small JSON file beside
the uploaded spreadsheet under ``PRIVATE_MEDIA_ROOT`` (readable with every task backend, including
the immediate one the tests use), and the task's return value carries the report as well.
"""

from __future__ import annotations

from pathlib import Path

from ..taxonomy import Status
from .columns import COLUMNS, FORMULA_TRIGGERS, HEADERS, LANGUAGES, Column, neutralise, unneutralise
from .exporting import export_entries, export_records, format_for, write_rows, write_template
from .files import MAX_UPLOAD_BYTES, FileRefused, detect_format, read_table
from .importing import MAX_ROWS, ImportReport, import_records
from .jobs import import_job_get, import_job_start, run_import_job

__all__ = [
    "COLUMNS",
    "FORMULA_TRIGGERS",
    "HEADERS",
    "LANGUAGES",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "Column",
    "FileRefused",
    "ImportReport",
    "detect_format",
    "export_entries",
    "export_records",
    "format_for",
    "import_job_get",
    "import_job_start",
    "import_records",
    "neutralise",
    "read_table",
    "run_import_job",
    "seed_demo_records",
    "unneutralise",
    "write_rows",
    "write_template",
]

SEED_FILE = Path(__file__).resolve().parent.parent / "fixtures" / "seed_records.csv"
DEMO_EDITOR = "hub.editor"


def seed_demo_records() -> ImportReport:
    """Import the hub's public seed records as published entries by the demo editor, once.

    Rows already in the hub are skipped, so running it again changes nothing.
    """
    from rightpath.accounts.models import User

    actor = User.objects.filter(username=DEMO_EDITOR).first()
    return import_records(
        SEED_FILE.read_bytes(),
        filename=SEED_FILE.name,
        actor=actor,
        status=Status.PUBLISHED,
        skip_existing=True,
        allow_publish=True,
    )
