"""The data-protection officer's audit pages: filters, CSV export, verification as a task."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from conftest import sign_in
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.audit.services import record


def test_dpo_filters_by_event_and_date_and_bad_dates_get_a_message(client_for: Any, make_user: Any, org: Any) -> None:
    dpo = make_user("dpo")
    record(events.PERSONAL_DATA_READ, actor=dpo, target=("case", "C-1"))
    record(events.EXPORTED, actor=dpo, target=("case", "C-2"))
    client = client_for(dpo)
    page = client.get("/audit/?event=data.read")
    assert {e.event for e in page.context["object_list"]} == {"data.read"}
    bad = client.get("/audit/?from=31-12-2026")
    assert bad.status_code == 200 and "YYYY-MM-DD" in bad.content.decode()


def test_dpo_exports_the_filtered_log_as_safe_csv_and_the_export_is_audited(client_for: Any, make_user: Any) -> None:
    dpo = make_user("dpo")
    record(
        events.LOGIN_FAILED,
        data={"username": "x"},
        justification='=HYPERLINK("http://evil")',
        organisation=dpo.organisation,
    )
    response = client_for(dpo).get("/audit/export.csv")
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["id", "time", "event"]
    justifications = [r[8] for r in rows[1:]]
    assert '\'=HYPERLINK("http://evil")' in justifications
    assert AuditEntry.objects.filter(event="data.exported", actor_id=dpo.pk).exists()


def test_practitioner_cannot_read_or_export_the_audit_log(client_for: Any, make_user: Any) -> None:
    client = client_for(make_user("practitioner"))
    assert client.get("/audit/").status_code == 403
    assert client.get("/audit/export.csv").status_code == 403
    assert client.get("/audit/verify/").status_code == 403


@pytest.mark.django_db(transaction=True)
def test_verification_runs_as_a_task_and_shows_its_result(settings: Any, make_user: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.AUDIT_SEAL_DELAY_SECONDS = 0
    platform = make_user("platform_admin")
    client = sign_in(Client(), platform)
    assert client.get("/audit/verify/").status_code == 200
    started = client.post("/audit/verify/")
    assert started.status_code == 302
    waiting = client.get(started["Location"])
    assert "running" in waiting.content.decode()
    call_command("worker", "--batch")
    done = client.get(started["Location"])
    assert "The audit log is intact" in done.content.decode()
    fragment = client.get(started["Location"], HTTP_HX_REQUEST="true")
    assert "<html" not in fragment.content.decode() and "hx-trigger" not in fragment.content.decode()
