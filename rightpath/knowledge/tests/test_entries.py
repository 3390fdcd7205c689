"""The page of one hub entry: public once published, in the reader's language, with its evidence."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from rightpath.accounts.models import User
from rightpath.knowledge.models import Entry
from rightpath.knowledge.services import EntryData, entry_create

SERBIAN_CYRILLIC = "Програм реинтеграције у Београду"
SERBIAN_LATIN = "Program reintegracije u Beogradu"


@pytest.fixture
def editor(make_user: Any) -> User:
    return make_user("editor")


def practice(**overrides: Any) -> EntryData:
    """A practice with an evidence rating, in English, from Kosovo, on the prison pillar."""
    fields = {
        "kind": "practice",
        "original_language": "en",
        "organisation_name": "Kosovo Correctional Service",
        "period_start": 2019,
        "period_end": 2023,
        "evidence_level": "promising",
        "evidence_basis": "One quasi-experimental evaluation with 120 participants, 12-month follow-up.",
        **overrides.pop("fields", {}),
    }
    return EntryData(
        fields=fields,
        translations=overrides.pop(
            "translations",
            {"en": {"title": "Mentoring in prison", "summary": "Mentors meet inmates weekly.", "approach": "Weekly."}},
        ),
        countries=overrides.pop("countries", ["XK"]),
        pillars=overrides.pop("pillars", ["prison"]),
        target_groups=overrides.pop("target_groups", ["offenders"]),
        sources=overrides.pop(
            "sources",
            [{"url": "https://example.org/evaluation", "title": "Evaluation report", "accessed_on": date(2025, 3, 1)}],
        ),
    )


def reader(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def url(entry: Entry, query: str = "") -> str:
    return f"/knowledge/entries/{entry.code}/{query}"


def test_anyone_reads_a_published_practice_with_its_evidence_and_sources(editor: User) -> None:
    entry = entry_create(actor=editor, data=practice(), status="published")
    response = Client().get(url(entry))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Mentoring in prison" in page
    assert "Promising" in page and "comparison-group evaluation" in page  # the rating and what it means
    assert "One quasi-experimental evaluation with 120 participants" in page  # its basis beside it
    assert 'href="https://example.org/evaluation" rel="external noopener noreferrer"' in page
    assert "Kosovo" in page and "Prison-based DRR" in page and "Convicted violent extremist offenders" in page
    assert "2019–2023" in page


@pytest.mark.parametrize("status", ["draft", "in_review", "archived"])
def test_the_public_gets_404_for_an_unpublished_entry(editor: User, status: str) -> None:
    entry = entry_create(actor=editor, data=practice(), status=status)
    assert Client().get(url(entry)).status_code == 404


def test_a_signed_in_user_without_an_editing_role_gets_404_for_a_draft(
    editor: User, make_user: Any, client_for: Any
) -> None:
    entry = entry_create(actor=editor, data=practice())
    assert client_for(make_user("practitioner")).get(url(entry)).status_code == 404


def test_an_editor_reads_a_draft_and_sees_the_editing_tools(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice())
    response = client_for(editor).get(url(entry))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Draft" in page
    assert f"/knowledge/entries/{entry.code}/edit/" in page
    assert "Send for review" in page and ">Publish<" not in page  # an editor does not publish


def test_a_reader_in_albanian_sees_the_albanian_text(editor: User) -> None:
    data = practice()
    data.translations["sq"] = {"title": "Mentorimi në burg", "status": "translated"}
    entry = entry_create(actor=editor, data=data, status="published")
    page = reader("sq").get(url(entry)).content.decode()
    assert "Mentorimi në burg" in page
    assert "Mentoring in prison" not in page


def test_a_reader_in_bosnian_without_bosnian_text_sees_the_original_with_a_notice(editor: User) -> None:
    entry = entry_create(actor=editor, data=practice(), status="published")
    response = reader("bs").get(url(entry))
    page = response.content.decode()
    assert "Mentoring in prison" in page
    assert 'class="message message--info"' in page  # "no text in Bosanski yet; shown in English"
    assert "English" in page


def test_serbian_stored_in_cyrillic_is_shown_in_latin_to_a_latin_reader(editor: User) -> None:
    data = practice(fields={"original_language": "sr"}, translations={"sr": {"title": SERBIAN_CYRILLIC}})
    entry = entry_create(actor=editor, data=data, status="published")
    latin = reader("sr-latn").get(url(entry)).content.decode()
    assert SERBIAN_LATIN in latin and SERBIAN_CYRILLIC not in latin
    assert 'lang="sr-latn"' in latin
    cyrillic = reader("sr").get(url(entry)).content.decode()
    assert SERBIAN_CYRILLIC in cyrillic
    # An English reader sees the Serbian original as written, not transliterated into nonsense.
    assert SERBIAN_CYRILLIC in reader("en").get(url(entry)).content.decode()


def test_lang_parameter_reads_another_version_and_languages_are_listed(editor: User) -> None:
    data = practice()
    data.translations["sq"] = {"title": "Mentorimi në burg", "status": "machine"}
    entry = entry_create(actor=editor, data=data, status="published")
    page = Client().get(url(entry, "?lang=sq")).content.decode()
    assert "Mentorimi në burg" in page
    assert "translated by machine" in page
    assert 'href="?lang=en"' in page
    assert 'href="?lang=xx"' not in page
    # An unknown language falls back to the interface language.
    assert "Mentoring in prison" in Client().get(url(entry, "?lang=xx")).content.decode()


@pytest.mark.parametrize(
    ("level", "warning"),
    [("inconclusive", "too weak or mixed"), ("no_effect", "found no effect or harm")],
)
def test_inconclusive_and_no_effect_ratings_carry_a_warning(editor: User, level: str, warning: str) -> None:
    entry = entry_create(actor=editor, data=practice(fields={"evidence_level": level}), status="published")
    page = Client().get(url(entry)).content.decode()
    assert "Warning:" in page and warning in page


def test_a_promising_rating_carries_no_warning(editor: User) -> None:
    entry = entry_create(actor=editor, data=practice(), status="published")
    assert "Warning:" not in Client().get(url(entry)).content.decode()


def test_a_policy_shows_type_adopting_body_validity_and_status(editor: User) -> None:
    data = EntryData(
        fields={
            "kind": "policy",
            "original_language": "en",
            "policy_type": "strategy",
            "adopting_body": "Government of Montenegro",
            "year": 2020,
            "valid_from": date(2020, 1, 1),
            "valid_until": date(2024, 12, 31),
            "policy_status": "expired",
            "link": "https://example.org/strategy.pdf",
        },
        translations={"en": {"title": "Strategy for countering violent extremism"}},
        countries=["ME"],
        pillars=["coordination"],
    )
    entry = entry_create(actor=editor, data=data, status="published")
    page = Client().get(url(entry)).content.decode()
    assert "Strategy" in page and "Government of Montenegro" in page and "Expired" in page
    assert "2020" in page and "2024" in page
    assert 'href="https://example.org/strategy.pdf" rel="external noopener noreferrer"' in page


def test_a_figure_shows_its_value_as_of_year_and_source(editor: User) -> None:
    data = EntryData(
        fields={"kind": "figure", "original_language": "en", "value": "110", "as_of": 2023},
        translations={"en": {"title": "Returnees from Syria and Iraq"}},
        countries=["XK"],
        sources=[{"url": "https://example.org/returnees", "title": "Ministry report"}],
    )
    entry = entry_create(actor=editor, data=data, status="published")
    page = Client().get(url(entry)).content.decode()
    assert "<strong>110</strong>" in page and "as of 2023" in page and "Ministry report" in page


def test_html_in_content_is_shown_as_text_never_run(editor: User) -> None:
    data = practice(
        translations={"en": {"title": "<script>alert(1)</script>", "description": '<img src=x onerror="alert(2)">'}},
        fields={"evidence_basis": "<b>bold</b>", "place": "<i>x</i>"},
    )
    entry = entry_create(actor=editor, data=data, status="published")
    page = Client().get(url(entry)).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<img src=x" not in page and "<b>bold</b>" not in page and "<i>x</i>" not in page


def _rich(editor: User, n: int) -> Entry:
    data = practice(
        translations={
            lang: {"title": f"Title {lang}", "summary": "Summary"} for lang in ["en", "sq", "bs", "hr", "mk", "sr"][:n]
        },
        countries=["AL", "BA", "XK", "ME", "MK", "RS"][:n],
        pillars=["coordination", "risk_assessment", "prison", "probation", "reintegration", "vulnerable"][:n],
        target_groups=["returnees", "offenders", "women", "minors", "families", "at_risk"][:n],
        sources=[{"url": f"https://example.org/{i}", "title": f"Source {i}"} for i in range(n)],
    )
    return entry_create(actor=editor, data=data, status="published")


@pytest.mark.parametrize("size", [1, 6])
def test_entry_page_runs_a_fixed_number_of_queries(editor: User, size: int, django_assert_num_queries: Any) -> None:
    entry = _rich(editor, size)
    client = Client()
    # The entry, then its translations, countries, pillars, target groups and sources.
    with django_assert_num_queries(6):
        assert client.get(url(entry)).status_code == 200


@pytest.mark.parametrize("size", [1, 6])
def test_entry_page_for_an_editor_runs_a_fixed_number_of_queries(
    editor: User, client_for: Any, size: int, django_assert_num_queries: Any
) -> None:
    entry = _rich(editor, size)
    client = client_for(editor)
    # Session, user, second factor and roles; the entry and its five related lists; the session's
    # expiry update (three statements).
    with django_assert_num_queries(13):
        assert client.get(url(entry)).status_code == 200
