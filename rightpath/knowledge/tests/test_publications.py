"""DRIVE publications: versions, translations, publishing by reviewers, citations, PDFs, and the
read API for published practices, policies and publications."""

from __future__ import annotations

import contextlib
import re
import zlib
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from drf_spectacular.validation import validate_schema

from rightpath.accounts.roles import Role
from rightpath.audit import events
from rightpath.audit.models import AuditEntry
from rightpath.core.concurrency import ConcurrentEditError
from rightpath.knowledge import publications as services
from rightpath.knowledge import search
from rightpath.knowledge.models import Entry, Publication, PublicationVersion
from rightpath.knowledge.publications import PublicationData, TranslationData
from rightpath.knowledge.services import EntryData, entry_create

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def editor(make_user: Any) -> Any:
    return make_user(Role.EDITOR, username="editor")


@pytest.fixture
def reviewer(make_user: Any) -> Any:
    return make_user(Role.REVIEWER, username="reviewer")


def protocol_data(**overrides: Any) -> PublicationData:
    values: dict[str, Any] = {
        "type": "protocol",
        "title": "Hand-over protocol from prison to probation",
        "summary": "How a case passes from prison to probation without loss.",
        "authors": "Hoxha, A.; Kovač, M.",
        "publisher": "DRIVE consortium",
        "year": 2023,
        "original_language": "en",
        "pillars": ["prison", "probation"],
        "sections": [
            {"heading": "Purpose", "body": "First paragraph.\n\nSecond paragraph."},
            {"heading": "Steps", "body": "Six months before release, the prison informs probation."},
        ],
    }
    values.update(overrides)
    return PublicationData(**values)


def published(editor: Any, reviewer: Any, **overrides: Any) -> Publication:
    pub = services.publication_create(actor=editor, data=protocol_data(**overrides))
    return services.publication_publish(pub, actor=reviewer)


# --- versions ---------------------------------------------------------------------------------------------


def test_an_edit_leaves_the_published_version_unchanged_until_it_is_published_again(
    client: Client, editor: Any, reviewer: Any
) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    assert pub.status == "draft" and pub.published_version is None
    assert client.get(f"/knowledge/publications/{pub.code}/").status_code == 404

    pub = services.publication_publish(pub, actor=reviewer)
    assert (pub.status, pub.published_version) == ("published", 1)
    assert "Hand-over protocol" in client.get(f"/knowledge/publications/{pub.code}/").content.decode()

    version = services.publication_update(
        pub, actor=editor, data=protocol_data(title="Revised hand-over protocol"), expected_version=pub.version
    )
    assert version.number == 2
    pub.refresh_from_db()
    assert (pub.status, pub.published_version) == ("published", 1)
    html = client.get(f"/knowledge/publications/{pub.code}/").content.decode()
    assert "Revised" not in html and "Hand-over protocol from prison to probation" in html
    assert client.get(f"/knowledge/publications/{pub.code}/v/2/").status_code == 404  # not published yet
    assert PublicationVersion.objects.get(publication=pub, number=1).content["en"]["title"].startswith("Hand-over")

    services.publication_publish(pub, actor=reviewer)
    html = client.get(f"/knowledge/publications/{pub.code}/").content.decode()
    assert "Revised hand-over protocol" in html
    older = client.get(f"/knowledge/publications/{pub.code}/v/1/")
    assert older.status_code == 200
    assert "This is an older version." in older.content.decode()


def test_readers_never_open_a_draft_saved_between_two_publications(client: Client, editor: Any, reviewer: Any) -> None:
    pub = published(editor, reviewer)
    for title in ("Draft never published", "Second publication"):
        pub.refresh_from_db()
        services.publication_update(pub, actor=editor, data=protocol_data(title=title), expected_version=pub.version)
    pub.refresh_from_db()
    services.publication_publish(pub, actor=reviewer)  # publishes version 3; version 2 stays a draft
    assert client.get(f"/knowledge/publications/{pub.code}/v/1/").status_code == 200
    assert client.get(f"/knowledge/publications/{pub.code}/v/2/").status_code == 404
    html = client.get(f"/knowledge/publications/{pub.code}/").content.decode()
    assert "Second publication" in html and "Draft never published" not in html
    assert "/v/2/" not in html  # the version list does not offer it either
    assert list(
        PublicationVersion.objects.filter(publication=pub, published_at__isnull=False).values_list("number", flat=True)
    ) == [3, 1]


def test_editor_sees_the_waiting_draft_and_readers_do_not(client_for: Any, editor: Any, reviewer: Any) -> None:
    pub = published(editor, reviewer)
    services.publication_update(pub, actor=editor, data=protocol_data(title="Next"), expected_version=pub.version)
    html = client_for(editor).get(f"/knowledge/publications/{pub.code}/").content.decode()
    assert "A newer version (2) waits to be published." in html
    assert client_for(editor).get(f"/knowledge/publications/{pub.code}/v/2/").status_code == 200


def test_a_concurrent_edit_is_detected_not_overwritten(editor: Any, reviewer: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    seen = pub.version
    services.publication_update(pub, actor=editor, data=protocol_data(title="First"), expected_version=seen)
    with pytest.raises(ConcurrentEditError):
        services.publication_update(pub, actor=reviewer, data=protocol_data(title="Second"), expected_version=seen)
    assert PublicationVersion.objects.filter(publication=pub).count() == 2


def test_editing_the_original_marks_translations_for_review(editor: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    services.publication_translate(
        pub, actor=editor, language="sq", data=TranslationData(title="Protokoll"), expected_version=pub.version
    )
    pub.refresh_from_db()
    version = services.publication_update(
        pub, actor=editor, data=protocol_data(summary="Changed."), expected_version=pub.version
    )
    assert version.content["sq"]["status"] == "needs_review"
    assert version.content["en"]["status"] == "original"


def test_bad_input_is_refused_with_every_reason_and_changes_nothing(editor: Any) -> None:
    with pytest.raises(ValidationError) as exc:
        services.publication_create(
            actor=editor,
            data=protocol_data(
                type="novel", title=" ", year=1200, pillars=["space"], sections=[{"heading": "", "body": "x"}]
            ),
        )
    assert set(exc.value.message_dict) == {"type", "title", "year", "pillars", "sections"}
    assert Publication.objects.count() == 0


# --- translations -----------------------------------------------------------------------------------------


def test_a_translation_is_shown_in_its_language_and_the_original_otherwise(
    client: Client, editor: Any, reviewer: Any
) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    services.publication_translate(
        pub,
        actor=editor,
        language="sr",
        data=TranslationData(
            title="Protokol primopredaje",
            summary="Kako predmet prelazi iz zatvora u probaciju.",
            sections=[{"heading": "Svrha", "body": "Prvi pasus."}, {"heading": "Koraci", "body": "Šest meseci."}],
        ),
        expected_version=pub.version,
    )
    services.publication_publish(pub, actor=reviewer)
    url = f"/knowledge/publications/{pub.code}/"

    cyrillic = client.get(url, HTTP_ACCEPT_LANGUAGE="sr").content.decode()
    assert "Протокол примопредаје" in cyrillic and "Сврха" in cyrillic
    latin = client.get(url, HTTP_ACCEPT_LANGUAGE="sr-latn").content.decode()
    assert "Protokol primopredaje" in latin
    albanian = client.get(url, HTTP_ACCEPT_LANGUAGE="sq").content.decode()
    assert "Hand-over protocol from prison to probation" in albanian
    assert "is not available in your language" in albanian or "English" in albanian
    chosen = client.get(f"{url}?lang=sr-latn").content.decode()
    assert "Protokol primopredaje" in chosen


def test_sections_are_plain_text_paragraphs_escaped(client: Client, editor: Any, reviewer: Any) -> None:
    pub = published(
        editor, reviewer, sections=[{"heading": "<b>Head</b>", "body": "One <script>alert(1)</script>\n\nTwo"}]
    )
    html = client.get(f"/knowledge/publications/{pub.code}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;</p>" in html
    assert "<p>Two</p>" in html
    assert "&lt;b&gt;Head&lt;/b&gt;" in html


# --- citation and PDF -------------------------------------------------------------------------------------


def test_citation_names_authors_year_title_version_publisher_and_address(
    client: Client, editor: Any, reviewer: Any
) -> None:
    pub = published(editor, reviewer)
    response = client.get(f"/knowledge/publications/{pub.code}/")
    assert response.context["citation"] == (
        "Hoxha, A.; Kovač, M. (2023). Hand-over protocol from prison to probation. Version 1. DRIVE consortium. "
        f"http://testserver/knowledge/publications/{pub.code}/"
    )
    assert '<p class="citation" id="citation">Hoxha, A.; Kovač, M. (2023).' in response.content.decode()


def test_publication_pdf(client: Client, editor: Any, reviewer: Any) -> None:
    pub = published(editor, reviewer)
    response = client.get(f"/knowledge/publications/{pub.code}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "Hand-over protocol from prison to probation" in pdf_titles(response.content)
    assert b"/MediaBox [0 0 595.275591 841.889764]" in pdf_objects(response.content)


# --- who may do what --------------------------------------------------------------------------------------


def test_an_editor_cannot_publish_and_a_reviewer_can(client_for: Any, editor: Any, reviewer: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    url = f"/knowledge/publications/{pub.code}/status/"

    assert client_for(editor).post(url, {"action": "publish"}).status_code == 403
    pub.refresh_from_db()
    assert pub.status == "draft"
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, actor_id=editor.pk).exists()

    response = client_for(reviewer).post(url, {"action": "publish"})
    assert response.status_code == 302
    pub.refresh_from_db()
    assert (pub.status, pub.published_version) == ("published", 1)

    client_for(reviewer).post(url, {"action": "archive"})
    pub.refresh_from_db()
    assert pub.status == "archived"


def test_the_service_refuses_an_editor_and_keeps_the_audit_entry(editor: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    with pytest.raises(PermissionDenied):
        services.publication_publish(pub, actor=editor)
    assert AuditEntry.objects.filter(event=events.ACCESS_DENIED, target_id=str(pub.code)).count() == 1


def test_anonymous_readers_cannot_see_drafts_or_archived_publications(
    client: Client, editor: Any, reviewer: Any
) -> None:
    draft = services.publication_create(actor=editor, data=protocol_data())
    for suffix in ("", "pdf/", "v/1/"):
        assert client.get(f"/knowledge/publications/{draft.code}/{suffix}").status_code == 404
    archived = services.publication_archive(published(editor, reviewer), actor=reviewer)
    assert client.get(f"/knowledge/publications/{archived.code}/").status_code == 404
    html = client.get("/knowledge/publications/").content.decode()
    assert "Hand-over" not in html


def test_list_shows_published_publications_filtered_by_type_and_pillar(
    client: Client, editor: Any, reviewer: Any
) -> None:
    published(editor, reviewer)
    published(editor, reviewer, type="model", title="Family support model", pillars=["vulnerable"])
    services.publication_create(actor=editor, data=protocol_data(title="Unpublished recommendation"))

    html = client.get("/knowledge/publications/").content.decode()
    assert "Hand-over protocol" in html and "Family support model" in html and "Unpublished" not in html
    html = client.get("/knowledge/publications/?type=model").content.decode()
    assert "Family support model" in html and "Hand-over protocol" not in html
    html = client.get("/knowledge/publications/?pillar=probation").content.decode()
    assert "Hand-over protocol" in html and "Family support model" not in html
    assert "Unpublished" not in client.get("/knowledge/publications/?status=draft").content.decode()


def test_publication_list_runs_a_fixed_number_of_queries(
    client: Client, editor: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    for i in range(12):
        pub = published(editor, reviewer, title=f"Protocol {i}")
        services.publication_update(
            pub, actor=editor, data=protocol_data(title=f"Next {i}"), expected_version=pub.version
        )
    # Count, page, pillars, shown versions.
    with django_assert_num_queries(4):
        response = client.get("/knowledge/publications/")
    assert "Protocol 11" in response.content.decode() and "Next 11" not in response.content.decode()


# --- editorial pages --------------------------------------------------------------------------------------


def _form(data: dict[str, Any], sections: list[tuple[str, str, str]], **extra: Any) -> dict[str, Any]:
    post = {
        "type": "recommendation",
        "title": "Recommendations on women returnees",
        "summary": "",
        "authors": "DRIVE",
        "publisher": "RightPath",
        "year": "2024",
        "pillars": ["vulnerable"],
        "sections-TOTAL_FORMS": str(len(sections)),
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        **data,
        **extra,
    }
    for i, (heading, body, order) in enumerate(sections):
        post[f"sections-{i}-heading"] = heading
        post[f"sections-{i}-body"] = body
        post[f"sections-{i}-ORDER"] = order
    return post


def test_editor_creates_and_edits_through_the_pages(client_for: Any, editor: Any) -> None:
    client = client_for(editor)
    assert client.get("/knowledge/publications/new/").status_code == 200
    response = client.post(
        "/knowledge/publications/new/",
        _form({"original_language": "en"}, [("Second", "B", "2"), ("First", "A", "1"), ("", "", "")]),
    )
    assert response.status_code == 302
    pub = Publication.objects.get()
    version = pub.versions.get()
    assert [s["heading"] for s in version.content["en"]["sections"]] == ["First", "Second"]
    assert pub.pillars.get().pillar == "vulnerable"

    edit = f"/knowledge/publications/{pub.code}/edit/"
    page = client.get(edit)
    assert page.status_code == 200 and "Recommendations on women returnees" in page.content.decode()
    response = client.post(
        edit, _form({"title": "Renamed", "version": str(pub.version)}, [("First", "A", "1"), ("Third", "C", "2")])
    )
    assert response.status_code == 302
    assert pub.versions.count() == 2

    # A second save from the same (now stale) form is a conflict, shown with the other version.
    stale = client.post(edit, _form({"title": "Stale", "version": str(pub.version)}, [("First", "A", "1")]))
    assert stale.status_code == 200
    assert "Someone else saved this publication" in stale.content.decode()
    assert pub.versions.count() == 2


def test_editor_translates_through_the_page(client_for: Any, editor: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    client = client_for(editor)
    url = f"/knowledge/publications/{pub.code}/translate/sq/"
    page = client.get(url)
    assert page.status_code == 200 and "Purpose" in page.content.decode()
    response = client.post(
        url,
        {
            "title": "Protokolli i dorëzimit",
            "summary": "",
            "status": "machine",
            "version": str(pub.version),
            "sections-TOTAL_FORMS": "2",
            "sections-INITIAL_FORMS": "2",
            "sections-MIN_NUM_FORMS": "0",
            "sections-MAX_NUM_FORMS": "1000",
            "sections-0-heading": "Qëllimi",
            "sections-0-body": "Paragrafi i parë.",
            "sections-1-heading": "Hapat",
            "sections-1-body": "",
        },
    )
    assert response.status_code == 302
    latest = pub.versions.order_by("-number").first()
    assert latest.content["sq"]["title"] == "Protokolli i dorëzimit"
    assert latest.content["sq"]["status"] == "machine"
    assert client.get(f"/knowledge/publications/{pub.code}/translate/xx/").status_code == 404
    assert client.get(f"/knowledge/publications/{pub.code}/translate/en/").status_code == 302


def test_people_without_the_editor_role_cannot_write(client_for: Any, make_user: Any, editor: Any) -> None:
    pub = services.publication_create(actor=editor, data=protocol_data())
    nobody = client_for(make_user())
    assert nobody.get("/knowledge/publications/new/").status_code == 403
    assert nobody.get(f"/knowledge/publications/{pub.code}/edit/").status_code == 403
    assert nobody.post(f"/knowledge/publications/{pub.code}/status/", {"action": "publish"}).status_code == 403


def test_search_is_told_of_each_change_when_it_can_index_publications(
    monkeypatch: pytest.MonkeyPatch, editor: Any, reviewer: Any
) -> None:
    seen: list[str] = []
    monkeypatch.setattr(search, "reindex_publication", lambda pub: seen.append(pub.status), raising=False)
    published(editor, reviewer)
    assert seen == ["draft", "published"]


# --- the read API -----------------------------------------------------------------------------------------


def make_entry(actor: Any, title: str, *, kind: str = "practice", status: str = "published", **extra: Any) -> Entry:
    return entry_create(
        actor=actor,
        data=EntryData(
            fields={"kind": kind, "original_language": "en", "year": 2022},
            translations={"en": {"title": title, "summary": "Summary."}, "sq": {"title": f"{title} (sq)"}},
            countries=extra.get("countries", ["XK"]),
            pillars=extra.get("pillars", ["prison"]),
            target_groups=["offenders"],
            sources=[{"url": "https://example.org/s", "title": "Source"}],
        ),
        status=status,
    )


def test_api_lists_published_practices_and_policies_only(client: Client, editor: Any) -> None:
    practice = make_entry(editor, "Mentoring")
    make_entry(editor, "Law", kind="policy", countries=["BA"], pillars=["coordination"])
    make_entry(editor, "Centre", kind="institution")
    draft = make_entry(editor, "Draft practice", status="draft")

    body = client.get("/api/v1/entries/").json()
    assert {r["title"] for r in body["results"]} == {"Mentoring", "Law"}
    assert body["count"] == 2
    row = next(r for r in body["results"] if r["title"] == "Mentoring")
    assert row["code"] == str(practice.code)
    assert row["countries"] == ["XK"] and row["pillars"] == ["prison"] and row["target_groups"] == ["offenders"]
    assert row["year"] == 2022 and row["sources"][0]["url"] == "https://example.org/s"
    assert row["url"] == f"http://testserver/knowledge/entries/{practice.code}/"

    assert [r["title"] for r in client.get("/api/v1/entries/?kind=institution").json()["results"]] == ["Centre"]
    assert [r["title"] for r in client.get("/api/v1/entries/?country=BA").json()["results"]] == ["Law"]
    assert [r["title"] for r in client.get("/api/v1/entries/?pillar=prison").json()["results"]] == ["Mentoring"]
    assert client.get("/api/v1/entries/?kind=nonsense").json()["count"] == 0
    sq = client.get("/api/v1/entries/?lang=sq&kind=practice").json()["results"][0]
    assert (sq["title"], sq["language"]) == ("Mentoring (sq)", "sq")

    assert client.get(f"/api/v1/entries/{practice.code}/").json()["title"] == "Mentoring"
    assert client.get(f"/api/v1/entries/{draft.code}/").status_code == 404


def test_api_shows_published_rows_only_even_to_editors(client_for: Any, editor: Any, reviewer: Any) -> None:
    draft = make_entry(editor, "Draft practice", status="draft")
    pub_draft = services.publication_create(actor=editor, data=protocol_data())
    api = client_for(editor)
    assert api.get("/api/v1/entries/").json()["count"] == 0
    assert api.get(f"/api/v1/entries/{draft.code}/").status_code == 404
    assert api.get(f"/api/v1/publications/{pub_draft.code}/").status_code == 404


def test_api_asks_the_policy(client: Client, editor: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rightpath.access.policy import deny
    from rightpath.api import permissions

    make_entry(editor, "Mentoring")
    monkeypatch.setattr(permissions, "can", lambda user, action, obj=None: deny(f"test denies {action}"))
    assert client.get("/api/v1/entries/").status_code in (401, 403)
    assert client.get("/api/v1/publications/").status_code in (401, 403)


def test_api_publications_show_the_published_version(client: Client, editor: Any, reviewer: Any) -> None:
    pub = published(editor, reviewer)
    services.publication_update(
        pub, actor=editor, data=protocol_data(title="Unpublished v2"), expected_version=pub.version
    )
    services.publication_create(actor=editor, data=protocol_data(title="Draft only"))

    body = client.get("/api/v1/publications/").json()
    assert body["count"] == 1
    row = body["results"][0]
    assert row["title"] == "Hand-over protocol from prison to probation"
    assert row["version"] == 1 and row["type"] == "protocol" and row["pillars"] == ["prison", "probation"]
    assert "Version 1" in row["citation"] and "(2023)" in row["citation"]
    detail = client.get(f"/api/v1/publications/{pub.code}/").json()
    assert [s["heading"] for s in detail["sections"]] == ["Purpose", "Steps"]
    assert client.get("/api/v1/publications/?type=model").json()["count"] == 0


def test_api_lists_run_a_fixed_number_of_queries(
    client: Client, editor: Any, reviewer: Any, django_assert_num_queries: Any
) -> None:
    for i in range(15):
        make_entry(editor, f"Practice {i}")
        published(editor, reviewer, title=f"Protocol {i}")
    # Count, page, translations, countries, pillars, target groups, sources.
    with django_assert_num_queries(7):
        assert client.get("/api/v1/entries/").json()["count"] == 15
    # Count, page, pillars, published versions.
    with django_assert_num_queries(4):
        assert client.get("/api/v1/publications/").json()["count"] == 15


def test_api_schema_documents_the_knowledge_endpoints(client: Client) -> None:
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    validate_schema(schema)
    assert {
        "/api/v1/entries/",
        "/api/v1/entries/{code}/",
        "/api/v1/publications/",
        "/api/v1/publications/{code}/",
    } <= set(schema["paths"])
