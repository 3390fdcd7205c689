"""Importing and exporting hub records as CSV or XLSX: all or nothing, with a report by row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.knowledge import services, transfer
from rightpath.knowledge.models import Entry, EntryVersion, Source
from rightpath.knowledge.services import EntryData, entry_create
from rightpath.knowledge.transfer.columns import xlsx_unescape

SEED = transfer.SEED_FILE

BAD_CSV = (
    "kind,title,year,pillar,source_url,colour\n"
    "pamphlet,A leaflet,2019,prison,https://example.org/a,\n"  # row 2: unknown kind
    "practice,Mentoring,20x5,gardening,https://example.org/b,\n"  # row 3: bad year, unknown pillar
    "policy,,2018,,not a web address,\n"  # row 4: no title, bad URL
    "practice,A good row,2020,prison,https://example.org/c,\n"  # row 5: fine
)


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def editor(make_user: Any) -> User:
    return make_user("editor")


@pytest.fixture
def reviewer(make_user: Any) -> User:
    return make_user("reviewer")


def csv_bytes(rows: list[list[str]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return (("\ufeff" if bom else "") + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(rows: list[list[Any]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_bytes(fmt: str, **kwargs: Any) -> bytes:
    if fmt == "csv":
        text = io.StringIO(newline="")
        transfer.export_records(text, "csv", **kwargs)
        return text.getvalue().encode("utf-8")
    binary = io.BytesIO()
    transfer.export_records(binary, "xlsx", **kwargs)
    return binary.getvalue()


def rich_practice(title: str = "Family support in Zenica", **fields: Any) -> EntryData:
    return EntryData(
        fields={
            "kind": "practice",
            "original_language": "bs",
            "year": 2021,
            "place": "Zenica",
            "organisation_name": "Centre for Social Work Zenica",
            "contact": "info@example.org",
            "period_start": 2019,
            "period_end": 2023,
            "stage": "post_sentence",
            "evidence_level": "emerging",
            "evidence_basis": "Process evaluation, 2022; independent.",
            "independent_evaluation": True,
            "evaluated_in_region": True,
            "rated_by": "Two reviewers",
            "rated_on": dt.date(2023, 5, 2),
            "last_verified_on": dt.date(2024, 1, 15),
            **fields,
        },
        translations={
            "bs": {"title": "Podrška porodicama", "summary": "Rad s porodicama povratnika.", "approach": "Mentorstvo"},
            "en": {
                "title": title,
                "summary": 'Work with returnee families; "quoted", and; commas.',
                "status": "translated",
            },
            "sr": {"title": "Подршка породицама", "status": "machine"},
        },
        countries=["BA", "XK"],
        pillars=["reintegration", "vulnerable"],
        target_groups=["families", "women"],
        sources=[
            {"url": "https://example.org/report", "title": "Evaluation report", "accessed_on": dt.date(2024, 1, 10)},
            {"url": "https://example.org/news", "title": "", "accessed_on": None},
        ],
    )


def policy(title: str, **fields: Any) -> EntryData:
    return EntryData(
        fields={
            "kind": "policy",
            "original_language": "en",
            "year": 2018,
            "policy_type": "strategy",
            "adopting_body": "Government",
            "valid_from": dt.date(2018, 1, 1),
            "valid_until": dt.date(2022, 12, 31),
            "policy_status": "expired",
            "implementation_status": "implemented",
            "link": "https://example.org/strategy.pdf",
            **fields,
        },
        translations={"en": {"title": title, "summary": "A strategy."}, "sq": {"title": f"{title} (sq)"}},
        countries=["XK"],
        pillars=["coordination"],
    )


# --- the seed file ---------------------------------------------------------------------------------


def test_the_seed_file_imports_cleanly_with_every_kind_and_its_sources(db: Any) -> None:
    report = transfer.import_records(SEED.read_bytes(), filename=SEED.name, status="published")

    assert report.ok, report.lines()
    assert report.created == 62
    assert Entry.objects.count() == 62
    assert set(Entry.objects.values_list("kind", flat=True)) == {
        "policy",
        "practice",
        "institution",
        "figure",
        "framework",
    }
    assert set(Entry.objects.values_list("status", flat=True)) == {"published"}
    with SEED.open(encoding="utf-8-sig") as handle:
        seed_rows = list(csv.DictReader(handle))
    assert sorted(Source.objects.values_list("url", flat=True)) == sorted(r["source_url"] for r in seed_rows)
    repatriation = Entry.objects.get(translations__title="April 2019 repatriation of 110 citizens from Syria")
    assert repatriation.kind == "figure"
    assert (repatriation.year, repatriation.as_of) == (2019, 2019)
    assert list(repatriation.countries.values_list("country", flat=True)) == ["XK"]
    assert list(repatriation.pillars.values_list("pillar", flat=True)) == ["vulnerable"]
    regional = [r for r in seed_rows if not r["country"]]
    assert Entry.objects.filter(countries__isnull=True).count() == len(regional)


def test_the_import_writes_one_audit_entry_and_a_first_version_per_record(editor: User) -> None:
    before = AuditEntry.objects.count()

    report = transfer.import_records(SEED.read_bytes(), filename="seed.csv", actor=editor)

    assert report.created == 62
    audit = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert [(a.event, a.data) for a in audit] == [(events.CREATED, {"import": "seed.csv", "rows": 62})]
    assert EntryVersion.objects.filter(number=1).count() == 62
    assert set(Entry.objects.values_list("status", flat=True)) == {"draft"}
    assert set(Entry.objects.values_list("created_by", flat=True)) == {editor.pk}


def test_an_imported_version_holds_the_same_snapshot_as_the_editing_services_make(reviewer: User) -> None:
    content = export_source([rich_practice()], reviewer)
    Entry.objects.all().delete()

    report = transfer.import_records(content, filename="one.csv", actor=reviewer)

    assert report.ok, report.lines()
    entry = Entry.objects.get()
    assert entry.versions.get().snapshot == services.snapshot(entry)


# --- all or nothing --------------------------------------------------------------------------------


def test_a_file_with_bad_rows_imports_nothing_and_names_each_row_and_column(editor: User) -> None:
    report = transfer.import_records(BAD_CSV.encode(), filename="bad.csv", actor=editor)

    assert Entry.objects.count() == 0
    assert not report.ok
    where = {(row, column) for row, column, _message in report.errors}
    assert where == {
        (1, "colour"),
        (2, "kind"),
        (3, "year"),
        (3, "pillar"),
        (4, "title"),
        (4, "source_url"),
    }
    messages = {(row, column): message for row, column, message in report.errors}
    assert "pamphlet" in messages[(2, "kind")]
    assert "20x5" in messages[(3, "year")]
    assert "gardening" in messages[(3, "pillar")]
    assert "Unknown column" in messages[(1, "colour")]
    assert "URL" in messages[(4, "source_url")]


def test_a_row_with_text_in_a_language_but_no_title_there_is_reported(editor: User) -> None:
    content = csv_bytes([["kind", "title", "summary_sq"], ["practice", "Mentoring", "Pa titull"]])

    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert [(r, c) for r, c, _m in report.errors] == [(2, "title_sq")]


def test_an_evidence_rating_without_its_basis_is_reported_on_its_column(editor: User) -> None:
    content = csv_bytes([["kind", "title", "evidence_level"], ["practice", "Mentoring", "Promising"]])

    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert [(r, c) for r, c, _m in report.errors] == [(2, "evidence_basis")]


def test_a_value_under_no_heading_is_reported_rather_than_dropped(editor: User) -> None:
    content = csv_bytes([["kind", "title", ""], ["practice", "Mentoring", "stray"], ["practice", "Other", "", "more"]])

    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert [(r, c) for r, c, _m in report.errors] == [(2, "C"), (3, "D")]
    assert Entry.objects.count() == 0


def test_a_record_already_in_the_hub_is_a_problem_unless_skipped(editor: User) -> None:
    transfer.import_records(SEED.read_bytes(), filename="seed.csv", actor=editor)

    again = transfer.import_records(SEED.read_bytes(), filename="seed.csv", actor=editor)
    skipping = transfer.import_records(SEED.read_bytes(), filename="seed.csv", actor=editor, skip_existing=True)

    assert again.error_count == 62
    assert {c for _r, c, _m in again.errors} == {"title"}
    assert (skipping.ok, skipping.created, skipping.skipped) == (True, 0, 62)
    assert Entry.objects.count() == 62


def test_a_record_another_import_committed_meanwhile_is_caught_under_the_lock(
    editor: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rightpath.knowledge.transfer import importing

    content = csv_bytes([["kind", "title", "country"], ["practice", "Mentoring", "XK"], ["practice", "Other", "XK"]])
    hold = importing._hold_import_lock

    def another_import_commits_first() -> None:
        # What a concurrent import does between this import's first check and its lock.
        hold()
        importing._write(
            importing._parse_file(content, importing.ImportReport(filename="other.csv"), None)[:1],
            actor=editor,
            default_status="draft",
            filename="other.csv",
            progress=None,
        )

    monkeypatch.setattr(importing, "_hold_import_lock", another_import_commits_first)
    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert [(r, c) for r, c, _m in report.errors] == [(2, "title")]
    assert report.created == 0
    assert list(Entry.objects.values_list("translations__title", flat=True)) == ["Mentoring"]  # only the other's


def test_the_same_record_twice_in_one_file_is_reported(editor: User) -> None:
    content = csv_bytes(
        [["kind", "title", "country"], ["practice", "Mentoring", "XK"], ["practice", "mentoring", "xk"]]
    )

    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert report.errors == [(3, "title", "Same record as row 2.")]


def test_only_a_reviewer_may_import_published_records_from_the_web(editor: User, reviewer: User) -> None:
    content = csv_bytes(
        [["kind", "title", "status"], ["practice", "Mentoring", "published"], ["practice", "B", "draft"]]
    )

    refused = transfer.import_records(content, filename="x.csv", actor=editor)
    accepted = transfer.import_records(content, filename="x.csv", actor=reviewer)

    assert [(r, c) for r, c, _m in refused.errors] == [(2, "status")]
    assert accepted.ok
    assert sorted(Entry.objects.values_list("status", flat=True)) == ["draft", "published"]


def test_someone_without_an_editing_role_cannot_import(make_user: Any) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        transfer.import_records(SEED.read_bytes(), filename="seed.csv", actor=make_user("practitioner"))
    assert Entry.objects.count() == 0


def test_an_import_writes_in_batches_not_row_by_row(editor: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    rows = [["kind", "title", "title_sq", "country", "pillar", "target_groups", "source_url"]]
    rows += [
        ["practice", f"Practice {i}", f"Praktika {i}", "XK; MK", "prison", "women", f"https://example.org/{i}"]
        for i in range(1000)
    ]

    with CaptureQueriesContext(connection) as captured:
        report = transfer.import_records(csv_bytes(rows), filename="big.csv", actor=editor)

    assert report.created == 1000
    # Row by row this would be thousands of queries; in batches it is a few INSERTs per table and
    # batch (SQLite splits each at its limit of bound parameters), plus the checks and the audit entry.
    assert len(captured) < 120


def test_checking_a_file_writes_nothing(db: Any) -> None:
    report = transfer.import_records(SEED.read_bytes(), filename="seed.csv", check_only=True)

    assert (report.ok, report.rows, report.created) == (True, 62, 0)
    assert Entry.objects.count() == 0


# --- file formats ----------------------------------------------------------------------------------


def test_an_excel_workbook_imports_with_numbers_dates_and_several_languages(editor: User) -> None:
    content = xlsx_bytes(
        [
            ["Kind", "Title", "title_sq", "Country", "Pillar", "Year", "valid_from", "target groups", "Source URL"],
            [
                "Policy",
                "Strategy on reintegration",
                "Strategjia për riintegrim",
                "Kosovo; al",
                "Inter-institutional coordination | prison",
                2019,
                dt.datetime(2019, 3, 1),
                "Women; minors",
                "https://example.org/s",
            ],
            [],
            ["figure", "Returnees in 2019", None, "XK", None, 2019.0, None, None, "https://example.org/f"],
            ["figure", "Returnees, no source", None, "XK", None, 2019, None, None, None],
        ]
    )

    report = transfer.import_records(content, filename="records.xlsx", actor=editor)
    assert report.errors == [(5, "source_url", "A figure needs at least one source.")]
    content = xlsx_bytes(
        [list(r) for r in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)][:4]
    )
    report = transfer.import_records(content, filename="records.xlsx", actor=editor)

    assert report.ok, report.lines()
    assert report.rows == 2
    strategy = Entry.objects.get(kind="policy")
    assert strategy.valid_from == dt.date(2019, 3, 1)
    assert sorted(strategy.countries.values_list("country", flat=True)) == ["AL", "XK"]
    assert sorted(strategy.pillars.values_list("pillar", flat=True)) == ["coordination", "prison"]
    assert sorted(strategy.target_groups.values_list("group", flat=True)) == ["minors", "women"]
    assert strategy.translations.get(language="sq").title == "Strategjia për riintegrim"
    assert Entry.objects.get(kind="figure").as_of == 2019


def test_rows_in_an_excel_report_are_the_rows_the_spreadsheet_shows(editor: User) -> None:
    content = xlsx_bytes([["kind", "title", "year"], ["practice", "A", 2019], [], [], ["practice", "B", "later"]])

    report = transfer.import_records(content, filename="x.xlsx", actor=editor)

    assert [(r, c) for r, c, _m in report.errors] == [(5, "year")]


def test_a_csv_file_with_a_byte_order_mark_and_semicolons_imports(editor: User) -> None:
    content = csv_bytes(
        [["kind", "title", "summary", "country"], ["practice", "Programi i riintegrimit", "Një, dy; tre", "XK; MK"]],
        delimiter=";",
        bom=True,
    )

    report = transfer.import_records(content, filename="x.csv", actor=editor)

    assert report.ok, report.lines()
    entry = Entry.objects.get()
    assert entry.translations.get().summary == "Një, dy; tre"
    assert sorted(entry.countries.values_list("country", flat=True)) == ["MK", "XK"]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "neither an Excel workbook"),
        (b"", "empty"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", ".xls"),
        ("kind,title\npractice,Čačak\n".encode("cp1250"), "UTF-8"),
    ],
)
def test_files_that_are_not_spreadsheets_are_refused_with_a_reason(db: Any, content: bytes, message: str) -> None:
    with pytest.raises(transfer.FileRefused, match=message):
        transfer.import_records(content, filename="x.csv")


def test_a_zip_file_that_is_not_a_workbook_is_refused(db: Any) -> None:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hello")

    with pytest.raises(transfer.FileRefused, match="not an Excel workbook"):
        transfer.import_records(buffer.getvalue(), filename="x.xlsx")


# --- export, round trip, formulas ------------------------------------------------------------------


def export_source(entries: list[EntryData], actor: User, fmt: str = "csv") -> bytes:
    for data in entries:
        entry_create(actor=actor, data=data, status="published", audit=False)
    return export_bytes(fmt, include_all=True)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_imports_again_as_the_same_records(reviewer: User, fmt: str) -> None:
    entry_create(actor=reviewer, data=rich_practice(), status="published", audit=False)
    entry_create(actor=reviewer, data=policy("Strategy against terrorism"), status="draft", audit=False)
    figure = EntryData(
        fields={"kind": "figure", "year": 2019, "value": "-110", "as_of": 2018},
        translations={"en": {"title": "=Returnees", "summary": "@home\tand +1"}},
        countries=["XK"],
        sources=[{"url": "https://example.org/figure", "title": "Ministry | report", "accessed_on": None}],
    )
    entry_create(actor=reviewer, data=figure, status="in_review", audit=False)
    before = sorted((services.snapshot(e) for e in Entry.objects.all()), key=lambda s: s["fields"]["kind"])
    content = export_bytes(fmt, include_all=True)
    Entry.objects.all().delete()

    report = transfer.import_records(content, filename=f"export.{fmt}", actor=reviewer)

    assert report.ok, report.lines()
    after = sorted((services.snapshot(e) for e in Entry.objects.all()), key=lambda s: s["fields"]["kind"])
    assert after == before


FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1", "-2", "@SUM(A1)", "\tcmd", "\rcmd", "'=already"]


def formula_entries(actor: User) -> None:
    for i, text in enumerate(FORMULAS):
        data = EntryData(
            fields={"kind": "figure", "value": text, "place": text, "year": 2020},
            translations={"en": {"title": f"{text} {i}" if text[0] not in "\t\r" else f"{text}{i}"}},
            sources=[{"url": "https://example.org/source"}],
        )
        entry_create(actor=actor, data=data, status="published", audit=False)


def test_formula_cells_are_neutralised_in_a_csv_export(reviewer: User) -> None:
    formula_entries(reviewer)

    content = export_bytes("csv")

    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert sorted(r["value"] for r in rows) == sorted("'" + text for text in FORMULAS)
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(transfer.FORMULA_TRIGGERS)


def test_formula_cells_are_neutralised_in_an_xlsx_export(reviewer: User) -> None:
    formula_entries(reviewer)

    content = export_bytes("xlsx")

    sheet = openpyxl.load_workbook(io.BytesIO(content)).worksheets[0]
    header = [c.value for c in sheet[1]]
    values = []
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            assert cell.data_type != "f"
            if isinstance(cell.value, str):
                assert not cell.value.startswith(transfer.FORMULA_TRIGGERS)
        values.append(row[header.index("value")].value)
    # A carriage return is stored as _x000D_, as Excel stores it (XML would turn it into a line feed).
    assert "'_x000D_cmd" in values
    assert sorted(xlsx_unescape(v) for v in values) == sorted("'" + text for text in FORMULAS)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_neutralised_cells_import_as_their_original_text(reviewer: User, fmt: str) -> None:
    formula_entries(reviewer)
    content = export_bytes(fmt)
    Entry.objects.all().delete()

    transfer.import_records(content, filename=f"x.{fmt}", actor=reviewer)

    assert sorted(Entry.objects.values_list("value", flat=True)) == sorted(FORMULAS)


def test_an_anonymous_export_holds_published_records_only(editor: User, client: Client) -> None:
    entry_create(actor=editor, data=policy("Published strategy"), status="published", audit=False)
    entry_create(actor=editor, data=policy("Draft strategy"), status="draft", audit=False)

    response = client.get(reverse("knowledge:export"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    titles = [r["title"] for r in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"), newline=""))]
    assert titles == ["Published strategy"]


def test_an_editor_export_holds_drafts_too_and_is_audited(editor: User, client_for: Any) -> None:
    entry_create(actor=editor, data=policy("Published strategy"), status="published", audit=False)
    entry_create(actor=editor, data=policy("Draft strategy"), status="draft", audit=False)

    response = client_for(editor).get(reverse("knowledge:export"), {"format": "xlsx"})

    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert sorted(row[2] for row in sheet.iter_rows(min_row=2, values_only=True)) == [
        "Draft strategy",
        "Published strategy",
    ]
    audit = AuditEntry.objects.filter(event=events.EXPORTED).get()
    assert (audit.actor_id, audit.data["rows"]) == (editor.pk, 2)


def test_an_export_reads_a_fixed_number_of_queries_however_many_records(reviewer: User) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_for_export() -> int:
        with CaptureQueriesContext(connection) as captured:
            export_bytes("csv", actor=reviewer)
        return len(captured)

    for i in range(3):
        entry_create(actor=reviewer, data=rich_practice(f"Practice {i}"), status="published", audit=False)
    few = queries_for_export()
    for i in range(3, 15):
        entry_create(actor=reviewer, data=rich_practice(f"Practice {i}"), status="published", audit=False)

    assert queries_for_export() == few


def test_an_unknown_export_format_is_refused(client: Client, db: Any) -> None:
    assert client.get(reverse("knowledge:export"), {"format": "pdf"}).status_code == 400


# --- command line ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["template.csv", "template.xlsx"])
def test_the_template_has_the_expected_headers(db: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / name

    call_command("import_records", "--template", str(path), stdout=io.StringIO())

    if name.endswith(".csv"):
        assert next(csv.reader(io.StringIO(path.read_text("utf-8-sig")))) == transfer.HEADERS
    else:
        sheet = openpyxl.load_workbook(path).worksheets[0]
        assert [c.value for c in sheet[1]] == transfer.HEADERS
        assert sheet.max_row == 1


@pytest.fixture
def run_command(monkeypatch: Any) -> Any:
    """Run a command as from a shell (exit status and all), keeping the test's database connection."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)
    return lambda *argv: ManagementUtility(["manage.py", *argv]).execute()


def test_the_command_imports_a_good_file_and_exits_zero(db: Any, capsys: Any, run_command: Any) -> None:
    run_command("import_records", str(SEED), "--publish")

    assert "Imported 62 record(s)" in capsys.readouterr().out
    assert Entry.objects.filter(status="published").count() == 62


def test_the_command_imports_nothing_from_a_bad_file_and_exits_non_zero_with_the_report(
    db: Any, tmp_path: Path, capsys: Any, run_command: Any
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(BAD_CSV, encoding="utf-8")

    with pytest.raises(SystemExit) as exit_info:
        run_command("import_records", str(path))

    assert exit_info.value.code != 0
    err = capsys.readouterr().err
    assert "Row 3, column “year”" in err
    assert "Row 1, column “colour”" in err
    assert "Nothing was imported: 6 problem(s)" in err
    assert Entry.objects.count() == 0


def test_the_command_refuses_a_file_that_is_not_a_spreadsheet(db: Any, tmp_path: Path) -> None:
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")

    with pytest.raises(CommandError, match="neither an Excel workbook"):
        call_command("import_records", str(path))


def test_the_command_credits_a_named_editor_and_refuses_others(editor: User, make_user: Any) -> None:
    practitioner = make_user("practitioner")
    with pytest.raises(CommandError, match="not a knowledge editor"):
        call_command("import_records", str(SEED), "--user", practitioner.username)

    call_command("import_records", str(SEED), "--user", editor.username, stdout=io.StringIO())

    assert set(Entry.objects.values_list("created_by", flat=True)) == {editor.pk}


@pytest.mark.parametrize("name", ["out.csv", "out.xlsx"])
def test_the_export_command_writes_published_records_unless_all(editor: User, tmp_path: Path, name: str) -> None:
    entry_create(actor=editor, data=policy("Published strategy"), status="published", audit=False)
    entry_create(actor=editor, data=policy("Draft strategy"), status="draft", audit=False)
    path = tmp_path / name

    call_command("export_records", str(path), stdout=io.StringIO())
    published = transfer.import_records(path.read_bytes(), filename=name, check_only=True)
    call_command("export_records", str(path), "--all", stdout=io.StringIO())
    everything = transfer.import_records(path.read_bytes(), filename=name, check_only=True)

    assert (published.rows, everything.rows) == (1, 2)


# --- web pages -------------------------------------------------------------------------------------


def upload(client: Client, content: bytes, name: str, **extra: Any) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("knowledge:import"), {"file": SimpleUploadedFile(name, content), **extra})


def test_an_editor_uploads_a_file_and_the_result_page_shows_what_was_imported(
    editor: User, client_for: Any, settings: Any
) -> None:
    client = client_for(editor)

    response = upload(client, SEED.read_bytes(), "../../etc/seed records.csv")

    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "62 records were imported." in page.content.decode()
    assert 'hx-trigger="every 2s"' not in page.content.decode()
    assert Entry.objects.filter(status="draft").count() == 62
    # Nothing is left under the user's file name; the upload itself is gone once imported.
    stored = list((Path(settings.PRIVATE_MEDIA_ROOT) / "knowledge-imports").iterdir())
    assert [p.suffix for p in stored] == [".json"]


def test_the_result_page_lists_each_problem_by_row_and_column(editor: User, client_for: Any) -> None:
    client = client_for(editor)

    response = upload(client, BAD_CSV.encode(), "bad.csv")
    page = client.get(response["Location"]).content.decode()

    assert "Nothing was imported" in page
    assert "<code>colour</code>" in page
    assert '<td class="num">3</td><td><code>year</code></td>' in page
    assert Entry.objects.count() == 0


def test_an_excel_upload_works_too(editor: User, client_for: Any) -> None:
    content = xlsx_bytes([["kind", "title"], ["practice", "Mentoring in prison"]])

    response = upload(client_for(editor), content, "records.xlsx")

    assert response.status_code == 302
    assert Entry.objects.get().translations.get().title == "Mentoring in prison"


def test_a_reviewer_may_publish_on_upload_and_an_editor_is_not_offered_it(
    editor: User, reviewer: User, client_for: Any
) -> None:
    assert 'name="publish"' not in client_for(editor).get(reverse("knowledge:import")).content.decode()
    assert 'name="publish"' in client_for(reviewer).get(reverse("knowledge:import")).content.decode()

    upload(client_for(reviewer), SEED.read_bytes(), "seed.csv", publish="on")

    assert Entry.objects.filter(status="published").count() == 62


def test_a_file_that_is_not_a_spreadsheet_is_refused_with_a_clear_message(
    editor: User, client_for: Any, settings: Any
) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"

    response = upload(client_for(editor), png, "records.csv")

    assert response.status_code == 200
    assert "neither an Excel workbook (.xlsx) nor CSV text in UTF-8" in response.content.decode()
    assert not (Path(settings.PRIVATE_MEDIA_ROOT) / "knowledge-imports").exists()


def test_a_file_over_the_size_limit_is_refused(editor: User, client_for: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(transfer, "MAX_UPLOAD_BYTES", 10)

    response = upload(client_for(editor), SEED.read_bytes(), "seed.csv")

    assert "larger than 5 MB" in response.content.decode()


@pytest.mark.parametrize("name", ["import", "import_template"])
def test_a_practitioner_may_not_import(make_user: Any, client_for: Any, name: str) -> None:
    client = client_for(make_user("practitioner"))

    assert client.get(reverse(f"knowledge:{name}")).status_code == 403
    assert upload(client, SEED.read_bytes(), "seed.csv").status_code == 403
    assert Entry.objects.count() == 0


def test_another_editor_cannot_see_my_import(editor: User, make_user: Any, client_for: Any) -> None:
    response = upload(client_for(editor), SEED.read_bytes(), "seed.csv")

    assert client_for(make_user("editor")).get(response["Location"]).status_code == 404


def test_the_result_page_polls_while_the_job_waits(editor: User, client_for: Any, settings: Any) -> None:
    # With a queue that does not run tasks, the job stays waiting.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = client_for(editor)

    response = upload(client, SEED.read_bytes(), "seed.csv")
    page = client.get(response["Location"]).content.decode()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()

    assert 'hx-trigger="every 2s"' in page
    assert fragment.startswith('<div id="import-status" hx-get=')
    assert "<html" not in fragment
    job = response["Location"].rstrip("/").rsplit("/", 1)[1]
    transfer.run_import_job.call(job)
    assert 'hx-trigger="every 2s"' not in client.get(response["Location"]).content.decode()
    assert Entry.objects.count() == 62


def test_a_template_can_be_downloaded_by_an_editor(editor: User, client_for: Any) -> None:
    response = client_for(editor).get(reverse("knowledge:import_template"), {"format": "csv"})

    assert response["Content-Disposition"] == 'attachment; filename="rightpath-import-template.csv"'
    assert response.content.decode("utf-8-sig").splitlines()[0].split(",") == transfer.HEADERS


# --- demo data -------------------------------------------------------------------------------------


def test_demo_seeding_imports_the_seed_records_once(db: Any) -> None:
    out = io.StringIO()

    call_command("seed_demo", stdout=out)
    first = Entry.objects.count()
    call_command("seed_demo", stdout=out)

    assert first == Entry.objects.count() == 62
    editor = User.objects.get(username="hub.editor")
    assert set(Entry.objects.values_list("created_by", flat=True)) == {editor.pk}
    assert set(Entry.objects.values_list("status", flat=True)) == {"published"}
    assert Source.objects.count() == 62
    assert "62 seed record(s) imported, 0 already there" in out.getvalue()
    assert "0 seed record(s) imported, 62 already there" in out.getvalue()
