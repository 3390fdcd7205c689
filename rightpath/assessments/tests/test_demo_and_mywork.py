"""Demo data (idempotent, on the demo cases) and assessments due on the "my work" page."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

from django.utils import timezone

from rightpath.assessments.models import Assessment, Instrument
from rightpath.cases.vocab import CaseRole


def test_seed_demo_adds_signed_off_assessments_with_history_and_is_idempotent(
    db: Any, settings: Any, tmp_path: Any, monkeypatch: Any
) -> None:
    from django.apps import apps
    from django.core.management import call_command

    settings.RIGHTPATH_DEMO = True
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Case work first, then assessments, as in INSTALLED_APPS (other parts' seeders are not needed here).
    configs = [apps.get_app_config("cases"), apps.get_app_config("assessments")]
    monkeypatch.setattr(apps, "get_app_configs", lambda: configs)
    call_command("seed_demo", stdout=StringIO())
    instrument = Instrument.objects.get(key="demo-needs")
    assert instrument.is_demonstration
    per_case = {
        ref: Assessment.objects.filter(case__reference=ref, status="signed_off").count()
        for ref in ("XK-2025-0012", "XK-2024-0007")
    }
    assert per_case == {"XK-2025-0012": 3, "XK-2024-0007": 2}
    total = Assessment.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Assessment.objects.count() == total and Instrument.objects.count() == 1


def test_my_work_lists_assessments_due_or_overdue_for_assessors(
    client_for: Any, make_user: Any, case: Any, add_member: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    signed = make_assessment(case, small, assessor, signed=True)
    Assessment.objects.filter(pk=signed.pk).update(next_review_on=timezone.localdate() - timedelta(days=2))
    page = client_for(assessor).get("/cases/mywork/")
    items = page.context["assessments_due"]["items"]
    assert [c.reference for c in items] == [case.reference] and items[0].assessment_overdue
    assert "Assessments due for review" in page.content.decode()
    reader = make_user("coordinator")
    add_member(case, reader, CaseRole.PRISON_OFFICER)
    assert client_for(reader).get("/cases/mywork/").context["assessments_due"]["shown"] is False
