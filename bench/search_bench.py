#!/usr/bin/env python
"""Benchmark of the knowledge hub's search: ``search()`` (ranking, facets and the page's entries)
beside a bare full-text query on the same data, in the same run, on PostgreSQL and SQLite.

Usage (from the project root, with the virtualenv):

    .venv/bin/python bench/search_bench.py                      # both databases, 10,000 entries
    .venv/bin/python bench/search_bench.py --databases sqlite    # SQLite only
    .venv/bin/python bench/search_bench.py --pg-url postgres://postgres@127.0.0.1:5432/rightpath_bench

Each database is a throwaway: a temporary SQLite file, and a PostgreSQL database (its name must end
in ``_bench``) that is dropped, created, migrated, filled and dropped again. Results go to
bench/results/search.md (``--output``). See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent

# Real words of the field, with inflected forms (so the lemmatisers have work), per language.
VOCABULARY = {
    "en": """prison prisons probation reintegration rehabilitation disengagement offender offenders returnee
        returnees family families mentoring mentor mentors community communities programme programmes support
        training risk assessment release women children minors school education employment housing counselling
        psychologist social worker workers police court sentence coordination institution municipality network
        evaluation outcome violence extremism radicalisation religious leader leaders youth centre plan case
        cases conference referral agreement local national strategy law action protocol practitioners""",
    "sq": """burg burgu burgut burgje riintegrim riintegrimi rehabilitim rehabilitimi familje familjet familjeve
        fëmijë fëmijët shkollë shkollat shkollave grua gratë kthyerit kthyerve komunitet komuniteti mbështetje
        mbështetja program programi programet vlerësim vlerësimi rrezik rrezikut lirim lirimit punë punësim
        strehim këshillim psikolog punonjës social policia gjykata dënim dënimi bashkëpunim institucion bashkia
        rrjet ekstremizëm radikalizim dhunshëm rinjtë qendër plan rast rasti rastet strategji ligj protokoll
        Tiranë Tiranës Shkodër Prishtinë Prishtinës""",
    "bs": """zatvor zatvora zatvoru zatvorima zatvorenik zatvorenika zatvorenici osuđenik osuđenika osuđenicima
        povratnik povratnika povratnici porodica porodice porodicama djeca djece žene žena reintegracija
        reintegracije rehabilitacija rehabilitacije podrška podrške zajednica zajednice program programa procjena
        procjene rizik rizika otpust otpusta obrazovanje zapošljavanje stanovanje savjetovanje psiholog socijalni
        radnik policija sud suda kazna kazne saradnja institucija općina mreža evaluacija ekstremizam
        radikalizacija vjerski mladi centar plan slučaj slučajevi strategija zakon Sarajevo Sarajevu Zenica Zenici
        Tuzla Tuzli međunarodni""",
    "mk": """затвор затворот затвори затворите осуден осудени осудениците повратник повратниците семејство
        семејството семејства деца децата жени жените реинтеграција реинтеграцијата рехабилитација поддршка
        поддршката заедница заедницата програма програмата проценка ризик ризикот отпуштање образование
        вработување домување советување психолог социјален работник полиција суд судот казна соработка
        институција општина мрежа евалуација екстремизам радикализација верски млади центар план случај случаи
        стратегија закон Скопје Куманово Тетово граѓани граѓаните""",
    "sr": """затвор затвора затвору затвореник затвореника затвореници осуђеник осуђеника осуђеницима повратник
        повратника повратници породица породице породицама деца деце жене жена реинтеграција реинтеграције
        рехабилитација подршка подршке заједница заједнице програм програма процена процене ризик ризика отпуст
        отпуста образовање запошљавање становање саветовање психолог социјални радник полиција суд суда казна
        казне сарадња институција општина мрежа евалуација екстремизам радикализација верски млади центар план
        случај случајеви стратегија закон Београд Београду Ниш Нишу Пазар ђак међународни""",
}
# Share of entries per original language (Serbian written in Cyrillic).
LANGUAGE_SHARE = {"en": 0.4, "sq": 0.15, "bs": 0.15, "mk": 0.15, "sr": 0.15}
SYLLABLES = {
    "en": "ba be bi bo ri ta te ton ver sta pre com pro men tion al er ing ly",
    "sq": "ba bë ki ko ri sh të ja je ni sa qe ze ll rr dh gj xh ës it",
    "bs": "ba če ći đe ko ri ja nje lje va za ži ša st ov ić an ost ni",
    "mk": "ба ќе ѓи ко ри ја ње ље ва за жи ша ст ов ѕе џа ан ост ни",
    "sr": "ба че ћи ђе ко ри ја ње ље ва за жи ша ст ов џа ан ост ни",
}

QUERIES: list[tuple[str, dict[str, str]]] = [
    ("prison", {}),
    ("reintegration programme", {}),
    ("familjet", {}),
    ("shkolla", {}),
    ("zatvorenika", {}),
    ("osudjenika", {}),
    ("затворот", {}),
    ("zatvor", {}),
    ("Београд", {}),
    ("Beogradu", {}),
    ("porodica podrška", {}),
    ("rehab", {}),
    ("психолог", {}),
    ("women", {"country": "AL"}),
    ("risk assessment", {"kind": "practice"}),
    ("zzznomatch", {}),
]


# --- the worker: one database, in its own process ------------------------------------------------------


def _texts(rng: random.Random, lang: str, vocab: dict[str, Any], real_share: float) -> dict[str, str]:
    real, real_cum, pseudo, pseudo_cum = vocab[lang]

    def sentence(n: int) -> str:
        # A share of the words are real words of the field, the rest a Zipf-distributed vocabulary.
        n_real = sum(1 for _ in range(n) if rng.random() < real_share)
        chosen = rng.choices(real, cum_weights=real_cum, k=n_real) + rng.choices(
            pseudo, cum_weights=pseudo_cum, k=n - n_real
        )
        rng.shuffle(chosen)
        return " ".join(chosen)

    return {
        "title": sentence(rng.randint(4, 8)).capitalize(),
        "summary": sentence(rng.randint(20, 40)),
        "description": sentence(rng.randint(60, 120)),
    }


def _cumulative(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _vocabulary(rng: random.Random) -> dict[str, Any]:
    """Per language: the real words and a pseudo-vocabulary, each with Zipf cumulative weights."""
    out = {}
    for lang, syllable_text in SYLLABLES.items():
        syllables = syllable_text.split()
        real = VOCABULARY[lang].split()
        rng.shuffle(real)
        pseudo = sorted({"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(6000)})
        rng.shuffle(pseudo)
        out[lang] = (
            real,
            _cumulative([1 / (i + 1) for i in range(len(real))]),
            pseudo,
            _cumulative([1 / (i + 1) ** 1.05 for i in range(len(pseudo))]),
        )
    return out


def _load(entries: int, seed: int, real_share: float) -> dict[str, Any]:
    from django.db import connection, transaction

    from rightpath.accounts.models import Country
    from rightpath.knowledge import search
    from rightpath.knowledge.models import Entry, EntryCountry, EntryPillar, EntryTargetGroup, EntryTranslation
    from rightpath.knowledge.taxonomy import EntryKind, EvidenceLevel, Pillar, TargetGroup

    rng = random.Random(seed)
    vocab = _vocabulary(rng)
    languages = list(LANGUAGE_SHARE)
    shares = list(LANGUAGE_SHARE.values())
    start = datetime(2024, 1, 1, tzinfo=UTC)
    timings: dict[str, Any] = {}

    t0 = time.perf_counter()
    rows = []
    texts = []
    for n in range(entries):
        lang = rng.choices(languages, weights=shares)[0]
        kind = rng.choice(EntryKind.values)
        evidence = rng.choice(EvidenceLevel.values) if kind == "practice" and rng.random() < 0.7 else ""
        rows.append(
            Entry(
                kind=kind,
                status="published",
                original_language=lang,
                year=rng.randint(2010, 2025),
                evidence_level=evidence,
                evidence_basis="Synthetic benchmark entry." if evidence else "",
                published_at=start + timedelta(minutes=n * 7 + rng.randint(0, 5)),
            )
        )
        # One entry in five also has an English translation.
        texts.append(
            [(lang, _texts(rng, lang, vocab, real_share))]
            + ([("en", _texts(rng, "en", vocab, real_share))] if lang != "en" and rng.random() < 0.2 else [])
        )
    with transaction.atomic():
        created = Entry.objects.bulk_create(rows, batch_size=1000)
        EntryTranslation.objects.bulk_create(
            [
                EntryTranslation(entry=e, language=lang, **t)
                for e, ts in zip(created, texts, strict=True)
                for lang, t in ts
            ],
            batch_size=1000,
        )
        EntryCountry.objects.bulk_create(
            [EntryCountry(entry=e, country=c) for e in created for c in rng.sample(Country.values, rng.randint(1, 2))],
            batch_size=2000,
        )
        EntryPillar.objects.bulk_create(
            [EntryPillar(entry=e, pillar=p) for e in created for p in rng.sample(Pillar.values, rng.randint(1, 3))],
            batch_size=2000,
        )
        EntryTargetGroup.objects.bulk_create(
            [
                EntryTargetGroup(entry=e, group=g)
                for e in created
                for g in rng.sample(TargetGroup.values, rng.randint(0, 2))
            ],
            batch_size=2000,
        )
    timings["load_entries_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    timings["documents"] = search.rebuild_index()
    timings["index_s"] = time.perf_counter() - t0
    with connection.cursor() as cursor:
        # What autovacuum would have done by the time anyone searches.
        cursor.execute("ANALYZE")
    return timings


def _bare_sql(vendor: str, text: str) -> dict[str, tuple[str, list[Any]]]:
    """Plain full-text queries on the same documents, the words only folded (no lemmas, no prefixes,
    no facets, no ranking of ours, no rows loaded): ``bare`` the first 20 matching ids, ``count``
    the number of matches, ``ranked`` the top 20 by the engine's own relevance."""
    from rightpath.knowledge import search

    folded = [search.fold(w, "en") for w in search.words(text)]
    if vendor == "postgresql":
        vector = "to_tsvector('simple'::regconfig, title_terms || ' ' || terms)"
        match = f"FROM knowledge_searchdocument WHERE {vector} @@ plainto_tsquery('simple', %s)"
        words = [" ".join(folded)]
        return {
            "bare": (f"SELECT id {match} LIMIT 20", words),
            "count": (f"SELECT COUNT(*) {match}", words),
            "ranked": (
                f"SELECT id {match} ORDER BY ts_rank({vector}, plainto_tsquery('simple', %s)) DESC LIMIT 20",
                words * 2,
            ),
        }
    match = "FROM knowledge_searchdocument_fts WHERE knowledge_searchdocument_fts MATCH %s"
    words = [" AND ".join(f'"{w}"' for w in folded)]
    return {
        "bare": (f"SELECT rowid {match} LIMIT 20", words),
        "count": (f"SELECT COUNT(*) {match}", words),
        "ranked": (f"SELECT rowid {match} ORDER BY rank LIMIT 20", words),
    }


def _percentile(samples: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * pct // 100) - 1))]


def _timed(run: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    out = run()
    return (time.perf_counter() - t0) * 1000, out


def _measure(repeats: int, ranked_repeats: int) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.http import QueryDict

    from rightpath.knowledge import search

    def sql_runner(sql: str, params: list[Any]) -> Any:
        def run() -> list[Any]:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                return cursor.fetchall()

        return run

    anonymous = AnonymousUser()
    per_query = []
    samples: dict[str, list[float]] = {"search": [], "bare": [], "count": [], "ranked": []}
    for text, filters in QUERIES:
        params = QueryDict(mutable=True)
        params["q"] = text
        for k, v in filters.items():
            params[k] = v
        runners = {"search": lambda params=params: search.search(actor=anonymous, params=params, language="en")}
        runners |= {name: sql_runner(*q) for name, q in _bare_sql(connection.vendor, text).items()}
        mine: dict[str, list[float]] = {name: [] for name in runners}
        outputs: dict[str, Any] = {}
        for i in range(repeats + 1):  # the first round warms caches and is not counted
            for name, run in runners.items():
                if name == "ranked" and i > ranked_repeats:
                    continue
                ms, outputs[name] = _timed(run)
                if i:
                    mine[name].append(ms)
        for name in samples:
            samples[name] += mine[name]
        per_query.append(
            {
                "query": text + "".join(f" [{k}={v}]" for k, v in filters.items()),
                "matches": outputs["search"].total,
                "bare_matches": outputs["count"][0][0],
                **{f"{name}_median": statistics.median(mine[name]) for name in samples},
            }
        )
    out: dict[str, Any] = {"samples": len(samples["search"]), "queries": per_query}
    for name, values in samples.items():
        out[f"{name}_median"] = statistics.median(values)
        out[f"{name}_p95"] = _percentile(values, 95)
    return out


def worker(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rightpath.settings.dev")
    os.environ["DEBUG"] = "false"  # no query log: measure what production runs
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    # Warm the lemmatisers outside the measurement (a running server loads them once).
    from rightpath.knowledge import search

    search.query_forms("warm")
    call_command("migrate", verbosity=0)
    timings = _load(args.entries, args.seed, args.real_share)
    results = _measure(args.repeats, args.ranked_repeats)
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()" if connection.vendor == "postgresql" else "SELECT sqlite_version()")
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version, **timings, **results}


# --- the driver ---------------------------------------------------------------------------------------------


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


def _run_worker(database_url: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, __file__, "--worker", database_url, "--entries", str(args.entries)]
    command += ["--repeats", str(args.repeats), "--ranked-repeats", str(args.ranked_repeats), "--seed", str(args.seed)]
    command += ["--real-share", str(args.real_share)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"benchmark worker failed for {database_url}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> str:
    cpu, memory = "unknown CPU", "unknown RAM"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        memory = f"{int(Path('/proc/meminfo').read_text().split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{os.cpu_count()} cores ({cpu}), {memory}, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _version(r: dict[str, Any]) -> str:
    return f"{'PostgreSQL' if r['vendor'] == 'postgresql' else 'SQLite'} {r['version'].split()[1] if r['vendor'] == 'postgresql' else r['version']}"


def _report(results: list[dict[str, Any]], args: argparse.Namespace, seconds: float) -> str:
    lines = [
        "# Knowledge hub search: latency",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `.venv/bin/python bench/search_bench.py"
        f" --entries {args.entries} --repeats {args.repeats} --real-share {args.real_share}` ({seconds:.0f} s in all,"
        " loading included).",
        "",
        f"Machine: {_machine()}. PostgreSQL runs on the same cores, with its Debian defaults.",
        "",
        f"Data: {args.entries:,} published entries: 40 % English, 15 % each Albanian, Bosnian, Macedonian and Serbian"
        " (Cyrillic); one in five non-English entries also has an English translation. Titles of 4–8 words,"
        f" summaries of 20–40, descriptions of 60–120; {args.real_share:.0%} of the words are real words of the"
        " field (about 90 per language, in inflected forms, Zipf-distributed), the rest a Zipf-distributed"
        " pseudo-vocabulary of 6,000 words per language; 1–2 countries, 1–3 pillars, 0–2 target groups each."
        " Indexed with `rebuild_index()` (the same code as every save).",
        "",
        f"Queries: the {len(QUERIES)} below, each run once to warm up, then {args.repeats} timed rounds (the engine's"
        f" ranked query only {args.ranked_repeats}). Times are in milliseconds, in-process, through Django's"
        " connection (`DEBUG=False`), as an anonymous reader; median and 95th percentile over all timed runs of"
        " all queries.",
        "",
        "* **search()** is the whole search as the page and the API run it: the query's normal forms in every"
        " language, one statement for the matches, the facet counts, the total and the ranked page, one query for"
        " the page's 20 entries with their texts, countries and pillars, and the Python that builds the result.",
        "* **bare** is a plain full-text query on the same documents in the same run, with the words only folded"
        " (no lemmas, no prefixes, no facets, no ranking, nothing loaded): the ids of the first 20 matches."
        " **count** counts all the matches (the least that showing a total takes); **engine-ranked** takes the"
        " top 20 by the engine's own relevance (SQLite `ORDER BY rank`, i.e. bm25; PostgreSQL `ts_rank`, which"
        " with an expression index recomputes each matching document's vector).",
        "",
        "| database | documents | load + index (s) | search() median | search() p95 | bare median | bare p95"
        " | search ÷ bare (median) | count median | engine-ranked median |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        lines.append(
            f"| {_version(r)} | {r['documents']:,} | {r['load_entries_s']:.1f} + {r['index_s']:.1f} |"
            f" **{r['search_median']:.2f}** | {r['search_p95']:.2f} | {r['bare_median']:.2f} | {r['bare_p95']:.2f} |"
            f" {r['search_median'] / r['bare_median']:.1f}× | {r['count_median']:.2f} | {r['ranked_median']:.2f} |"
        )
    lines += ["", "## Reading the numbers", ""]
    for r in results:
        small = [q["search_median"] for q in r["queries"] if q["matches"] < 500]
        large = [q["search_median"] for q in r["queries"] if q["matches"] >= 2000]
        lines.append(
            f"* {_version(r)}: queries finding fewer than 500 entries take {statistics.median(small):.1f} ms"
            f" (median of their medians), those finding 2,000 or more {statistics.median(large):.1f} ms."
            if small and large
            else f"* {_version(r)}: see the per-query table."
        )
    lines += [
        "* The cost of search() grows with the number of entries found: the facet counts, the total and the"
        " candidates for ranking are computed over all of them (the full score only for the best 200 by title;"
        " see `RANKED_ITEMS` in rightpath/knowledge/search.py). The bare query stops at 20 rows, so the ratio is"
        " largest for broad queries; a query that finds nothing costs about as much as the bare one plus the"
        " fixed cost of normalising the words in five languages and building the statement.",
        '* "Within 2× of the bare query" is not met: the bare query does none of what the search must do'
        " (the words in every language, prefixes, counts per facet, a total, a ranking that is the same on both"
        " databases, the page's entries). search() is faster than the engine-ranked query on PostgreSQL, whose"
        " `ts_rank` has to rebuild every matching document's vector.",
        "",
        "Per query (medians in ms; *found* = entries search() finds, *bare* = documents the bare words match):",
        "",
        "| query |" + "".join(f" {_version(r)}: found / bare | search() | bare | count | ranked |" for r in results),
        "|---|" + "---|---|---|---|---|" * len(results),
    ]
    for i in range(len(QUERIES)):
        row = f"| `{results[0]['queries'][i]['query']}` |"
        for r in results:
            q = r["queries"][i]
            row += (
                f" {q['matches']} / {q['bare_matches']} | {q['search_median']:.2f} | {q['bare_median']:.2f} |"
                f" {q['count_median']:.2f} | {q['ranked_median']:.2f} |"
            )
        lines.append(row)
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=10_000, help="How many entries to create (default 10,000).")
    parser.add_argument("--repeats", type=int, default=15, help="Timed rounds per query (default 15).")
    parser.add_argument(
        "--ranked-repeats", type=int, default=5, help="Timed rounds of the engine-ranked query (default 5: it is slow)."
    )
    parser.add_argument("--seed", type=int, default=20261125, help="Seed of the synthetic data.")
    parser.add_argument(
        "--real-share",
        type=float,
        default=0.12,
        help="Share of the words drawn from the ~90 real words of each language (default 0.12, near the"
        " ~10 %% of docs/TOOLCHAIN §5.3; higher makes every query match more entries).",
    )
    parser.add_argument("--databases", default="postgresql,sqlite", help="postgresql, sqlite or both (the default).")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/rightpath_bench"),
        help="PostgreSQL database to create and drop again (its name must end in _bench).",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "search.md"), help="Results file.")
    parser.add_argument("--worker", metavar="DATABASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args.worker, args)))
        return

    started = time.perf_counter()
    results = []
    for vendor in [v.strip() for v in args.databases.split(",") if v.strip()]:
        if vendor == "postgresql":
            name = urlsplit(args.pg_url).path.lstrip("/")
            if not name.endswith("_bench"):
                raise SystemExit("refusing to drop a database whose name does not end in _bench")
            _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            _pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
            try:
                results.append(_run_worker(args.pg_url, args))
            finally:
                _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        elif vendor == "sqlite":
            with tempfile.TemporaryDirectory() as tmp:
                results.append(_run_worker(f"sqlite:///{tmp}/bench.sqlite3", args))
        else:
            raise SystemExit(f"unknown database {vendor!r}")
        r = results[-1]
        print(
            f"{_version(r)}: search() median {r['search_median']:.2f} ms, p95 {r['search_p95']:.2f} ms;"
            f" bare median {r['bare_median']:.2f} ms, p95 {r['bare_p95']:.2f} ms"
        )
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(_report(results, args, time.perf_counter() - started), encoding="utf-8")
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
