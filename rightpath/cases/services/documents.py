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
import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
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
from rightpath.core.fields import encryption_keys

from .plan import require_section

# Largest accepted upload; a deployment may lower or raise it with the DOCUMENT_MAX_BYTES setting.
DOCUMENT_MAX_BYTES = 10 * 1024 * 1024
TITLE_MAX = 200
# Marks a document whose file the retention rule removed (the row stays as metadata).
REMOVED_BY_RETENTION = "removed-by-retention"
_STORED_NAME = re.compile(r"^[0-9a-f]{32}$")
# Control, formatting (e.g. right-to-left override), surrogate, private-use and unassigned characters.
_INVISIBLE = ("Cc", "Cf", "Cs", "Co", "Cn")


@dataclass(frozen=True)
class FileType:
    content_type: str
    extension: str
    label: str


PDF = FileType("application/pdf", "pdf", "PDF")
PNG = FileType("image/png", "png", "PNG")
JPEG = FileType("image/jpeg", "jpg", "JPEG")
DOCX = FileType("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX")
ODT = FileType("application/vnd.oasis.opendocument.text", "odt", "ODT")
TEXT = FileType("text/plain; charset=utf-8", "txt", "TXT")
FILE_TYPES = (PDF, PNG, JPEG, DOCX, ODT, TEXT)
IMAGE_TYPES = (PNG, JPEG)
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# Control characters a text file may contain: tab, line feed, form feed, carriage return.
_TEXT_CONTROLS_ALLOWED = {9, 10, 12, 13}


def max_bytes() -> int:
    return int(getattr(settings, "DOCUMENT_MAX_BYTES", DOCUMENT_MAX_BYTES))


# --- encryption of file contents ------------------------------------------------------------------


def encrypt_bytes(data: bytes) -> bytes:
    """``data`` encrypted under the newest field-encryption key, as ``<key id>:<Fernet token>``."""
    key_id, fernet = encryption_keys()[0]
    return key_id.encode() + b":" + fernet.encrypt(data)


def decrypt_bytes(stored: bytes) -> bytes:
    """The plain bytes of an ``encrypt_bytes`` value, under whichever configured key it names."""
    key_id, sep, token = stored.partition(b":")
    if not sep:
        raise ValueError("not an encrypted file")
    for kid, fernet in encryption_keys():
        if kid.encode() == key_id:
            return fernet.decrypt(token)
    raise ValueError(f"no key {key_id.decode(errors='replace')!r} in FIELD_ENCRYPTION_KEYS")


def key_id_of_bytes(stored: bytes) -> str:
    return stored.partition(b":")[0].decode(errors="replace")


def write_private_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically, readable by the platform's user only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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


def _zip_type(data: bytes) -> FileType | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return DOCX
            # An OpenDocument file starts with an uncompressed "mimetype" entry naming its type.
            if names and names[0] == "mimetype":
                with archive.open("mimetype") as fh:
                    if fh.read(len(_ODT_MIMETYPE) + 1).strip() == _ODT_MIMETYPE:
                        return ODT
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, KeyError, NotImplementedError):
        return None
    return None


def _is_plain_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any((ord(ch) < 32 and ord(ch) not in _TEXT_CONTROLS_ALLOWED) or ord(ch) == 127 for ch in text)


def sniff(data: bytes) -> FileType | None:
    """The type of ``data`` judged by its content (magic bytes, archive structure, UTF-8), or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if _is_plain_text(data):
        return TEXT
    return None


def clean_title(raw: str) -> str:
    """A display title from user input or a browser's file name: the last path part only, without
    control or invisible formatting characters (e.g. right-to-left overrides), spaces collapsed."""
    last = re.split(r"[/\\]", raw or "")[-1]
    kept = "".join(
        " " if ch.isspace() else ch for ch in last if ch.isspace() or unicodedata.category(ch) not in _INVISIBLE
    )
    title = " ".join(kept.split())[:TITLE_MAX].strip()
    return "" if title in (".", "..") else title


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
