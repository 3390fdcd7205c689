"""Importing rows: parse and validate every row, then write all of them or none."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rightpath.access.policy import can
from rightpath.audit import events
from rightpath.audit.services import record

from .. import services
from ..models import (
    TRANSLATED_FIELDS,
    Entry,
    EntryCountry,
    EntryPillar,
    EntryTargetGroup,
    EntryTranslation,
    EntryVersion,
    Source,
)
from ..taxonomy import EntryKind, Status, TranslationStatus
from .columns import (
    COLUMN_BY_NAME,
    FIELD_COLUMN,
    HEADER_ALIASES,
    HEADERS,
    LANGUAGES,
    MULTI_SEPARATOR,
    RELATED_COLUMN,
    Column,
    cell_text,
    lang_suffix,
    read_bool,
    read_choice,
    read_date,
    read_language,
    read_year,
    split_list,
)
from .files import read_table

MAX_ROWS = 10_000
# Reports stop listing problems after this many (the count is still given): a broken 10,000-row
# file must not produce a page nobody can read.
MAX_REPORTED_ERRORS = 1_000
# Rows written per INSERT batch.
BATCH = 500


@dataclass
class ImportReport:
    """What an import did, or why it did nothing."""

    filename: str
    rows: int = 0
    created: int = 0
    skipped: int = 0
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, message)
    error_count: int = 0
    checked_only: bool = False

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add(self, row: int, column: str, message: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append((row, column, str(message)))

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "rows": self.rows,
            "created": self.created,
            "skipped": self.skipped,
            "errors": [list(e) for e in self.errors],
            "error_count": self.error_count,
            "checked_only": self.checked_only,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        return cls(
            filename=data.get("filename", ""),
            rows=data.get("rows", 0),
            created=data.get("created", 0),
            skipped=data.get("skipped", 0),
            errors=[(int(r), str(c), str(m)) for r, c, m in data.get("errors", [])],
            error_count=data.get("error_count", 0),
            checked_only=data.get("checked_only", False),
        )

    def lines(self) -> list[str]:
        """The report as plain lines (for the command line)."""
        out = [
            _("Row %(row)s, column “%(column)s”: %(message)s") % {"row": r, "column": c or "—", "message": m}
            for r, c, m in self.errors
        ]
        if self.error_count > len(self.errors):
            out.append(_("… and %(count)s more problems.") % {"count": self.error_count - len(self.errors)})
        return out


@dataclass
class ParsedRow:
    number: int
    data: services.EntryData
    status: str | None  # from the file; None: the import's default
    entry: Entry | None  # unsaved, with the language-neutral fields; None when the row has problems


@dataclass
class _Cells:
    """The values read from one row's cells, before the checks that span several columns."""

    fields: dict[str, Any] = field(default_factory=dict)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    multi: dict[str, list[str]] = field(default_factory=lambda: {"country": [], "pillar": [], "target_groups": []})
    urls: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    accessed: list[dt.date | None] = field(default_factory=list)
    status: str | None = None


@dataclass
class _Header:
    columns: list[Column | None]  # per cell position; None for a cell without a (known) heading
    blank: list[bool]  # per cell position: the heading cell is empty


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _normalise_header(text: str) -> str:
    name = re.sub(r"[\s\-]+", "_", str(text).strip().lstrip("\ufeff").casefold())
    return HEADER_ALIASES.get(name, name)


def _read_header(cells: list[str], report: ImportReport) -> _Header:
    columns: list[Column | None] = []
    seen: dict[str, str] = {}
    for raw in cells:
        text = str(raw or "").strip()
        if not text:
            columns.append(None)
            continue
        name = _normalise_header(text)
        column = COLUMN_BY_NAME.get(name)
        if column is None:
            report.add(1, text, _("Unknown column. The columns are listed in the import template."))
        elif name in seen:
            report.add(1, text, _("This column appears twice (also as “%(other)s”).") % {"other": seen[name]})
            column = None
        else:
            seen[name] = text
        columns.append(column)
    if "kind" not in seen:
        report.add(1, "kind", _("The file has no “kind” column."))
    if not any(n.startswith("title") for n in seen):
        report.add(1, "title", _("The file has no title column (“title” for English, “title_sq”… for others)."))
    return _Header(columns, [not str(raw or "").strip() for raw in cells])


def _read_cell(column: Column, text: str, cells: _Cells) -> None:
    """Put one non-empty cell's value where it belongs; ValueError (with the user's message) if bad."""
    if column.language:
        value = read_choice(text, column.choices) if column.choices else text
        cells.translations.setdefault(column.language, {})[column.field] = value
    elif column.name == "status":
        cells.status = read_choice(text, Status)
    elif column.type == "multi":
        assert column.choices is not None
        parts = (read_choice(part, column.choices) for part in MULTI_SEPARATOR.split(text) if part)
        cells.multi[column.name] = list(dict.fromkeys(parts))
    elif column.type == "urls":
        cells.urls = text.split()
    elif column.type == "list":
        cells.titles = split_list(text)
    elif column.type == "dates":
        cells.accessed = [read_date(part) if part else None for part in split_list(text)]
    elif column.type == "choice":
        assert column.choices is not None
        cells.fields[column.field] = read_choice(text, column.choices)
    elif column.type == "year":
        cells.fields[column.field] = read_year(text)
    elif column.type == "date":
        cells.fields[column.field] = read_date(text)
    elif column.type == "bool":
        cells.fields[column.field] = read_bool(text)
    elif column.type == "language":
        cells.fields[column.field] = read_language(text)
    else:
        cells.fields[column.field] = text


def _parse_row(number: int, values: list[Any], header: _Header, report: ImportReport) -> ParsedRow | None:
    """Read and validate one row; every problem goes into ``report``. None for an empty row."""
    texts = [cell_text(v) for v in values]
    if not any(texts):
        return None
    cells = _Cells()
    failed: set[str] = set()

    def problem(column: str, message: str) -> None:
        report.add(number, column, message)
        failed.add(column)

    for index, text in enumerate(texts):
        column = header.columns[index] if index < len(header.columns) else None
        if column is None:
            # Cells under an unknown heading were reported once, in row 1; a value under no heading
            # at all would be lost without a word, so it is a problem of its own.
            if text and (index >= len(header.columns) or header.blank[index]):
                problem(_column_letter(index), _("This cell has no column heading."))
        elif text:
            try:
                _read_cell(column, text, cells)
            except ValueError as exc:
                problem(column.name, str(exc))

    fields = cells.fields
    if "kind" not in fields and "kind" not in failed:
        problem("kind", _("Say which kind of record this is: %(kinds)s.") % {"kinds": ", ".join(EntryKind.values)})
    for language, text_fields in cells.translations.items():
        if not text_fields.get("title") and any(v for k, v in text_fields.items() if k != "status"):
            problem(f"title{lang_suffix(language)}", _("There is text in this language but no title."))
    # A language with only a translation status and no text is no translation at all.
    translations = {k: v for k, v in cells.translations.items() if any(x for f, x in v.items() if f != "status")}
    if not translations and not any(c.startswith("title") for c in failed):
        problem("title", _("Give a title in at least one language."))
    if "original_language" not in fields and translations:
        fields["original_language"] = "en" if "en" in translations else next(iter(translations))
    if fields.get("kind") == EntryKind.FIGURE and "as_of" not in fields and fields.get("year"):
        # A figure's year is the year it describes ("as of"), unless the row says otherwise.
        fields["as_of"] = fields["year"]
    urls, titles, accessed = cells.urls, cells.titles, cells.accessed
    if len(titles) > max(len(urls), 1) or (any(titles) and not urls):
        problem("source_title", _("There are more source titles than source addresses."))
    if len(accessed) > max(len(urls), 1) or (any(accessed) and not urls):
        problem("source_accessed_on", _("There are more dates than source addresses."))
    data = services.EntryData(
        fields=fields,
        translations=translations,
        countries=cells.multi["country"],
        pillars=cells.multi["pillar"],
        target_groups=cells.multi["target_groups"],
        sources=[
            {
                "url": url,
                "title": titles[i] if i < len(titles) else "",
                "accessed_on": accessed[i] if i < len(accessed) else None,
            }
            for i, url in enumerate(urls)
        ],
    )
    entry = None
    try:
        entry = services.validate(data)
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            column_name, prefix = _column_for(key)
            if column_name not in failed:  # else already reported, more precisely
                for message in messages:
                    report.add(number, column_name, prefix + message)
                failed.add(column_name)
    return ParsedRow(number, data, cells.status, entry if not failed else None)


_TRANSLATION_KEY = re.compile(r"(\w+)_({})".format("|".join(LANGUAGES)))


def _column_for(key: str) -> tuple[str, str]:
    """The column a ``services.validate`` error key belongs to, and a prefix for its message."""
    if match := re.fullmatch(r"sources_(\d+)_(\w+)", key):
        number, name = int(match.group(1)) + 1, match.group(2)
        column = {"url": "source_url", "title": "source_title"}.get(name, "source_accessed_on")
        return column, _("Source %(number)s: ") % {"number": number}
    if match := _TRANSLATION_KEY.fullmatch(key):
        name, language = match.groups()
        if name == "status":
            return f"translation_status{lang_suffix(language)}", ""
        if name in TRANSLATED_FIELDS:
            return f"{name}{lang_suffix(language)}", ""
    if key == "language":
        return "original_language", ""
    if key == "__all__":
        return "", ""
    return RELATED_COLUMN.get(key) or FIELD_COLUMN.get(key, key), ""


def _identity(kind: str, countries: Iterable[str], year: int | None, language: str, title: str) -> tuple:
    return (kind, tuple(sorted(countries)), year, language, " ".join(title.split()).casefold())


def _row_identities(data: services.EntryData) -> set[tuple]:
    return {
        _identity(data.fields.get("kind", ""), data.countries, data.fields.get("year"), language, text.get("title", ""))
        for language, text in data.translations.items()
        if text.get("title")
    }


def _existing_identities(kinds: set[str]) -> set[tuple]:
    """Kind, countries, year and title (per language) of every stored entry of these kinds."""
    entries = {
        pk: (kind, year) for pk, kind, year in Entry.objects.filter(kind__in=kinds).values_list("id", "kind", "year")
    }
    countries: dict[int, list[str]] = {}
    for entry_id, country in EntryCountry.objects.filter(entry__kind__in=kinds).values_list("entry_id", "country"):
        countries.setdefault(entry_id, []).append(country)
    return {
        _identity(entries[entry_id][0], countries.get(entry_id, []), entries[entry_id][1], language, title)
        for entry_id, language, title in EntryTranslation.objects.filter(entry__kind__in=kinds).values_list(
            "entry_id", "language", "title"
        )
    }


Progress = Callable[[str, int, int], None]


def import_records(
    content: bytes,
    *,
    filename: str,
    actor: Any = None,
    status: str = Status.DRAFT,
    skip_existing: bool = False,
    allow_publish: bool | None = None,
    check_only: bool = False,
    progress: Progress | None = None,
) -> ImportReport:
    """Import every row of a CSV or XLSX file as a new entry, or nothing if any row has a problem.

    ``actor`` is the editor the entries are credited to (None: an operator on the command line).
    ``status`` is given to rows whose ``status`` cell is empty. Rows that would be published or
    archived need ``allow_publish``; None asks the policy (only a knowledge reviewer may). An entry
    that already exists (same kind, countries, year and title in one language) is a problem, or
    with ``skip_existing`` a row left out. ``check_only`` validates without writing.
    Raises FileRefused when the file is not a readable spreadsheet.
    """
    if actor is not None:
        services._require(actor, "knowledge.entry.edit")
    if allow_publish is None:
        allow_publish = actor is None or bool(can(actor, "knowledge.entry.review"))
    report = ImportReport(filename=filename, checked_only=check_only)
    parsed = _parse_file(content, report, progress)
    if not allow_publish:
        _check_publishing(parsed, status, report)
    to_write = _check_duplicates(parsed, report, skip_existing=skip_existing)
    report.errors.sort(key=lambda e: (e[0], _column_order(e[1])))
    if not report.ok or check_only:
        return report
    with transaction.atomic():
        _hold_import_lock()
        # Another import may have committed the same records since the check above: check again
        # under the lock, which keeps every other import waiting until this one commits.
        report.skipped = 0
        to_write = _check_duplicates(parsed, report, skip_existing=skip_existing)
        if not report.ok:
            report.errors.sort(key=lambda e: (e[0], _column_order(e[1])))
            return report
        entries = _write(to_write, actor=actor, default_status=status, filename=filename, progress=progress)
        report.created = len(entries)
        if entries:
            record(
                events.CREATED,
                actor=actor,
                target=("knowledge.import", filename[:64]),
                data={"import": filename, "rows": len(entries)},
            )
    return report


# Key of the PostgreSQL advisory lock that lets one import write at a time.
IMPORT_LOCK_KEY = 7_305_001


def _hold_import_lock() -> None:
    """Until the current transaction ends, be the only import that writes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        else:
            # SQLite admits one writer at a time: a write statement (even one that changes no row)
            # takes the database's write lock for the rest of the transaction.
            cursor.execute("UPDATE knowledge_entry SET id = id WHERE 0")


def _parse_file(content: bytes, report: ImportReport, progress: Progress | None) -> list[ParsedRow]:
    table = read_table(content)
    header = _read_header(table.headers, report)
    parsed: list[ParsedRow] = []
    for number, cells in table.rows:
        if number > MAX_ROWS + 1:
            report.add(number, "", _("Too many rows: import at most %(max)s rows at a time.") % {"max": MAX_ROWS})
            break
        row = _parse_row(number, cells, header, report)
        if row is not None:
            parsed.append(row)
            if progress and len(parsed) % 250 == 0:
                progress("checking", len(parsed), 0)
    report.rows = len(parsed)
    if not parsed and report.ok:
        report.add(2, "", _("The file has no records below its header row."))
    return parsed


def _check_publishing(parsed: list[ParsedRow], default_status: str, report: ImportReport) -> None:
    """Report rows that would be published or archived by someone who may not do that."""
    for row in parsed:
        row_status = row.status or default_status
        if row_status in (Status.PUBLISHED, Status.ARCHIVED):
            report.add(
                row.number,
                "status",
                _(
                    "Only a knowledge reviewer may import records as “%(status)s”; leave the cell empty to import a draft."
                )
                % {"status": Status(row_status).label},
            )


def _check_duplicates(parsed: list[ParsedRow], report: ImportReport, *, skip_existing: bool) -> list[ParsedRow]:
    """The rows to write: a record already in the hub is reported (or left out), as is a repeated row."""
    kinds = {row.data.fields["kind"] for row in parsed if "kind" in row.data.fields}
    existing = _existing_identities(kinds) if kinds else set()
    seen_in_file: dict[tuple, int] = {}
    to_write: list[ParsedRow] = []
    for row in parsed:
        identities = _row_identities(row.data)
        if identities & existing:
            if skip_existing:
                report.skipped += 1
                continue
            report.add(
                row.number, "title", _("This record is already in the hub (same kind, country, year and title).")
            )
        earlier = next((seen_in_file[i] for i in identities if i in seen_in_file), None)
        if earlier is not None:
            report.add(row.number, "title", _("Same record as row %(row)s.") % {"row": earlier})
        for identity in identities:
            seen_in_file.setdefault(identity, row.number)
        to_write.append(row)
    return to_write


def _column_order(name: str) -> int:
    return HEADERS.index(name) if name in HEADERS else len(HEADERS)


def _write(
    rows: list[ParsedRow], *, actor: Any, default_status: str, filename: str, progress: Progress | None
) -> list[Entry]:
    """Write validated rows in bulk: a few INSERTs per batch instead of a dozen queries per entry."""
    now = timezone.now()
    note = (_("Imported from %(file)s") % {"file": filename})[:300]
    written: list[Entry] = []
    for start in range(0, len(rows), BATCH):
        batch = rows[start : start + BATCH]
        entries = []
        for row in batch:
            entry = row.entry
            assert entry is not None  # only rows without problems are written
            entry.status = row.status or default_status
            entry.created_by = actor if actor is not None and actor.is_authenticated else None
            if entry.status == Status.PUBLISHED:
                entry.published_at = now
            entries.append(entry)
        Entry.objects.bulk_create(entries)
        translations, countries, pillars, groups, sources, versions = [], [], [], [], [], []
        for entry, row in zip(entries, batch, strict=True):
            data = row.data
            texts = _translation_values(entry, data)
            translations += [EntryTranslation(entry=entry, language=lang, **values) for lang, values in texts.items()]
            countries += [EntryCountry(entry=entry, country=c) for c in dict.fromkeys(data.countries)]
            pillars += [EntryPillar(entry=entry, pillar=p) for p in dict.fromkeys(data.pillars)]
            groups += [EntryTargetGroup(entry=entry, group=g) for g in dict.fromkeys(data.target_groups)]
            sources += [
                Source(entry=entry, url=s["url"], title=s.get("title", ""), accessed_on=s.get("accessed_on"))
                for s in data.sources
            ]
            versions.append(
                EntryVersion(
                    entry=entry,
                    number=1,
                    snapshot=_snapshot(entry, data, texts),
                    note=note,
                    created_by=entry.created_by,
                )
            )
        for model, objects in (
            (EntryTranslation, translations),
            (EntryCountry, countries),
            (EntryPillar, pillars),
            (EntryTargetGroup, groups),
            (Source, sources),
            (EntryVersion, versions),
        ):
            model.objects.bulk_create(objects, batch_size=BATCH)
        written += entries
        if progress:
            progress("writing", len(written), len(rows))
    from .. import search

    for entry in written:
        # New entries have nothing in the index yet; only published ones go in.
        if entry.status == Status.PUBLISHED:
            search.reindex_entry(entry)
    return written


def _translation_values(entry: Entry, data: services.EntryData) -> dict[str, dict[str, str]]:
    # The same defaults as services._write_related, so an import equals an entry made by hand.
    out = {}
    for language, text in data.translations.items():
        values = {k: text.get(k, "") or "" for k in TRANSLATED_FIELDS}
        values["status"] = text.get("status") or (
            TranslationStatus.ORIGINAL if language == entry.original_language else TranslationStatus.TRANSLATED
        )
        out[language] = values
    return out


def _snapshot(entry: Entry, data: services.EntryData, texts: dict[str, dict[str, str]]) -> dict[str, Any]:
    """``services.snapshot`` computed from memory (the tests compare the two)."""

    def plain(value: Any) -> Any:
        return value.isoformat() if hasattr(value, "isoformat") else value

    return {
        "fields": {f: plain(getattr(entry, f)) for f in services.ENTRY_FIELDS},
        "status": entry.status,
        "translations": {
            lang: {"status": values["status"], **{f: values[f] for f in TRANSLATED_FIELDS}}
            for lang, values in sorted(texts.items())
        },
        "countries": sorted(dict.fromkeys(data.countries)),
        "pillars": sorted(dict.fromkeys(data.pillars)),
        "target_groups": sorted(dict.fromkeys(data.target_groups)),
        "sources": [
            {"url": s["url"], "title": s.get("title", ""), "accessed_on": plain(s.get("accessed_on"))}
            for s in data.sources
        ],
    }
