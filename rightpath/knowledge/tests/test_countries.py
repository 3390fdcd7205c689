"""Country profiles (page and PDF) and the side-by-side comparison: published knowledge only,
pillar by pillar, with figures "as of" their year and their source, and visible gaps."""

from __future__ import annotations

import contextlib
import re
import zlib
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rightpath.accounts.roles import Role
from rightpath.knowledge import printing
from rightpath.knowledge.models import Entry
from rightpath.knowledge.services import EntryData, entry_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user: Any) -> Any:
    return make_user(Role.EDITOR, username="editor")


def make_entry(
    actor: Any,
    title: str,
    *,
    kind: str = "practice",
    countries: tuple[str, ...] = ("XK",),
    pillars: tuple[str, ...] = ("prison",),
    status: str = "published",
    language: str = "en",
    translations: dict[str, dict[str, str]] | None = None,
    sources: list[dict[str, Any]] | None = None,
    **fields: Any,
) -> Entry:
    return entry_create(
        actor=actor,
        data=EntryData(
            fields={"kind": kind, "original_language": language, **fields},
            translations=translations or {language: {"title": title, "summary": f"About {title}."}},
            countries=list(countries),
            pillars=list(pillars),
            sources=sources or [],
        ),
        status=status,
    )


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's objects with their compressed streams inflated (metadata, pages, links)."""
    parts = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(match.group(1)))
    return b"\n".join(parts)


def pdf_titles(pdf: bytes) -> list[str]:
    """The document title (metadata) and the bookmark titles (headings) of a PDF."""
    return [
        literal.decode("latin-1") if literal else bytes.fromhex(hexa.decode()).decode("utf-16-be")
        for literal, hexa in re.findall(rb"/Title (?:\((.*?)\)|<feff([0-9a-f]*)>)", pdf_objects(pdf))
    ]


def section(html: str, anchor: str) -> str:
    """The HTML of the <section> whose heading has id ``anchor``."""
    match = re.search(rf'<section aria-labelledby="{anchor}">(.*?)</section>', html, re.S)
    assert match, f"no section {anchor}"
    return match.group(1)


# --- the profile ----------------------------------------------------------------------------------------


def test_profile_lists_only_published_entries_under_their_pillars(client: Client, editor: Any) -> None:
    make_entry(
        editor,
        "Prison mentoring",
        pillars=("prison",),
        year=2021,
        evidence_level="promising",
        evidence_basis="Two pre/post studies.",
    )
    make_entry(
        editor, "Coordination law", kind="policy", pillars=("coordination",), policy_status="in_force", year=2019
    )
    make_entry(editor, "Probation hub", kind="institution", pillars=("probation", "reintegration"))
    make_entry(editor, "Draft protocol", kind="policy", pillars=("prison",), status="draft")
    make_entry(editor, "Archived practice", pillars=("prison",), status="archived")
    make_entry(editor, "Bosnian practice", countries=("BA",), pillars=("prison",))

    response = client.get("/knowledge/countries/XK/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Kosovo</h1>" in html
    prison = section(html, "pillar-prison")
    assert "Prison mentoring" in prison and "2021" in prison and "Promising" in prison
    assert "Coordination law" in section(html, "pillar-coordination")
    assert "In force" in section(html, "pillar-coordination")
    assert "Probation hub" in section(html, "pillar-probation")
    assert "Probation hub" in section(html, "pillar-reintegration")
    assert "Gap" in section(html, "pillar-vulnerable")
    for hidden in ("Draft protocol", "Archived practice", "Bosnian practice"):
        assert hidden not in html


def test_profile_links_each_entry_to_its_page(client: Client, editor: Any) -> None:
    entry = make_entry(editor, "Prison mentoring")
    html = client.get("/knowledge/countries/XK/").content.decode()
    assert f'href="/knowledge/entries/{entry.code}/"' in html


def test_editors_see_no_drafts_on_the_public_profile(client_for: Any, editor: Any) -> None:
    make_entry(editor, "Draft protocol", kind="policy", status="draft")
    html = client_for(editor).get("/knowledge/countries/XK/").content.decode()
    assert "Draft protocol" not in html


def test_figure_is_shown_with_its_year_as_as_of_and_its_source(client: Client, editor: Any) -> None:
    make_entry(
        editor,
        "Returnees from Syria and Iraq",
        kind="figure",
        pillars=(),
        value="110",
        as_of=2019,
        sources=[{"url": "https://example.org/returnees", "title": "Ministry report", "accessed_on": date(2024, 3, 1)}],
    )
    html = client.get("/knowledge/countries/XK/").content.decode()
    figures = section(html, "figures")
    assert "Returnees from Syria and Iraq" in figures
    assert "110" in figures
    assert "as of 2019" in figures
    assert '<a href="https://example.org/returnees" rel="noopener noreferrer">Ministry report</a>' in figures


def test_regional_entries_are_listed_apart_from_national_ones(client: Client, editor: Any) -> None:
    make_entry(editor, "Western Balkans exit network", countries=("XK", "BA", "AL"), pillars=("reintegration",))
    html = client.get("/knowledge/countries/XK/").content.decode()
    assert "Western Balkans exit network" in section(html, "regional")
    assert "Western Balkans exit network" not in section(html, "pillar-reintegration")


def test_profile_text_is_in_the_readers_language_with_serbian_in_their_script(client: Client, editor: Any) -> None:
    make_entry(
        editor,
        "Mentoring",
        translations={"en": {"title": "Mentoring in prison"}, "sq": {"title": "Mentorim në burg"}},
    )
    make_entry(
        editor, "Program", language="sr", translations={"sr": {"title": "Program podrške"}}, pillars=("probation",)
    )

    albanian = client.get("/knowledge/countries/XK/", HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "Mentorim në burg" in albanian
    serbian = client.get("/knowledge/countries/XK/", HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    assert "Програм подршке" in serbian
    assert "Mentoring in prison" in serbian  # no Serbian text: the original, marked with its language
    assert "EN</span>" in serbian


def test_unknown_country_is_not_found(client: Client) -> None:
    assert client.get("/knowledge/countries/ZZ/").status_code == 404
    assert client.get("/knowledge/countries/ZZ/pdf/").status_code == 404


def test_country_code_is_accepted_in_any_case(client: Client) -> None:
    assert client.get("/knowledge/countries/xk/").status_code == 200


def test_country_list_counts_published_entries_per_pillar(client: Client, editor: Any) -> None:
    make_entry(editor, "A", pillars=("prison", "probation"))
    make_entry(editor, "B", pillars=("prison",))
    make_entry(editor, "C", pillars=("prison",), status="draft")
    make_entry(
        editor,
        "Figure",
        kind="figure",
        pillars=("prison",),
        value="3",
        as_of=2020,
        sources=[{"url": "https://example.org/f"}],
    )

    response = client.get("/knowledge/countries/")

    assert response.status_code == 200
    kosovo = next(c for c in response.context["countries"] if c["code"] == "XK")
    assert kosovo["counts"] == [0, 0, 2, 1, 0, 0]
    assert kosovo["total"] == 2
    assert "/knowledge/countries/XK/" in response.content.decode()


# --- the PDF ----------------------------------------------------------------------------------------------


@pytest.fixture
def fetched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every address WeasyPrint asks for while rendering."""
    urls: list[str] = []
    real = printing.LocalStaticFetcher.fetch

    def spy(self: printing.LocalStaticFetcher, url: str, headers: Any = None) -> Any:
        urls.append(url)
        return real(self, url, headers)

    monkeypatch.setattr(printing.LocalStaticFetcher, "fetch", spy)
    return urls


def test_profile_pdf_is_an_a4_pdf_with_the_country_and_only_local_resources(
    client: Client, editor: Any, fetched: list[str]
) -> None:
    make_entry(
        editor,
        "Prison mentoring",
        # Markup in content is text: it must never make the server fetch anything.
        translations={
            "en": {
                "title": "Prison mentoring",
                "summary": '<img src="https://evil.example/x.png"><link rel="stylesheet" href="http://evil.example/a.css">',
            }
        },
        sources=[{"url": "https://example.org/source", "title": "Report"}],
    )

    response = client.get("/knowledge/countries/XK/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="rightpath-xk-')
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 5000
    assert "Kosovo: DRR country profile" in pdf_titles(pdf)
    objects = pdf_objects(pdf)
    assert b"/MediaBox [0 0 595.275591 841.889764]" in objects  # A4 pages
    assert b"/URI (https://example.org/source)" in objects  # the source, as a link
    assert b"evil.example" not in objects
    assert fetched == ["http://testserver/static/knowledge/print.css"]


def test_profile_pdf_is_rendered_in_the_readers_language(client: Client, editor: Any) -> None:
    response = client.get("/knowledge/countries/MK/pdf/", HTTP_ACCEPT_LANGUAGE="mk")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "Северна Македонија" in pdf_titles(response.content)  # its heading


def test_pdf_fetcher_serves_static_files_and_refuses_everything_else() -> None:
    fetcher = printing.LocalStaticFetcher("http://testserver/")
    assert fetcher.local_path("http://testserver/static/knowledge/print.css") is not None
    for url in (
        "https://example.org/static/knowledge/print.css",
        "http://evil.example/x.png",
        "http://testserver/knowledge/countries/XK/",
        "http://testserver/static/../settings.py",
        "http://testserver/static/knowledge/%2e%2e/%2e%2e/manage.py",
        "file:///etc/passwd",
        "data:text/css,body{}",
    ):
        assert fetcher.local_path(url) is None, url
        with pytest.raises(printing.RefusedURL):
            fetcher.fetch(url)
    response = fetcher.fetch("http://testserver/static/knowledge/print.css")
    assert response.content_type == "text/css"
    assert b"@page" in response.read()


# --- comparing countries ------------------------------------------------------------------------------------


def test_comparing_three_countries_marks_every_gap(client: Client, editor: Any) -> None:
    make_entry(editor, "Kosovo prison practice", countries=("XK",), pillars=("prison",))
    make_entry(editor, "Bosnian coordination law", kind="policy", countries=("BA",), pillars=("coordination",))
    make_entry(editor, "Regional reintegration", countries=("XK", "BA"), pillars=("reintegration",))
    make_entry(editor, "Macedonian draft", countries=("MK",), pillars=("prison",), status="draft")

    response = client.get("/knowledge/compare/?c=XK&c=BA&c=MK")

    assert response.status_code == 200
    html = response.content.decode()
    comparison = response.context["comparison"]
    assert [c["code"] for c in comparison.countries] == ["XK", "BA", "MK"]
    gaps = {(row.pillar, cell.country) for row in comparison.rows for cell in row.cells if cell.is_gap}
    assert len(gaps) == 18 - 4
    assert ("prison", "XK") not in gaps and ("coordination", "BA") not in gaps
    assert ("reintegration", "XK") not in gaps and ("reintegration", "BA") not in gaps
    assert {p for p, c in gaps if c == "MK"} == {
        "coordination",
        "risk_assessment",
        "prison",
        "probation",
        "reintegration",
        "vulnerable",
    }
    # Each gap is said in words, not by colour alone.
    assert html.count('<span class="gap">Gap</span> nothing published') == 14
    assert html.count('class="is-gap"') == 14
    assert "Macedonian draft" not in html
    assert "Kosovo prison practice" in html and "Regional reintegration" in html
    assert '<div class="table-wrap"' in html


@pytest.mark.parametrize(
    "query,message",
    [
        ("c=XK", "Choose at least two different countries to compare."),
        ("c=XK&c=xk", "Choose at least two different countries to compare."),
        ("c=XK&c=BA&c=MK&c=AL&c=RS&c=ME&c=HR", "You chose 7 countries; compare at most 6 at a time."),
        ("c=XK&c=ZZ", "“ZZ” is not a country code we know."),
        ("c=", "Choose between two and six countries."),
    ],
)
def test_a_wrong_choice_of_countries_is_explained(client: Client, query: str, message: str) -> None:
    response = client.get(f"/knowledge/compare/?{query}")
    assert response.status_code == 200
    assert message in response.content.decode()
    assert response.context["comparison"] is None


def test_compare_page_opens_with_a_form_and_can_tick_a_country(client: Client) -> None:
    response = client.get("/knowledge/compare/?with=XK")
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" not in html
    assert re.search(r'<input type="checkbox" name="c" value="XK"[^>]*checked', html)


# --- query budgets -------------------------------------------------------------------------------------------


def _many(editor: Any, n: int) -> None:
    for i in range(n):
        make_entry(
            editor,
            f"Practice {i}",
            countries=("XK", "BA") if i % 3 == 0 else ("XK",),
            pillars=("prison", "probation") if i % 2 else ("coordination",),
            sources=[{"url": f"https://example.org/{i}", "title": f"Source {i}"}],
            translations={"en": {"title": f"Practice {i}"}, "sq": {"title": f"Praktika {i}"}},
        )
    for i in range(n // 3):
        make_entry(
            editor,
            f"Figure {i}",
            kind="figure",
            pillars=(),
            value=str(i),
            as_of=2020,
            sources=[{"url": f"https://example.org/figure/{i}"}],
        )


def test_profile_and_compare_run_a_fixed_number_of_queries(
    client: Client, editor: Any, django_assert_num_queries: Any
) -> None:
    _many(editor, 4)
    with CaptureQueriesContext(connection) as small_profile:
        client.get("/knowledge/countries/XK/")
    with CaptureQueriesContext(connection) as small_compare:
        client.get("/knowledge/compare/?c=XK&c=BA&c=AL")
    _many(editor, 30)

    # Entries, translations, countries, pillars, sources.
    with django_assert_num_queries(5):
        response = client.get("/knowledge/countries/XK/")
    assert response.status_code == 200
    assert len(small_profile.captured_queries) == 5
    # Entries, translations, countries, pillars.
    with django_assert_num_queries(4):
        response = client.get("/knowledge/compare/?c=XK&c=BA&c=AL")
    assert response.status_code == 200
    assert len(small_compare.captured_queries) == 4
    # Per pillar and in all.
    with django_assert_num_queries(2):
        client.get("/knowledge/countries/")
