"""Browser harness: one headless Debian chromium per test session, a fresh context per test, axe checks.

The sync Playwright API runs an event loop in this thread, so Django's "no ORM calls inside an event
loop" guard would refuse the test's own database work; tests only, hence the environment switch.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from conftest import PASSWORD

AXE_JS = Path(__file__).parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    pw = sync_playwright().start()
    try:
        b = pw.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"), args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()
    finally:
        pw.stop()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Factory for extra contexts (closed at the end of the test)."""
    made: list[BrowserContext] = []

    def make(**kwargs: Any) -> BrowserContext:
        kwargs.setdefault("viewport", {"width": 1280, "height": 800})
        kwargs.setdefault("locale", "en-GB")
        ctx = browser.new_context(**kwargs)
        ctx.set_default_timeout(10_000)
        made.append(ctx)
        return ctx

    yield make
    for ctx in made:
        ctx.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a fresh context. bypass_csp lets axe be injected; the CSP header is still sent,
    and test_csp.py checks the pages in a context that enforces it."""
    return new_context(bypass_csp=True).new_page()


def axe_check(page: Page, *, label: str = "") -> None:
    """Run axe (WCAG 2.0/2.1 A and AA rules) on the page; fail on serious or critical violations."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    result = page.evaluate(
        """async (tags) => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return r.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 10),
            }));
        }""",
        AXE_TAGS,
    )
    blocking = [v for v in result if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        where = label or page.url
        report = "\n".join(
            f"  {v['id']} ({v['impact']}): {v['help']}\n    {json.dumps(v['targets'])}" for v in blocking
        )
        print(f"axe violations on {where}:\n{report}")
        pytest.fail(f"axe found {len(blocking)} serious/critical violation(s) on {where}:\n{report}", pytrace=False)


# --- signing in ------------------------------------------------------------------------------------


def totp_token(device: TOTPDevice, *, offset: int = 0) -> str:
    """The code the user's authenticator app would show now (``offset`` steps away)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = totp.time + offset * device.step
    return f"{totp.token():0{device.digits}d}"


def totp_from_secret(secret: str) -> str:
    """The current code for a base32 key as shown on the enrolment page ("ABCD EFGH ...")."""
    text = secret.replace(" ", "").upper()
    key = base64.b32decode(text + "=" * (-len(text) % 8))
    return f"{TOTP(key).token():06d}"


def submit_login(page: Page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.locator("main").get_by_role("button", name="Sign in").click()


def sign_in_verified(page: Page, base_url: str, user: Any) -> None:
    """Sign in through the browser, with the second factor from the user's confirmed device."""
    submit_login(page, base_url, user.username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        expect(page).to_have_url(f"{base_url}/accounts/mfa/verify/?next=/")
        page.get_by_label("Code").fill(totp_token(device))
        page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
