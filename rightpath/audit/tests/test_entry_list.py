"""The data-protection officer's audit list: own organisation only, DPOs only, a fixed query budget."""

from __future__ import annotations

from typing import Any

import pytest

from rightpath.accounts.models import Organisation
from rightpath.audit import events
from rightpath.audit.models import AuditEntry


@pytest.fixture(autouse=True)
def _no_second_factor(settings: Any) -> None:
    settings.MFA_ENFORCED = False


def test_dpo_sees_only_their_own_organisations_entries(
    client: Any, make_user: Any, write_entries: Any, org: Organisation, other_org: Organisation
) -> None:
    dpo = make_user("dpo", mfa=False)
    write_entries(2, organisation=org)
    foreign = write_entries(2, organisation=other_org)
    client.force_login(dpo)
    response = client.get("/audit/")
    assert response.status_code == 200
    shown = {e.pk for e in response.context["object_list"]}
    assert shown == set(AuditEntry.objects.filter(organisation_id=org.pk).values_list("pk", flat=True))
    assert not shown & {e.pk for e in foreign}
    assert "C-0" in response.content.decode()


def test_practitioner_is_refused_and_the_refusal_is_audited(client: Any, make_user: Any) -> None:
    practitioner = make_user("practitioner", mfa=False)
    client.force_login(practitioner)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=practitioner.pk).exists()


def test_anonymous_visitor_is_sent_to_sign_in(client: Any, db: Any) -> None:
    response = client.get("/audit/")
    assert response.status_code == 302 and "/accounts/" in response["Location"]


@pytest.mark.parametrize("rows", [3, 40])
def test_list_page_query_count_does_not_grow_with_the_entries(
    client: Any, make_user: Any, write_entries: Any, org: Organisation, rows: int, django_assert_num_queries: Any
) -> None:
    dpo = make_user("dpo", mfa=False)
    write_entries(rows, organisation=org)
    client.force_login(dpo)
    # Session, user, roles, count, one page of entries; then the session's first last_seen stamp
    # (an UPDATE between a savepoint and its release).
    with django_assert_num_queries(8):
        response = client.get("/audit/")
    assert response.status_code == 200 and len(response.context["object_list"]) == rows + 1  # + sign-in entry
