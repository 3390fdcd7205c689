"""The text pipeline of the hub's search: one normalisation for indexing and for queries.

    lower-case → split into words (letters and digits) → lemmatise by language → Cyrillic to Latin
    → strip diacritics → spelling folds

* Lemmatisers: English by Snowball; Albanian and Macedonian by simplemma; Serbian, Croatian and
  Bosnian by lemmagen3 (its ``sr`` model for Serbian, ``hr`` for Croatian and Bosnian, which are
  ijekavian). lemmagen3's Macedonian model is licensed for non-commercial use only, so it is not
  used. lemmagen3 reads only Latin script, so Serbian Cyrillic is transliterated *before*
  lemmatising; simplemma reads Macedonian Cyrillic, so Macedonian is transliterated *after*.
  Each model is loaded once per process, on first use.
* Diacritics: combining marks are removed after NFKD and ``đ`` becomes ``d``. For Serbian, Croatian
  and Bosnian ``dj`` also becomes ``d``, so ``osuđenika``, ``osudjenika`` and ``osudenika`` meet.
  For Macedonian, ``ѓ``/``ќ`` (``ǵ``/``ḱ`` in cyrtranslit's Latin) and the ``gj``/``kj`` spellings
  all become ``g``/``k``; ``ѕ`` and ``џ`` both become ``dz``. Cyrillic in a text of another
  language is transliterated with the Serbian table (then the Macedonian one for ѓ ќ ѕ).
* A document stores, for each word, its folded lemma and its folded word form, so an exact word
  matches even where the lemmatiser is wrong.
* A query word becomes the set of its normal forms under *every* language (``query_forms``): the
  reader may type in any of them, and Latin for Cyrillic text.

Terms are runs of letters and digits only: nothing in them is an operator of FTS5 or of tsquery.
"""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from typing import Any

from .content import storage_language

# Words longer than this are not words (and PostgreSQL refuses to index words over 2047 bytes).
MAX_WORD_CHARS = 60
SOUTH_SLAVIC = frozenset({"sr", "hr", "bs", "cnr"})
# The lemmatisers a query goes through: Bosnian and Montenegrin use the Croatian model.
QUERY_LANGUAGES = ("en", "sq", "mk", "sr", "hr")

_WORD = re.compile(r"[^\W_]+")

_local = threading.local()


def _snowball_english(word: str) -> str:
    # Snowball stemmer objects keep state between calls: one per thread.
    stemmer = getattr(_local, "english", None)
    if stemmer is None:
        import snowballstemmer

        stemmer = _local.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word))


@functools.cache
def _lemmagen(model: str) -> Any:
    """One lemmagen3 model per process (loaded on first use, never per request)."""
    import lemmagen3

    return lemmagen3.Lemmatizer(model)


def _simplemma(word: str, lang: str) -> str:
    # simplemma caches its language data itself after the first call.
    import simplemma

    return str(simplemma.lemmatize(word, lang=lang)).lower()


def _has_cyrillic(text: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in text)


def _to_latin(text: str, lang: str) -> str:
    if not _has_cyrillic(text):
        return text
    import cyrtranslit

    text = str(cyrtranslit.to_latin(text, "mk" if lang == "mk" else "sr"))
    if lang != "mk" and _has_cyrillic(text):
        # Macedonian letters (ѓ ќ ѕ) in a text that is not marked Macedonian.
        text = str(cyrtranslit.to_latin(text, "mk"))
    return text.lower()


@functools.lru_cache(maxsize=100_000)
def lemma(word: str, lang: str) -> str:
    """The lemma (or stem) of a lower-case ``word`` in ``lang``; the word itself when unknown."""
    lang = storage_language(lang)
    if lang == "en":
        return _snowball_english(word) if word.isascii() else word
    if lang == "sq":
        return _simplemma(word, "sq")
    if lang == "mk":
        if _has_cyrillic(word):
            return _simplemma(word, "mk")
        if word.isascii() and word.isalpha():
            # A Macedonian word typed in Latin: lemmatise its Cyrillic spelling.
            import cyrtranslit

            cyr = cyrtranslit.to_cyrillic(word.replace("gj", "ǵ").replace("kj", "ḱ"), "mk")
            return _to_latin(_simplemma(cyr, "mk"), "mk")
        return word
    if lang in SOUTH_SLAVIC:
        return str(_lemmagen("sr" if lang == "sr" else "hr").lemmatize(_to_latin(word, lang))).lower()
    return word


@functools.lru_cache(maxsize=100_000)
def fold(word: str, lang: str) -> str:
    """Latin script, no diacritics, and the language's spelling variants made one."""
    lang = storage_language(lang)
    text = _to_latin(word, lang)
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    text = text.replace("đ", "d")
    if lang in SOUTH_SLAVIC:
        text = text.replace("dj", "d")
    elif lang == "mk":
        text = text.replace("gj", "g").replace("kj", "k")
    return text


def words(text: str) -> list[str]:
    """Lower-case words (runs of letters and digits) of ``text``; over-long runs are dropped."""
    text = unicodedata.normalize("NFC", text or "").lower()
    return [w for w in _WORD.findall(text) if len(w) <= MAX_WORD_CHARS]


def normal_forms(word: str, lang: str) -> tuple[str, ...]:
    """The index terms of one word in ``lang``: its folded lemma and, if different, its folded form."""
    lemma_form = fold(lemma(word, lang), lang)
    surface = fold(word, lang)
    forms = (lemma_form,) if lemma_form == surface else (lemma_form, surface)
    # Folding may leave characters outside [letters, digits] (e.g. a lemma with a hyphen): split again.
    return tuple(t for f in forms for t in _WORD.findall(f) if len(t) <= MAX_WORD_CHARS)


def index_text(text: str, lang: str) -> str:
    """The normalised, space-separated terms of ``text`` written in ``lang``."""
    return " ".join(t for w in words(text) for t in normal_forms(w, lang))


@functools.lru_cache(maxsize=20_000)
def query_forms(word: str) -> frozenset[str]:
    """Every normal form a query word may have, in any of the languages the reader may mean."""
    return frozenset(t for lang in QUERY_LANGUAGES for t in normal_forms(word, lang))
