"""Revoking the certificate of a trainer track takes back the trainer role it granted (unless the
person holds the role from another source); expired certificates on the public check; the cascade
as CSV."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rightpath.accounts.models import RoleAssignment
from rightpath.audit.models import AuditEntry
from rightpath.training.models import Certificate, TrainerCertification
from rightpath.training.services import learning as ls
from rightpath.training.services import sessions as ss

from .conftest import build_course
from .helpers import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


def _is_trainer(person: Any) -> bool:
    return RoleAssignment.objects.filter(user=person, role="trainer").exists()


def test_revoking_a_trainer_track_certificate_removes_the_trainer_role_it_granted(
    trainer: Any, learner: Any, client_for: Any
) -> None:
    kit = build_course(trainer, is_trainer_track=True)
    certificate = complete(kit, learner)
    assert certificate is not None and _is_trainer(learner)
    response = client_for(trainer).post(
        reverse("training:certificate_revoke", args=[certificate.code]), {"reason": "Exam irregularity"}
    )
    assert response.status_code == 302
    assert not _is_trainer(learner)
    entry = AuditEntry.objects.get(event="training.trainer_role_withdrawn")
    assert entry.data["role_removed"] is True and entry.target_id == str(learner.code)
    assert AuditEntry.objects.filter(event="accounts.roles_changed", target_id=str(learner.code)).count() == 2
    assert TrainerCertification.objects.filter(certificate=certificate).exists()  # the record stays


def test_the_role_stays_when_another_trainer_track_certificate_is_in_force(trainer: Any, learner: Any) -> None:
    first = build_course(trainer, is_trainer_track=True)
    second = build_course(trainer, is_trainer_track=True)
    revoked = complete(first, learner)
    complete(second, learner)
    ls.certificate_revoke(revoked, actor=trainer, reason="Issued in error")
    assert _is_trainer(learner)
    entry = AuditEntry.objects.get(event="training.trainer_role_withdrawn")
    assert entry.data == {**entry.data, "role_removed": False, "kept_because": "another_trainer_track"}


def test_the_role_stays_when_an_administrator_granted_it_before_the_trainer_track(trainer: Any, learner: Any) -> None:
    RoleAssignment.objects.create(user=learner, role="trainer", granted_at=timezone.now() - timedelta(days=30))
    learner._role_cache = None
    kit = build_course(trainer, is_trainer_track=True)
    certificate = complete(kit, learner)
    ls.certificate_revoke(certificate, actor=trainer, reason="Issued in error")
    assert _is_trainer(learner)
    entry = AuditEntry.objects.get(event="training.trainer_role_withdrawn")
    assert entry.data["kept_because"] == "granted_by_administrator"


def test_revoking_an_ordinary_certificate_leaves_roles_alone(trainer: Any, learner: Any) -> None:
    kit = build_course(trainer)
    certificate = complete(kit, learner)
    ls.certificate_revoke(certificate, actor=trainer, reason="Issued in error")
    assert not AuditEntry.objects.filter(event="training.trainer_role_withdrawn").exists()


def test_a_revoked_trainer_no_longer_counts_as_certified_in_the_cascade(
    trainer: Any, learner: Any, client_for: Any
) -> None:
    kit = build_course(trainer, is_trainer_track=True)
    certificate = complete(kit, learner)
    ls.certificate_revoke(certificate, actor=trainer, reason="Exam irregularity")
    rows = _cascade_rows(client_for(trainer))
    assert all(row[0] != learner.get_full_name() for row in rows[1:])


def test_an_expired_certificate_shows_expired_with_its_date_on_the_public_check(trainer: Any, learner: Any) -> None:
    kit = build_course(trainer, certificate_valid_days=30)
    certificate = complete(kit, learner)
    assert certificate.expires_at is not None
    Certificate.objects.filter(pk=certificate.pk).update(expires_at=timezone.now() - timedelta(days=1))
    page = Client().get(f"/certificates/verify/{certificate.verification_code}/")
    assert page.status_code == 200
    assert "This certificate expired on" in page.text and "This certificate is valid." not in page.text
    assert learner.email not in page.text


# --- the cascade as CSV ------------------------------------------------------------------------------


def _cascade_rows(client: Client) -> list[list[str]]:
    response = client.get(reverse("training:cascade_csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_the_cascade_downloads_as_csv_with_formula_cells_neutralised(
    trainer: Any, make_user: Any, client_for: Any
) -> None:
    trainer.first_name, trainer.last_name = "=HYPERLINK(1)", "Trainer"
    trainer.save()
    start = timezone.now() - timedelta(days=1)
    session = ss.session_create(
        actor=trainer,
        title="Workshop",
        starts_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=3),
        place="Skopje",
        country="MK",
        capacity=5,
        trainers=[trainer],
    )
    person = make_user(username="reached")
    signup = ss.signup_register(session, actor=person)
    from rightpath.training.models import TrainingSession

    TrainingSession.objects.filter(pk=session.pk).update(starts_at=start, ends_at=start + timedelta(hours=2))
    session.refresh_from_db()
    ss.attendance_record(session, actor=trainer, marks={str(signup.code): "attended"})
    client = client_for(trainer)
    page = client.get(reverse("training:cascade"))
    assert reverse("training:cascade_csv") in page.text
    rows = _cascade_rows(client)
    assert rows[0][:3] == ["Trainer", "Organisation", "Country"]
    row = next(r for r in rows[1:] if "HYPERLINK" in r[0])
    assert not row[0].startswith("=")
    assert row[4:7] == ["1", "1", "1"] and person.get_full_name() in row[7]
    assert AuditEntry.objects.filter(event="data.exported", data__report="training cascade").exists()


def test_a_learner_cannot_download_the_cascade(learner: Any, client_for: Any) -> None:
    assert client_for(learner).get(reverse("training:cascade_csv")).status_code == 403
