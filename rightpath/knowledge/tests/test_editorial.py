"""Editing the hub: forms by kind, translations, the review workflow, versions, diffs and revert."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from rightpath.accounts.models import User
from rightpath.audit.models import AuditEntry
from rightpath.knowledge.forms import EntryForm, TranslationForm
from rightpath.knowledge.models import Entry, EntryVersion
from rightpath.knowledge.selectors import diff_words
from rightpath.knowledge.services import EntryData, entry_create, entry_transition

BASIS = "Two quasi-experimental evaluations, 200 participants, 12-month follow-up, reduced reoffending."


@pytest.fixture
def editor(make_user: Any) -> User:
    return make_user("editor")


@pytest.fixture
def reviewer(make_user: Any) -> User:
    return make_user("reviewer")


def practice_data(title: str = "Family support for returnees", **fields: Any) -> EntryData:
    return EntryData(
        fields={"kind": "practice", "original_language": "en", "place": "Prishtina", **fields},
        translations={"en": {"title": title, "summary": "Social workers visit the families of returnees."}},
        countries=["XK"],
        pillars=["reintegration"],
        target_groups=["families"],
        sources=[{"url": "https://example.org/a", "title": "Programme report"}],
    )


def form_post(version: int | None = None, initial_sources: int = 0, **values: Any) -> dict[str, Any]:
    """The POST of the entry form (three empty source rows unless ``sources-…`` keys are given)."""
    data: dict[str, Any] = {
        "original_language": "en",
        "sources-TOTAL_FORMS": str(initial_sources + 3),
        "sources-INITIAL_FORMS": str(initial_sources),
        "sources-MIN_NUM_FORMS": "0",
        "sources-MAX_NUM_FORMS": "1000",
    }
    if version is not None:
        data["version"] = str(version)
    data.update({k: v for k, v in values.items() if v is not None})
    return data


def practice_post(**values: Any) -> dict[str, Any]:
    return form_post(
        **{
            "title": "Mentoring in prison",
            "summary": "Mentors meet inmates weekly.",
            "organisation_name": "Kosovo Correctional Service",
            "period_start": "2019",
            "evidence_level": "promising",
            "evidence_basis": BASIS,
            "countries": ["XK", "AL"],
            "pillars": ["prison"],
            "target_groups": ["offenders"],
            "sources-0-url": "https://example.org/evaluation",
            "sources-0-title": "Evaluation report",
            "sources-0-accessed_on": "2025-03-01",
            **values,
        }
    )


def audit_count(entry: Entry) -> int:
    return AuditEntry.objects.filter(target_id=str(entry.code)).count()


# --- creating ------------------------------------------------------------------------------------------


def test_editor_creates_a_practice_with_an_evidence_rating_and_its_basis(editor: User, client_for: Any) -> None:
    response = client_for(editor).post("/knowledge/edit/new/practice/", practice_post())
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/entries/{entry.code}/"
    assert entry.kind == "practice" and entry.status == "draft" and entry.created_by == editor
    assert entry.evidence_level == "promising" and entry.evidence_basis == BASIS
    assert sorted(entry.countries.values_list("country", flat=True)) == ["AL", "XK"]
    assert entry.translations.get(language="en").title == "Mentoring in prison"
    source = entry.sources.get()
    assert source.url == "https://example.org/evaluation" and source.accessed_on == date(2025, 3, 1)
    assert entry.versions.count() == 1
    assert AuditEntry.objects.filter(event="data.created", target_id=str(entry.code)).exists()


def test_a_rating_without_its_basis_is_refused_beside_the_field_and_nothing_is_saved(
    editor: User, client_for: Any
) -> None:
    response = client_for(editor).post("/knowledge/edit/new/practice/", practice_post(evidence_basis=""))
    assert response.status_code == 200
    assert response.context["form"]["evidence_basis"].errors == ["Say what the evidence rating is based on."]
    assert "Say what the evidence rating is based on." in response.content.decode()
    assert not Entry.objects.exists() and not EntryVersion.objects.exists()


def test_the_practice_form_shows_practice_fields_and_three_empty_source_rows(editor: User, client_for: Any) -> None:
    response = client_for(editor).get("/knowledge/edit/new/practice/")
    form = response.context["form"]
    assert {"evidence_level", "evidence_basis", "period_start", "approach", "deliverables"} <= set(form.fields)
    assert "valid_until" not in form.fields and "value" not in form.fields
    assert len(form.sources.forms) >= 3
    page = response.content.decode()
    assert 'type="checkbox" name="countries"' in page and 'type="checkbox" name="pillars"' in page


def test_a_policy_whose_validity_ends_before_it_starts_is_refused(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    policy = form_post(
        title="Action plan on reintegration",
        policy_type="action_plan",
        adopting_body="Ministry of Justice",
        year="2021",
        valid_from="2021-01-01",
        valid_until="2020-12-31",
        policy_status="in_force",
        pillars=["reintegration"],
    )
    refused = client.post("/knowledge/edit/new/policy/", policy)
    assert refused.status_code == 200
    assert refused.context["form"]["valid_until"].errors == ["The end of validity is before its start."]
    assert not Entry.objects.exists()
    policy["valid_until"] = "2025-12-31"
    assert client.post("/knowledge/edit/new/policy/", policy).status_code == 302
    entry = Entry.objects.get()
    assert entry.kind == "policy" and entry.valid_until == date(2025, 12, 31) and entry.policy_status == "in_force"
    assert entry.evidence_level == ""  # a policy form has no rating


def test_a_figure_needs_a_value_an_as_of_year_and_a_source(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    missing = client.post("/knowledge/edit/new/figure/", form_post(title="Returnees from Syria"))
    assert missing.status_code == 200
    form = missing.context["form"]
    assert form["value"].errors and form["as_of"].errors
    no_source = client.post("/knowledge/edit/new/figure/", form_post(title="Returnees", value="110", as_of="2023"))
    assert "A figure needs at least one source." in no_source.content.decode()
    assert not Entry.objects.exists()
    done = client.post(
        "/knowledge/edit/new/figure/",
        form_post(title="Returnees", value="110", as_of="2023", **{"sources-0-url": "https://example.org/stats"}),
    )
    assert done.status_code == 302
    entry = Entry.objects.get()
    assert (entry.value, entry.as_of, entry.sources.get().url) == ("110", 2023, "https://example.org/stats")


def test_an_unknown_kind_is_not_found(editor: User, client_for: Any) -> None:
    assert client_for(editor).get("/knowledge/edit/new/spaceship/").status_code == 404


# --- who may edit --------------------------------------------------------------------------------------


def test_a_practitioner_cannot_create_an_entry(make_user: Any, client_for: Any) -> None:
    client = client_for(make_user("practitioner"))
    assert client.get("/knowledge/edit/new/practice/").status_code == 403
    assert client.post("/knowledge/edit/new/practice/", practice_post()).status_code == 403
    assert not Entry.objects.exists()
    assert AuditEntry.objects.filter(event="access.denied").exists()


def test_a_user_without_an_editing_role_gets_403_on_the_edit_pages(
    editor: User, make_user: Any, client_for: Any
) -> None:
    entry = entry_create(actor=editor, data=practice_data(), status="published")
    client = client_for(make_user("practitioner"))
    base = f"/knowledge/entries/{entry.code}"
    for path in [
        "/knowledge/edit/",
        f"{base}/edit/",
        f"{base}/translations/sq/",
        f"{base}/history/",
        f"{base}/history/1/",
        f"{base}/history/1/revert/",
        f"{base}/status/?step=archive",
    ]:
        assert client.get(path).status_code == 403, path
    assert client.post(f"{base}/edit/", practice_post(version=entry.version)).status_code == 403
    assert client.post(f"{base}/status/", {"step": "archive", "confirmed": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.status == "published" and entry.versions.count() == 1


def test_a_draft_is_not_found_by_a_user_without_an_editing_role(editor: User, make_user: Any, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    assert client_for(make_user("practitioner")).get(f"/knowledge/entries/{entry.code}/edit/").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in_from_the_dashboard() -> None:
    response = Client().get("/knowledge/edit/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_editors_see_the_edit_the_hub_link_and_practitioners_do_not(
    editor: User, make_user: Any, client_for: Any
) -> None:
    assert 'href="/knowledge/edit/"' in client_for(editor).get("/knowledge/edit/").content.decode()
    entry = entry_create(actor=editor, data=practice_data(), status="published")
    page = client_for(make_user("practitioner")).get(f"/knowledge/entries/{entry.code}/").content.decode()
    assert 'href="/knowledge/edit/"' not in page


# --- the workflow --------------------------------------------------------------------------------------


def test_an_editor_submits_but_cannot_publish(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    client = client_for(editor)
    status_url = f"/knowledge/entries/{entry.code}/status/"
    assert client.post(status_url, {"step": "submit"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "in_review"
    assert client.post(status_url, {"step": "publish"}).status_code == 403
    assert client.get(f"{status_url}?step=publish").status_code == 403
    entry.refresh_from_db()
    assert entry.status == "in_review"
    assert Client().get(f"/knowledge/entries/{entry.code}/").status_code == 404


def test_a_reviewer_publishes_returns_and_archives_after_confirming(
    editor: User, reviewer: User, client_for: Any
) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    entry_transition(entry, actor=editor, transition="submit")
    client, public = client_for(reviewer), Client()
    status_url = f"/knowledge/entries/{entry.code}/status/"
    page = f"/knowledge/entries/{entry.code}/"

    assert client.post(status_url, {"step": "publish"}).status_code == 302
    assert public.get(page).status_code == 200

    assert client.post(status_url, {"step": "return"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "draft" and public.get(page).status_code == 404

    client.post(status_url, {"step": "publish"})
    asked = client.post(status_url, {"step": "archive"})  # without confirmation: asks first
    assert asked.status_code == 200 and "Archive “Family support for returnees”?" in asked.content.decode()
    entry.refresh_from_db()
    assert entry.status == "published"

    assert client.post(status_url, {"step": "archive", "confirmed": "yes"}).status_code == 302
    entry.refresh_from_db()
    assert entry.status == "archived"
    assert public.get(page).status_code == 404


def test_an_impossible_step_changes_nothing_and_says_why(editor: User, reviewer: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    response = client_for(reviewer).post(f"/knowledge/entries/{entry.code}/status/", {"step": "return"}, follow=True)
    assert "This step is not possible" in response.content.decode()
    entry.refresh_from_db()
    assert entry.status == "draft" and entry.versions.count() == 1


# --- versions, audit, diff, revert ---------------------------------------------------------------------


def test_every_change_makes_a_version_and_an_audit_entry(editor: User, reviewer: User, client_for: Any) -> None:
    client = client_for(editor)
    client.post("/knowledge/edit/new/practice/", practice_post())
    entry = Entry.objects.get()
    assert (entry.versions.count(), audit_count(entry)) == (1, 1)

    client.post(f"/knowledge/entries/{entry.code}/edit/", practice_post(version=1, initial_sources=1, place="Peja"))
    assert (entry.versions.count(), audit_count(entry)) == (2, 2)

    client.post(
        f"/knowledge/entries/{entry.code}/translations/sq/", {"version": 2, "status": "translated", "title": "Mentorim"}
    )
    assert (entry.versions.count(), audit_count(entry)) == (3, 3)

    client_for(reviewer).post(f"/knowledge/entries/{entry.code}/status/", {"step": "publish"})
    assert (entry.versions.count(), audit_count(entry)) == (4, 4)

    history = client.get(f"/knowledge/entries/{entry.code}/history/")
    page = history.content.decode()
    assert [v.number for v in history.context["object_list"]] == [4, 3, 2, 1]
    assert "First1 Last1" in page and "Published" in page and "Text in Shqip" in page


def test_the_diff_shows_the_changed_field_word_by_word(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    client.post("/knowledge/edit/new/practice/", practice_post())
    entry = Entry.objects.get()
    client.post(
        f"/knowledge/entries/{entry.code}/edit/",
        practice_post(version=1, initial_sources=1, summary="Mentors meet inmates every month.", place="Peja"),
    )
    response = client.get(f"/knowledge/entries/{entry.code}/history/2/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Summary" in page and "<del>weekly.</del><ins>every month.</ins>" in page
    assert "<ins>Peja</ins>" in page
    assert "Organisation" not in page.split("Compared with")[1]  # unchanged fields are not listed
    assert client.get(f"/knowledge/entries/{entry.code}/history/9/").status_code == 404


def test_the_first_version_lists_everything_as_added(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    page = client_for(editor).get(f"/knowledge/entries/{entry.code}/history/1/").content.decode()
    assert "<ins>Prishtina</ins>" in page and "<ins>Family support for returnees</ins>" in page.replace("\n", "")


def test_revert_asks_then_makes_a_new_version_with_the_old_content(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    entry = entry_create(actor=editor, data=practice_data("Old title"))
    client.post(f"/knowledge/entries/{entry.code}/edit/", form_post(version=1, initial_sources=1, title="New title"))
    assert entry.translations.get().title == "New title"
    revert_url = f"/knowledge/entries/{entry.code}/history/1/revert/"
    asked = client.get(revert_url)
    assert asked.status_code == 200 and "<del>New</del><ins>Old</ins>" in asked.content.decode()
    assert client.post(revert_url, {"version": 2}).status_code == 302
    assert entry.translations.get().title == "Old title"
    latest = entry.versions.first()
    assert latest.number == 3 and latest.note == "Reverted to version 1"
    assert latest.snapshot["translations"]["en"]["title"] == "Old title"
    assert [v.number for v in entry.versions.all()] == [3, 2, 1]  # history kept


def test_revert_with_a_stale_version_changes_nothing(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    entry = entry_create(actor=editor, data=practice_data("Old title"))
    client.post(f"/knowledge/entries/{entry.code}/edit/", form_post(version=1, initial_sources=1, title="New"))
    response = client.post(f"/knowledge/entries/{entry.code}/history/1/revert/", {"version": 1}, follow=True)
    assert "Nothing was reverted" in response.content.decode()
    assert entry.translations.get().title == "New" and entry.versions.count() == 2


def test_a_concurrent_edit_is_detected_and_nothing_is_overwritten(
    editor: User, make_user: Any, client_for: Any
) -> None:
    entry = entry_create(actor=editor, data=practice_data("Shared title"))
    first, second = client_for(editor), client_for(make_user("editor"))
    edit_url = f"/knowledge/entries/{entry.code}/edit/"
    assert first.get(edit_url).context["form"]["version"].value() == 1
    assert second.get(edit_url).context["form"]["version"].value() == 1
    first.post(edit_url, form_post(version=1, initial_sources=1, title="First editor's title"))
    clash = second.post(edit_url, form_post(version=1, initial_sources=1, title="Second editor's title"))
    assert clash.status_code == 200
    page = clash.content.decode()
    assert "Someone else saved this entry while you were editing." in page
    assert "First editor&#x27;s title" in page  # their version, beside the form
    assert 'value="Second editor&#x27;s title"' in page  # the user's input is kept
    assert clash.context["form"]["version"].value() == 2  # saving again is a deliberate overwrite
    entry.refresh_from_db()
    assert entry.translations.get().title == "First editor's title" and entry.versions.count() == 2


def test_editing_keeps_text_in_other_languages(editor: User, client_for: Any) -> None:
    data = practice_data()
    data.translations["sq"] = {"title": "Mbështetje familjare", "status": "translated"}
    entry = entry_create(actor=editor, data=data)
    client_for(editor).post(
        f"/knowledge/entries/{entry.code}/edit/", form_post(version=1, initial_sources=1, title="Changed")
    )
    assert dict(entry.translations.values_list("language", "title")) == {"en": "Changed", "sq": "Mbështetje familjare"}


# --- translations --------------------------------------------------------------------------------------


def test_an_editor_adds_a_translation_with_its_status_and_readers_see_it(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data(), status="published")
    client = client_for(editor)
    form_url = f"/knowledge/entries/{entry.code}/translations/sq/"
    shown = client.get(form_url)
    assert shown.status_code == 200 and "Family support for returnees" in shown.content.decode()  # the original
    response = client.post(
        form_url, {"version": 1, "status": "machine", "title": "Mbështetje për familjet", "summary": "Vizita."}
    )
    assert response.status_code == 302 and response["Location"].endswith("?lang=sq")
    sq = entry.translations.get(language="sq")
    assert (sq.title, sq.status) == ("Mbështetje për familjet", "machine")
    assert entry.translations.get(language="en").title == "Family support for returnees"
    public = Client().get(f"/knowledge/entries/{entry.code}/?lang=sq").content.decode()
    assert "Mbështetje për familjet" in public and "translated by machine" in public


def test_a_translation_without_a_title_is_refused(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    response = client_for(editor).post(
        f"/knowledge/entries/{entry.code}/translations/bs/", {"version": 1, "status": "translated", "title": ""}
    )
    assert response.status_code == 200 and response.context["form"]["title"].errors
    assert entry.translations.count() == 1


def test_the_original_language_is_edited_on_the_entry_form(editor: User, client_for: Any) -> None:
    entry = entry_create(actor=editor, data=practice_data())
    response = client_for(editor).get(f"/knowledge/entries/{entry.code}/translations/en/")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/entries/{entry.code}/edit/"
    assert client_for(editor).get(f"/knowledge/entries/{entry.code}/translations/xx/").status_code == 404


# --- errors from the service land on the right fields --------------------------------------------------


def test_service_errors_are_attached_to_the_fields_they_name(editor: User) -> None:
    form = EntryForm(
        form_post(
            title="A practice",
            **{"sources-0-url": "https://example.org/1", "sources-2-url": "https://example.org/3"},
        ),
        kind="practice",
    )
    assert form.is_valid(), form.errors
    form.to_data()
    form.add_service_errors(
        ValidationError({"title_en": ["Too long."], "sources_1_url": ["Unreachable."], "rated_on": ["Odd."]})
    )
    assert form["title"].errors == ["Too long."]
    assert form.sources.forms[2]["url"].errors == ["Unreachable."]  # the second *filled* row
    assert form["rated_on"].errors == ["Odd."]


def test_translation_form_attaches_errors_for_its_language(editor: User) -> None:
    entry = Entry.objects.prefetch_related("translations", "countries", "pillars", "target_groups", "sources").get(
        pk=entry_create(actor=editor, data=practice_data()).pk
    )
    form = TranslationForm({"version": 1, "status": "translated", "title": "Naslov"}, entry=entry, language="hr")
    assert form.is_valid()
    form.add_service_errors(ValidationError({"title_hr": ["Too long."], "countries": ["Unknown value: ZZ"]}))
    assert form["title"].errors == ["Too long."]
    assert form.non_field_errors() == ["Unknown value: ZZ"]


# --- the dashboard -------------------------------------------------------------------------------------


def test_the_dashboard_lists_every_status_with_counts_and_filters(
    editor: User, reviewer: User, client_for: Any
) -> None:
    draft = entry_create(actor=editor, data=practice_data("A draft"))
    entry_create(actor=editor, data=practice_data("Published one"), status="published")
    archived = entry_create(actor=editor, data=practice_data("Archived one"), status="published")
    entry_transition(archived, actor=reviewer, transition="archive")
    policy = EntryData(
        fields={"kind": "policy", "original_language": "en"},
        translations={"en": {"title": "Serbian strategy"}},
        countries=["RS"],
    )
    entry_create(actor=editor, data=policy)
    client = client_for(editor)

    everything = client.get("/knowledge/edit/")
    assert everything.status_code == 200
    assert {r["title"] for r in everything.context["rows"]} == {
        "A draft",
        "Published one",
        "Archived one",
        "Serbian strategy",
    }
    counts = {c["value"]: c["count"] for c in everything.context["status_counts"]}
    assert counts == {"draft": 2, "in_review": 0, "published": 1, "archived": 1}

    drafts = client.get("/knowledge/edit/?status=draft&sort=title")
    assert [r["title"] for r in drafts.context["rows"]] == ["A draft", "Serbian strategy"]
    assert [r["title"] for r in client.get("/knowledge/edit/?kind=policy").context["rows"]] == ["Serbian strategy"]
    serbia = client.get("/knowledge/edit/?country=RS").context
    assert [r["title"] for r in serbia["rows"]] == ["Serbian strategy"]
    assert {c["value"]: c["count"] for c in serbia["status_counts"]}["draft"] == 1
    assert f"/knowledge/entries/{draft.code}/edit/" in everything.content.decode()


@pytest.mark.parametrize("rows", [3, 30])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    editor: User, client_for: Any, rows: int, django_assert_num_queries: Any
) -> None:
    for i in range(rows):
        data = practice_data(f"Entry {i:02d}")
        data.translations["sq"] = {"title": f"Hyrje {i:02d}"}
        data.countries = ["XK", "AL", "RS"]
        entry_create(actor=editor, data=data)
    client = client_for(editor)
    # Session, user, second factor, roles; status counts, page count, page, translations, countries;
    # the session's expiry update (three statements).
    with django_assert_num_queries(12):
        response = client.get("/knowledge/edit/?sort=title")
    assert len(response.context["rows"]) == min(rows, 25)


# --- no markup from content, anywhere ------------------------------------------------------------------


def test_diff_words_escapes_content_before_marking_changes() -> None:
    html = diff_words("<b>old</b> text", "<script>alert(1)</script> text")
    assert "<script>" not in html and "<b>" not in html
    assert html == "<del>&lt;b&gt;old&lt;/b&gt;</del><ins>&lt;script&gt;alert(1)&lt;/script&gt;</ins> text"


def test_html_in_content_is_escaped_on_the_diff_and_history_pages(editor: User, client_for: Any) -> None:
    client = client_for(editor)
    entry = entry_create(actor=editor, data=practice_data("<script>alert(1)</script>"))
    client.post(
        f"/knowledge/entries/{entry.code}/edit/",
        form_post(version=1, initial_sources=1, title='<img src=x onerror="alert(2)">', note="<b>note</b>"),
    )
    for path in ["history/2/", "history/", "history/1/revert/", "edit/"]:
        page = client.get(f"/knowledge/entries/{entry.code}/{path}").content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<b>note</b>" not in page, path
    diff = client.get(f"/knowledge/entries/{entry.code}/history/2/").content.decode()
    assert "<del>&lt;script&gt;alert(1)&lt;/script&gt;</del>" in diff
