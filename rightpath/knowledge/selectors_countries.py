"""Reads for country profiles, the country comparison and the read API: published entries only.

Every query starts from ``visible(actor, "knowledge.entry.view", …)`` and then keeps only published
entries, so an editor sees on these public pages exactly what the public sees. Each selector runs a
fixed number of queries whatever the number of entries (the related rows are prefetched), and the
text of each entry is chosen in the reader's language from the prefetched translations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, QuerySet
from django.http import Http404

from rightpath.access.policy import visible
from rightpath.accounts.models import Country

from . import content
from .models import Entry, EntryTranslation
from .taxonomy import EntryKind, EvidenceLevel, ImplementationStatus, Pillar, PolicyStatus, Status

# What a country "has" along a pillar: its policies, practices and institutions.
PROFILE_KINDS = (EntryKind.POLICY, EntryKind.PRACTICE, EntryKind.INSTITUTION)
_KIND_ORDER = {kind: i for i, kind in enumerate(PROFILE_KINDS)}
# A comparison cell lists this many titles; the rest are counted and found on the country profile.
CELL_TITLES = 8
MIN_COMPARED, MAX_COMPARED = 2, 6


def country_code(value: str) -> str:
    """The country code in ``value`` (any case), or Http404 when it is not a country we know."""
    code = (value or "").upper()
    if code not in Country.values:
        raise Http404
    return code


def country_name(code: str) -> str:
    """The country's name in the active language."""
    return str(Country(code).label)


def published_entries(actor: Any) -> QuerySet[Entry]:
    """Published entries the actor may read (the public pages never show drafts, even to editors)."""
    return visible(actor, "knowledge.entry.view", Entry.objects.all()).filter(status=Status.PUBLISHED)


def _with_text(qs: QuerySet[Entry], *extra: str) -> QuerySet[Entry]:
    return qs.prefetch_related(
        Prefetch("translations", queryset=EntryTranslation.objects.order_by("language")),
        "countries",
        "pillars",
        *extra,
    )


# --- one entry as a row of a profile, a comparison cell or the API ---------------------------------------


@dataclass
class EntryRow:
    """What the country pages show of one entry, in the reader's language."""

    code: Any
    kind: str
    kind_label: str
    title: str
    summary: str
    language: str  # the stored language of the text shown
    is_fallback: bool
    year: int | None
    state: str  # policy status and implementation, or the evidence rating of a practice
    evidence_level: str
    countries: list[str]
    pillars: list[str]
    value: str = ""
    as_of: int | None = None
    sources: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_regional(self) -> bool:
        return len(self.countries) > 1

    @property
    def evidence_warning(self) -> bool:
        return self.evidence_level == EvidenceLevel.NO_EFFECT


def entry_text(entry: Entry, language: str) -> tuple[str, str, str, bool]:
    """(title, summary, stored language, is a fallback) of ``entry`` for a reader of ``language``.

    Uses the prefetched translations (no query); Serbian is shown in the reader's script.
    """
    chosen = content.pick(entry.translations.all(), language, entry.original_language)
    if chosen is None:
        return str(entry.code), "", entry.original_language, True
    # Only Serbian text changes script; a Serbian reader of an English text reads it as written.
    script = language if chosen.language == "sr" else chosen.language
    return (
        content.in_script(chosen.title, script),
        content.in_script(chosen.summary, script),
        chosen.language,
        chosen.language != content.storage_language(language),
    )


def _state(entry: Entry) -> str:
    if entry.kind == EntryKind.POLICY:
        parts = [
            str(PolicyStatus(entry.policy_status).label) if entry.policy_status in PolicyStatus.values else "",
            str(ImplementationStatus(entry.implementation_status).label)
            if entry.implementation_status in ImplementationStatus.values
            else "",
        ]
        return " · ".join(p for p in parts if p)
    if entry.kind == EntryKind.PRACTICE and entry.evidence_level in EvidenceLevel.values:
        return str(EvidenceLevel(entry.evidence_level).label)
    return ""


def entry_row(entry: Entry, language: str, *, with_sources: bool = False) -> EntryRow:
    """One entry as a row (prefetched relations only; ``with_sources`` needs ``sources`` prefetched)."""
    title, summary, shown, fallback = entry_text(entry, language)
    kind_label = str(EntryKind(entry.kind).label) if entry.kind in EntryKind.values else entry.kind
    return EntryRow(
        code=entry.code,
        kind=entry.kind,
        kind_label=kind_label,
        title=title,
        summary=summary,
        language=shown,
        is_fallback=fallback,
        year=entry.year,
        state=_state(entry),
        evidence_level=entry.evidence_level,
        countries=sorted(c.country for c in entry.countries.all()),
        pillars=[p.pillar for p in entry.pillars.all()],
        value=entry.value,
        as_of=entry.as_of,
        sources=[{"title": s.title, "url": s.url, "accessed_on": s.accessed_on} for s in entry.sources.all()]
        if with_sources
        else [],
    )


def _sorted(rows: Iterable[EntryRow]) -> list[EntryRow]:
    return sorted(rows, key=lambda r: (_KIND_ORDER.get(r.kind, 99), r.title.casefold()))


# --- the list of countries -----------------------------------------------------------------------------------


def country_list(*, actor: Any) -> list[dict[str, Any]]:
    """Every country with the number of published policies, practices and institutions per pillar
    and in all (an entry on two pillars counts once in the total). Two queries."""
    qs = published_entries(actor).filter(kind__in=PROFILE_KINDS).order_by()
    per_pillar: dict[tuple[str, str], int] = {
        (c, p): n
        for c, p, n in qs.values_list("countries__country", "pillars__pillar").annotate(n=Count("pk", distinct=True))
        if c
    }
    totals = dict(qs.values_list("countries__country").annotate(n=Count("pk", distinct=True)))
    return [
        {
            "code": code,
            "name": str(label),
            "counts": [per_pillar.get((code, pillar), 0) for pillar in Pillar.values],
            "total": totals.get(code, 0),
        }
        for code, label in Country.choices
    ]


# --- one country's profile ----------------------------------------------------------------------------------


@dataclass
class PillarSection:
    pillar: str
    label: str
    entries: list[EntryRow]


@dataclass
class CountryProfile:
    """What a country has, pillar by pillar: national entries per pillar, then the figures, then the
    regional entries (those that cover this and other countries), and every source cited."""

    country: str
    name: str
    sections: list[PillarSection]
    unassigned: list[EntryRow]
    figures: list[EntryRow]
    regional: list[EntryRow]

    @property
    def total(self) -> int:
        codes = {r.code for s in self.sections for r in s.entries}
        return len(codes | {r.code for r in self.unassigned})

    @property
    def sources(self) -> list[dict[str, Any]]:
        """Each source cited on the profile once, in the order it first appears."""
        seen: dict[str, dict[str, Any]] = {}
        rows = [r for s in self.sections for r in s.entries] + self.unassigned + self.figures + self.regional
        for row in rows:
            for src in row.sources:
                seen.setdefault(src["url"], src)
        return list(seen.values())


def country_profile(*, actor: Any, country: str, language: str) -> CountryProfile:
    """The published profile of ``country`` for a reader of ``language`` (five queries)."""
    qs = published_entries(actor).filter(kind__in=[*PROFILE_KINDS, EntryKind.FIGURE], countries__country=country)
    rows = [entry_row(e, language, with_sources=True) for e in _with_text(qs, "sources")]
    national = [r for r in rows if r.kind != EntryKind.FIGURE and not r.is_regional]
    return CountryProfile(
        country=country,
        name=country_name(country),
        sections=[
            PillarSection(pillar, str(label), _sorted(r for r in national if pillar in r.pillars))
            for pillar, label in Pillar.choices
        ],
        unassigned=_sorted(r for r in national if not r.pillars),
        figures=sorted(
            (r for r in rows if r.kind == EntryKind.FIGURE), key=lambda r: (-(r.as_of or 0), r.title.casefold())
        ),
        regional=_sorted(r for r in rows if r.kind != EntryKind.FIGURE and r.is_regional),
    )


# --- comparing countries --------------------------------------------------------------------------------------


@dataclass
class CompareCell:
    country: str
    entries: list[EntryRow]

    @property
    def count(self) -> int:
        return len(self.entries)

    @property
    def is_gap(self) -> bool:
        return not self.entries

    @property
    def shown(self) -> list[EntryRow]:
        return self.entries[:CELL_TITLES]

    @property
    def more(self) -> int:
        return max(0, len(self.entries) - CELL_TITLES)


@dataclass
class CompareRow:
    pillar: str
    label: str
    cells: list[CompareCell]

    @property
    def gaps(self) -> int:
        return sum(1 for c in self.cells if c.is_gap)


@dataclass
class Comparison:
    countries: list[dict[str, str]]
    rows: list[CompareRow]

    @property
    def gap_count(self) -> int:
        return sum(r.gaps for r in self.rows)


def country_comparison(*, actor: Any, countries: list[str], language: str) -> Comparison:
    """Pillars × ``countries``: the published policies, practices and institutions of each country
    on each pillar (regional entries count for every country they cover); an empty cell is a gap.
    Four queries, whatever the number of entries."""
    qs = published_entries(actor).filter(kind__in=PROFILE_KINDS, countries__country__in=countries).distinct()
    cells: dict[tuple[str, str], list[EntryRow]] = {}
    for entry in _with_text(qs):
        row = entry_row(entry, language)
        for country in row.countries:
            for pillar in row.pillars:
                cells.setdefault((pillar, country), []).append(row)
    return Comparison(
        countries=[{"code": c, "name": country_name(c)} for c in countries],
        rows=[
            CompareRow(pillar, str(label), [CompareCell(c, _sorted(cells.get((pillar, c), []))) for c in countries])
            for pillar, label in Pillar.choices
        ],
    )


# --- the read API -----------------------------------------------------------------------------------------------

# Without ?kind= the API lists what most callers want: practices and policies.
API_DEFAULT_KINDS = (EntryKind.PRACTICE, EntryKind.POLICY)


def api_entry_list(*, actor: Any, params: Mapping[str, str]) -> QuerySet[Entry]:
    """Published entries filtered by ``kind``, ``country`` and ``pillar`` (unknown values match
    nothing, so a typo never widens the answer), newest first, with what the API shows prefetched."""
    qs = published_entries(actor)
    kind = params.get("kind", "")
    qs = qs.filter(kind=kind) if kind else qs.filter(kind__in=API_DEFAULT_KINDS)
    country = params.get("country", "")
    if country:
        qs = qs.filter(countries__country=country.upper())
    pillar = params.get("pillar", "")
    if pillar:
        qs = qs.filter(pillars__pillar=pillar)
    return _with_text(qs.distinct(), "target_groups", "sources").order_by("-published_at", "-pk")


def api_entry_queryset(*, actor: Any) -> QuerySet[Entry]:
    """Published entries of every kind, as the API's detail shows them."""
    return _with_text(published_entries(actor), "target_groups", "sources")
