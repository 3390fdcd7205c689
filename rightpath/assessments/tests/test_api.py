"""Assessment endpoints of the REST API: the same policy, shapes and audit as the pages."""

from __future__ import annotations

from typing import Any

import pytest

from rightpath.audit.models import AuditEntry
from rightpath.cases.vocab import CaseRole


def test_instruments_are_listed_for_case_workers(client_for: Any, make_user: Any, small: Any) -> None:
    response = client_for(make_user("assessor")).get("/api/v1/instruments/")
    assert response.status_code == 200
    assert [(i["key"], i["version"], i["kind"]) for i in response.json()["results"]] == [("small", "1", "spj")]
    assert client_for(make_user("editor")).get("/api/v1/instruments/").status_code == 403


def test_a_reader_of_assessments_gets_them_whole_and_every_read_is_audited(
    client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    signed = make_assessment(case, small, assessor, signed=True, values={"A1": "yes"})
    client = client_for(assessor)
    listing = client.get(f"/api/v1/cases/{case.code}/assessments/")
    assert listing.status_code == 200 and listing.json()["results"][0]["code"] == str(signed.code)
    detail = client.get(f"/api/v1/cases/{case.code}/assessments/{signed.code}/").json()
    assert detail["ratings"][0] == {
        "item": "A1",
        "domain": "home",
        "kind": "need",
        "value": "yes",
        "label": "Yes",
        "evidence": "Seen in interview.",
    }
    assert detail["counts_information_only"] == {"risk": 0, "protective": 0, "need": 1}
    assert detail["rationale"] == "Reasoned judgement."
    assert AuditEntry.objects.filter(event="data.read", actor_id=assessor.pk).count() == 2


def test_a_police_liaison_gets_the_summary_judgement_only(
    client_for: Any, make_user: Any, case: Any, add_member: Any, assessor: Any, small: Any, make_assessment: Any
) -> None:
    police = make_user("practitioner")
    add_member(case, police, CaseRole.POLICE_LIAISON)
    signed = make_assessment(case, small, assessor, signed=True)
    draft = make_assessment(case, small, assessor)
    client = client_for(police)
    listing = client.get(f"/api/v1/cases/{case.code}/assessments/").json()["results"]
    assert [a["code"] for a in listing] == [str(signed.code)]
    detail = client.get(f"/api/v1/cases/{case.code}/assessments/{signed.code}/").json()
    assert "ratings" not in detail and "sources" not in detail and detail["level_of_concern"] == "moderate"
    assert client.get(f"/api/v1/cases/{case.code}/assessments/{draft.code}/").status_code == 404


@pytest.mark.parametrize("who,status", [("outsider", 404), ("mentor", 403)])
def test_outsiders_and_members_without_a_part_are_refused_and_audited(
    client_for: Any, make_user: Any, other_org: Any, case: Any, add_member: Any, who: str, status: int
) -> None:
    if who == "outsider":
        user = make_user("assessor", organisation=other_org)
    else:
        user = make_user("practitioner")
        add_member(case, user, CaseRole.MENTOR)
    assert client_for(user).get(f"/api/v1/cases/{case.code}/assessments/").status_code == status
    assert AuditEntry.objects.filter(event="access.denied", actor_id=user.pk).exists()


def test_the_list_endpoint_has_a_fixed_query_budget(
    client_for: Any, case: Any, assessor: Any, small: Any, make_assessment: Any, django_assert_num_queries: Any
) -> None:
    for _ in range(5):
        make_assessment(case, small, assessor, signed=True)
    client = client_for(assessor)
    url = f"/api/v1/cases/{case.code}/assessments/"
    client.get(url)
    with django_assert_num_queries(10):
        assert len(client.get(url).json()["results"]) == 5
