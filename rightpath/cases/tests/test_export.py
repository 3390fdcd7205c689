"""The data-protection officer's subject export: only the lead organisation's officer (another
organisation's officer gets 404, a practitioner 403), built in the background as encrypted JSON and
PDF holding everything decrypted, with a polling result page and audited downloads."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Consent, Identity, Session
from rightpath.cases.services import documents as documents_service
from rightpath.cases.services import export as services
from rightpath.cases.vocab import CaseRole

NOTES = "He spoke about his time in al-Hol and his wish to finish school in Ferizaj."


@pytest.fixture(autouse=True)
def private_media(settings: Any, tmp_path: Path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


@pytest.fixture
def dpo(make_user: Any) -> Any:
    return make_user("dpo")


@pytest.fixture
def full_case(case: Case, make_user: Any, add_member: Any) -> Case:
    psychologist = make_user("practitioner")
    add_member(case, psychologist, CaseRole.PSYCHOLOGIST)
    Identity.objects.create(
        case=case, given_names="Arlind", family_name="Berisha", birth_date="1994-03-02", blind_index="x" * 64
    )
    Session.objects.create(
        case=case,
        type="individual",
        provider=psychologist,
        organisation=psychologist.organisation,
        held_on=timezone.localdate() - timedelta(days=3),
        duration_minutes=50,
        notes=NOTES,
    )
    Consent.objects.create(
        case=case,
        purpose="Family counselling",
        given_by="guardian",
        guardian_name="Shpresa Berisha",
        given_on=timezone.localdate(),
    )
    documents_service.document_upload(
        case,
        actor=psychologist,
        type="court",
        title="Court decision",
        file=SimpleUploadedFile("d.pdf", b"%PDF-1.4 court decision"),
    )
    return case


def export_url(case: Case) -> str:
    return reverse("cases:subject_export", kwargs={"code": case.code})


def start_export(client: Any, case: Case, capture: Any) -> uuid.UUID:
    with capture(execute=True):
        response = client.post(export_url(case))
    assert response.status_code == 302
    return uuid.UUID(response["Location"].rstrip("/").split("/")[-1])


def download(client: Any, case: Case, export_id: uuid.UUID, fmt: str) -> Any:
    return client.get(
        reverse("cases:subject_export_download", kwargs={"code": case.code, "export": export_id, "fmt": fmt})
    )


def test_dpo_finds_a_case_of_their_organisation_by_reference(client_for: Any, dpo: Any, case: Case) -> None:
    response = client_for(dpo).get(reverse("cases:subject_export_search"), {"reference": "xk-2026-0001 "})
    assert response.status_code == 200
    assert response.context["case"] == case
    assert export_url(case) in response.content.decode()


def test_another_organisations_dpo_does_not_find_the_case(
    client_for: Any, make_user: Any, other_org: Any, case: Case
) -> None:
    other_dpo = make_user("dpo", organisation=other_org)
    client = client_for(other_dpo)
    response = client.get(reverse("cases:subject_export_search"), {"reference": case.reference})
    assert response.status_code == 200 and response.context["case"] is None
    assert "No case led by your organisation has this reference." in response.content.decode()
    assert client.get(export_url(case)).status_code == 404
    assert client.post(export_url(case)).status_code == 404
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=other_dpo.pk).count() == 2


def test_a_practitioner_may_not_export(client_for: Any, make_user: Any, add_member: Any, case: Case) -> None:
    coordinator = make_user("coordinator")
    add_member(case, coordinator, CaseRole.COORDINATOR)
    client = client_for(coordinator)
    assert client.get(reverse("cases:subject_export_search")).status_code == 403
    assert client.post(export_url(case)).status_code == 403
    assert not AuditEntry.objects.filter(event=events.EXPORTED).exists()


def test_export_asks_first(client_for: Any, dpo: Any, case: Case) -> None:
    response = client_for(dpo).get(export_url(case))
    assert response.status_code == 200
    assert b"Prepare the export" in response.content
    assert not AuditEntry.objects.filter(event=events.EXPORTED).exists()


def test_export_holds_everything_decrypted_and_is_audited(
    client_for: Any, dpo: Any, full_case: Case, private_media: Path, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(dpo)
    export_id = start_export(client, full_case, django_capture_on_commit_callbacks)
    page = client.get(reverse("cases:subject_export_result", kwargs={"code": full_case.code, "export": export_id}))
    assert page.status_code == 200 and page.context["status"].ready
    assert "hx-get" not in page.content.decode()

    # At rest both files are encrypted.
    for path in (private_media / "exports" / full_case.code.hex).iterdir():
        raw = path.read_bytes()
        assert raw.startswith(b"dev1:") and b"al-Hol" not in raw and b"Berisha" not in raw

    response = download(client, full_case, export_id, "json")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="XK-2026-0001-subject-export-')
    assert response["X-Content-Type-Options"] == "nosniff"
    data = json.loads(response.content)
    assert data["case"]["reference"] == "XK-2026-0001"
    assert data["identity"]["family_name"] == "Berisha"
    assert data["sessions"][0]["notes"] == NOTES
    assert data["consents"][0]["guardian_name"] == "Shpresa Berisha"
    assert data["documents"][0]["sha256"] and data["documents"][0]["title"] == "Court decision"
    assert {m["role"] for m in data["team"]} == {"psychologist"}
    assert any(e["event"] == "data.created" for e in data["audit"])

    pdf = download(client, full_case, export_id, "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Type"] == "application/pdf"

    stages = list(
        AuditEntry.objects.filter(event=events.EXPORTED, target_id=str(full_case.code))
        .order_by("id")
        .values_list("data__stage", "data__format")
    )
    assert stages == [("requested", None), ("built", None), ("downloaded", "json"), ("downloaded", "pdf")]
    # No decrypted value ever reaches the audit log.
    for entry in AuditEntry.objects.all():
        assert "Berisha" not in json.dumps(entry.data) and "al-Hol" not in json.dumps(entry.data)


def test_result_page_polls_while_the_export_is_being_built(client_for: Any, dpo: Any, case: Case) -> None:
    client = client_for(dpo)
    # Without running the on-commit callbacks the task never runs: the files are not there yet.
    response = client.post(export_url(case))
    result_url = response["Location"]
    page = client.get(result_url)
    assert page.status_code == 200
    assert 'hx-get="' in page.content.decode() and "being prepared" in page.content.decode()
    fragment = client.get(result_url, HTTP_HX_REQUEST="true")
    assert fragment.content.decode().startswith('<div id="export-status"')
    export_id = uuid.UUID(result_url.rstrip("/").split("/")[-1])
    assert download(client, case, export_id, "json").status_code == 404


def test_an_officer_who_lost_the_role_gets_a_failed_export(
    client_for: Any, dpo: Any, case: Case, private_media: Path
) -> None:
    export_id = str(uuid.uuid4())
    dpo.role_assignments.all().delete()
    assert services.subject_export_build(case.pk, export_id, dpo.pk) == "denied"
    dpo._role_cache = None
    status = services.subject_export_status(case, export_id)
    assert status.failed and not status.ready


def test_another_officer_cannot_download_with_a_guessed_case(
    client_for: Any,
    dpo: Any,
    make_user: Any,
    other_org: Any,
    case: Case,
    django_capture_on_commit_callbacks: Any,
) -> None:
    export_id = start_export(client_for(dpo), case, django_capture_on_commit_callbacks)
    other_dpo = make_user("dpo", organisation=other_org)
    assert download(client_for(other_dpo), case, export_id, "json").status_code == 404


def test_unknown_format_is_not_found(
    client_for: Any, dpo: Any, case: Case, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for(dpo)
    export_id = start_export(client, case, django_capture_on_commit_callbacks)
    assert download(client, case, export_id, "xml").status_code == 404


def test_the_pdf_renderer_fetches_nothing() -> None:
    fetcher = services.NoFetcher()
    for url in ("http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "data:text/plain,x"):
        with pytest.raises(services.RefusedURL):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 3


def test_old_exports_are_purged(private_media: Path, case: Case) -> None:
    folder = services.exports_dir(case)
    folder.mkdir(parents=True)
    old = folder / f"{uuid.uuid4().hex}.json"
    old.write_bytes(b"x")
    import os

    os.utime(old, (0, 0))
    fresh = folder / f"{uuid.uuid4().hex}.json"
    fresh.write_bytes(b"x")
    assert services.exports_purge(dry_run=True) == 1 and old.exists()
    assert services.exports_purge() == 1
    assert not old.exists() and fresh.exists()
