"""Token and session access to the API: who gets in, what they see, and errors as JSON."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import sign_in
from rightpath.accounts.models import Organisation
from rightpath.api.models import ApiToken
from rightpath.api.services import CONSOLE, api_token_revoke

from .conftest import bearer


def _assert_json_error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] and body["error"]["message"]
    return body


def test_token_authenticates_the_service_account_of_its_organisation(
    client: Client, org: Organisation, make_token: Any
) -> None:
    account, raw = make_token(org, "practitioner")
    response = client.get("/api/v1/me/", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == account.username and body["username"].startswith("svc-case-sync-")
    assert body["code"] == str(account.code)
    assert body["is_service_account"] is True
    assert body["organisation"] == {"code": str(org.code), "name": org.name}
    assert body["roles"] == ["practitioner"]
    assert ApiToken.objects.get(user=account).last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [
        "Bearer nosuchpf.secret",
        "Bearer garbage",
        "Bearer ",
        "Bearer a.b c",
    ],
)
def test_wrong_or_malformed_tokens_are_refused_with_a_json_401(
    client: Client, org: Organisation, make_token: Any, header: str
) -> None:
    make_token(org)
    response = client.get("/api/v1/me/", HTTP_AUTHORIZATION=header)
    _assert_json_error(response, 401)
    assert response["WWW-Authenticate"] == "Bearer"


def test_right_prefix_with_wrong_secret_is_refused(client: Client, org: Organisation, make_token: Any) -> None:
    _account, raw = make_token(org)
    prefix = raw.split(".")[0]
    body = _assert_json_error(client.get("/api/v1/me/", **bearer(f"{prefix}.not-the-secret")), 401)
    assert body["error"]["code"] == "authentication_failed"


def test_expired_token_is_refused(client: Client, org: Organisation, make_token: Any) -> None:
    account, raw = make_token(org)
    ApiToken.objects.filter(user=account).update(expires_at=timezone.now() - timedelta(seconds=1))
    _assert_json_error(client.get("/api/v1/me/", **bearer(raw)), 401)


def test_revoked_token_is_refused(client: Client, org: Organisation, make_token: Any) -> None:
    account, raw = make_token(org)
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 200
    api_token_revoke(ApiToken.objects.get(user=account), actor=CONSOLE)
    _assert_json_error(client.get("/api/v1/me/", **bearer(raw)), 401)


def test_token_of_a_deactivated_account_or_organisation_is_refused(
    client: Client, org: Organisation, make_token: Any
) -> None:
    account, raw = make_token(org)
    account.is_active = False
    account.save(update_fields=["is_active"])
    _assert_json_error(client.get("/api/v1/me/", **bearer(raw)), 401)
    account.is_active = True
    account.save(update_fields=["is_active"])
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 200
    Organisation.objects.filter(pk=org.pk).update(is_active=False)
    _assert_json_error(client.get("/api/v1/me/", **bearer(raw)), 401)


def test_token_of_a_person_is_refused(client: Client, org: Organisation, make_token: Any, make_user: Any) -> None:
    account, raw = make_token(org)
    person = make_user()
    ApiToken.objects.filter(user=account).update(user=person)
    _assert_json_error(client.get("/api/v1/me/", **bearer(raw)), 401)


@pytest.mark.parametrize("path", ["/api/v1/me/", "/api/v1/organisations/"])
def test_anonymous_callers_get_a_json_401(client: Client, db: Any, path: str) -> None:
    body = _assert_json_error(client.get(path), 401)
    assert body["error"]["code"] == "not_authenticated"


def test_only_the_hash_of_the_secret_is_stored(org: Organisation, make_token: Any) -> None:
    account, raw = make_token(org)
    prefix, secret = raw.split(".")
    token = ApiToken.objects.get(user=account)
    assert token.prefix == prefix and len(prefix) == 8
    assert len(secret) >= 40
    assert token.secret_hash != secret and len(token.secret_hash) == 64
    for value in ApiToken.objects.filter(pk=token.pk).values().get().values():
        assert secret not in str(value)


def test_service_account_without_roles_lists_active_organisations_only(
    client: Client, org: Organisation, make_org: Any, make_token: Any
) -> None:
    closed = make_org("Closed Service", is_active=False)
    _account, raw = make_token(org)
    response = client.get("/api/v1/organisations/", **bearer(raw))
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["results"] == [
        {
            "code": str(org.code),
            "name": "Probation Service",
            "type": "probation",
            "level": "national",
            "country": "XK",
            "municipality": "",
        }
    ]
    assert client.get(f"/api/v1/organisations/{org.code}/", **bearer(raw)).status_code == 200
    _assert_json_error(client.get(f"/api/v1/organisations/{closed.code}/", **bearer(raw)), 404)


def test_platform_admin_session_sees_inactive_organisations(
    client_for: Any, make_user: Any, make_org: Any, org: Organisation
) -> None:
    closed = make_org("Closed Service", is_active=False)
    admin = make_user("platform_admin")
    client = client_for(admin)
    assert client.get("/api/v1/organisations/").json()["count"] == 2
    assert client.get(f"/api/v1/organisations/{closed.code}/").status_code == 200


def test_unknown_organisation_and_unknown_addresses_are_json_404(
    client: Client, org: Organisation, make_token: Any
) -> None:
    _account, raw = make_token(org)
    import uuid

    _assert_json_error(client.get(f"/api/v1/organisations/{uuid.uuid4()}/", **bearer(raw)), 404)
    _assert_json_error(client.get("/api/v1/organisations/not-a-code/", **bearer(raw)), 404)
    _assert_json_error(client.get("/api/v1/nothing-here/"), 404)


def test_unsupported_method_is_a_json_405(client: Client, org: Organisation, make_token: Any) -> None:
    _account, raw = make_token(org)
    _assert_json_error(client.post("/api/v1/organisations/", {}, **bearer(raw)), 405)
    _assert_json_error(client.delete("/api/v1/me/", **bearer(raw)), 405)


def test_organisation_list_query_count_does_not_grow_with_rows(
    client: Client, org: Organisation, make_org: Any, make_token: Any, django_assert_num_queries: Any
) -> None:
    _account, raw = make_token(org)
    client.get("/api/v1/me/", **bearer(raw))  # the first use records last_used_at (one UPDATE)
    # token lookup, role set (scope), page count, page rows
    with django_assert_num_queries(4):
        assert client.get("/api/v1/organisations/", **bearer(raw)).json()["count"] == 1
    for i in range(30):
        Organisation.objects.create(name=f"Centre {i:02d}", type="probation", country="XK")
    with django_assert_num_queries(4):
        body = client.get("/api/v1/organisations/", **bearer(raw)).json()
    assert body["count"] == 31 and len(body["results"]) == 31


def test_session_user_who_needs_a_second_factor_but_has_not_verified_gets_403(
    make_user: Any, org: Organisation
) -> None:
    user = make_user("practitioner")
    unverified = Client()
    unverified.force_login(user)  # signed in with the password only
    body = _assert_json_error(unverified.get("/api/v1/me/"), 403)
    assert body["error"]["code"] == "permission_denied"
    _assert_json_error(unverified.get("/api/v1/organisations/"), 403)
    verified = sign_in(Client(), user)
    assert verified.get("/api/v1/me/").json()["username"] == user.username


def test_session_user_without_personal_data_roles_needs_no_second_factor(make_user: Any) -> None:
    user = make_user("trainer")
    client = Client()
    client.force_login(user)
    assert client.get("/api/v1/me/").json()["roles"] == ["trainer"]
