"""Multilingual content: which language version of a text to show, in the reader's script.

Fallback chain: the reader's language → its parent (sr-latn → sr; bs/hr/sr share nothing
automatically: they are separate languages) → the record's original language → English → any.
Serbian is stored once (in whichever script the author wrote) and shown in the reader's script.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rightpath.core.script import CYR_TO_LAT, to_cyrillic, to_latin  # noqa: F401 (re-exported)


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
