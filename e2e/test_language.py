"""Switching the interface language from the header, signed out."""

from __future__ import annotations

import pytest
from django.utils import translation
from playwright.sync_api import Page, expect

from .conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _in(language: str, text: str) -> str:
    """``text`` as the server renders it in ``language`` (English until the catalog translates it)."""
    with translation.override(language):
        return translation.gettext(text)


# (label in the select, html lang): each language is named in its own language and script.
STEPS = [("Shqip", "sq"), ("Српски", "sr"), ("Srpski (latinica)", "sr-latn")]


def test_language_switch_on_login_page(live_server, page: Page) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "en")
    select = page.locator("#language-select")
    expect(page.get_by_label("Language")).to_have_value("en")

    for name, code in STEPS:
        select.select_option(label=name)
        page.locator(".language-form button[type=submit]").click()
        expect(html).to_have_attribute("lang", code)
        expect(page).to_have_url(f"{live_server.url}/accounts/login/")
        # The select shows the chosen language, labelled in its own language and script.
        expect(select).to_have_value(code)
        expect(select.locator("option:checked")).to_have_text(name)
        expect(select.locator(f"option[value='{code}']")).to_have_attribute("lang", code)
        # Whatever the catalog holds is what the page shows (translations arrive later).
        expect(page.locator("label[for=language-select]")).to_have_text(_in(code, "Language"))
        expect(page.get_by_role("heading", level=1)).to_have_text(_in(code, "Sign in"))
        expect(page.locator(".language-form button[type=submit]")).to_have_text(_in(code, "Change"))
        expect(page.locator(".skip-link")).to_have_text(_in(code, "Skip to main content"))
        axe_check(page, label=f"login ({code})")

    # The choice persists in the language cookie across pages.
    page.goto(f"{live_server.url}/accounts/password/reset/")
    expect(html).to_have_attribute("lang", "sr-latn")
    expect(page.locator("#language-select")).to_have_value("sr-latn")

    # And back to English.
    page.locator("#language-select").select_option(label="English")
    page.locator(".language-form button[type=submit]").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/accounts/password/reset/")
