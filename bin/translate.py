#!/usr/bin/env python
"""Rebuild the translated .po catalogs from the translation dictionaries in locale/translations/.

Workflow when strings change:
  .venv/bin/python manage.py makemessages -l en -l sq -l bs -l hr -l mk -l sr -l sr_Latn \\
      --no-location --ignore=.venv --ignore=var --ignore=e2e
  .venv/bin/python bin/translate.py --missing      # lists msgids that have no translation yet, per language
  (add them to locale/translations/<lang>.json)
  .venv/bin/python bin/translate.py --compile      # writes the .po files, sr_Latn, and the .mo files

locale/translations/<lang>.json maps msgid → msgstr; a plural entry maps its singular msgid to a list
with one string per plural form. Keys with a context are written "context\\u0004msgid" (gettext's convention).
English is written as msgstr = msgid. Serbian Latin is generated from Serbian Cyrillic (sync_serbian_latin).
Exit status 1 when a msgid lacks a translation (the .po files are still written, with those entries empty).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
DICTIONARIES = LOCALE / "translations"
SLAVIC_PLURALS = (
    "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
)
LANGUAGES = {
    # locale dir: (Language-Team, Plural-Forms)
    "sq": ("Albanian", "nplurals=2; plural=(n != 1);"),
    "bs": ("Bosnian", SLAVIC_PLURALS),
    "hr": ("Croatian", SLAVIC_PLURALS),
    "mk": ("Macedonian", "nplurals=2; plural=(n % 10 == 1 && n % 100 != 11) ? 0 : 1;"),
    "sr": ("Serbian (Cyrillic)", SLAVIC_PLURALS),
}
ENGLISH_PLURALS = "nplurals=2; plural=(n != 1);"


def key(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def prepare(po: polib.POFile, lang: str, team: str, plural_forms: str) -> None:
    """Header without fuzzy flag; obsolete entries and fuzzy leftovers from msgmerge removed."""
    po.metadata_is_fuzzy = False
    po.header = "RightPath user interface.\nCopyright (C) RightPath contributors. AGPL-3.0-or-later."
    po.metadata.update(
        {
            "Project-Id-Version": "RightPath",
            "Report-Msgid-Bugs-To": "",
            "Last-Translator": "RightPath translators",
            "Language-Team": team,
            "Language": lang,
            "MIME-Version": "1.0",
            "Content-Type": "text/plain; charset=UTF-8",
            "Content-Transfer-Encoding": "8bit",
            "Plural-Forms": plural_forms,
        }
    )
    po.metadata["PO-Revision-Date"] = po.metadata.get("POT-Creation-Date", "")
    for entry in [e for e in po if e.obsolete]:
        po.remove(entry)
    for entry in po:
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


def build_english() -> None:
    po = polib.pofile(str(po_path("en")))
    prepare(po, "en", "English", ENGLISH_PLURALS)
    for entry in po:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
    po.save()


def build(lang: str, only_report: bool) -> list[str]:
    team, plural_forms = LANGUAGES[lang]
    dictionary_path = DICTIONARIES / f"{lang}.json"
    dictionary: dict[str, str | list[str]] = json.loads(dictionary_path.read_text(encoding="utf-8"))
    nplurals = int(plural_forms.split("nplurals=")[1].split(";")[0])
    po = polib.pofile(str(po_path(lang)))
    prepare(po, lang, team, plural_forms)
    missing, wrong_shape = [], []
    for entry in po:
        value = dictionary.get(key(entry))
        if entry.msgid_plural:
            if isinstance(value, list) and len(value) == nplurals and all(value):
                entry.msgstr_plural = dict(enumerate(value))
            else:
                (missing if value is None else wrong_shape).append(key(entry))
                entry.msgstr_plural = dict.fromkeys(range(nplurals), "")
        elif isinstance(value, str) and value:
            entry.msgstr = value
        else:
            (missing if value is None else wrong_shape).append(key(entry))
            entry.msgstr = ""
    unused = sorted(set(dictionary) - {key(e) for e in po})
    if not only_report:
        po.save()
    for problem, msgids in (("missing", missing), (f"not a list of {nplurals} forms / empty", wrong_shape)):
        for msgid in msgids:
            print(f"{lang}: {problem}: {json.dumps(msgid, ensure_ascii=False)}")
    if unused:
        print(f"{lang}: {len(unused)} unused dictionary entr{'y' if len(unused) == 1 else 'ies'} (no longer in source)")
    return missing + wrong_shape


def manage(*args: str) -> None:
    python = ROOT / ".venv" / "bin" / "python"
    subprocess.run([str(python if python.exists() else sys.executable), "manage.py", *args], cwd=ROOT, check=True)  # noqa: S603


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--missing", action="store_true", help="Only list msgids without translation; write nothing.")
    parser.add_argument("--compile", action="store_true", help="Also run compilemessages afterwards.")
    parser.add_argument("languages", nargs="*", default=list(LANGUAGES), help="Languages to build (default: all).")
    args = parser.parse_args()
    os.chdir(ROOT)
    problems = [msgid for lang in args.languages for msgid in build(lang, args.missing)]
    if not args.missing:
        build_english()
        manage("sync_serbian_latin")
        if args.compile:
            manage("compilemessages", "--ignore=.venv", "--ignore=var")
    print(f"{len(problems)} msgid(s) without translation." if problems else "All msgids translated.")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
