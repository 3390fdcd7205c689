"""Organisations and their users: who may invite, deactivate, change roles and edit what."""

from __future__ import annotations

import re
from typing import Any

from django.core import mail
from django.test import Client

from rightpath.accounts.models import Invitation, Organisation, User
from rightpath.audit.models import AuditEntry


def test_org_admin_invites_a_user_who_accepts_with_the_invited_roles(
    client_for: Any, make_user: Any, org: Organisation, django_capture_on_commit_callbacks: Any
) -> None:
    admin = make_user("org_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(admin).post(
            f"/accounts/organisations/{org.code}/invite/",
            {"first_name": "Ana", "last_name": "Marku", "email": "Ana.Marku@example.org", "roles": ["practitioner"]},
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["ana.marku@example.org"]
    path = re.search(r"(/accounts/invitation/[^/\s]+/)", mail.outbox[0].body).group(1)
    token = path.split("/")[-2]
    assert not Invitation.objects.filter(token_hash=token).exists()  # only a hash is stored
    anon = Client()
    form = anon.get(path)
    assert form.status_code == 200 and "Ana" in form.content.decode()
    done = anon.post(
        path,
        {"username": "ana.marku", "new_password1": "a-long-enough-pass-77", "new_password2": "a-long-enough-pass-77"},
    )
    assert done.status_code == 302
    user = User.objects.get(username="ana.marku")
    assert user.organisation == org and user.role_set == {"practitioner"}
    assert anon.get(path).status_code == 404  # used once
    assert AuditEntry.objects.filter(event="accounts.user_invited").exists()


def test_invitation_to_an_existing_address_is_refused_with_a_clear_message(
    client_for: Any, make_user: Any, org: Organisation
) -> None:
    admin = make_user("org_admin")
    existing = make_user("editor")
    response = client_for(admin).post(
        f"/accounts/organisations/{org.code}/invite/",
        {"first_name": "X", "last_name": "Y", "email": existing.email.upper(), "roles": []},
    )
    assert response.status_code == 200
    assert "already exists" in response.content.decode()
    assert not Invitation.objects.exists() and mail.outbox == []


def test_org_admin_cannot_grant_platform_admin(client_for: Any, make_user: Any, org: Organisation) -> None:
    admin = make_user("org_admin")
    response = client_for(admin).post(
        f"/accounts/organisations/{org.code}/invite/",
        {"first_name": "X", "last_name": "Y", "email": "x@example.org", "roles": ["platform_admin"]},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()


def test_org_admin_of_another_organisation_cannot_see_or_invite(
    client_for: Any, make_user: Any, org: Organisation, other_org: Organisation
) -> None:
    outsider = make_user("org_admin", organisation=other_org)
    client = client_for(outsider)
    assert client.get(f"/accounts/organisations/{org.code}/").status_code == 403
    assert (
        client.post(
            f"/accounts/organisations/{org.code}/invite/",
            {"first_name": "X", "last_name": "Y", "email": "x@example.org"},
        ).status_code
        == 403
    )
    member = make_user("practitioner")
    assert client.get(f"/accounts/users/{member.code}/").status_code == 404  # not yours: not found
    assert not Invitation.objects.exists()


def test_org_admin_deactivates_after_confirming_and_the_user_is_signed_out(client_for: Any, make_user: Any) -> None:
    admin = make_user("org_admin")
    member = make_user("editor")
    member_client = client_for(member)
    assert member_client.get("/accounts/profile/").status_code == 200
    admin_client = client_for(admin)
    confirm = admin_client.get(f"/accounts/users/{member.code}/active/")
    assert confirm.status_code == 200 and "Deactivate" in confirm.content.decode()
    member.refresh_from_db()
    assert member.is_active  # asking changes nothing
    assert admin_client.post(f"/accounts/users/{member.code}/active/").status_code == 302
    member.refresh_from_db()
    assert not member.is_active and member.deactivated_at is not None
    assert member_client.get("/accounts/profile/").status_code == 302  # session no longer works
    admin_client.post(f"/accounts/users/{member.code}/active/")  # undo
    member.refresh_from_db()
    assert member.is_active
    assert AuditEntry.objects.filter(event__in=["accounts.user_deactivated", "accounts.user_reactivated"]).count() == 2


def test_admin_cannot_deactivate_or_change_themself(client_for: Any, make_user: Any) -> None:
    admin = make_user("org_admin")
    client = client_for(admin)
    assert client.post(f"/accounts/users/{admin.code}/active/").status_code == 403
    assert client.post(f"/accounts/users/{admin.code}/roles/", {"roles": ["platform_admin"]}).status_code == 403
    admin.refresh_from_db()
    assert admin.is_active and admin.role_set == {"org_admin"}


def test_org_admin_changes_roles_and_the_change_is_audited(client_for: Any, make_user: Any) -> None:
    admin = make_user("org_admin")
    member = make_user("editor")
    response = client_for(admin).post(f"/accounts/users/{member.code}/roles/", {"roles": ["reviewer", "trainer"]})
    assert response.status_code == 302
    member = User.objects.get(pk=member.pk)
    assert member.role_set == {"reviewer", "trainer"}
    entry = AuditEntry.objects.get(event="accounts.roles_changed")
    assert entry.data == {"before": ["editor"], "after": ["reviewer", "trainer"]}


def test_second_admin_resets_a_lost_second_factor(client_for: Any, make_user: Any) -> None:
    admin = make_user("org_admin")
    member = make_user("coordinator")
    assert member.totpdevice_set.exists()
    client_for(admin).post(f"/accounts/users/{member.code}/reset-mfa/")
    assert not member.totpdevice_set.exists()
    assert AuditEntry.objects.filter(event="auth.mfa_reset", target_id=str(member.code)).exists()


def test_staff_list_is_scoped_paginated_and_its_read_audited(
    client_for: Any, make_user: Any, org: Organisation, other_org: Organisation, django_assert_num_queries: Any
) -> None:
    admin = make_user("org_admin")
    for i in range(30):
        make_user("practitioner", "coordinator", mfa=False, username=f"staff{i:02d}")
    make_user("practitioner", organisation=other_org, username="elsewhere")
    client = client_for(admin)
    client.get(f"/accounts/organisations/{org.code}/")  # warm the session
    with django_assert_num_queries(10):
        response = client.get(f"/accounts/organisations/{org.code}/?sort=username")
    names = [u.username for u in response.context["object_list"]]
    assert len(names) == 25 and "elsewhere" not in names and names == sorted(names)
    page2 = client.get(f"/accounts/organisations/{org.code}/?sort=username&page=2")
    assert len(page2.context["object_list"]) == 6
    assert AuditEntry.objects.filter(event="data.read", target_id=str(org.code)).exists()


def test_platform_admin_registers_an_organisation(client_for: Any, make_user: Any) -> None:
    platform = make_user("platform_admin")
    response = client_for(platform).post(
        "/accounts/organisations/new/",
        {
            "name": "Centre for Social Work Tetovo",
            "type": "social_work",
            "level": "municipal",
            "country": "MK",
            "municipality": "Tetovo",
            "data_regime": "general",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = Organisation.objects.get(name="Centre for Social Work Tetovo")
    assert created.municipality == "Tetovo" and created.level == "municipal"


def test_bad_organisation_input_is_refused_and_changes_nothing(client_for: Any, make_user: Any) -> None:
    platform = make_user("platform_admin")
    response = client_for(platform).post(
        "/accounts/organisations/new/", {"name": "", "type": "bakery", "country": "ZZ"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"name", "type", "country"}
    assert Organisation.objects.count() == 1  # only the fixture's organisation


def test_concurrent_edit_of_an_organisation_is_detected(client_for: Any, make_user: Any, org: Organisation) -> None:
    admin = make_user("org_admin")
    client = client_for(admin)
    data = {
        "name": org.name,
        "type": org.type,
        "level": org.level,
        "country": org.country,
        "municipality": "",
        "data_regime": org.data_regime,
        "is_active": "on",
        "version": org.version,
    }
    first = client.post(f"/accounts/organisations/{org.code}/edit/", {**data, "municipality": "Prizren"})
    assert first.status_code == 302, first.context["form"].errors if first.context else first
    stale = client.post(f"/accounts/organisations/{org.code}/edit/", {**data, "municipality": "Pejë"})
    assert stale.status_code == 200
    assert "Someone else saved" in stale.content.decode()
    assert stale.context["conflict"].municipality == "Prizren"
    org.refresh_from_db()
    assert org.municipality == "Prizren"


def test_platform_admin_reads_no_case_content_by_role(make_user: Any) -> None:
    from rightpath.access.policy import can

    platform = make_user("platform_admin")
    assert not can(platform, "audit.entry.list")
    assert can(platform, "accounts.organisation.create")


def test_a_refused_service_call_leaves_its_denial_in_the_audit_log(make_user: Any) -> None:
    import pytest
    from django.core.exceptions import PermissionDenied

    from rightpath.accounts import services

    practitioner = make_user("practitioner")
    with pytest.raises(PermissionDenied):
        services.organisation_create(actor=practitioner, name="Sneaky", type="ngo", country="XK")
    denial = AuditEntry.objects.get(event="access.denied", actor_id=practitioner.pk)
    assert denial.data["action"] == "accounts.organisation.create"
    assert not Organisation.objects.filter(name="Sneaky").exists()
