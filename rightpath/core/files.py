"""Files people upload, whatever the part of the product: judging a file's type by its content,
cleaning a title taken from a browser's file name, encrypting file contents with the
field-encryption keys, and writing private files atomically. Case documents and training materials
both use these; each part keeps its own rules on which types and sizes it accepts."""

from __future__ import annotations

import io
import os
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path

from rightpath.core.fields import encryption_keys

TITLE_MAX = 200
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


# --- judging an upload by its content -------------------------------------------------------------


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
