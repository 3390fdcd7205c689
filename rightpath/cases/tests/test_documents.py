"""Case documents: type checked by content, stored encrypted under a generated name outside the web
root, downloaded only through the policy (police liaison 403, removed member and other organisation
404) and always audited; bad uploads store nothing."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Document
from rightpath.cases.services import documents as services
from rightpath.cases.vocab import CaseRole
from rightpath.core import files

PDF_BYTES = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\nSECRET-COURT-DECISION-TEXT\n%%EOF\n"
TEXT = "Decision of the Basic Court in Prishtinë: conditional release approved.\n"


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def stored_files(root: Path) -> list[Path]:
    folder = root / "documents"
    return sorted(folder.iterdir()) if folder.exists() else []


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


@pytest.fixture
def coordinator(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("coordinator")
    add_member(case, user, CaseRole.COORDINATOR)
    return user


@pytest.fixture
def psychologist(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.PSYCHOLOGIST)
    return user


@pytest.fixture
def document(case: Case, coordinator: Any) -> Document:
    return services.document_upload(
        case,
        actor=coordinator,
        type="court",
        title="Court decision",
        file=SimpleUploadedFile("decision.pdf", PDF_BYTES, content_type="application/pdf"),
    )


def upload(client: Any, case: Case, name: str, content: bytes, **fields: Any) -> Any:
    data = {"type": "court", "title": "", "file": SimpleUploadedFile(name, content), **fields}
    return client.post(reverse("cases:document_upload", kwargs={"code": case.code}), data)


def download_url(document: Document) -> str:
    return reverse("cases:document_download", kwargs={"document": document.code})


def test_member_uploads_a_pdf_stored_encrypted_under_a_generated_name(
    client_for: Any, psychologist: Any, case: Case, private_media: Path
) -> None:
    response = upload(client_for(psychologist), case, "Vendim gjykate.pdf", PDF_BYTES)
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.title == "Vendim gjykate.pdf"
    assert document.content_type == "application/pdf"
    assert document.size == len(PDF_BYTES)
    assert document.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    [path] = stored_files(private_media)
    assert path.name == document.stored_name and len(path.name) == 32
    on_disk = path.read_bytes()
    assert b"SECRET-COURT-DECISION-TEXT" not in on_disk and b"%PDF" not in on_disk
    assert on_disk.startswith(b"dev1:")
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    entry = AuditEntry.objects.get(event="data.created", target_id=str(document.code))
    assert entry.data["case"] == str(case.code) and "Vendim" not in str(entry.data)


@pytest.mark.parametrize(
    "content,content_type",
    [
        (PDF_BYTES, "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        (docx_bytes(), files.DOCX.content_type),
        (odt_bytes(), files.ODT.content_type),
        (TEXT.encode(), "text/plain; charset=utf-8"),
    ],
    ids=["pdf", "png", "jpeg", "docx", "odt", "text"],
)
def test_the_type_is_judged_by_content_not_by_name(
    client_for: Any, psychologist: Any, case: Case, content: bytes, content_type: str
) -> None:
    # A misleading name does not matter: the content decides.
    response = upload(client_for(psychologist), case, "upload.exe", content)
    assert response.status_code == 302
    assert Document.objects.get(case=case).content_type == content_type


def test_hostile_file_names_never_reach_the_file_system(
    client_for: Any, psychologist: Any, case: Case, private_media: Path
) -> None:
    name = "../../etc/pass\x00wd\u202etxt.pdf"
    response = upload(client_for(psychologist), case, name, PDF_BYTES)
    assert response.status_code == 302
    document = Document.objects.get(case=case)
    assert document.title == "passwdtxt.pdf"
    assert [p.name for p in stored_files(private_media)] == [document.stored_name]
    assert not (private_media.parent / "etc").exists()


def test_clean_title_drops_paths_and_control_characters() -> None:
    assert services.clean_title("C:\\Users\\x\\report\x07.docx") == "report.docx"
    assert services.clean_title("two\r\nlines") == "two lines"
    assert services.clean_title("..") == ""
    assert services.clean_title("a\tb   c") == "a b c"
    assert services.clean_title("x" * 300) == "x" * 200


@pytest.mark.parametrize(
    "name,content,fields,message",
    [
        ("big.pdf", PDF_BYTES + b"x" * 2000, {}, "The file is too large"),
        ("report.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", {}, "This kind of file is not accepted"),
        ("empty.pdf", b"", {}, "The file is empty"),
        ("page.zip", b"PK\x03\x04" + b"\x00" * 40, {}, "This kind of file is not accepted"),
        ("latin1.txt", "Prishtinë".encode("latin-1"), {}, "This kind of file is not accepted"),
        ("photo.jpg", PDF_BYTES, {"type": "photo"}, "A photo must be a PNG or JPEG image"),
        ("x.pdf", PDF_BYTES, {"type": "passport"}, "Select a valid choice"),
        ("x.pdf", PDF_BYTES, {"title": "t" * 201}, "at most 200 characters"),
    ],
    ids=["too big", "executable", "empty", "broken zip", "not utf-8", "photo not an image", "bad type", "long title"],
)
def test_bad_uploads_get_a_clear_message_and_store_nothing(
    client_for: Any,
    psychologist: Any,
    case: Case,
    settings: Any,
    private_media: Path,
    name: str,
    content: bytes,
    fields: dict[str, Any],
    message: str,
) -> None:
    settings.DOCUMENT_MAX_BYTES = 1024
    response = upload(client_for(psychologist), case, name, content, **fields)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Document.objects.exists()
    assert stored_files(private_media) == []
    assert not AuditEntry.objects.filter(event="data.created").exists()


def test_upload_without_a_file_is_refused(client_for: Any, psychologist: Any, case: Case) -> None:
    response = client_for(psychologist).post(
        reverse("cases:document_upload", kwargs={"code": case.code}), {"type": "court"}
    )
    assert response.status_code == 200
    assert "Choose the file to upload" in response.content.decode()
    assert not Document.objects.exists()


def test_a_failed_save_leaves_no_file(
    psychologist: Any, case: Case, private_media: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "record", broken)
    with pytest.raises(RuntimeError):
        services.document_upload(
            case, actor=psychologist, type="court", title="", file=SimpleUploadedFile("a.pdf", PDF_BYTES)
        )
    assert not Document.objects.exists()
    assert stored_files(private_media) == []


def test_download_returns_the_plain_file_as_an_attachment_and_is_audited(
    client_for: Any, psychologist: Any, document: Document
) -> None:
    response = client_for(psychologist).get(download_url(document))
    assert response.status_code == 200
    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="XK-2026-0001-{str(document.code)[:8]}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    entry = AuditEntry.objects.filter(event="data.read", actor_id=psychologist.pk).latest("id")
    assert entry.data == {"section": "documents", "document": str(document.code), "download": True}
    assert entry.target_id == str(document.case.code)


def test_every_download_is_audited(client_for: Any, psychologist: Any, document: Document) -> None:
    client = client_for(psychologist)
    for _ in range(3):
        assert client.get(download_url(document)).status_code == 200
    assert AuditEntry.objects.filter(event="data.read", data__document=str(document.code)).count() == 3


def test_police_liaison_is_forbidden_documents_and_the_refusal_is_audited(
    client_for: Any, make_user: Any, add_member: Any, case: Case, document: Document
) -> None:
    liaison = make_user("practitioner")
    add_member(case, liaison, CaseRole.POLICE_LIAISON)
    client = client_for(liaison)
    assert client.get(download_url(document)).status_code == 403
    assert client.get(reverse("cases:document_list", kwargs={"code": case.code})).status_code == 403
    assert AuditEntry.objects.filter(event="access.denied", actor_id=liaison.pk).count() == 2
    assert not AuditEntry.objects.filter(event="data.read", actor_id=liaison.pk).exists()


def test_removed_member_gets_not_found(
    client_for: Any, make_user: Any, add_member: Any, case: Case, document: Document
) -> None:
    former = make_user("practitioner")
    add_member(case, former, CaseRole.PSYCHOLOGIST, removed_at=timezone.now())
    assert client_for(former).get(download_url(document)).status_code == 404
    assert AuditEntry.objects.filter(event="access.denied", actor_id=former.pk).exists()


def test_other_organisation_gets_not_found(
    client_for: Any, make_user: Any, other_org: Any, case: Case, document: Document
) -> None:
    stranger = make_user("coordinator", organisation=other_org)
    client = client_for(stranger)
    assert client.get(download_url(document)).status_code == 404
    assert client.get(reverse("cases:document_list", kwargs={"code": case.code})).status_code == 404


def test_unknown_document_is_not_found(client_for: Any, psychologist: Any) -> None:
    url = reverse("cases:document_download", kwargs={"document": "00000000-0000-4000-8000-000000000000"})
    assert client_for(psychologist).get(url).status_code == 404


def test_reader_without_write_right_cannot_upload(
    client_for: Any, make_user: Any, add_member: Any, case: Case, private_media: Path
) -> None:
    ngo = make_user("practitioner")
    add_member(case, ngo, CaseRole.NGO_WORKER)
    client = client_for(ngo)
    assert client.get(reverse("cases:document_list", kwargs={"code": case.code})).status_code == 200
    assert upload(client, case, "a.pdf", PDF_BYTES).status_code == 403
    assert not Document.objects.exists() and stored_files(private_media) == []


def test_a_changed_file_is_refused(psychologist: Any, document: Document) -> None:
    path = services.document_path(document)
    path.write_bytes(services.encrypt_bytes(b"%PDF-1.7 tampered"))
    with pytest.raises(ValueError, match="SHA-256"):
        services.document_download(document, actor=psychologist)


def test_document_removed_by_retention_is_listed_but_not_downloadable(
    client_for: Any, psychologist: Any, case: Case, document: Document
) -> None:
    Document.objects.filter(pk=document.pk).update(content_type=services.REMOVED_BY_RETENTION, title="")
    client = client_for(psychologist)
    assert client.get(download_url(document)).status_code == 404
    page = client.get(reverse("cases:document_list", kwargs={"code": case.code}))
    assert "Removed by retention" in page.content.decode()


def test_list_is_audited_and_shows_no_file_contents(
    client_for: Any, psychologist: Any, case: Case, document: Document
) -> None:
    response = client_for(psychologist).get(reverse("cases:document_list", kwargs={"code": case.code}))
    assert response.status_code == 200
    assert "Court decision" in response.content.decode()
    assert AuditEntry.objects.filter(event="data.read", data__section="documents").count() == 1


@pytest.mark.parametrize("rows", [3, 30])
def test_document_list_query_count_does_not_grow(
    client_for: Any, psychologist: Any, case: Case, rows: int, django_assert_num_queries: Any
) -> None:
    Document.objects.bulk_create(
        Document(
            case=case,
            type="other",
            title=f"Letter {i}",
            stored_name=f"{i:032x}",
            content_type="application/pdf",
            size=100,
            sha256="0" * 64,
            uploaded_by=psychologist,
        )
        for i in range(rows)
    )
    client = client_for(psychologist)
    # Session, user, OTP device, case, memberships, count, page (with uploaders), audit insert,
    # roles (navigation), session save with its savepoint.
    with django_assert_num_queries(12):
        assert client.get(reverse("cases:document_list", kwargs={"code": case.code})).status_code == 200
