"""A visitor's journey through the knowledge hub: search in Albanian, narrow by pillar, open a
practice, compare three countries, download a country PDF; axe checks each page."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from rightpath.knowledge.services import EntryData, entry_create

from .conftest import axe_check

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _publish(
    editor: Any, *, kind: str, country: str, pillar: str, title_sq: str, summary_sq: str, **fields: Any
) -> Any:
    return entry_create(
        actor=editor,
        status="published",
        data=EntryData(
            fields={"kind": kind, "original_language": "sq", "year": 2021, **fields},
            translations={"sq": {"title": title_sq, "summary": summary_sq}},
            countries=[country],
            pillars=[pillar],
            sources=[{"url": "https://example.org/source", "title": "Burimi"}],
        ),
    )


def _settled(page: Page) -> None:
    page.wait_for_function("!document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")


def test_visitor_searches_in_albanian_narrows_opens_compares_and_downloads(
    live_server: Any, page: Page, make_user: Any
) -> None:
    editor = make_user("editor")
    _publish(
        editor,
        kind="practice",
        country="XK",
        pillar="reintegration",
        title_sq="Mbështetja e familjeve të të kthyerve",
        summary_sq="Programi ndihmon familjet në komunë.",
        evidence_level="documented",
        evidence_basis="Përshkrim i programit.",
    )
    _publish(
        editor,
        kind="practice",
        country="AL",
        pillar="prison",
        title_sq="Këshillimi i familjeve në burg",
        summary_sq="Familjet takohen me psikologun.",
        evidence_level="emerging",
        evidence_basis="Vlerësim procesi 2022.",
    )
    _publish(
        editor,
        kind="policy",
        country="MK",
        pillar="coordination",
        title_sq="Strategjia kombëtare",
        summary_sq="Koordinimi ndërinstitucional.",
        policy_type="strategy",
        policy_status="in_force",
    )

    page.goto(f"{live_server.url}/knowledge/")
    axe_check(page, label="hub search page")
    results = page.locator("#search-results")
    # Typing updates the results as you go (htmx); wait for each update before the next step.
    page.get_by_label("Search", exact=True).fill("familjet")
    expect(results).to_contain_text("Mbështetja e familjeve")
    expect(results).to_contain_text("Këshillimi i familjeve")
    _settled(page)
    axe_check(page, label="search results")

    page.locator("#search-facets").get_by_label("Reintegration measures").check()
    expect(results).not_to_contain_text("Këshillimi i familjeve")
    expect(results).to_contain_text("Mbështetja e familjeve")
    _settled(page)

    results.get_by_role("link", name="Mbështetja e familjeve të të kthyerve").click()
    expect(page.locator("h1")).to_contain_text("Mbështetja e familjeve")
    expect(page.locator("main")).to_contain_text("Përshkrim i programit.")  # the evidence basis beside the rating
    axe_check(page, label="practice page")

    page.goto(f"{live_server.url}/knowledge/compare/")
    for name in ("Kosovo", "Albania", "North Macedonia"):
        page.get_by_label(name, exact=True).check()
    page.get_by_role("button", name="Compare").click()
    table = page.locator("main table").first
    for name in ("Kosovo", "Albania", "North Macedonia"):
        expect(table).to_contain_text(name)
    expect(table).to_contain_text("Gap")
    axe_check(page, label="comparison")

    page.goto(f"{live_server.url}/knowledge/countries/XK/")
    axe_check(page, label="country profile")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as PDF").click()
    download = download_info.value
    path = download.path()
    with open(path, "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
