"""Multilingual full-text search for the hub: the same answers, in the same order, on PostgreSQL and SQLite.

Every published entry and publication has one ``SearchDocument`` per language it is written in,
holding its title and text as normalised terms (see ``normalise``: lemmatised, Latin script, no
diacritics). A query word matches any of its normal forms in any language, or (from four
characters) any term it begins; the words are AND-ed.

* PostgreSQL finds the documents with ``to_tsquery('simple', …)`` over a GIN expression index on
  ``to_tsvector('simple', title_terms || ' ' || terms)``; SQLite with FTS5 over an external-content
  table kept in sync by triggers (both from migration 0002). The engines only *find*: their own
  ranking functions differ, so they are not used.
* The ranking is an integer score computed by the same portable SQL on both databases (title
  words first, then how often the words occur early in the text, then the newest), so the order
  of the results does not depend on the database either.
* One statement returns the facet counts, the total and the ranked page; one more loads the
  page's entries with their translations, countries and pillars. Measured in bench/search_bench.py
  (results in bench/results/search.md).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connection, transaction
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from rightpath.access.policy import visible
from rightpath.accounts.models import Country

from .content import in_script, pick, storage_language
from .normalise import fold, index_text, query_forms, words
from .taxonomy import EntryKind, EvidenceLevel, Pillar, Status, TargetGroup

__all__ = [
    "fold",
    "index_text",
    "query_forms",
    "rebuild_index",
    "reindex_entry",
    "reindex_publication",
    "search",
    "words",
]

VIEW_ACTION = "knowledge.entry.view"
PAGE_SIZE = 20
PUBLICATION_KIND = "publication"
MAX_QUERY_CHARS = 200
MAX_QUERY_WORDS = 8
MIN_PREFIX_CHARS = 4
# Only the best RANKED_ITEMS results by title (then the newest) get the full score, read from the
# first BODY_CHARS characters of their text: the cost of a search stays bounded however many
# documents match and however long they are. The rest follow in title-then-date order.
RANKED_ITEMS = 200
BODY_CHARS = 600
# The snippet under a result is cut from this much of the summary.
SUMMARY_CHARS = 600
# Entry fields without a language, indexed with every translation.
NEUTRAL_FIELDS = ("place", "organisation_name", "adopting_body")


# --- indexing ------------------------------------------------------------------------------------


def _entry_documents(entry: Any) -> list[Any]:
    from .models import TRANSLATED_FIELDS, SearchDocument

    neutral = " ".join(str(getattr(entry, f, "") or "") for f in NEUTRAL_FIELDS)
    docs = []
    for t in entry.translations.all():
        body = " ".join([*(getattr(t, f) or "" for f in TRANSLATED_FIELDS), neutral])
        docs.append(
            SearchDocument(
                entry_id=entry.pk,
                kind=entry.kind,
                language=t.language,
                title=t.title[:300],
                title_terms=index_text(t.title, t.language),
                terms=index_text(body, t.language),
            )
        )
    return docs


def reindex_entry(entry: Any) -> None:
    """Refresh the search documents of ``entry``: published entries are indexed, others removed."""
    from .models import SearchDocument

    with transaction.atomic():
        SearchDocument.objects.filter(entry_id=entry.pk).delete()
        if entry.status == Status.PUBLISHED:
            SearchDocument.objects.bulk_create(_entry_documents(entry))


def _publication_documents(publication: Any) -> list[Any]:
    from .models import PublicationVersion, SearchDocument

    if publication.published_version is None:
        return []
    version = PublicationVersion.objects.filter(
        publication_id=publication.pk, number=publication.published_version
    ).first()
    if version is None or not isinstance(version.content, dict):
        return []
    docs = []
    for lang, text in version.content.items():
        if not isinstance(text, dict) or not text.get("title"):
            continue
        sections = text.get("sections") or []
        body = " ".join(
            [
                text.get("title", ""),
                text.get("summary", ""),
                publication.authors or "",
                *(f"{s.get('heading', '')} {s.get('body', '')}" for s in sections if isinstance(s, dict)),
            ]
        )
        docs.append(
            SearchDocument(
                publication_id=publication.pk,
                kind=PUBLICATION_KIND,
                language=lang,
                title=str(text["title"])[:300],
                title_terms=index_text(str(text["title"]), lang),
                terms=index_text(body, lang),
            )
        )
    return docs


def reindex_publication(publication: Any) -> None:
    """Refresh the search documents of ``publication``: the published version is indexed per language."""
    from .models import SearchDocument

    with transaction.atomic():
        SearchDocument.objects.filter(publication_id=publication.pk).delete()
        if publication.status == Status.PUBLISHED:
            SearchDocument.objects.bulk_create(_publication_documents(publication))


def rebuild_index(batch_size: int = 500) -> int:
    """Index every published entry and publication from scratch; returns the number of documents."""
    from .models import Entry, Publication, SearchDocument

    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        entries = Entry.objects.filter(status=Status.PUBLISHED).order_by("pk").prefetch_related("translations")
        batch: list[Any] = []
        for entry in entries.iterator(chunk_size=batch_size):
            batch.extend(_entry_documents(entry))
            if len(batch) >= batch_size:
                count += len(SearchDocument.objects.bulk_create(batch))
                batch = []
        for publication in Publication.objects.filter(status=Status.PUBLISHED).order_by("pk"):
            batch.extend(_publication_documents(publication))
        count += len(SearchDocument.objects.bulk_create(batch))
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # Rebuild the FTS5 index from its content table, repairing any drift.
                cursor.execute(
                    "INSERT INTO knowledge_searchdocument_fts(knowledge_searchdocument_fts) VALUES('rebuild')"
                )
            elif connection.vendor == "postgresql":
                # Move the bulk load out of GIN's pending list, which every search would otherwise scan.
                cursor.execute(
                    "SELECT gin_clean_pending_list(c.oid) FROM pg_class c WHERE c.relname = %s AND c.relkind = 'i'",
                    ["knowledge_searchdocument_search_gin"],
                )
    return count


# --- queries -------------------------------------------------------------------------------------

FACETS = ("country", "pillar", "group", "kind", "evidence", "year")


def _kind_choices() -> list[tuple[str, str]]:
    return [*EntryKind.choices, (PUBLICATION_KIND, _("Publication"))]


def facet_choices(name: str) -> list[tuple[str, str]]:
    """The values a facet may take, with their labels (years are open-ended)."""
    return {
        "country": lambda: list(Country.choices),
        "pillar": lambda: list(Pillar.choices),
        "group": lambda: list(TargetGroup.choices),
        "kind": _kind_choices,
        "evidence": lambda: list(EvidenceLevel.choices),
        "year": list,
    }[name]()


def facet_label(name: str) -> str:
    return {
        "country": _("Country"),
        "pillar": _("Pillar"),
        "group": _("Target group"),
        "kind": _("Type"),
        "evidence": _("Evidence rating"),
        "year": _("Year"),
    }[name]


@dataclass
class SearchQuery:
    """A parsed search request: the words to find, the facet filters, the page asked for."""

    text: str = ""
    words: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    page: str | int = 1
    message: str = ""

    @property
    def browsing(self) -> bool:
        """No words and nothing typed: list everything (newest first) for the facets to narrow."""
        return not self.words and not self.text.strip()


def parse_query(params: Mapping[str, Any]) -> SearchQuery:
    """Read ``q``, the facet filters and ``page`` from request parameters; never raises.

    Unknown filter values are dropped, over-long queries are cut, and a query with nothing to
    search for says so in ``message``.
    """
    getlist = params.getlist if hasattr(params, "getlist") else (lambda k: [params[k]] if k in params else [])
    text = str(params.get("q", "") or "")
    query = SearchQuery(text=text[:MAX_QUERY_CHARS], page=params.get("page") or 1)
    found = list(dict.fromkeys(words(query.text)))
    if len(found) > MAX_QUERY_WORDS or len(text) > MAX_QUERY_CHARS:
        query.message = _("Your search was long: only its first %(count)d words were used.") % {
            "count": min(len(found), MAX_QUERY_WORDS)
        }
    query.words = found[:MAX_QUERY_WORDS]
    if text.strip() and not query.words:
        query.message = _("Type a word to search for: letters or digits, not only punctuation.")
    for name in FACETS:
        raw = [str(v) for v in getlist(name) if v]
        if name == "year":
            values = [v for v in raw if v.isdigit() and len(v) == 4]
        else:
            allowed = {c for c, _label in facet_choices(name)}
            values = [v for v in raw if v in allowed]
        if values:
            query.filters[name] = list(dict.fromkeys(values))
    return query


@dataclass
class _Group:
    """One query word: the exact normal forms it may take and the prefixes that also match."""

    exact: list[str]
    prefixes: list[str]


def _groups(query: SearchQuery) -> list[_Group]:
    groups = []
    for word in query.words:
        exact = sorted(query_forms(word))
        if not exact:
            continue
        prefixes = sorted(f for f in exact if len(f) >= MIN_PREFIX_CHARS)
        # A prefix already covered by a shorter one adds nothing.
        prefixes = [p for p in prefixes if not any(p != q and p.startswith(q) for q in prefixes)]
        groups.append(_Group(exact=exact, prefixes=prefixes))
    return groups


def _match_expression(groups: list[_Group], vendor: str) -> str:
    """The full-text expression: any form of each word (or a prefix of one), AND-ed across words.

    Terms are letters and digits only (see ``words``), so nothing the user typed can become an
    operator of FTS5 or of tsquery.
    """
    parts = []
    for g in groups:
        exact = [e for e in g.exact if not any(e.startswith(p) for p in g.prefixes)]
        if vendor == "postgresql":
            alternatives = [*exact, *(f"{p}:*" for p in g.prefixes)]
            parts.append("(" + " | ".join(alternatives) + ")")
        else:
            alternatives = [*(f'"{e}"' for e in exact), *(f'"{p}"*' for p in g.prefixes)]
            parts.append("(" + " OR ".join(alternatives) + ")")
    return (" & " if vendor == "postgresql" else " AND ").join(parts)


def _like_any(column: str, patterns: list[str], params: list[Any]) -> str:
    params.extend(patterns)
    return " OR ".join([f"{column} LIKE %s"] * len(patterns)) or "1 = 0"


def _title_score_sql(groups: list[_Group], params: list[Any]) -> str:
    """Per word: 100 if one of its forms is a title term, else 30 if a title term starts with one of
    its prefixes. Terms are single-space separated, so ``' t '`` finds a whole term."""
    title = "(' ' || sd.title_terms || ' ')"
    parts = []
    for g in groups:
        exact = _like_any(title, [f"% {e} %" for e in g.exact], params)
        prefix = _like_any(title, [f"% {p}%" for p in g.prefixes], params)
        parts.append(f"CASE WHEN {exact} THEN 100 WHEN {prefix} THEN 30 ELSE 0 END")
    return " + ".join(parts) or "0"


def _octets(expression: str) -> str:
    """The length in bytes of a text (constant time on both databases, unlike its length in characters)."""
    return f"OCTET_LENGTH({expression})" if connection.vendor == "postgresql" else f"LENGTH(CAST({expression} AS BLOB))"


def _body_score_sql(groups: list[_Group], params: list[Any]) -> tuple[str, str]:
    """Per word: 5 per occurrence of its forms in the text ``b`` (the first BODY_CHARS characters;
    at most 10 occurrences counted), and 5 more if a term there starts with one of its prefixes.

    Returns the per-word columns (``c0, p0, c1, p1…``, computed once per document) and the score
    over them. ``bl`` is the length of ``b`` in bytes.
    """
    columns, score = [], []
    for n, g in enumerate(groups):
        # Occurrences of " e " = bytes removed / its bytes (a length we computed, not user input).
        counts = " + ".join(
            f"(bl - {_octets('REPLACE(b, %s, ' + chr(39) * 2 + ')')}) / {len(f' {e} '.encode())}" for e in g.exact
        )
        params.extend(f" {e} " for e in g.exact)
        prefix = _like_any("b", [f"% {p}%" for p in g.prefixes], params)
        columns.append(f"{counts} AS c{n}, CASE WHEN {prefix} THEN 5 ELSE 0 END AS p{n}")
        score.append(f"5 * (CASE WHEN c{n} > 10 THEN 10 ELSE c{n} END) + p{n}")
    return ", ".join(columns), " + ".join(score)


def _visible_rows(actor: Any, model: Any, columns: list[str], keys: str) -> tuple[str, list[Any]]:
    """SQL for ``columns`` of the ``model`` rows with ids in ``keys`` that the actor may view: the
    policy's own scope, compiled by the ORM, so the search never counts or shows what the reader
    may not see."""
    qs = visible(actor, VIEW_ACTION, model.objects.order_by().filter(id__in=RawSQL(keys, [])))  # noqa: S611
    try:
        sql, params = qs.values(*columns).query.sql_with_params()
    except EmptyResultSet:
        # Nothing is visible: the same columns, no rows.
        sql, params = model.objects.order_by().filter(pk__lt=0).values(*columns).query.sql_with_params()
    return sql, list(params)


def _filter_sql(filters: Mapping[str, list[str]], skip: str | None = None) -> tuple[str, list[Any]]:
    """Conditions on the candidate items ``i`` for every active filter except ``skip``.

    The SQL built in this module formats only its own identifiers, placeholders and integers;
    every value that comes from a request is a bound parameter (hence the S608 exemptions).
    """
    q = connection.ops.quote_name
    conditions: list[str] = []
    params: list[Any] = []
    for name, values in filters.items():
        if name == skip or not values:
            continue
        marks = ", ".join(["%s"] * len(values))
        if name == "country":
            conditions.append(f"i.k IN (SELECT entry_id FROM knowledge_entrycountry WHERE country IN ({marks}))")  # noqa: S608
        elif name == "group":
            conditions.append(
                f"i.k IN (SELECT entry_id FROM knowledge_entrytargetgroup WHERE {q('group')} IN ({marks}))"  # noqa: S608
            )
        elif name == "pillar":
            conditions.append(
                f"(i.k IN (SELECT entry_id FROM knowledge_entrypillar WHERE pillar IN ({marks}))"  # noqa: S608
                f" OR -i.k IN (SELECT publication_id FROM knowledge_publicationpillar WHERE pillar IN ({marks})))"
            )
            params += values
        elif name == "kind":
            conditions.append(f"i.kind IN ({marks})")
        elif name == "evidence":
            conditions.append(f"i.evidence IN ({marks})")
        elif name == "year":
            conditions.append(f"i.year IN ({marks})")
            values = [int(v) for v in values]
        params += values
    return (" AND ".join(conditions) or "1 = 1"), params


def _match_sql(groups: list[_Group], params: list[Any]) -> str:
    if not groups:
        return "1 = 1"
    params.append(_match_expression(groups, connection.vendor))
    if connection.vendor == "postgresql":
        # The expression of the GIN index of migration 0002, so the planner uses it.
        return "to_tsvector('simple'::regconfig, sd.title_terms || ' ' || sd.terms) @@ to_tsquery('simple', %s)"
    return "sd.id IN (SELECT rowid FROM knowledge_searchdocument_fts WHERE knowledge_searchdocument_fts MATCH %s)"


def _facet_sql(name: str, where: str) -> str:
    """Counts of one facet's values over the items ``i`` that satisfy ``where``."""
    among = f"(SELECT i.k FROM items i WHERE {where})"  # noqa: S608
    if name == "country":
        return (
            "SELECT 'country', c.country, COUNT(*), 0 FROM knowledge_entrycountry c"  # noqa: S608
            f" WHERE c.entry_id IN {among} GROUP BY c.country"
        )
    if name == "group":
        return (
            "SELECT 'group', g.\"group\", COUNT(*), 0 FROM knowledge_entrytargetgroup g"  # noqa: S608
            f' WHERE g.entry_id IN {among} GROUP BY g."group"'
        )
    if name == "pillar":
        return (
            "SELECT 'pillar', v.pillar, COUNT(*), 0 FROM ("  # noqa: S608
            f"SELECT ep.pillar AS pillar FROM knowledge_entrypillar ep WHERE ep.entry_id IN {among}"
            f" UNION ALL SELECT pp.pillar FROM knowledge_publicationpillar pp WHERE -pp.publication_id IN {among}"
            ") v GROUP BY v.pillar"
        )
    column = {"kind": "i.kind", "evidence": "i.evidence", "year": "CAST(i.year AS TEXT)"}[name]
    present = {"evidence": " AND i.evidence <> ''", "year": " AND i.year IS NOT NULL"}.get(name, "")
    return f"SELECT '{name}', {column}, COUNT(*), 0 FROM items i WHERE {where}{present} GROUP BY {column}"  # noqa: S608


def _statement(
    actor: Any, groups: list[_Group], filters: Mapping[str, list[str]], limit: int, offset: int
) -> tuple[str, list[Any]]:
    """One statement for the whole answer: rows ``(what, value, n, position)`` where ``what`` is a
    facet's name (``value`` counted ``n`` times), ``total``, or ``hit`` (``value`` is the item key,
    ``n`` its score, ``position`` its rank on the page).

    Items are entries (key = id) and publications (key = -id). Each facet ignores its own filter,
    so its other values show what choosing them as well would give.
    """
    from .models import Entry, Publication

    params: list[Any] = []
    title_score = _title_score_sql(groups, params)
    match = _match_sql(groups, params)
    entries_sql, entries_params = _visible_rows(
        actor, Entry, ["id", "kind", "evidence_level", "year", "published_at"], "SELECT k FROM keys WHERE k > 0"
    )
    publications_sql, publications_params = _visible_rows(
        actor, Publication, ["id", "year", "published_at"], "SELECT -k FROM keys WHERE k < 0"
    )
    params += [*entries_params, *publications_params]
    where, where_params = _filter_sql(filters)
    params += where_params
    # MATERIALIZED: computed once (each is used several times), and on PostgreSQL a fence that keeps
    # the planner from evaluating the score expressions more than once per row.
    sql = f"""WITH docs AS MATERIALIZED (
        SELECT sd.id AS id, COALESCE(sd.entry_id, -sd.publication_id) AS k, {title_score} AS ts
        FROM knowledge_searchdocument sd WHERE {match}
    ), keys AS (
        SELECT k, MAX(ts) AS ts FROM docs GROUP BY k
    ), items AS MATERIALIZED (
        SELECT x.id AS k, x.kind AS kind, x.evidence_level AS evidence, x.year AS year, x.published_at AS published_at
        FROM ({entries_sql}) x
        UNION ALL
        SELECT -x.id, '{PUBLICATION_KIND}', '', x.year, x.published_at FROM ({publications_sql}) x
    ), f AS MATERIALIZED (
        SELECT i.k AS k, i.published_at AS published_at, keys.ts AS ts
        FROM items i JOIN keys ON keys.k = i.k WHERE {where}
    )"""  # noqa: S608
    if groups:
        body_params: list[Any] = []
        body_columns, body_score = _body_score_sql(groups, body_params)
        params += body_params
        sql += f""", top AS (
        SELECT k FROM f ORDER BY ts DESC, published_at DESC NULLS LAST, k DESC LIMIT {RANKED_ITEMS}
    ), bodies AS MATERIALIZED (
        SELECT d.k AS k, d.ts AS ts, ' ' || (
            SELECT SUBSTR(sd.terms, 1, {BODY_CHARS}) FROM knowledge_searchdocument sd WHERE sd.id = d.id
        ) || ' ' AS b
        FROM top JOIN docs d ON d.k = top.k
    ), counts AS MATERIALIZED (
        SELECT k, ts, {body_columns} FROM (SELECT k, ts, b, {_octets("b")} AS bl FROM bodies) x
    ), best AS (
        SELECT k, MAX(ts + {body_score}) AS score FROM counts GROUP BY k
    ), ranked AS (
        SELECT k, score, ROW_NUMBER() OVER (
            ORDER BY beyond, score DESC, ts DESC, published_at DESC NULLS LAST, k DESC) AS position
        FROM (
            SELECT f.k AS k, b.score AS score, 0 AS beyond, f.ts AS ts, f.published_at AS published_at
            FROM best b JOIN f ON f.k = b.k
            UNION ALL
            SELECT f.k, f.ts, 1, f.ts, f.published_at FROM f WHERE f.k NOT IN (SELECT k FROM top)
        ) u
    )"""  # noqa: S608
    else:
        sql += """, ranked AS (
        SELECT f.k, 0 AS score, ROW_NUMBER() OVER (ORDER BY f.published_at DESC NULLS LAST, f.k DESC) AS position
        FROM f
    )"""
    selects = [
        f"SELECT 'hit', CAST(k AS TEXT), score, position FROM ranked WHERE position > {int(offset)}"  # noqa: S608
        f" AND position <= {int(offset) + int(limit)}",
        "SELECT 'total', '', COUNT(*), 0 FROM f",
    ]
    for name in FACETS:
        facet_where, facet_params = _filter_sql(filters, skip=name)
        selects.append(_facet_sql(name, facet_where))
        params += facet_params * (2 if name == "pillar" else 1)
    return sql + "\n" + "\nUNION ALL ".join(selects), params


# --- results -------------------------------------------------------------------------------------


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list[FacetOption]


@dataclass
class SearchHit:
    """One result as shown on the page and in the API."""

    code: str
    kind: str
    kind_label: str
    title: str
    language: str
    summary: str
    url: str
    countries: list[tuple[str, str]]
    pillars: list[tuple[str, str]]
    year: int | None
    score: int


@dataclass
class SearchPage:
    query: SearchQuery
    total: int
    page_obj: Page
    hits: list[SearchHit]
    facets: list[Facet]

    @property
    def message(self) -> str:
        return self.query.message


class _Window(Sequence):
    """A result list of ``total`` items of which only the current page is loaded (for Paginator)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.items: list[SearchHit] = []

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: Any) -> Any:
        return self.items if isinstance(index, slice) else self.items[index]


def _url(name: str, code: Any, fallback: str) -> str:
    try:
        return reverse(name, kwargs={"code": code})
    except NoReverseMatch:
        # The detail page is built separately; until it exists, link to where it will be.
        return f"{reverse('knowledge:search')}{fallback}/{code}/"


def _shown_language(text_language: str, reader: str) -> str:
    if text_language == "sr" and reader.lower() in ("sr-latn", "sr_latn"):
        return "sr-latn"
    return text_language


def _script(text: str, text_language: str, reader: str) -> str:
    # Only Serbian text changes script; never transliterate another language into Cyrillic.
    return in_script(text, reader) if text_language == "sr" and storage_language(reader) == "sr" else text


@dataclass
class _Text:
    language: str
    title: str
    summary: str


def _entry_hits(ids: list[int], scores: dict[int, int], language: str) -> dict[int, SearchHit]:
    """The page's entries as hits: their fields, translations, countries and pillars in one query
    (a round trip costs more than these few rows; the ids come from the policy-scoped statement)."""
    if not ids:
        return {}
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""SELECT 'e', e.id, CAST(e.code AS TEXT), e.kind, e.original_language, CAST(e.year AS TEXT)
        FROM knowledge_entry e WHERE e.id IN ({marks})
    UNION ALL SELECT 't', t.entry_id, t.language, t.title, SUBSTR(t.summary, 1, {SUMMARY_CHARS}), ''
        FROM knowledge_entrytranslation t WHERE t.entry_id IN ({marks})
    UNION ALL SELECT 'c', c.entry_id, c.country, '', '', '' FROM knowledge_entrycountry c WHERE c.entry_id IN ({marks})
    UNION ALL SELECT 'p', p.entry_id, p.pillar, '', '', '' FROM knowledge_entrypillar p WHERE p.entry_id IN ({marks})"""  # noqa: S608
    entries: dict[int, tuple[str, str, str, str]] = {}
    texts: dict[int, list[_Text]] = {}
    countries: dict[int, list[str]] = {}
    pillars: dict[int, list[str]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, ids * 4)
        for what, pk, a, b, c, d in cursor.fetchall():
            if what == "e":
                entries[pk] = (a, b, c, d)
            elif what == "t":
                texts.setdefault(pk, []).append(_Text(a, b, c or ""))
            elif what == "c":
                countries.setdefault(pk, []).append(a)
            else:
                pillars.setdefault(pk, []).append(a)
    country_names, pillar_names, kinds = dict(Country.choices), dict(Pillar.choices), dict(EntryKind.choices)
    out = {}
    for pk, (code_text, kind, original, year) in entries.items():
        code = uuid.UUID(code_text)
        t = pick(texts.get(pk, []), language, original)
        text_language = t.language if t else original
        out[pk] = SearchHit(
            code=str(code),
            kind=kind,
            kind_label=str(kinds.get(kind, kind)),
            title=_script(t.title, text_language, language) if t else str(code),
            language=_shown_language(text_language, language),
            summary=_script(t.summary, text_language, language) if t else "",
            url=_url("knowledge:entry_detail", code, "entries"),
            countries=sorted((c, str(country_names.get(c, c))) for c in countries.get(pk, [])),
            pillars=sorted((p, str(pillar_names.get(p, p))) for p in pillars.get(pk, [])),
            year=int(year) if year else None,
            score=scores.get(pk, 0),
        )
    return out


def _publication_hits(ids: list[int], scores: dict[int, int], language: str) -> dict[int, SearchHit]:
    from .models import Publication, PublicationVersion

    if not ids:
        return {}
    pillars = dict(Pillar.choices)
    publications = list(Publication.objects.filter(pk__in=ids).prefetch_related("pillars"))
    wanted = Q(pk__in=[])
    for p in publications:
        wanted |= Q(publication_id=p.pk, number=p.published_version)
    versions = {v.publication_id: v.content for v in PublicationVersion.objects.filter(wanted)}
    out = {}
    for p in publications:
        content = versions.get(p.pk) or {}
        chain = [storage_language(language), p.original_language, "en", *sorted(content)]
        text_language = next((lang for lang in chain if isinstance(content.get(lang), dict)), p.original_language)
        text = content.get(text_language) or {}
        out[p.pk] = SearchHit(
            code=str(p.code),
            kind=PUBLICATION_KIND,
            kind_label=_("Publication"),
            title=_script(str(text.get("title") or p.code), text_language, language),
            language=_shown_language(text_language, language),
            summary=_script(str(text.get("summary") or ""), text_language, language),
            url=_url("knowledge:publication_detail", p.code, "publications"),
            countries=[],
            pillars=sorted((x.pillar, str(pillars.get(x.pillar, x.pillar))) for x in p.pillars.all()),
            year=p.year,
            score=scores.get(-p.pk, 0),
        )
    return out


def _facets(rows: Iterable[tuple[str, Any, int]], filters: Mapping[str, list[str]]) -> list[Facet]:
    counts: dict[str, dict[str, int]] = {name: {} for name in FACETS}
    for name, value, n in rows:
        if value not in (None, ""):
            counts[name][str(value)] = int(n)
    facets = []
    for name in FACETS:
        selected = set(filters.get(name, []))
        if name == "year":
            choices = [(v, v) for v in sorted(set(counts[name]) | selected, reverse=True)]
        else:
            choices = [(v, str(label)) for v, label in facet_choices(name)]
        options = [
            FacetOption(value=v, label=label, count=counts[name].get(v, 0), selected=v in selected)
            for v, label in choices
            if counts[name].get(v) or v in selected
        ]
        facets.append(Facet(name=name, label=facet_label(name), options=options))
    return facets


def _page_number(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def search(*, actor: Any, params: Mapping[str, Any], language: str, page_size: int = PAGE_SIZE) -> SearchPage:
    """Published entries and publications matching ``params`` (``q``, facet filters, ``page``), ranked.

    One statement answers with the facet counts, the total and the ranked page; one query loads
    the page's entries with their translations, countries and pillars (publications, when on the
    page, take three more): a fixed number of queries whatever the number of results. Only what
    ``actor`` may view is counted or shown. A page past the end shows the last page.
    """
    query = parse_query(params)
    groups = _groups(query)
    if not groups and not query.browsing:
        query.message = query.message or _("Type a word to search for: letters or digits, not only punctuation.")
        return SearchPage(query=query, total=0, page_obj=Paginator(_Window(0), page_size).page(1), hits=[], facets=[])
    number = _page_number(query.page)
    while True:
        sql, sql_params = _statement(actor, groups, query.filters, page_size, (number - 1) * page_size)
        with connection.cursor() as cursor:
            cursor.execute(sql, sql_params)
            rows = cursor.fetchall()
        total = next(int(n) for what, _v, n, _p in rows if what == "total")
        last = max(1, -(-total // page_size))
        if number <= last:
            break
        # Asked for a page past the end (an old link): show the last one, as Django's paginator does.
        number = last
    ranked = sorted((int(position), int(value), int(n)) for what, value, n, position in rows if what == "hit")
    scores = {k: score for _position, k, score in ranked}
    entry_hits = _entry_hits([k for k in scores if k > 0], scores, language)
    publication_hits = _publication_hits([-k for k in scores if k < 0], scores, language)
    window = _Window(total)
    found = [entry_hits.get(k) if k > 0 else publication_hits.get(-k) for _position, k, _score in ranked]
    # A row deleted since the statement ran is simply left out.
    window.items = [hit for hit in found if hit is not None]
    page_obj = Paginator(window, page_size).page(number)
    facets = _facets([(what, value, n) for what, value, n, _p in rows if what in FACETS], query.filters)
    return SearchPage(query=query, total=total, page_obj=page_obj, hits=list(page_obj.object_list), facets=facets)


TRIGGERS = ("insert", "delete", "update")


def ensure_index() -> bool:
    """Re-create the full-text index objects of migration 0002 if any is missing; True if it did.

    Checked first, so a healthy database runs no DDL.
    """
    import importlib

    ddl = importlib.import_module("rightpath.knowledge.migrations.0002_search_index")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT COUNT(*) FROM pg_indexes WHERE indexname = %s", [ddl.PG_INDEX])
            statements = [] if cursor.fetchone()[0] == 1 else ddl.PG_FORWARD
        elif connection.vendor == "sqlite":
            names = ["knowledge_searchdocument_fts", *(f"knowledge_searchdocument_fts_{t}" for t in TRIGGERS)]
            cursor.execute("SELECT COUNT(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s)", names)
            statements = [] if cursor.fetchone()[0] == 4 else ddl.SQLITE_FORWARD
        else:
            statements = []
        for sql in statements:
            cursor.execute(sql)
    return bool(statements)
