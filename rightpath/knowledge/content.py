"""Multilingual content: which language version of a text to show, in the reader's script.

Fallback chain: the reader's language → its parent (sr-latn → sr; bs/hr/sr share nothing
automatically: they are separate languages) → the record's original language → English → any.
Serbian is stored once (in whichever script the author wrote) and shown in the reader's script.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_CYR = "АБВГДЂЕЖЗИЈКЛЉМНЊОПРСТЋУФХЦЧЏШабвгдђежзијклљмнњопрстћуфхцчџш"
_LAT = [
    "A", "B", "V", "G", "D", "Đ", "E", "Ž", "Z", "I", "J", "K", "L", "Lj", "M", "N", "Nj", "O", "P", "R", "S", "T", "Ć", "U", "F", "H", "C", "Č", "Dž", "Š",
    "a", "b", "v", "g", "d", "đ", "e", "ž", "z", "i", "j", "k", "l", "lj", "m", "n", "nj", "o", "p", "r", "s", "t", "ć", "u", "f", "h", "c", "č", "dž", "š",
]  # fmt: skip
CYR_TO_LAT = dict(zip(_CYR, _LAT, strict=True))
_LAT_DIGRAPHS = {"Lj": "Љ", "LJ": "Љ", "lj": "љ", "Nj": "Њ", "NJ": "Њ", "nj": "њ", "Dž": "Џ", "DŽ": "Џ", "dž": "џ"}
_LAT_SINGLE = {v: k for k, v in CYR_TO_LAT.items() if len(v) == 1}


def to_latin(text: str) -> str:
    """Serbian Cyrillic → Latin (standard one-to-one mapping)."""
    return "".join(CYR_TO_LAT.get(ch, ch) for ch in text)


def to_cyrillic(text: str) -> str:
    """Serbian Latin → Cyrillic (digraphs lj, nj, dž first)."""
    out = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if pair in _LAT_DIGRAPHS:
            out.append(_LAT_DIGRAPHS[pair])
            i += 2
            continue
        out.append(_LAT_SINGLE.get(text[i], text[i]))
        i += 1
    return "".join(out)


def storage_language(language: str) -> str:
    """The language code content is stored under (Serbian Latin and Cyrillic share ``sr``)."""
    return "sr" if language.lower() in ("sr", "sr-latn", "sr_latn") else language.split("-")[0].lower()


def fallback_chain(language: str, original: str) -> list[str]:
    chain = [storage_language(language), original, "en"]
    seen: list[str] = []
    for code in chain:
        if code not in seen:
            seen.append(code)
    return seen


def in_script(text: str, language: str) -> str:
    """Show Serbian in the reader's script; other languages unchanged."""
    lang = language.lower()
    if lang in ("sr-latn", "sr_latn"):
        return to_latin(text)
    if lang == "sr":
        return to_cyrillic(text)
    return text


def pick(translations: Iterable[Any], language: str, original: str) -> Any | None:
    """The translation to show for ``language``: first in the fallback chain, else any."""
    by_lang = {t.language: t for t in translations}
    for code in fallback_chain(language, original):
        if code in by_lang:
            return by_lang[code]
    return next(iter(by_lang.values()), None)
