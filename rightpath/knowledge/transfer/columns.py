"""The import/export column schema and how one cell is read."""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils import translation
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from rightpath.accounts.models import Country

from ..content import storage_language
from ..models import TRANSLATED_FIELDS, Entry, EntryTranslation
from ..taxonomy import (
    CONTENT_LANGUAGES,
    PILLAR_ALIASES,
    EntryKind,
    EvidenceLevel,
    ImplementationStatus,
    Pillar,
    PolicyStatus,
    PolicyType,
    Stage,
    Status,
    TargetGroup,
    TranslationStatus,
)

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
LANGUAGES = [code for code, _name in CONTENT_LANGUAGES]
MULTI_SEPARATOR = re.compile(r"\s*[;|]\s*")


@dataclass(frozen=True)
class Column:
    """One spreadsheet column: its name, how a cell is read, and where the value goes."""

    name: str
    type: str  # text, choice, multi, year, date, bool, language, urls, list, dates
    choices: type[models.TextChoices] | None = None
    field: str = ""  # Entry (or EntryTranslation) field, when the column maps to one
    language: str = ""  # content language, for text columns
    label: Any = ""  # what the column holds (lazily translated)
    help: Any = ""  # how to fill it in (lazily translated)


def lang_suffix(language: str) -> str:
    return "" if language == "en" else f"_{language}"


def _entry(
    name: str, type: str, choices: type[models.TextChoices] | None = None, *, column: str = "", help: Any = ""
) -> Column:
    label = Entry._meta.get_field(name).verbose_name
    return Column(column or name, type, choices, field=name, label=label, help=help)


def _text_columns(language: str) -> list[Column]:
    language_name = dict(CONTENT_LANGUAGES)[language]
    cols = [
        Column(
            f"{name}{lang_suffix(language)}",
            "text",
            field=name,
            language=language,
            label=format_lazy("{} ({})", EntryTranslation._meta.get_field(name).verbose_name, language_name),
        )
        for name in TRANSLATED_FIELDS
    ]
    cols.append(
        Column(
            f"translation_status{lang_suffix(language)}",
            "choice",
            TranslationStatus,
            field="status",
            language=language,
            label=format_lazy("{} ({})", gettext_lazy("translation status"), language_name),
            help=gettext_lazy(
                "original, translated, machine or needs_review (empty: original for the original language)"
            ),
        )
    )
    return cols


_EN_TEXT = {c.field: c for c in _text_columns("en")}
_DATE = gettext_lazy("a date, YYYY-MM-DD")
_YES_NO = gettext_lazy("yes or no")

COLUMNS: list[Column] = [
    _entry(
        "kind", "choice", EntryKind, help=gettext_lazy("policy, practice, institution, figure or framework (required)")
    ),
    Column(
        "status",
        "choice",
        Status,
        label=gettext_lazy("status"),
        help=gettext_lazy("draft, in_review, published or archived (empty: the import's choice)"),
    ),
    _EN_TEXT["title"],
    _EN_TEXT["summary"],
    Column(
        "country",
        "multi",
        Country,
        label=gettext_lazy("countries"),
        help=gettext_lazy("country codes or English names separated by ; for example XK; MK (empty: regional)"),
    ),
    Column(
        "pillar",
        "multi",
        Pillar,
        label=gettext_lazy("pillars"),
        help=gettext_lazy("pillar codes or English names separated by ; for example prison-based DRR; coordination"),
    ),
    Column(
        "target_groups",
        "multi",
        TargetGroup,
        label=gettext_lazy("target groups"),
        help=gettext_lazy("target group codes or English names separated by ; for example women; minors"),
    ),
    _entry("year", "year"),
    _entry(
        "original_language",
        "language",
        help=gettext_lazy("en, sq, bs, hr, mk or sr (empty: English if there is English text)"),
    ),
    _entry("place", "text"),
    _entry("organisation_name", "text", column="organisation"),
    _entry("contact", "text"),
    _entry("period_start", "year"),
    _entry("period_end", "year"),
    _entry("stage", "choice", Stage),
    _entry("evidence_level", "choice", EvidenceLevel),
    _entry("evidence_basis", "text", help=gettext_lazy("required when there is an evidence rating")),
    _entry("independent_evaluation", "bool", help=_YES_NO),
    _entry("evaluated_in_region", "bool", help=_YES_NO),
    _entry("peer_reviewed", "bool", help=_YES_NO),
    _entry("rated_by", "text"),
    _entry("rated_on", "date", help=_DATE),
    _entry("policy_type", "choice", PolicyType),
    _entry("adopting_body", "text"),
    _entry("valid_from", "date", help=_DATE),
    _entry("valid_until", "date", help=_DATE),
    _entry("policy_status", "choice", PolicyStatus),
    _entry("implementation_status", "choice", ImplementationStatus),
    _entry("link", "text", help=gettext_lazy("web address of the official text")),
    _entry("value", "text", help=gettext_lazy("a figure's number, for example 110")),
    _entry("as_of", "year", help=gettext_lazy("the year a figure describes (empty for a figure: its year)")),
    _entry("last_verified_on", "date", help=_DATE),
    Column(
        "source_url",
        "urls",
        label=gettext_lazy("sources"),
        help=gettext_lazy("web addresses of the sources, separated by spaces"),
    ),
    Column(
        "source_title",
        "list",
        label=gettext_lazy("source titles"),
        help=gettext_lazy("titles of the sources in the same order, separated by |"),
    ),
    Column(
        "source_accessed_on",
        "dates",
        label=gettext_lazy("sources accessed on"),
        help=gettext_lazy("dates the sources were consulted, in the same order, separated by |"),
    ),
    *[c for c in _text_columns("en") if c.field not in ("title", "summary")],
    *[c for lang in LANGUAGES if lang != "en" for c in _text_columns(lang)],
]
COLUMN_BY_NAME = {c.name: c for c in COLUMNS}
HEADERS = [c.name for c in COLUMNS]

# Other spellings accepted in a header row (after lower-casing and turning spaces into "_").
HEADER_ALIASES = {
    "countries": "country",
    "pillars": "pillar",
    "target_group": "target_groups",
    "organisation_name": "organisation",
    "organization": "organisation",
    "source": "source_url",
    "sources": "source_url",
    "source_urls": "source_url",
    "source_titles": "source_title",
    "language": "original_language",
    **{f"{name}_en": name for name in [*TRANSLATED_FIELDS, "translation_status"]},
    **{f"{name}_sr_latn": f"{name}_sr" for name in [*TRANSLATED_FIELDS, "translation_status"]},
}

# Entry fields whose column has another name (for validation messages).
FIELD_COLUMN = {c.field: c.name for c in COLUMNS if c.field and not c.language}
RELATED_COLUMN = {
    "countries": "country",
    "pillars": "pillar",
    "target_groups": "target_groups",
    "sources": "source_url",
}


def neutralise(text: str) -> str:
    """Make a cell inert for spreadsheets: prefix an apostrophe to text that would run as a formula.

    Text that already starts with apostrophes before such a character gets one more, so that
    ``unneutralise`` gives back exactly the original.
    """
    return "'" + text if text.lstrip("'").startswith(FORMULA_TRIGGERS) else text


def unneutralise(text: str) -> str:
    """Undo ``neutralise``: drop the apostrophe an export put before formula-like text."""
    if text.startswith("'") and text[1:].lstrip("'").startswith(FORMULA_TRIGGERS):
        return text[1:]
    return text


# OOXML writes characters XML cannot hold (and carriage returns, which XML turns into line feeds)
# as _xHHHH_, and a literal "_xHHHH_" as "_x005F_xHHHH_"; Excel reads and writes cells this way.
_XLSX_ESCAPE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r]|_(?=x[0-9A-Fa-f]{4}_)")
_XLSX_UNESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def xlsx_escape(text: str) -> str:
    """Text as an XLSX cell stores it, so every character survives (carriage returns included)."""
    return _XLSX_ESCAPE.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def xlsx_unescape(text: str) -> str:
    """The text of an XLSX cell as Excel shows it (undoes ``xlsx_escape``)."""
    return _XLSX_UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def split_list(text: str) -> list[str]:
    """The parts of a "|"-separated cell; "\\|" is a "|" inside a part."""
    return [part.strip().replace("\\|", "|") for part in re.split(r"(?<!\\)\|", text)]


def join_list(parts: list[str]) -> str:
    """The inverse of ``split_list``."""
    return " | ".join(part.replace("|", "\\|") for part in parts)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    # NUL cannot be stored in PostgreSQL text and is never meant.
    return unneutralise(str(value).replace("\x00", "").strip())


@functools.cache
def _lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Codes and English labels (lower-case) → code, plus the pillar names used in data files."""
    with translation.override("en"):
        table = {str(label).casefold(): value for value, label in choices.choices}
    table.update({value.casefold(): value for value in choices.values})
    if choices is Pillar:
        table.update({k.casefold(): str(v) for k, v in PILLAR_ALIASES.items()})
    return table


LANGUAGE_NAMES = {
    "english": "en",
    "albanian": "sq",
    "bosnian": "bs",
    "croatian": "hr",
    "macedonian": "mk",
    "serbian": "sr",
    **{name.casefold(): code for code, name in CONTENT_LANGUAGES},
}


def read_choice(text: str, choices: type[models.TextChoices]) -> str:
    code = _lookup(choices).get(text.casefold())
    if code is None:
        raise ValueError(
            _("Unknown value “%(value)s”. Use one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(choices.values)}
        )
    return code


def read_year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text):
        raise ValueError(_("“%(value)s” is not a year (four digits, e.g. 2019).") % {"value": text})
    year = int(text)
    if not 1900 <= year <= 2100:
        raise ValueError(_("Give a year between 1900 and 2100."))
    return year


def read_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y", "%d.%m.%Y."):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": text})


def read_bool(text: str) -> bool:
    lowered = text.casefold()
    if lowered in ("yes", "y", "true", "1", "x"):
        return True
    if lowered in ("no", "n", "false", "0", ""):
        return False
    raise ValueError(_("Write yes or no."))


def read_language(text: str) -> str:
    code = LANGUAGE_NAMES.get(text.casefold()) or storage_language(text)
    if code not in LANGUAGES:
        raise ValueError(
            _("Unknown language “%(value)s”. Use one of: %(allowed)s.")
            % {"value": text, "allowed": ", ".join(LANGUAGES)}
        )
    return code
