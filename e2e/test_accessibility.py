"""axe (WCAG 2.1 A/AA) on the pages that exist so far, keyboard access, and phone width."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import axe_check, sign_in_verified, submit_login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

ANONYMOUS_PAGES = ["/", "/accounts/login/", "/accounts/password/reset/", "/accounts/password/reset/sent/"]


def test_anonymous_pages(live_server, page: Page) -> None:
    for path in ANONYMOUS_PAGES:
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page, label=path)


def test_not_found_page(live_server, page: Page) -> None:
    response = page.goto(f"{live_server.url}/no/such/page/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We cannot find that page")
    axe_check(page, label="404")


def test_login_form_errors(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("main").get_by_role("button", name="Sign in").click()
    expect(page.locator(".error-summary")).to_be_focused()
    axe_check(page, label="login (empty form)")


def test_user_without_personal_data_role(live_server, page: Page, make_user) -> None:
    """A trainer needs no second factor: password only, then straight to the start page."""
    user = make_user("trainer", username="trainer")
    sign_in_verified(page, live_server.url, user)
    axe_check(page, label="home (trainer)")
    page.goto(f"{live_server.url}/accounts/profile/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    axe_check(page, label="profile (trainer)")


def test_organisation_admin_pages(live_server, page: Page, org, make_user) -> None:
    admin = make_user("org_admin", username="admin")
    colleague = make_user("practitioner", username="colleague")
    sign_in_verified(page, live_server.url, admin)
    axe_check(page, label="home (org admin)")

    pages = {
        "/accounts/organisations/": "organisation list",
        f"/accounts/organisations/{org.code}/": "organisation users",
        f"/accounts/organisations/{org.code}/edit/": "organisation edit",
        f"/accounts/organisations/{org.code}/invite/": "invite",
        f"/accounts/users/{colleague.code}/": "user detail",
        f"/accounts/users/{colleague.code}/roles/": "user roles",
        "/accounts/profile/": "profile",
        "/accounts/password/change/": "password change",
    }
    for path, label in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        axe_check(page, label=label)

    page.goto(f"{live_server.url}/accounts/organisations/{org.code}/")
    expect(page.locator("main")).to_contain_text(colleague.get_full_name())


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/accounts/password/reset/", "/no/such/page/"])
def test_first_tab_reaches_skip_link(live_server, page: Page, path: str) -> None:
    page.goto(f"{live_server.url}{path}")
    assert page.evaluate("document.activeElement === document.body")
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("Skip to main content")
    expect(skip).to_be_in_viewport()  # shown on focus, hidden off-screen otherwise
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()
    # The next Tab continues inside the main content, past the header.
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")


def test_login_fits_a_phone(live_server, new_context: Callable[..., BrowserContext], make_user) -> None:
    ctx = new_context(bypass_csp=True, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_label("Username")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    axe_check(page, label="login (phone)")

    user = make_user("coordinator", username="phone")
    submit_login(page, live_server.url, user.username)
    expect(page).to_have_url(f"{live_server.url}/accounts/mfa/verify/?next=/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


def test_axe_harness_reports_violations(live_server, page: Page) -> None:
    """The harness is not vacuous: a broken page fails the check."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const main = document.querySelector('main');
            main.insertAdjacentHTML('beforeend', '<img src="/static/img/favicon.svg"><input id="unlabelled">');
        }"""
    )
    with pytest.raises(pytest.fail.Exception) as failed:
        axe_check(page, label="broken on purpose")
    assert "image-alt" in str(failed.value) and "label" in str(failed.value)
