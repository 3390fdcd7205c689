"""Generate the Serbian Latin catalog from the Serbian Cyrillic one, so the two always say the same thing.

Translators edit only ``locale/sr`` (Cyrillic). This command rewrites ``locale/sr_Latn/LC_MESSAGES/django.po``
with every msgstr transliterated Cyrillic → Latin (Serbian standard alphabet: љ→lj, њ→nj, џ→dž, ђ→đ, ћ→ć …).
Placeholders (``%(name)s``, ``%s``, ``{name}``), HTML tags and entities are copied untouched.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import polib
from django.conf import settings
from django.core.management.base import BaseCommand

CYRILLIC_TO_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "ђ": "đ", "е": "e", "ж": "ž", "з": "z", "и": "i",
    "ј": "j", "к": "k", "л": "l", "љ": "lj", "м": "m", "н": "n", "њ": "nj", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "ћ": "ć", "у": "u", "ф": "f", "х": "h", "ц": "c", "ч": "č", "џ": "dž", "ш": "š",
}  # fmt: skip
CYRILLIC_TO_LATIN.update({k.upper(): v.capitalize() for k, v in CYRILLIC_TO_LATIN.items()})
# Љ, Њ, Џ become "LJ", "NJ", "DŽ" inside a word written in capitals, "Lj", "Nj", "Dž" otherwise.
DIGRAPH_CAPITALS = {"Љ": "LJ", "Њ": "NJ", "Џ": "DŽ"}

# Segments that are code, not language: printf/Python format placeholders, str.format fields, HTML tags, entities.
PROTECTED = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXcr%]|\{[^{}]*\}|<[^<>]*>|&#?\w+;")


def _transliterate_text(text: str) -> str:
    out = []
    for i, char in enumerate(text):
        if char in DIGRAPH_CAPITALS:
            before = text[i - 1] if i > 0 else ""
            after = text[i + 1] if i + 1 < len(text) else ""
            in_capitals = (after.isalpha() and after.isupper()) or (
                before.isalpha() and before.isupper() and not (after.isalpha() and after.islower())
            )
            out.append(DIGRAPH_CAPITALS[char] if in_capitals else CYRILLIC_TO_LATIN[char])
        else:
            out.append(CYRILLIC_TO_LATIN.get(char, char))
    return "".join(out)


def transliterate(text: str) -> str:
    """Serbian Cyrillic → Serbian Latin, leaving placeholders, HTML tags and entities exactly as they are."""
    result, last = [], 0
    for match in PROTECTED.finditer(text):
        result.append(_transliterate_text(text[last : match.start()]))
        result.append(match.group(0))
        last = match.end()
    result.append(_transliterate_text(text[last:]))
    return "".join(result)


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


def latin_catalog(cyrillic: polib.POFile) -> polib.POFile:
    """A copy of the Cyrillic catalog with every msgstr transliterated and the header set to sr_Latn."""
    latin = polib.POFile(wrapwidth=cyrillic.wrapwidth)
    latin.header = cyrillic.header
    latin.metadata = dict(cyrillic.metadata)
    latin.metadata["Language"] = "sr_Latn"
    if "Language-Team" in latin.metadata:
        latin.metadata["Language-Team"] = "Serbian (Latin)"
    latin.metadata_is_fuzzy = cyrillic.metadata_is_fuzzy
    for entry in cyrillic:
        latin.append(
            polib.POEntry(
                msgctxt=entry.msgctxt,
                msgid=entry.msgid,
                msgid_plural=entry.msgid_plural,
                msgstr=transliterate(entry.msgstr),
                msgstr_plural={n: transliterate(s) for n, s in entry.msgstr_plural.items()},
                flags=list(entry.flags),
                comment=entry.comment,
                tcomment=entry.tcomment,
                occurrences=list(entry.occurrences),
                obsolete=entry.obsolete,
            )
        )
    return latin


class Command(BaseCommand):
    help = "Write locale/sr_Latn/LC_MESSAGES/django.po as the Latin transliteration of locale/sr (Cyrillic)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--domain", default="django", help="Catalog domain (default: django).")

    def handle(self, *args: Any, domain: str, **options: Any) -> None:
        source = locale_dir() / "sr" / "LC_MESSAGES" / f"{domain}.po"
        target = locale_dir() / "sr_Latn" / "LC_MESSAGES" / f"{domain}.po"
        latin = latin_catalog(polib.pofile(str(source)))
        target.parent.mkdir(parents=True, exist_ok=True)
        latin.save(str(target))
        self.stdout.write(f"Wrote {target} ({len(latin)} entries) from {source}.")
