"""Service accounts and API tokens: who may issue and revoke them, what is audited, the command."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from rightpath.access.policy import can, visible
from rightpath.accounts.models import Organisation, User
from rightpath.api.models import ApiToken
from rightpath.api.services import CONSOLE, api_token_create, api_token_revoke, service_account_create
from rightpath.audit.models import AuditEntry

from .conftest import bearer


def test_org_admin_creates_a_service_account_and_token_for_their_organisation(
    client: Client, make_user: Any, org: Organisation
) -> None:
    admin = make_user("org_admin")
    account = service_account_create(actor=admin, organisation=org, name="Prison system", roles=["practitioner"])
    assert account.is_service_account and account.organisation == org
    assert not account.has_usable_password()
    assert account.username.startswith("svc-prison-system-")
    assert account.role_set == {"practitioner"}
    token, raw = api_token_create(actor=admin, service_account=account, name="nightly", days=30)
    assert token.created_by == admin and token.is_valid
    assert 29 <= (token.expires_at - token.created_at).days <= 30
    assert client.get("/api/v1/me/", **bearer(raw)).json()["organisation"]["code"] == str(org.code)
    created = AuditEntry.objects.get(event="api.token_created")
    assert created.actor_id == admin.pk and created.organisation_id == org.pk
    assert created.data["prefix"] == token.prefix
    assert raw.split(".")[1] not in str(created.data)
    api_token_revoke(token, actor=admin)
    api_token_revoke(token, actor=admin)  # revoking twice changes nothing
    assert AuditEntry.objects.filter(event="api.token_revoked").count() == 1
    assert client.get("/api/v1/me/", **bearer(raw)).status_code == 401


def test_org_admin_of_another_organisation_cannot_manage_tokens(
    make_user: Any, org: Organisation, other_org: Organisation
) -> None:
    outsider = make_user("org_admin", organisation=other_org)
    with pytest.raises(PermissionDenied):
        service_account_create(actor=outsider, organisation=org, name="x")
    account = service_account_create(actor=CONSOLE, organisation=org, name="x")
    with pytest.raises(PermissionDenied):
        api_token_create(actor=outsider, service_account=account, name="x")
    token, _raw = api_token_create(actor=CONSOLE, service_account=account, name="x")
    with pytest.raises(PermissionDenied):
        api_token_revoke(token, actor=outsider)
    assert ApiToken.objects.get(pk=token.pk).revoked_at is None
    assert AuditEntry.objects.filter(event="access.denied", actor_id=outsider.pk).count() == 3


def test_who_may_manage_tokens(make_user: Any, make_token: Any, org: Organisation, other_org: Organisation) -> None:
    account, _raw = make_token(org, "org_admin")
    token = ApiToken.objects.get(user=account)
    admin = make_user("org_admin")
    assert can(admin, "api.token.manage", org)
    assert can(admin, "api.token.manage", token)
    assert can(admin, "api.token.manage", account)
    assert not can(admin, "api.token.manage", other_org)
    assert not can(admin, "api.token.manage", admin)  # a person is not a service account
    assert not can(make_user("practitioner"), "api.token.manage", org)
    assert can(make_user("platform_admin", organisation=other_org), "api.token.manage", token)
    # a token never mints tokens, whatever roles its service account holds
    assert not can(account, "api.token.manage", org)
    assert not can(make_user(), "api.token.manage", None)


def test_token_list_scope(make_user: Any, make_token: Any, org: Organisation, other_org: Organisation) -> None:
    mine, _ = make_token(org)
    make_token(other_org)
    admin = make_user("org_admin")
    assert list(visible(admin, "api.token.manage", ApiToken.objects.all()).values_list("user", flat=True)) == [mine.pk]
    assert visible(make_user("platform_admin"), "api.token.manage", ApiToken.objects.all()).count() == 2
    assert not visible(make_user("practitioner"), "api.token.manage", ApiToken.objects.all()).exists()
    assert not visible(mine, "api.token.manage", ApiToken.objects.all()).exists()


def test_services_refuse_bad_input(make_user: Any, org: Organisation, make_org: Any) -> None:
    admin = make_user("org_admin")
    with pytest.raises(ValidationError):
        service_account_create(actor=admin, organisation=org, name="x", roles=["platform_admin"])
    with pytest.raises(ValidationError):
        service_account_create(actor=admin, organisation=org, name="x", roles=["wizard"])
    with pytest.raises(ValidationError):
        service_account_create(actor=admin, organisation=org, name="  ")
    account = service_account_create(actor=admin, organisation=org, name="x")
    for days in (0, 366):
        with pytest.raises(ValidationError):
            api_token_create(actor=admin, service_account=account, name="x", days=days)
    with pytest.raises(ValidationError):
        api_token_create(actor=CONSOLE, service_account=admin, name="x")  # a person gets no token
    assert not ApiToken.objects.exists()
    assert User.objects.filter(is_service_account=True).count() == 1


def test_command_creates_a_service_account_and_prints_the_token_once(client: Client, org: Organisation) -> None:
    out = StringIO()
    call_command(
        "create_api_token",
        "--organisation",
        "probation service",
        "--name",
        "Case sync",
        "--roles",
        "practitioner",
        stdout=out,
    )
    raw = out.getvalue().strip().splitlines()[-1]
    account = User.objects.get(is_service_account=True)
    assert account.organisation == org and account.role_set == {"practitioner"}
    me = client.get("/api/v1/me/", **bearer(raw)).json()
    assert me["username"] == account.username and me["roles"] == ["practitioner"]
    entry = AuditEntry.objects.get(event="api.token_created")
    assert entry.actor_id is None and entry.data["via"] == "console"
    out = StringIO()
    call_command("create_api_token", "--organisation", str(org.code), "--name", "Other", "--days", "7", stdout=out)
    assert User.objects.filter(is_service_account=True).count() == 2


def test_command_refuses_unknown_or_ambiguous_organisations_and_bad_roles(make_org: Any) -> None:
    make_org("Centre", country="XK")
    make_org("Centre", country="BA")
    with pytest.raises(CommandError):
        call_command("create_api_token", "--organisation", "Nowhere", "--name", "x", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "--organisation", "Centre", "--name", "x", stdout=StringIO())
    org = make_org("Unique")
    with pytest.raises(CommandError):
        call_command(
            "create_api_token",
            "--organisation",
            "Unique",
            "--name",
            "x",
            "--roles",
            "platform_admin",
            stdout=StringIO(),
        )
    with pytest.raises(CommandError):
        call_command(
            "create_api_token", "--organisation", str(org.code), "--name", "x", "--days", "0", stdout=StringIO()
        )
    assert not User.objects.filter(is_service_account=True).exists()  # nothing half-made
