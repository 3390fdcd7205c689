"""The data-protection officer's subject export: everything held on one person, as JSON and PDF.

The officer asks for an export (audited); a background task gathers the data
(``selectors.export.subject_data``), writes the JSON and a PDF (WeasyPrint, which may fetch nothing
but the platform's own static files) encrypted under ``PRIVATE_MEDIA_ROOT/exports/<case code>/``
with a generated export id, and audits that; the result page only looks for the files, so it works
the same with every task backend. Every download is checked against the policy again and audited.
Exports are deleted after ``EXPORT_KEEP_DAYS`` days by the retention run, and at once when the case
is anonymised.
"""

from __future__ import annotations

import json
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from rightpath.access.policy import can
from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case
from rightpath.cases.selectors.export import subject_data
from rightpath.core.files import decrypt_bytes, encrypt_bytes, write_private_file

from .referrals import require

EXPORT_KEEP_DAYS = 7
# The PDF lists at most this many audit entries; the JSON always holds all of them.
PDF_AUDIT_ROWS = 2000
FORMATS = {
    "json": ("application/json; charset=utf-8", "json"),
    "pdf": ("application/pdf", "pdf"),
}


@dataclass(frozen=True)
class ExportStatus:
    ready: bool
    failed: bool
    sizes: dict[str, int]


def exports_root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "exports"


def exports_dir(case: Case) -> Path:
    return exports_root() / case.code.hex


def _path(case: Case, export_id: uuid.UUID | str, suffix: str) -> Path:
    # Only a UUID (from the URL converter or generated here) ever becomes part of a path.
    return exports_dir(case) / f"{uuid.UUID(str(export_id)).hex}.{suffix}"


def subject_export_request(case: Case, *, actor: User) -> uuid.UUID:
    """Ask for an export of everything held on ``case``'s person (its lead organisation's
    data-protection officer). Audited; the files are built by a task after the commit."""
    require(actor, "cases.subject.export", case)
    export_id = uuid.uuid4()
    with transaction.atomic():
        record(events.EXPORTED, actor=actor, target=case, data={"export": str(export_id), "stage": "requested"})
        from rightpath.cases.tasks_retention import build_subject_export

        transaction.on_commit(lambda: build_subject_export.enqueue(case.pk, str(export_id), actor.pk))
    return export_id


class RefusedURL(ValueError):
    """WeasyPrint asked for a resource: the export's PDF needs none, so none is ever fetched."""


class NoFetcher(URLFetcher):
    """Refuses every address (network, ``file:``, ``data:``): content can make the server fetch nothing."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=())
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        self.refused.append(url[:200])
        raise RefusedURL(f"refused: {url[:200]}")


def render_pdf(data: dict[str, Any]) -> bytes:
    """The export as PDF. The template is never served to browsers (its styles are inline) and needs
    no resource, so the fetcher refuses every URL: text in the data can make the server fetch nothing."""
    audit = data["audit"]
    context = {"data": data, "audit_rows": audit[:PDF_AUDIT_ROWS], "audit_cut": max(0, len(audit) - PDF_AUDIT_ROWS)}
    html = render_to_string("cases/export_pdf.html", context)
    return HTML(string=html, base_url=None, url_fetcher=NoFetcher()).write_pdf()


def subject_export_build(case_id: int, export_id: str, actor_id: int) -> str:
    """Build the export files (run by the task). Checks the policy again: an officer who lost the
    role or a case that changed lead since the request gets a failed export. Returns the outcome."""
    case = Case.objects.select_related("lead_organisation").get(pk=case_id)
    actor = User.objects.get(pk=actor_id)
    failed = _path(case, export_id, "failed")
    decision = can(actor, "cases.subject.export", case)
    if not decision:
        record(
            events.ACCESS_DENIED,
            actor=actor,
            target=case,
            data={"action": "cases.subject.export", "reason": decision.reason, "export": export_id},
        )
        write_private_file(failed, b"denied")
        return "denied"
    started = time.monotonic()
    try:
        with translation.override(actor.language or settings.LANGUAGE_CODE):
            data = subject_data(case, actor=actor)
            document = json.dumps(data, ensure_ascii=False, indent=2, default=str).encode()
            pdf = render_pdf(data)
        write_private_file(_path(case, export_id, "json"), encrypt_bytes(document))
        write_private_file(_path(case, export_id, "pdf"), encrypt_bytes(pdf))
    except Exception:
        write_private_file(failed, b"failed")
        raise
    record(
        events.EXPORTED,
        actor=actor,
        target=case,
        data={
            "export": export_id,
            "stage": "built",
            "seconds": round(time.monotonic() - started, 2),
            "counts": {k: len(v) for k, v in data.items() if isinstance(v, list)},
        },
    )
    return "built"


def subject_export_status(case: Case, export_id: uuid.UUID | str) -> ExportStatus:
    """Whether the export's files are there (both), or its build failed."""
    sizes = {}
    for fmt in FORMATS:
        path = _path(case, export_id, fmt)
        if path.exists():
            sizes[fmt] = path.stat().st_size
    return ExportStatus(ready=len(sizes) == len(FORMATS), failed=_path(case, export_id, "failed").exists(), sizes=sizes)


def subject_export_download(case: Case, export_id: uuid.UUID | str, fmt: str, *, actor: User) -> tuple[bytes, str, str]:
    """The decrypted export file in ``fmt`` ("json" or "pdf") with its content type and a file
    name; policy checked again and audited. 404 when the file is not there (or no longer)."""
    require(actor, "cases.subject.export", case)
    if fmt not in FORMATS:
        raise Http404("unknown format")
    path = _path(case, export_id, fmt)
    try:
        stored = path.read_bytes()
    except FileNotFoundError as exc:
        raise Http404("no such export") from exc
    data = decrypt_bytes(stored)
    record(
        events.EXPORTED,
        actor=actor,
        target=case,
        data={"export": str(export_id), "stage": "downloaded", "format": fmt},
    )
    content_type, extension = FORMATS[fmt]
    stamp = timezone.localdate().isoformat()
    return data, content_type, f"{case.reference}-subject-export-{stamp}.{extension}"


def exports_purge(*, older_than_days: int = EXPORT_KEEP_DAYS, dry_run: bool = False) -> int:
    """Delete export files older than ``older_than_days``; returns how many files (would) go."""
    root = exports_root()
    if not root.exists():
        return 0
    limit = time.time() - older_than_days * 86400
    count = 0
    for path in root.glob("*/*"):
        if path.is_file() and path.stat().st_mtime < limit:
            count += 1
            if not dry_run:
                path.unlink(missing_ok=True)
    return count


def exports_delete_for(case: Case) -> None:
    """Delete every export of ``case`` (when it is anonymised)."""
    shutil.rmtree(exports_dir(case), ignore_errors=True)
