"""Signing in with a second factor: enrolment, recovery codes, verification, lockout."""

from __future__ import annotations

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from rightpath.accounts.models import RecoveryCode

from .conftest import axe_check, submit_login, totp_from_secret, totp_token

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_enrol_then_sign_in_again_with_recovery_code(live_server, page: Page, make_org, make_user) -> None:
    base = live_server.url
    org = make_org("Kosovo Probation Service")
    user = make_user("coordinator", organisation=org, username="coord", mfa=False)
    user.first_name = "Arta"
    user.save(update_fields=["first_name"])
    assert not TOTPDevice.objects.filter(user=user).exists()

    # First sign-in: the coordinator's role needs a second factor, so enrolment comes first.
    page.goto(f"{base}/accounts/login/")
    axe_check(page, label="login")
    submit_login(page, base, "coord")
    expect(page).to_have_url(f"{base}/accounts/mfa/setup/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your second factor")
    expect(page.locator("figure.qr svg")).to_be_visible()
    axe_check(page, label="mfa setup")

    secret = page.get_by_test_id("totp-secret").inner_text()
    code = totp_from_secret(secret)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert code == totp_token(device)  # the page shows the key the server holds
    page.get_by_label("Code from the app").fill(code)
    page.get_by_role("button", name="Confirm").click()

    codes = page.get_by_test_id("recovery-codes").locator("li")
    expect(codes).to_have_count(10)
    expect(page.get_by_text("Your second factor is set up.")).to_be_visible()
    axe_check(page, label="recovery codes")
    recovery = [c.strip() for c in codes.all_inner_texts()]
    assert len(set(recovery)) == 10
    device.refresh_from_db()
    assert device.confirmed

    page.get_by_role("link", name="I have saved them, continue").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Arta")
    axe_check(page, label="home (signed in)")

    page.get_by_role("button", name="Sign out").click()
    expect(page.locator("header").get_by_role("link", name="Sign in")).to_be_visible()

    # Second sign-in: the enrolled device must be verified.
    submit_login(page, base, "coord")
    expect(page).to_have_url(f"{base}/accounts/mfa/verify/?next=/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    axe_check(page, label="mfa verify")

    valid_now = {totp_token(device, offset=o) for o in (-1, 0, 1)}
    wrong = next(c for c in ("123456", "654321", "111111") if c not in valid_now)
    page.get_by_label("Code").fill(wrong)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/accounts/mfa/verify/?next=/")
    expect(page.locator(".error-summary")).to_contain_text("That code is not right.")
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page, label="mfa verify (error)")

    # The TOTP code used for enrolment cannot be replayed in the same step; a recovery code works once.
    page.get_by_label("Code").fill(recovery[0].upper())
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Arta")
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1


def test_five_wrong_passwords_show_the_lockout_page(live_server, page: Page, make_user) -> None:
    base = live_server.url
    make_user("coordinator", username="victim")
    for _attempt in range(4):
        submit_login(page, base, "victim", "wrong-password")
        expect(page.locator(".error-summary")).to_contain_text("The username or password is not correct.")

    with page.expect_response(
        lambda r: r.url.startswith(f"{base}/accounts/login/") and r.request.method == "POST"
    ) as info:
        submit_login(page, base, "victim", "wrong-password")
    assert info.value.status == 429
    expect(page.get_by_role("heading", level=1)).to_have_text("Too many failed sign-in attempts")
    axe_check(page, label="lockout")

    # Even the right password is refused now.
    with page.expect_response(
        lambda r: r.url.startswith(f"{base}/accounts/login/") and r.request.method == "POST"
    ) as info:
        submit_login(page, base, "victim")
    assert info.value.status == 429
