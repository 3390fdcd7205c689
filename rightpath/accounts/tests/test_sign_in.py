"""Signing in: second factor enforcement, throttling, session expiry, password reset."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD
from rightpath.accounts import services
from rightpath.audit.models import AuditEntry


def _login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/login/", {"username": username, "password": password})


def _code(device: TOTPDevice, offset: int = 0) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + offset
    return f"{totp.token():06d}"


def test_user_whose_roles_see_personal_data_must_enrol_a_second_factor(client: Client, make_user: Any) -> None:
    user = make_user("coordinator", mfa=False)
    _login(client, user.username)
    response = client.get("/accounts/organisations/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/mfa/setup/"


def test_enrolment_shows_a_locally_rendered_qr_code_and_gives_recovery_codes(client: Client, make_user: Any) -> None:
    user = make_user("coordinator", mfa=False)
    _login(client, user.username)
    page = client.get("/accounts/mfa/setup/")
    assert page.status_code == 200
    assert b"<svg" in page.content  # rendered here, never by a third-party service
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/mfa/setup/", {"code": _code(device)})
    assert done.status_code == 200
    assert len(done.context["codes"]) == 10
    assert client.get("/accounts/organisations/").status_code == 200
    assert AuditEntry.objects.filter(event="auth.mfa_enrolled", actor_id=user.pk).exists()


def test_wrong_enrolment_code_is_refused_with_a_clear_message(client: Client, make_user: Any) -> None:
    user = make_user("coordinator", mfa=False)
    _login(client, user.username)
    client.get("/accounts/mfa/setup/")
    response = client.post("/accounts/mfa/setup/", {"code": "000000"})
    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_enrolled_user_verifies_after_password(client: Client, make_user: Any) -> None:
    user = make_user("coordinator")
    device = TOTPDevice.objects.get(user=user)
    _login(client, user.username)
    assert client.get("/accounts/organisations/")["Location"].startswith("/accounts/mfa/verify/")
    assert client.post("/accounts/mfa/verify/", {"code": "123456"}).status_code == 200  # wrong: stays
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # repeated guesses slow down
    device.throttle_reset()
    ok = client.post("/accounts/mfa/verify/", {"code": _code(device), "next": "/accounts/organisations/"})
    assert ok.status_code == 302 and ok["Location"] == "/accounts/organisations/"
    assert AuditEntry.objects.filter(event="auth.mfa_failed", actor_id=user.pk).exists()


def test_session_key_rotates_at_sign_in_and_at_second_factor(client: Client, make_user: Any) -> None:
    user = make_user("coordinator")
    device = TOTPDevice.objects.get(user=user)
    client.get("/accounts/login/")
    _login(client, user.username)
    after_password = client.session.session_key
    client.post("/accounts/mfa/verify/", {"code": _code(device)})
    assert client.session.session_key != after_password


def test_recovery_code_works_once(client: Client, make_user: Any) -> None:
    user = make_user("coordinator")
    codes = services.recovery_codes_regenerate(user)
    _login(client, user.username)
    assert client.post("/accounts/mfa/verify/", {"code": codes[0].upper()}).status_code == 302
    client.post("/accounts/logout/")
    _login(client, user.username)
    again = client.post("/accounts/mfa/verify/", {"code": codes[0]})
    assert again.status_code == 200  # refused the second time


def test_recovery_codes_are_stored_hashed(make_user: Any) -> None:
    user = make_user("coordinator")
    codes = services.recovery_codes_regenerate(user)
    stored = list(user.recovery_codes.values_list("code_hash", flat=True))
    assert all(code not in stored and code.replace("-", "") not in stored for code in codes)


def test_user_without_personal_data_roles_is_not_forced_to_enrol(client: Client, make_user: Any) -> None:
    user = make_user("editor")
    _login(client, user.username)
    assert client.get("/accounts/profile/").status_code == 200


def test_repeated_wrong_passwords_lock_the_account_with_a_clear_message(
    client: Client, make_user: Any, settings: Any
) -> None:
    user = make_user("editor")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, user.username, "wrong-password-123")
    locked = _login(client, user.username)  # even the right password is refused while locked
    assert locked.status_code == 429
    assert "Too many failed sign-in attempts" in locked.content.decode()
    assert AuditEntry.objects.filter(event="auth.login_failed").count() >= settings.AXES_FAILURE_LIMIT


def test_lockout_does_not_reveal_whether_the_account_exists(client: Client, db: Any, settings: Any) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _login(client, "nobody-by-this-name", "wrong-password-123")
    assert _login(client, "nobody-by-this-name").status_code == 429


def test_failed_sign_in_message_is_specific_and_audited(client: Client, make_user: Any) -> None:
    user = make_user("editor")
    response = _login(client, user.username, "wrong-password-123")
    assert response.status_code == 200
    assert "username or password is not correct" in response.content.decode()
    entry = AuditEntry.objects.get(event="auth.login_failed")
    assert entry.data == {"username": user.username}
    assert entry.address == "127.0.0.1"


def test_session_expires_after_inactivity(client: Client, make_user: Any, settings: Any) -> None:
    user = make_user("editor")
    _login(client, user.username)
    assert client.get("/accounts/profile/").status_code == 200
    session = client.session
    session["last_seen"] = int(time.time()) - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get("/accounts/profile/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/profile/").status_code == 302


def test_logout_needs_post_and_ends_the_session(client: Client, make_user: Any) -> None:
    user = make_user("editor")
    _login(client, user.username)
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert client.get("/accounts/profile/").status_code == 302


def test_password_reset_goes_by_queued_email_and_answers_the_same_for_unknown_addresses(
    client: Client, make_user: Any
) -> None:
    user = make_user("editor")
    known = client.post("/accounts/password/reset/", {"email": user.email})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    link = next(line for line in body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    form = client.get("/" + path, follow=True)
    assert form.status_code == 200 and form.context["validlink"]
    new = "a-brand-new-passphrase-42"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(new)


@pytest.mark.parametrize("password", ["short", "password1234", "123456789012"])
def test_weak_passwords_are_refused(client: Client, make_user: Any, password: str) -> None:
    user = make_user("editor")
    _login(client, user.username)
    response = client.post(
        "/accounts/password/change/", {"old_password": PASSWORD, "new_password1": password, "new_password2": password}
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
