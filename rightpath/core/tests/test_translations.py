"""The seven catalogs are complete, consistent with the source, compiled, and actually used by the pages."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from rightpath.core.management.commands.sync_serbian_latin import latin_catalog, transliterate

LOCALE = Path(settings.LOCALE_PATHS[0])
LANGUAGES = ["en", "sq", "bs", "hr", "mk", "sr", "sr_Latn"]
NPLURALS = {"en": 2, "sq": 2, "bs": 3, "hr": 3, "mk": 2, "sr": 3, "sr_Latn": 3}

# Strings that are the same in English and in the language, checked one by one. Keep this list short.
IDENTICAL_TO_ENGLISH = {
    "sq": {"Austria", "Serbia"},
    "bs": {"Kosovo"},
    "hr": {"Kosovo"},
    "mk": set(),
    "sr": set(),
    "sr_Latn": {"Kosovo", "Status"},  # Serbian Latin spells both exactly as English does
}

PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdif]|%[sdif]|\{[A-Za-z_][\w.]*\}")


def po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / lang / "LC_MESSAGES" / "django.po"))


def translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalog_is_complete(lang: str) -> None:
    catalog = po(lang)
    assert not catalog.metadata_is_fuzzy, f"{lang}: header is fuzzy"
    assert f"nplurals={NPLURALS[lang]};" in catalog.metadata["Plural-Forms"].replace(" ", "")
    assert [e.msgid for e in catalog.obsolete_entries()] == [], f"{lang}: obsolete entries"
    assert [e.msgid for e in catalog.fuzzy_entries()] == [], f"{lang}: fuzzy entries"
    assert [e.msgid for e in catalog.untranslated_entries()] == [], f"{lang}: untranslated entries"
    for entry in catalog:
        if entry.msgid_plural:
            assert sorted(entry.msgstr_plural) == list(range(NPLURALS[lang])), f"{lang}: {entry.msgid!r}"
        assert all(s.strip() for s in translations(entry)), f"{lang}: empty translation of {entry.msgid!r}"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_translations_are_not_english(lang: str) -> None:
    same = {e.msgid for e in po(lang) if any(s in (e.msgid, e.msgid_plural) for s in translations(e))}
    assert same == IDENTICAL_TO_ENGLISH[lang], f"{lang}: msgstr equal to the English msgid"


def test_english_catalog_is_identity() -> None:
    for entry in po("en"):
        expected = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        assert translations(entry) == expected, entry.msgid


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_match(lang: str) -> None:
    for entry in po(lang):
        expected = set(PLACEHOLDER.findall(entry.msgid)) | set(PLACEHOLDER.findall(entry.msgid_plural or ""))
        for text in translations(entry):
            assert set(PLACEHOLDER.findall(text)) == expected, f"{lang}: {entry.msgid!r} → {text!r}"


def test_all_catalogs_have_the_same_msgids() -> None:
    def keys(lang: str) -> set[tuple[str | None, str, str | None]]:
        return {(e.msgctxt, e.msgid, e.msgid_plural or None) for e in po(lang)}

    english = keys("en")
    for lang in LANGUAGES[1:]:
        assert keys(lang) == english, lang


def test_serbian_latin_is_the_transliteration_of_cyrillic() -> None:
    expected = latin_catalog(po("sr"))
    actual = po("sr_Latn")
    assert actual.metadata["Language"] == "sr_Latn"
    assert {e.msgid: translations(e) for e in actual} == {e.msgid: translations(e) for e in expected}
    cyrillic = re.compile("[\u0400-\u04ff]")
    assert not [e.msgid for e in actual if any(cyrillic.search(s) for s in translations(e))]


def test_transliteration_rules() -> None:
    assert transliterate("Љубљана, Њиве, Џеп, ђак, ћуп, чаша, шума, жена") == (
        "Ljubljana, Njive, Džep, đak, ćup, čaša, šuma, žena"
    )
    assert transliterate("ЉУДИ И ЊИВЕ, ЏЕП") == "LJUDI I NJIVE, DŽEP"
    assert transliterate('Здраво, %(name)s: {count} <a href="x">линк</a> &nbsp;%s') == (
        'Zdravo, %(name)s: {count} <a href="x">link</a> &nbsp;%s'
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_mo_is_compiled_from_po(lang: str) -> None:
    mo_path = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} missing: run compilemessages"
    compiled = {(e.msgctxt, e.msgid): translations(e) for e in polib.mofile(str(mo_path)) if e.msgid}
    source = {(e.msgctxt, e.msgid): translations(e) for e in po(lang) if not e.obsolete and "fuzzy" not in e.flags}
    assert compiled == source, f"{mo_path} is out of date with its .po: run compilemessages"


def test_catalogs_cover_the_source() -> None:
    try:
        call_command("check_translations", verbosity=0)
    except CommandError as error:  # the command has printed the missing msgids
        pytest.fail(str(error))


SIGN_IN = {
    "en": "Sign in",
    "sq": "Hyni",
    "bs": "Prijava",
    "hr": "Prijava",
    "mk": "Најава",
    "sr": "Пријава",
    "sr-latn": "Prijava",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("code", "text"), SIGN_IN.items())
def test_login_page_is_translated(client: object, code: str, text: str) -> None:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code  # type: ignore[attr-defined]
    response = client.get("/accounts/login/", HTTP_HOST="127.0.0.1")  # type: ignore[attr-defined]
    assert response.status_code == 200
    html = response.content.decode()
    assert f'lang="{code}"' in html or f"lang='{code}'" in html or code == "en"
    assert f"<h1>{text}</h1>" in html
    if code != "en":
        assert "<h1>Sign in</h1>" not in html
