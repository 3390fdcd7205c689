"""Writes for case documents: checked uploads stored encrypted outside the web root, and audited
downloads.

A file is accepted only when its *content* is one of the known types (the name the browser sends is
never trusted, and never reaches the file system): PDF, PNG, JPEG, DOCX, ODT or UTF-8 plain text,
up to ``DOCUMENT_MAX_BYTES``. It is stored under a generated name in ``PRIVATE_MEDIA_ROOT/documents``
(outside the web root), encrypted with the field-encryption keys (``<key id>:<Fernet token>``, the
same format and keys as ``rightpath.core.fields``), with the SHA-256 of the plain bytes beside it.
Documents are not deleted by users: retention removes the files of anonymised cases and keeps the
rows as metadata.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from rightpath.accounts.models import User
from rightpath.audit import events
from rightpath.audit.services import record
from rightpath.cases.models import Case, Document
from rightpath.cases.vocab import Section
from rightpath.core.files import (
    FILE_TYPES,
    IMAGE_TYPES,
    TEXT,
    TITLE_MAX,
    FileType,
    clean_title,
    decrypt_bytes,
    encrypt_bytes,
    sniff,
    write_private_file,
)

from .plan import require_section

# Largest accepted upload; a deployment may lower or raise it with the DOCUMENT_MAX_BYTES setting.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
# Marks a document whose file the retention rule removed (the row stays as metadata).
REMOVED_BY_RETENTION = "removed-by-retention"
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))


# --- where files live -----------------------------------------------------------------------------


def documents_dir() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / "documents"


def document_path(document: Document) -> Path:
    """The file of ``document``; only generated names (32 hex digits) ever become a path."""
    if not _STORED_NAME.match(document.stored_name or ""):
        raise ValueError("not a generated document name")
    return documents_dir() / document.stored_name


def is_removed(document: Document) -> bool:
    return document.content_type == REMOVED_BY_RETENTION


# --- checking an upload ---------------------------------------------------------------------------


def _read_limited(upload: UploadedFile, limit: int) -> bytes:
    """The upload's bytes, refusing more than ``limit`` whatever size the browser declared."""
    if upload.size is not None and upload.size > limit:
        raise _too_big(limit)
    buffer = bytearray()
    for chunk in upload.chunks():
        buffer += chunk
        if len(buffer) > limit:
            raise _too_big(limit)
    return bytes(buffer)


def _too_big(limit: int) -> ValidationError:
    return ValidationError(
        {"file": _("The file is too large: the limit is %(mb)d MB.") % {"mb": limit // (1024 * 1024)}}
    )


def _check(type: str, title: str, upload: UploadedFile | None) -> tuple[bytes, FileType, str]:
    errors: dict[str, str] = {}
    if type not in Document.Type.values:
        errors["type"] = _("Choose the type of document from the list.")
    if len(title or "") > TITLE_MAX:
        errors["title"] = _("Keep the title to %(max)d characters.") % {"max": TITLE_MAX}
    if upload is None:
        errors["file"] = _("Choose the file to upload.")
    if errors:
        raise ValidationError(errors)
    assert upload is not None
    data = _read_limited(upload, max_bytes())
    if not data:
        raise ValidationError({"file": _("The file is empty.")})
    kind = sniff(data)
    if kind is None:
        raise ValidationError(
            {
                "file": _(
                    "This kind of file is not accepted. Upload a PDF, a PNG or JPEG image, a Word (DOCX) or "
                    "OpenDocument (ODT) text, or a plain text file."
                )
            }
        )
    if type == Document.Type.PHOTO and kind not in IMAGE_TYPES:
        raise ValidationError({"file": _("A photo must be a PNG or JPEG image.")})
    shown = clean_title(title) or clean_title(upload.name or "") or str(Document.Type(type).label)
    return data, kind, shown


# --- services -------------------------------------------------------------------------------------


def document_upload(case: Case, *, actor: User, type: str, title: str, file: UploadedFile | None) -> Document:
    """Attach a file to ``case`` (members who may write its documents section).

    The content decides the type; the file is stored encrypted under a generated name and its
    SHA-256 kept. Bad input raises ``ValidationError`` and stores nothing (no row, no file).
    """
    require_section(actor, case, Section.DOCUMENTS)
    data, kind, shown = _check(type, title, file)
    stored_name = uuid.uuid4().hex
    path = documents_dir() / stored_name
    try:
        with transaction.atomic():
            document = Document.objects.create(
                case=case,
                type=type,
                title=shown,
                stored_name=stored_name,
                content_type=kind.content_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                uploaded_by=actor,
            )
            write_private_file(path, encrypt_bytes(data))
            record(
                events.CREATED,
                actor=actor,
                target=document,
                data={
                    "case": str(case.code),
                    "section": Section.DOCUMENTS,
                    "type": type,
                    "content_type": kind.content_type,
                    "size": len(data),
                },
            )
    except BaseException:
        # The row was rolled back: the file must not outlive it.
        path.unlink(missing_ok=True)
        raise
    return document


def document_download(document: Document, *, actor: User) -> tuple[bytes, FileType]:
    """The plain bytes of ``document`` for ``actor`` (who may read the case's documents), audited.

    Raises ``Http404`` when retention removed the file; refuses a file whose contents no longer
    match the SHA-256 recorded at upload.
    """
    case = document.case
    require_section(actor, case, Section.DOCUMENTS, write=False)
    if is_removed(document):
        raise Http404("removed by retention")
    try:
        stored = document_path(document).read_bytes()
    except FileNotFoundError as exc:
        raise Http404("file missing") from exc
    data = decrypt_bytes(stored)
    if hashlib.sha256(data).hexdigest() != document.sha256:
        raise ValueError(f"document {document.code} does not match its recorded SHA-256")
    kind = next((t for t in FILE_TYPES if t.content_type == document.content_type), TEXT)
    record(
        events.PERSONAL_DATA_READ,
        actor=actor,
        target=case,
        data={"section": Section.DOCUMENTS, "document": str(document.code), "download": True},
    )
    return data, kind


def download_name(document: Document, kind: FileType) -> str:
    """The file name offered for a download: generated from pseudonymous codes, never the title."""
    return f"{document.case.reference}-{str(document.code)[:8]}.{kind.extension}"
