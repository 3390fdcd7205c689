"""Consent: per purpose, given by the person or a guardian, withdrawn but never deleted; a minor's
consent needs a guardian; the case's legal basis is shown beside it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from rightpath.audit.models import AuditEntry
from rightpath.cases.models import Case, Consent
from rightpath.cases.vocab import CaseRole

TODAY = timezone.localdate


@pytest.fixture
def social_worker(make_user: Any, case: Case, add_member: Any) -> Any:
    user = make_user("practitioner")
    add_member(case, user, CaseRole.SOCIAL_WORKER)
    return user


def url(name: str, case: Case, **kwargs: Any) -> str:
    return reverse(f"cases:{name}", kwargs={"code": case.code, **kwargs})


def consent_form(**overrides: Any) -> dict[str, Any]:
    return {
        "purpose": "Sharing progress with the mentoring programme",
        "scope": "Plan goals and session dates; not the notes",
        "given_by": "person",
        "guardian_name": "",
        "given_on": TODAY().isoformat(),
        **overrides,
    }


def test_consent_is_recorded_and_listed_as_active(client_for: Any, social_worker: Any, case: Case) -> None:
    client = client_for(social_worker)
    assert client.post(url("consent_create", case), consent_form()).status_code == 302
    consent = Consent.objects.get(case=case)
    assert (consent.given_by, consent.recorded_by, consent.withdrawn_on) == ("person", social_worker, None)
    response = client.get(url("consent_list", case))
    assert [c.pk for c in response.context["active"]] == [consent.pk]
    assert response.context["withdrawn"] == []
    assert AuditEntry.objects.filter(event="data.read", data__section="consent").exists()


def test_the_page_shows_the_legal_basis_and_that_consent_is_rarely_it(
    client_for: Any, social_worker: Any, case: Case
) -> None:
    body = client_for(social_worker).get(url("consent_list", case)).content.decode()
    assert "Public task" in body
    assert "consent is rarely the legal basis" in body


def test_consent_as_basis_in_prison_is_flagged(client_for: Any, social_worker: Any, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(legal_basis="consent", phase="prison")
    response = client_for(social_worker).get(url("consent_list", case))
    assert response.context["consent_basis_in_custody"] is True
    assert "Check the basis with your data-protection officer" in response.content.decode()


def test_a_minor_cannot_consent_alone(client_for: Any, social_worker: Any, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(is_minor=True, best_interests_note="Child's schooling comes first")
    response = client_for(social_worker).post(url("consent_create", case), consent_form())
    assert response.status_code == 200
    assert "consent given by the child alone is not enough" in response.content.decode()
    assert not Consent.objects.exists()


def test_a_minors_consent_needs_the_guardians_name(client_for: Any, social_worker: Any, case: Case) -> None:
    Case.objects.filter(pk=case.pk).update(is_minor=True)
    client = client_for(social_worker)
    response = client.post(url("consent_create", case), consent_form(given_by="guardian"))
    assert response.status_code == 200
    assert "Enter the name of the parent or guardian" in response.content.decode()
    assert not Consent.objects.exists()
    response = client.post(
        url("consent_create", case), consent_form(given_by="guardian", guardian_name="Fatime Berisha")
    )
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.guardian_name == "Fatime Berisha"
    with connection.cursor() as cursor:
        cursor.execute("SELECT guardian_name FROM cases_consent WHERE id = %s", [consent.pk])
        assert "Berisha" not in cursor.fetchone()[0]


def test_guardian_consent_needs_a_name_for_an_adult_too(client_for: Any, social_worker: Any, case: Case) -> None:
    response = client_for(social_worker).post(url("consent_create", case), consent_form(given_by="guardian"))
    assert response.status_code == 200
    assert not Consent.objects.exists()


def test_consent_cannot_be_dated_in_the_future(client_for: Any, social_worker: Any, case: Case) -> None:
    response = client_for(social_worker).post(
        url("consent_create", case), consent_form(given_on=(TODAY() + timedelta(days=1)).isoformat())
    )
    assert response.status_code == 200
    assert "cannot be in the future" in response.content.decode()
    assert not Consent.objects.exists()


def test_withdrawal_keeps_the_record_and_lists_it_as_withdrawn(client_for: Any, social_worker: Any, case: Case) -> None:
    consent = Consent.objects.create(
        case=case, purpose="Mentoring", given_by="person", given_on=TODAY() - timedelta(days=10)
    )
    client = client_for(social_worker)
    response = client.post(
        url("consent_withdraw", case, consent=consent.code), {"withdrawn_on": TODAY().isoformat(), "version": 1}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY()
    listing = client.get(url("consent_list", case))
    assert listing.context["active"] == [] and [c.pk for c in listing.context["withdrawn"]] == [consent.pk]
    # Withdrawing again is refused; the record is never deleted.
    response = client.post(
        url("consent_withdraw", case, consent=consent.code), {"withdrawn_on": TODAY().isoformat(), "version": 2}
    )
    assert "already been withdrawn" in response.content.decode()
    assert Consent.objects.filter(pk=consent.pk).exists()


def test_withdrawal_before_the_consent_was_given_is_refused(client_for: Any, social_worker: Any, case: Case) -> None:
    consent = Consent.objects.create(case=case, purpose="Mentoring", given_by="person", given_on=TODAY())
    response = client_for(social_worker).post(
        url("consent_withdraw", case, consent=consent.code),
        {"withdrawn_on": (TODAY() - timedelta(days=1)).isoformat(), "version": 1},
    )
    assert response.status_code == 200
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_concurrent_withdrawal_changes_nothing(client_for: Any, social_worker: Any, case: Case) -> None:
    consent = Consent.objects.create(case=case, purpose="Mentoring", given_by="person", given_on=TODAY())
    Consent.objects.filter(pk=consent.pk).update(version=2, purpose="Mentoring (corrected)")
    response = client_for(social_worker).post(
        url("consent_withdraw", case, consent=consent.code), {"withdrawn_on": TODAY().isoformat(), "version": 1}
    )
    assert response.status_code == 200
    assert "Someone else saved this record" in response.content.decode()
    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_reader_without_the_consent_section_is_refused(
    client_for: Any, make_user: Any, add_member: Any, case: Case
) -> None:
    mentor = make_user("practitioner")
    add_member(case, mentor, CaseRole.MENTOR)
    assert client_for(mentor).get(url("consent_list", case)).status_code == 403
    psychologist = make_user("practitioner")
    add_member(case, psychologist, CaseRole.PSYCHOLOGIST)  # reads consent, does not record it
    client = client_for(psychologist)
    assert client.get(url("consent_list", case)).status_code == 200
    assert client.post(url("consent_create", case), consent_form()).status_code == 403
    assert not Consent.objects.exists()
