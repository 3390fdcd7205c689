"""Certificates: long random codes, the PDF with its QR code, the public check (valid, revoked with
its date, 404 for unknown codes, throttled lookups) and revocation that keeps the record."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from rightpath.training.certificates import qr_svg
from rightpath.training.models import Certificate
from rightpath.training.services import learning as ls

from .conftest import CourseKit
from .helpers import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle() -> None:
    cache.clear()


@pytest.fixture
def certificate(kit: CourseKit, learner: Any) -> Certificate:
    cert = complete(kit, learner)
    assert cert is not None
    return cert


def test_codes_are_long_random_and_unique(certificate: Certificate) -> None:
    codes = {ls.new_verification_code() for _ in range(1000)}
    assert len(codes) == 1000
    assert len(certificate.verification_code) >= 32
    assert all(len(c) >= 32 for c in codes)


def test_the_learner_downloads_the_pdf(certificate: Certificate, learner: Any, client_for: Any) -> None:
    response = client_for(learner).get(reverse("training:certificate_pdf", args=[certificate.code]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_carries_the_verification_address_and_its_qr_code(certificate: Certificate, rf: Any) -> None:
    url = "http://testserver" + reverse("certificates:verify", args=[certificate.verification_code])
    html = render_to_string(
        "training/certificate_pdf.html", {"certificate": certificate, "url": url, "qr_svg": qr_svg(url)}
    )
    assert url in html and "<svg" in html
    assert f"/certificates/verify/{certificate.verification_code}/" in url


def test_someone_else_cannot_download_the_certificate(
    certificate: Certificate, make_user: Any, client_for: Any
) -> None:
    other = make_user(username="nosy")
    assert client_for(other).get(reverse("training:certificate_pdf", args=[certificate.code])).status_code == 404


def test_a_visitor_sees_a_valid_certificate_with_nothing_more_than_needed(
    certificate: Certificate, learner: Any
) -> None:
    response = Client().get(f"/certificates/verify/{certificate.verification_code}/")
    assert response.status_code == 200
    assert "This certificate is valid." in response.text
    assert certificate.learner_name in response.text and certificate.course_title in response.text
    assert learner.email not in response.text and learner.username not in response.text


def test_an_unknown_code_is_not_found() -> None:
    assert Client().get("/certificates/verify/not-a-real-code-at-all-0123456789/").status_code == 404


def test_a_revoked_certificate_stays_on_record_and_shows_revoked_with_its_date(
    certificate: Certificate, trainer: Any, client_for: Any
) -> None:
    response = client_for(trainer).post(
        reverse("training:certificate_revoke", args=[certificate.code]), {"reason": "Issued to the wrong person"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_at and certificate.revocation_reason == "Issued to the wrong person"
    page = Client().get(f"/certificates/verify/{certificate.verification_code}/")
    assert page.status_code == 200
    assert "was revoked on" in page.text
    assert "wrong person" not in page.text
    with pytest.raises(ValidationError, match="already revoked"):
        ls.certificate_revoke(certificate, actor=trainer, reason="again")


def test_a_learner_cannot_revoke(certificate: Certificate, learner: Any, client_for: Any) -> None:
    response = client_for(learner).post(
        reverse("training:certificate_revoke", args=[certificate.code]), {"reason": "x"}
    )
    assert response.status_code == 403
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_revocation_needs_a_reason(certificate: Certificate, trainer: Any) -> None:
    with pytest.raises(ValidationError, match="Say why"):
        ls.certificate_revoke(certificate, actor=trainer, reason="  ")


def test_excessive_lookups_from_one_address_get_429(certificate: Certificate, settings: Any) -> None:
    settings.CERTIFICATE_VERIFY_LIMIT = 5
    client = Client(REMOTE_ADDR="203.0.113.7")
    codes = ["guess-" + str(i) * 30 for i in range(5)]
    assert [client.get(f"/certificates/verify/{c}/").status_code for c in codes] == [404] * 5
    assert client.get(f"/certificates/verify/{certificate.verification_code}/").status_code == 429
    # Another address is not affected.
    other = Client(REMOTE_ADDR="203.0.113.8")
    assert other.get(f"/certificates/verify/{certificate.verification_code}/").status_code == 200


def test_the_api_check_is_throttled_too(certificate: Certificate, settings: Any) -> None:
    settings.CERTIFICATE_VERIFY_LIMIT = 2
    client = Client(REMOTE_ADDR="198.51.100.2")
    url = f"/api/v1/certificates/{certificate.verification_code}/"
    first = client.get(url)
    assert first.status_code == 200 and first.json()["state"] == "valid"
    assert "email" not in first.json()
    assert client.get("/api/v1/certificates/unknown-code-xxxxxxxxxxxxxxxxxxxxxxxx/").status_code == 404
    assert client.get(url).status_code == 429
