"""The pages work with the Content-Security-Policy enforced: no violations, the stylesheet applies."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect

from .conftest import sign_in_verified

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _watch(page: Page) -> list[str]:
    problems: list[str] = []

    def on_console(msg: ConsoleMessage) -> None:
        if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
            problems.append(msg.text)

    page.on("console", on_console)
    page.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    return problems


def test_csp_header_sent_and_css_loads(live_server, page: Page) -> None:
    response = page.goto(f"{live_server.url}/accounts/login/")
    assert response is not None and response.status == 200
    csp = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in csp
    css = page.request.get(f"{live_server.url}/static/css/rightpath.css")
    assert css.status == 200 and "skip-link" in css.text()
    # The stylesheet applied: the skip link sits off-screen until focused.
    assert page.locator(".skip-link").evaluate("el => getComputedStyle(el).position") == "absolute"
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 79, 115)"


def test_no_csp_violations_on_login_and_home(
    live_server, new_context: Callable[..., BrowserContext], make_user
) -> None:
    user = make_user("coordinator")
    page = new_context().new_page()  # CSP enforced (no bypass)
    problems = _watch(page)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.locator(".site-header").evaluate("el => getComputedStyle(el).backgroundColor") == "rgb(29, 79, 115)"
    # The deferred scripts ran (htmx is loaded from our own origin).
    page.wait_for_function("typeof window.htmx !== 'undefined'")

    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("load")

    sign_in_verified(page, live_server.url, user)
    page.wait_for_function("typeof window.htmx !== 'undefined'")
    assert problems == [], problems
