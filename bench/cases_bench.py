#!/usr/bin/env python
"""Benchmark of the case-work pages: the case list, a case's summary and "my work", served by
gunicorn with the production settings, at 8 concurrent keep-alive connections, on PostgreSQL and
SQLite holding 100,000 cases and 1,000,000 sessions with encrypted notes.

Usage (from the project root, with the virtualenv, ``wrk`` and a PostgreSQL server):

    .venv/bin/python bench/cases_bench.py                      # both databases, full volume
    .venv/bin/python bench/cases_bench.py --databases sqlite    # SQLite only
    .venv/bin/python bench/cases_bench.py --cases 10000 --sessions 100000 --duration 5 --output /tmp/cases.md

Each database is a throwaway: a SQLite file in a temporary directory, and a PostgreSQL database (its
name must end in ``_bench``) that is dropped, created, migrated, filled and dropped again. Every page
is measured twice: as shipped, and with the audit log's ``record`` replaced by a no-op in the served
processes, to give the share of page time that auditing the reading costs. Results go to
bench/results/cases.md (``--output``). See bench/README.md.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import json
import os
import platform
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_USERNAME = "bench.coordinator"
PAGES = ("case list", "case detail", "my work")

# The served processes load these settings: production, plus SQLite's own options (WAL, immediate
# write transactions), which the production profile, written for PostgreSQL, does not set.
SETTINGS_MODULE = """
from rightpath.settings.production import *  # noqa: F403
from rightpath.settings import base as _base

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    DATABASES = _base.DATABASES
"""

# gunicorn configuration. With CASES_BENCH_AUDIT=off every module attribute bound to the audit
# log's ``record`` is replaced by a no-op once the worker has loaded the application and its URLs;
# otherwise ``record`` is wrapped to add up the time spent in it, next to the time spent in the
# application per page, written to CASES_BENCH_STATS when the worker exits.
GUNICORN_CONFIG = """
import json
import os
import threading
import time

worker_class = "gthread"
accesslog = None
errorlog = "-"
loglevel = "warning"
keepalive = 30

_lock = threading.Lock()
_local = threading.local()
_stats = {}


def _page(path):
    if path == "/cases/mywork/":
        return "my work"
    return "case list" if path == "/cases/" else "case detail"


def post_worker_init(worker):
    import sys

    from django.urls import get_resolver

    import rightpath.audit.services as services

    get_resolver().url_patterns  # import every view module first
    original = services.record

    def no_record(*args, **kwargs):
        return None

    def timed_record(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            _local.record_s = getattr(_local, "record_s", 0.0) + time.perf_counter() - t0

    replacement = no_record if os.environ.get("CASES_BENCH_AUDIT") == "off" else timed_record
    for module in list(sys.modules.values()):
        if module is not None and getattr(module, "record", None) is original:
            module.record = replacement
    app = worker.wsgi

    def timed_app(environ, start_response):
        _local.record_s = 0.0
        t0 = time.perf_counter()
        try:
            return app(environ, start_response)
        finally:
            spent = time.perf_counter() - t0
            with _lock:
                s = _stats.setdefault(_page(environ.get("PATH_INFO", "")), [0, 0.0, 0.0])
                s[0] += 1
                s[1] += spent
                s[2] += _local.record_s

    worker.wsgi = timed_app


def worker_exit(server, worker):
    folder = os.environ.get("CASES_BENCH_STATS")
    if folder:
        with open(os.path.join(folder, f"stats-{os.getpid()}.json"), "w") as f:
            json.dump(_stats, f)
"""

# wrk script: cycle through the page's URLs with the session cookie; report latency percentiles
# (microseconds) and any answer other than 200 as one JSON line.
WRK_SCRIPT = """
local paths = {%(paths)s}
local threads = {}
wrk.headers["Cookie"] = "%(cookie)s"
wrk.headers["X-Forwarded-Proto"] = "https"

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  idx = math.random(#paths)
  not_ok = 0
end

function request()
  idx = idx %% #paths + 1
  return wrk.format("GET", paths[idx])
end

function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok") end
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "duration_us": %%d, "not_200": %%d, "socket_errors": %%d, "mean": %%f, ' ..
    '"p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d}\\n',
    summary.requests, summary.duration, bad, e.connect + e.read + e.write + e.timeout, latency.mean,
    latency:percentile(50), latency:percentile(90), latency:percentile(95), latency:percentile(99), latency.max))
end
"""

NOTE_TEXTS = [
    "Discussed the housing application and the family's visits; the person is keeping to the plan.",
    "Reviewed the employment training with the mentor. Attendance regular, motivation rising.",
    "Talked about former contacts and how to refuse them; agreed on a safety plan for the weekend.",
    "Session on anger and conflict at home. Homework: daily diary, practised breathing exercise.",
    "Religious counselling on the meaning of community; questions about the imam's lecture.",
    "Phone call: the appointment at the employment office moved to next week; documents ready.",
    "Home visit with the social worker. Children at school, rent paid, neighbours supportive.",
    "Prepared the release conference: accommodation confirmed, probation officer introduced.",
]


# --- generating the data: one database, in its own process ----------------------------------------------


class Writer:
    """Bulk inserts with explicit ids: COPY on PostgreSQL, executemany on SQLite. Values are given
    per field (attname); fields left out take their default, a fresh code, or the fixed creation time."""

    def __init__(self, now: datetime):
        from django.db import connection

        connection.ensure_connection()
        self.connection = connection
        self.raw = connection.connection
        self.pg = connection.vendor == "postgresql"
        self.now = now
        self.counts: dict[str, int] = {}

    def _convert(self, field: Any) -> Callable[[Any], Any]:
        from django.db import models

        if isinstance(field, models.JSONField):
            return lambda v: None if v is None else json.dumps(v)
        if self.pg:
            return lambda v: v
        if isinstance(field, models.UUIDField):
            return lambda v: None if v is None else v.hex
        if isinstance(field, models.DateTimeField):
            return lambda v: None if v is None else v.astimezone(UTC).replace(tzinfo=None).isoformat(" ")
        if isinstance(field, models.DateField):
            return lambda v: None if v is None else v.isoformat()
        if isinstance(field, models.BooleanField):
            return lambda v: None if v is None else int(v)
        return lambda v: v

    def insert(self, model: Any, rows: Iterable[dict[str, Any]], batch: int = 20_000) -> int:
        fields = [f for f in model._meta.concrete_fields]
        names = [f.attname for f in fields]
        converters = [self._convert(f) for f in fields]
        fillers: list[Callable[[], Any] | None] = []
        for f in fields:
            if f.attname == "code":
                fillers.append(uuid.uuid4)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                fillers.append(lambda: self.now)
            elif f.has_default() and callable(f.default):
                fillers.append(f.get_default)
            elif f.has_default() or f.null or f.blank:
                value = f.get_default() if f.has_default() else (None if f.null else "")
                fillers.append(lambda value=value: value)
            else:
                fillers.append(None)
        table = model._meta.db_table
        columns = ", ".join(self.connection.ops.quote_name(c.column) for c in fields)
        total = 0

        def tuples(chunk: list[dict[str, Any]]) -> Iterator[tuple[Any, ...]]:
            for row in chunk:
                out = []
                for name, convert, fill in zip(names, converters, fillers, strict=True):
                    if name in row:
                        out.append(convert(row[name]))
                    elif fill is None:
                        raise KeyError(f"{table}.{name} needs a value")
                    else:
                        out.append(convert(fill()))
                yield tuple(out)

        def flush(chunk: list[dict[str, Any]]) -> None:
            if self.pg:
                with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for t in tuples(chunk):
                        copy.write_row(t)
            else:
                marks = ", ".join("?" * len(fields))
                self.raw.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", tuples(chunk))

        chunk: list[dict[str, Any]] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                flush(chunk)
                total += len(chunk)
                chunk = []
        if chunk:
            flush(chunk)
            total += len(chunk)
        self.counts[model._meta.label] = self.counts.get(model._meta.label, 0) + total
        return total

    def finish(self, models: list[Any]) -> None:
        """Move PostgreSQL's id sequences past the explicit ids."""
        from django.core.management.color import no_style

        if self.pg:
            with self.connection.cursor() as cursor:
                for sql in self.connection.ops.sequence_reset_sql(no_style(), models):
                    cursor.execute(sql)


def _ciphertexts(field: Any, rng: random.Random, n: int) -> list[str]:
    """``n`` values encrypted by the model field itself (what it stores for a save), to be reused
    across a batch: each is real ciphertext the application decrypts."""
    return [field.get_prep_value(f"{rng.choice(NOTE_TEXTS)} (note {rng.randint(1, 10**6)})") for _ in range(n)]


def load(args: argparse.Namespace) -> dict[str, Any]:
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import connection
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rightpath.accounts.models import Country, Organisation, RoleAssignment, User
    from rightpath.accounts.roles import Role
    from rightpath.cases import models as m
    from rightpath.cases.vocab import CaseRole, Category, LegalBasis, LifeDomain, Phase, Section

    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    today = now.date()
    w = Writer(now)
    t0 = time.perf_counter()

    # Organisations: in each of three countries, the case-leading services (prison, probation,
    # social work, municipal mechanisms) and their partners, all under one national agreement.
    org_plan = [
        ("prison", 3), ("probation", 3), ("social_work", 5), ("municipality", 3),
        ("police", 1), ("ngo", 4), ("religious", 1), ("health", 1), ("employment", 1),
    ]  # fmt: skip
    lead_types = {"prison", "probation", "social_work", "municipality"}
    orgs: list[dict[str, Any]] = []
    for country in (Country.XK, Country.BA, Country.MK):
        for kind, n in org_plan:
            for i in range(n):
                orgs.append(
                    {
                        "id": len(orgs) + 1,
                        "name": f"{Organisation.Type(kind).label} {i + 1} ({country})",
                        "type": kind,
                        "level": "civil_society" if kind in ("ngo", "religious") else "national",
                        "country": country,
                        "data_regime": "law_enforcement" if kind in ("prison", "probation", "police") else "general",
                    }
                )
    w.insert(Organisation, orgs)
    agreements, parties = [], []
    for n, country in enumerate((Country.XK, Country.BA, Country.MK), start=1):
        agreements.append(
            {
                "id": n,
                "title": f"National case-work agreement ({country})",
                "legal_basis": LegalBasis.PUBLIC_TASK,
                "purposes": "Multi-agency DRR case management.",
                "data_categories": [s.value for s in Section],
                "valid_from": date(2020, 1, 1),
                "valid_until": today + timedelta(days=3 * 365),
            }
        )
        parties += [
            {"id": len(parties) + i + 1, "sharingagreement_id": n, "organisation_id": o["id"]}
            for i, o in enumerate(o for o in orgs if o["country"] == country)
        ]
    w.insert(m.SharingAgreement, agreements)
    w.insert(m.SharingAgreement.parties.through, parties)

    # Users: 40 per organisation; lead organisations have 6 coordinators each. The benchmark user
    # is a coordinator (and practitioner) of the first probation service.
    case_role_of = {
        "prison": [CaseRole.PRISON_OFFICER, CaseRole.PSYCHOLOGIST],
        "probation": [CaseRole.PROBATION_OFFICER],
        "social_work": [CaseRole.SOCIAL_WORKER, CaseRole.PSYCHOLOGIST],
        "municipality": [CaseRole.SOCIAL_WORKER],
        "police": [CaseRole.POLICE_LIAISON],
        "ngo": [CaseRole.NGO_WORKER, CaseRole.MENTOR],
        "religious": [CaseRole.RELIGIOUS_COUNSELLOR],
        "health": [CaseRole.PSYCHOLOGIST],
        "employment": [CaseRole.MENTOR],
    }
    users, roles = [], []
    coordinators: dict[int, list[int]] = {}
    workers: dict[int, list[int]] = {}
    for org in orgs:
        for i in range(args.users_per_org):
            uid = len(users) + 1
            coordinator = org["type"] in lead_types and i < 6
            users.append(
                {
                    "id": uid,
                    "password": "!",
                    "username": f"user{uid}",
                    "first_name": f"Given{uid}",
                    "last_name": f"Family{uid % 997}",
                    "email": f"user{uid}@example.org",
                    "is_superuser": False,
                    "is_staff": False,
                    "is_active": True,
                    "date_joined": now,
                    "organisation_id": org["id"],
                }
            )
            for role in [Role.COORDINATOR, Role.PRACTITIONER] if coordinator else [Role.PRACTITIONER]:
                roles.append({"id": len(roles) + 1, "user_id": uid, "role": role, "granted_at": now})
            (coordinators if coordinator else workers).setdefault(org["id"], []).append(uid)
    me_org = next(o for o in orgs if o["type"] == "probation")
    me_id = coordinators[me_org["id"]].pop(0)
    users[me_id - 1] |= {"username": BENCH_USERNAME, "first_name": "Bench", "last_name": "Coordinator"}
    w.insert(User, users)
    w.insert(RoleAssignment, roles)

    # Cases, spread over the lead organisations (the first probation service leads a fair share),
    # with their identities, teams, phase history, plans, reviews, referrals and transfers.
    identity_field = m.Identity._meta.get_field("given_names")
    names = _ciphertexts(identity_field, rng, 200)
    births = [
        identity_field.get_prep_value(f"19{rng.randint(60, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}")
        for _ in range(50)
    ]
    lead_orgs = [o for o in orgs if o["type"] in lead_types]
    by_country = {c: [o for o in orgs if o["country"] == c] for c in (Country.XK, Country.BA, Country.MK)}
    phases = [p.value for p in Phase]
    phase_weights = [8, 10, 20, 8, 18, 14, 7, 15]
    start = now - timedelta(days=7 * 365)
    span = int((now - start).total_seconds())
    case_rows: list[dict[str, Any]] = []
    teams: dict[int, list[tuple[int, int]]] = {}  # case id -> [(user id, organisation id)]
    members: list[dict[str, Any]] = []
    org_by_id = {o["id"]: o for o in orgs}
    for cid in range(1, args.cases + 1):
        lead = me_org if rng.random() < 0.02 else rng.choice(lead_orgs)
        opened = start + timedelta(seconds=rng.randrange(span))
        phase = rng.choices(phases, weights=phase_weights)[0]
        case_rows.append(
            {
                "id": cid,
                "reference": f"C-{opened.year}-{cid:06d}",
                "category": rng.choice(Category.values),
                "is_woman": rng.random() < 0.2,
                "is_minor": rng.random() < 0.08,
                "best_interests_note": "",
                "lead_organisation_id": lead["id"],
                "phase": phase,
                "legal_basis": rng.choice(LegalBasis.values),
                "opened_at": opened,
                "closed_at": opened + timedelta(days=rng.randint(200, 900)) if phase == Phase.CLOSED else None,
                "created_by_id": coordinators[lead["id"]][0],
                "created_at": opened,
            }
        )
        coordinator = rng.choice(coordinators[lead["id"]])
        team = [(coordinator, lead["id"], CaseRole.COORDINATOR)]
        for _ in range(rng.randint(2, 4)):
            org = rng.choice(by_country[lead["country"]])
            if org["id"] not in workers:
                continue
            team.append((rng.choice(workers[org["id"]]), org["id"], rng.choice(case_role_of[org["type"]])))
        teams[cid] = [(u, o) for u, o, _r in team]
        for u, o, role in team:
            removed = rng.random() < 0.04 and role != CaseRole.COORDINATOR
            members.append(
                {
                    "id": len(members) + 1,
                    "case_id": cid,
                    "user_id": u,
                    "organisation_id": o,
                    "role": role,
                    "valid_from": opened,
                    "removed_at": opened + timedelta(days=30) if removed else None,
                    "added_by_id": coordinator,
                }
            )
    # The benchmark user's cases: a realistic caseload, half of them as coordinator on cases their
    # service leads, half as probation officer on cases of partner services in the same country.
    own = [c["id"] for c in case_rows if c["lead_organisation_id"] == me_org["id"]]
    partner_ids = {o["id"] for o in by_country[me_org["country"]]} - {me_org["id"]}
    partner = [c["id"] for c in case_rows if c["lead_organisation_id"] in partner_ids]
    mine = [(cid, CaseRole.COORDINATOR) for cid in rng.sample(own, min(len(own), args.my_cases // 2))]
    mine += [
        (cid, CaseRole.PROBATION_OFFICER) for cid in rng.sample(partner, min(len(partner), args.my_cases - len(mine)))
    ]
    for cid, role in mine:
        c = case_rows[cid - 1]
        members.append(
            {
                "id": len(members) + 1,
                "case_id": cid,
                "user_id": me_id,
                "organisation_id": me_org["id"],
                "role": role,
                "valid_from": c["opened_at"],
                "added_by_id": c["created_by_id"],
            }
        )
        teams[cid].append((me_id, me_org["id"]))
    # One of them has a large team (a long case that passed through many hands).
    big = mine[0][0]
    for u in rng.sample(workers[me_org["id"]], min(30, len(workers[me_org["id"]]))):
        members.append(
            {
                "id": len(members) + 1,
                "case_id": big,
                "user_id": u,
                "organisation_id": me_org["id"],
                "role": CaseRole.PROBATION_OFFICER,
                "valid_from": case_rows[big - 1]["opened_at"],
            }
        )
    w.insert(m.Case, case_rows)
    w.insert(
        m.Identity,
        (
            {
                "id": c["id"],
                "case_id": c["id"],
                "given_names": rng.choice(names),
                "family_name": rng.choice(names),
                "birth_date": rng.choice(births),
                "blind_index": f"{c['id']:064x}",
            }
            for c in case_rows
        ),
    )
    w.insert(m.CaseMembership, members)

    def changes() -> Iterator[dict[str, Any]]:
        n = 0
        for c in case_rows:
            n += 1
            yield {"id": n, "case_id": c["id"], "from_phase": "", "to_phase": Phase.REFERRAL, "reason": "Opened.",
                   "changed_by_id": c["created_by_id"], "changed_at": c["opened_at"]}  # fmt: skip
            if c["phase"] != Phase.REFERRAL:
                n += 1
                yield {"id": n, "case_id": c["id"], "from_phase": Phase.REFERRAL, "to_phase": c["phase"],
                       "reason": "Moved on.", "changed_by_id": c["created_by_id"],
                       "changed_at": c["opened_at"] + timedelta(days=40)}  # fmt: skip

    w.insert(m.PhaseChange, changes())
    timings: dict[str, Any] = {"cases_s": time.perf_counter() - t0}

    # Sessions: 1,000,000 by default, a skewed number per case (a few cases have hundreds), each
    # given by a member of the case team, with notes encrypted by the model field.
    t1 = time.perf_counter()
    notes_field = m.Session._meta.get_field("notes")
    session_types = m.Session.Type.values
    weights = [rng.paretovariate(1.6) for _ in case_rows]
    scale = args.sessions / sum(weights)
    per_case = [int(wt * scale) for wt in weights]
    for i in rng.sample(range(len(per_case)), args.sessions - sum(per_case)):
        per_case[i] += 1

    def sessions() -> Iterator[dict[str, Any]]:
        sid = 0
        notes: list[str] = []
        for c, count in zip(case_rows, per_case, strict=True):
            team = teams[c["id"]]
            first = c["opened_at"].date()
            days = max(1, (today - first).days)
            for _ in range(count):
                if sid % 5000 == 0:
                    notes = _ciphertexts(notes_field, rng, 40)
                sid += 1
                provider, organisation = team[rng.randrange(len(team))]
                held = first + timedelta(days=rng.randrange(days))
                yield {
                    "id": sid,
                    "case_id": c["id"],
                    "type": session_types[sid % len(session_types)],
                    "provider_id": provider,
                    "organisation_id": organisation,
                    "held_on": held,
                    "duration_minutes": 15 + 15 * (sid % 8),
                    "notes": notes[sid % len(notes)],
                    "created_at": datetime(held.year, held.month, held.day, 12, tzinfo=UTC),
                }

    w.insert(m.Session, sessions())
    timings["sessions_s"] = time.perf_counter() - t1

    # The plan: goals in two or three life domains, actions with due dates around today, a review
    # with its next date for most cases; referrals and transfers, some waiting for an answer.
    t2 = time.perf_counter()
    goals, actions, reviews, referrals, transfers = [], [], [], [], []
    domains = LifeDomain.values
    for c in case_rows:
        lead = org_by_id[c["lead_organisation_id"]]
        for _ in range(rng.randint(1, 3)):
            gid = len(goals) + 1
            goals.append({"id": gid, "case_id": c["id"], "domain": rng.choice(domains), "title": "Stable housing",
                          "status": rng.choice(["open", "in_progress", "achieved"]), "created_at": c["opened_at"]})  # fmt: skip
            for _ in range(rng.randint(0, 2)):
                actions.append(
                    {
                        "id": len(actions) + 1,
                        "goal_id": gid,
                        "description": "Apply for social housing with the municipality.",
                        "responsible_organisation_id": rng.choice(by_country[lead["country"]])["id"],
                        "due_date": today + timedelta(days=rng.randint(-120, 180)),
                        "status": rng.choice(["planned", "in_progress", "done", "done"]),
                        "created_at": c["opened_at"],
                    }
                )
        if rng.random() < 0.7:
            reviews.append({"id": len(reviews) + 1, "case_id": c["id"], "reviewed_at": c["opened_at"] + timedelta(days=60),
                            "reviewed_by_id": c["created_by_id"], "summary": "Plan reviewed with the team.",
                            "next_review_on": today + timedelta(days=rng.randint(-60, 120))})  # fmt: skip
        if rng.random() < 0.5:
            to = rng.choice(by_country[lead["country"]])
            status = rng.choices(["sent", "accepted", "declined", "completed"], weights=[1, 3, 1, 5])[0]
            referrals.append({"id": len(referrals) + 1, "case_id": c["id"], "from_organisation_id": lead["id"],
                              "to_organisation_id": to["id"], "service": "Vocational training", "status": status,
                              "sent_by_id": c["created_by_id"], "sent_at": c["opened_at"] + timedelta(days=20)})  # fmt: skip
        if rng.random() < 0.1:
            to = rng.choice([o for o in by_country[lead["country"]] if o["type"] in lead_types])
            status = rng.choices(["pending", "accepted", "declined"], weights=[1, 8, 1])[0]
            transfers.append({"id": len(transfers) + 1, "case_id": c["id"], "from_organisation_id": lead["id"],
                              "to_organisation_id": to["id"], "status": status, "checklist": {"summary": True},
                              "requested_by_id": c["created_by_id"], "requested_at": c["opened_at"] + timedelta(days=90)})  # fmt: skip
    w.insert(m.PlanGoal, goals)
    w.insert(m.PlanAction, actions)
    w.insert(m.PlanReview, reviews)
    w.insert(m.Referral, referrals)
    w.insert(m.Transfer, transfers)
    w.finish(
        [Organisation, m.SharingAgreement, m.SharingAgreement.parties.through, User, RoleAssignment, m.Case,
         m.Identity, m.CaseMembership, m.PhaseChange, m.Session, m.PlanGoal, m.PlanAction, m.PlanReview,
         m.Referral, m.Transfer]
    )  # fmt: skip
    timings["plan_s"] = time.perf_counter() - t2
    # The stored notes and identities decrypt with the application's keys.
    for s in m.Session.objects.filter(pk__in=[rng.randint(1, args.sessions) for _ in range(20)]):
        assert any(s.notes.startswith(t) for t in NOTE_TEXTS), "session notes do not decrypt"
    assert m.Identity.objects.get(case_id=big).birth_date.startswith("19"), "identities do not decrypt"

    # A signed-in session with a verified second factor, as after the login and TOTP pages.
    me = User.objects.get(pk=me_id)
    device = TOTPDevice.objects.create(user=me, name="Authenticator app", confirmed=True)
    session = SessionStore()
    session["_auth_user_id"] = str(me.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = me.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session["last_seen"] = int(time.time())
    session.create()

    my_cases = [str(m.Case.objects.values_list("code", flat=True).get(pk=cid)) for cid, _role in mine[:200]]
    return {
        "vendor": connection.vendor,
        "counts": w.counts,
        "timings": timings,
        "session_key": session.session_key,
        "my_memberships": len(mine),
        "big_team": sum(1 for x in members if x["case_id"] == big),
        "my_cases": my_cases,
    }


def worker(args: argparse.Namespace) -> dict[str, Any]:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection, transaction

    with transaction.atomic():
        data = load(args)
    t0 = time.perf_counter()
    with connection.cursor() as cursor:
        # What autovacuum (PostgreSQL) would have done by the time anyone works on these cases.
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
    data["timings"]["analyze_s"] = time.perf_counter() - t0
    return data


# --- serving and measuring -----------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _environment(database_url: str, run_dir: Path) -> dict[str, str]:
    def key() -> str:
        return base64.urlsafe_b64encode(os.urandom(32)).decode()

    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "cases_bench_settings",
            "PYTHONPATH": f"{run_dir}{os.pathsep}{ROOT}",
            "DATABASE_URL": database_url,
            # Bench-only secrets, new for every run.
            "SECRET_KEY": key(),
            "AUDIT_HMAC_KEYS": f"bench:{key()}",
            "FIELD_ENCRYPTION_KEYS": f"bench:{key()}",
            "BLIND_INDEX_KEY": key(),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(run_dir / "static"),
            "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
            "LOG_LEVEL": "ERROR",
            "CASES_BENCH_AUDIT": "on",
        }
    )
    return env


def _manage(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if done.returncode:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(command)} failed")


class Server:
    """gunicorn serving the application with the production settings, on a free local port."""

    def __init__(self, env: dict[str, str], run_dir: Path, args: argparse.Namespace, audit: bool):
        self.port = _free_port()
        self.stats_dir = Path(tempfile.mkdtemp(dir=run_dir, prefix="stats-"))
        self.env = env | {"CASES_BENCH_AUDIT": "on" if audit else "off", "CASES_BENCH_STATS": str(self.stats_dir)}
        self.stats: dict[str, list[float]] = {}
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn), "rightpath.wsgi:application", "-c", str(run_dir / "gunicorn_conf.py"),
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(args.workers), "--threads", str(args.threads),
        ]  # fmt: skip
        self.log = open(run_dir / f"gunicorn-{'on' if audit else 'off'}.log", "w")  # noqa: SIM115

    def __enter__(self) -> Server:
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
                conn.getresponse().read()
                return self
            except OSError:
                if self.process.poll() is not None:
                    raise SystemExit(f"gunicorn exited: see {self.log.name}") from None
                time.sleep(0.3)
        raise SystemExit("gunicorn did not start")

    def __exit__(self, *exc: Any) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        # Per page: requests, seconds in the application, seconds in the audit log's ``record``.
        for f in self.stats_dir.glob("stats-*.json"):
            for page, values in json.loads(f.read_text()).items():
                total = self.stats.setdefault(page, [0, 0.0, 0.0])
                for i, v in enumerate(values):
                    total[i] += v


def _check(port: int, cookie: str, paths: list[str]) -> int:
    """Every URL answers 200 with the page (not a redirect to a sign-in or second-factor page)."""
    size = 0
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for p in paths:
        conn.request("GET", p, headers={"Cookie": cookie, "X-Forwarded-Proto": "https"})
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"GET {p} answered {response.status} {response.getheader('Location', '')}")
        size = max(size, len(body))
    return size


def _wrk(port: int, cookie: str, paths: list[str], seconds: int, run_dir: Path, connections: int) -> dict[str, Any]:
    script = run_dir / "page.lua"
    script.write_text(WRK_SCRIPT % {"paths": ", ".join(json.dumps(p) for p in paths), "cookie": cookie})
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", str(script)]
    done = subprocess.run([*command, f"http://127.0.0.1:{port}"], capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    for k in ("mean", "p50", "p90", "p95", "p99", "max"):
        result[k] = result[k] / 1000  # milliseconds
    return result


def _measure(database_url: str, vendor: str, args: argparse.Namespace, run_dir: Path) -> dict[str, Any]:
    env = _environment(database_url, run_dir)
    t0 = time.perf_counter()
    _manage(env, "migrate", "--verbosity", "0")
    migrate_s = time.perf_counter() - t0
    command = [sys.executable, __file__, "--worker", "--cases", str(args.cases), "--sessions", str(args.sessions)]
    command += ["--my-cases", str(args.my_cases), "--users-per-org", str(args.users_per_org), "--seed", str(args.seed)]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit(f"loading failed for {vendor}")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    data["timings"]["migrate_s"] = migrate_s
    print(f"{vendor}: loaded in {sum(data['timings'].values()):.0f} s: {data['counts']}", flush=True)
    cookie = f"sessionid={data['session_key']}"
    rng = random.Random(args.seed)
    urls = {
        "case list": ["/cases/", "/cases/?page=2", "/cases/?sort=reference", "/cases/?phase=probation",
                      "/cases/?sort=-phase&page=3", "/cases/?q=C-2024", "/cases/?category=returnee&page=2",
                      "/cases/?woman=1"],
        "case detail": [f"/cases/{code}/" for code in data["my_cases"][: args.detail_cases]],
        "my work": ["/cases/mywork/"],
    }  # fmt: skip
    rng.shuffle(urls["case detail"])
    duration = args.duration if vendor == "postgresql" else args.sqlite_duration
    results: dict[str, Any] = {page: {} for page in PAGES}
    # The audit on, off, and on again: the two "on" runs bracket the "off" one, so a drift during
    # the run (caches, the growing audit table) shows as a difference between them.
    for label, audit in (("on", True), ("off", False), ("on2", True)):
        with Server(env, run_dir, args, audit) as server:
            for page in PAGES:
                size = _check(server.port, cookie, urls[page])
                _wrk(server.port, cookie, urls[page], args.warmup, run_dir, args.connections)
                load_before = os.getloadavg()[0]
                r = _wrk(server.port, cookie, urls[page], duration, run_dir, args.connections)
                r["bytes"] = size
                r["load"] = (load_before, os.getloadavg()[0])
                results[page][label] = r
                print(
                    f"{vendor} audit {label:3} {page:11}: {r['rps']:6.1f} req/s, median {r['p50']:6.1f} ms,"
                    f" p95 {r['p95']:6.1f} ms, p99 {r['p99']:6.1f} ms, not 200: {r['not_200'] + r['socket_errors']}",
                    flush=True,
                )
        for page in PAGES:
            results[page][label]["server"] = server.stats.get(page, [0, 0.0, 0.0])
    version = _db_version(database_url)
    return {"vendor": vendor, "version": version, "duration": duration, **data, "results": results}


def _db_version(database_url: str) -> str:
    if database_url.startswith("sqlite"):
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    import psycopg

    with psycopg.connect(database_url) as conn:
        return "PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0].split()[0]


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    admin = urlunsplit(urlsplit(url)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql)


# --- the report ------------------------------------------------------------------------------------------


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


def _in_app(r: dict[str, Any]) -> tuple[float, float]:
    """From the audited runs, as the server measured them: mean milliseconds in the application per
    request, and the share of that time spent in the audit log's ``record``."""
    n = r["on"]["server"][0] + r["on2"]["server"][0]
    app = r["on"]["server"][1] + r["on2"]["server"][1]
    audit = r["on"]["server"][2] + r["on2"]["server"][2]
    return (app / n * 1000 if n else 0.0), (audit / app if app else 0.0)


def _share(r: dict[str, Any], key: str) -> float:
    on = (r["on"][key] + r["on2"][key]) / 2
    return (on - r["off"][key]) / on


def _report(runs: list[dict[str, Any]], args: argparse.Namespace, seconds: float, command: str) -> str:
    first = runs[0]
    c = first["counts"]
    lines = [
        "# Case work pages: latency under load",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC with `{command}` ({seconds / 60:.0f} min in all, loading"
        " included).",
        "",
        f"Machine: {_machine()}. The database server, gunicorn and the load generator share these cores;"
        " PostgreSQL runs with its Debian defaults (128 MB shared buffers, synchronous commit).",
        "",
        f"Data (the same on both databases): {c['cases.Case']:,} cases led by services of {c['accounts.Organisation']} organisations"
        f" in three countries under one information-sharing agreement per country, each with its encrypted identity;"
        f" {c['cases.CaseMembership']:,} team memberships (a coordinator and 2–4 members, 4 % removed) of"
        f" {c['accounts.User']:,} users; {c['cases.Session']:,} sessions with notes encrypted by the model field"
        f" (a skewed number per case: most have a few, some hundreds); {c['cases.PhaseChange']:,} phase changes,"
        f" {c['cases.PlanGoal']:,} plan goals, {c['cases.PlanAction']:,} actions, {c['cases.PlanReview']:,} reviews,"
        f" {c['cases.Referral']:,} referrals and {c['cases.Transfer']:,} lead transfers. Bulk-inserted (COPY on"
        " PostgreSQL), then `VACUUM ANALYZE` (PostgreSQL) or `ANALYZE` (SQLite).",
        "",
        f"The user: a case coordinator of a probation service with a second factor verified in the session, on"
        f" {first['my_memberships']} case teams (coordinator on half, probation officer on cases of partner"
        f" services on the other half); one of their cases has a team of {first['big_team']}.",
        "",
        f"Serving: gunicorn with the production settings (`DEBUG=False`, HTTPS behind a proxy, bench-only keys),"
        f" {args.workers} workers × {args.threads} threads (gthread, keep-alive). Load: `wrk` with"
        f" {args.connections} keep-alive connections, each sending the next request as soon as the last one"
        f" is answered, for {args.duration} s per page on PostgreSQL and {args.sqlite_duration} s on SQLite, after"
        f" {args.warmup} s of warm-up. Every answer was checked to be a 200 with the page (none was anything else"
        " unless the table says so).",
        "",
        "* **case list**: `/cases/` with 8 variants (first and later pages, sorted by reference or phase, filtered by"
        " phase, category, a reference fragment, a flag);",
        f"* **case detail**: the summary page of {min(args.detail_cases, len(first['my_cases']))} of the user's cases"
        " in turn (team, the user's sections, closure status);",
        "* **my work**: `/cases/mywork/` (due reviews, overdue actions, referrals and transfers waiting for the"
        " user's service).",
        "",
        "Each page reads as shipped writes one audit entry. Each page was measured three times: audit on, audit off"
        " (every `record` bound in the served processes replaced by a no-op from the gunicorn configuration), and"
        ' audit on again; the **audit share** is (on − off) ÷ on of the median latency, "on" being the mean of the'
        " two audited runs. The server also timed itself in the audited runs (a wrapper in the gunicorn"
        " configuration): the mean time in the application per request (from the WSGI call to the response,"
        " as the client's latency minus queueing and the network), and the share of it spent inside `record`"
        " (building the entry, its MAC, the INSERT and its commit). The latter is the steadier measure of the"
        " audit's cost: it does not depend on two separate runs on a machine whose load varies. Times in"
        " milliseconds.",
        "",
        "| database | page | req/s | median | p95 | p99 | max | requests | req/s audit off | median audit off"
        " | p95 audit off | audit share (median) | in the app per request | of which in `record` |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        for page in PAGES:
            r = run["results"][page]
            on, off = r["on"], r["off"]
            bad = sum(x["not_200"] + x["socket_errors"] for x in r.values())
            app_ms, record_share = _in_app(r)
            lines.append(
                f"| {run['version']} | {page} | {on['rps']:.0f} / {r['on2']['rps']:.0f} | **{on['p50']:.1f}** /"
                f" {r['on2']['p50']:.1f} | **{on['p95']:.1f}** / {r['on2']['p95']:.1f} | {on['p99']:.1f} |"
                f" {on['max']:.0f} | {on['requests']:,}{f' ({bad} not 200)' if bad else ''} | {off['rps']:.0f} |"
                f" {off['p50']:.1f} | {off['p95']:.1f} | {_share(r, 'p50'):.0%} | {app_ms:.1f} | {record_share:.0%} |"
            )
    lines += ["", "(x / y: the first audited run / the second.)", ""]
    lines += _verdict(runs, args)
    lines += ["", "Loading (seconds):", ""]
    for run in runs:
        t = run["timings"]
        lines.append(
            f"* {run['version']}: migrate {t['migrate_s']:.0f}, organisations to phase changes {t['cases_s']:.0f},"
            f" sessions {t['sessions_s']:.0f}, plans/referrals/transfers {t['plan_s']:.0f}, analyze {t['analyze_s']:.0f}."
        )
    return "\n".join(lines) + "\n"


def _verdict(runs: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    """The run against the issue's target (PostgreSQL: p95 under 50 ms, audit share under 15 %), and
    how busy the machine was (the 1-minute load average when each measured run started and ended)."""
    lines = ["## Against the target", ""]
    for run in runs:
        loads = [x for r in run["results"].values() for v in r.values() for x in v["load"]]
        lines.append(
            f"* {run['version']}: 1-minute load average between {min(loads):.1f} and {max(loads):.1f} during the"
            f" measured runs (the benchmark itself keeps about {args.connections / 4:.0f}–{args.workers + 1} busy on"
            f" {os.cpu_count()} cores; anything above is other work on the machine)."
        )
    for run in runs:
        if run["vendor"] != "postgresql":
            continue
        for page in PAGES:
            r = run["results"][page]
            p95 = max(r["on"]["p95"], r["on2"]["p95"])
            share = _share(r, "p50")
            _app, record_share = _in_app(r)
            lines.append(
                f"* PostgreSQL, {page}: p95 {p95:.1f} ms (worse of the two audited runs):"
                f" {'met' if p95 < 50 else 'not met'}; audit share {share:.0%} from the on/off runs,"
                f" {record_share:.0%} as timed in the server: {'met' if max(share, record_share) < 0.15 else 'not met'}."
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000, help="Cases to create (default 100,000).")
    parser.add_argument("--sessions", type=int, default=1_000_000, help="Sessions with notes (default 1,000,000).")
    parser.add_argument("--my-cases", type=int, default=400, help="Case teams the measuring user is on (400).")
    parser.add_argument("--users-per-org", type=int, default=40, help="Users per organisation (40).")
    parser.add_argument(
        "--detail-cases", type=int, default=100, help="How many of the user's cases the detail run visits."
    )
    parser.add_argument("--duration", type=int, default=20, help="Seconds of load per page and run on PostgreSQL (20).")
    parser.add_argument("--sqlite-duration", type=int, default=20, help="Seconds per page and run on SQLite (20).")
    parser.add_argument("--warmup", type=int, default=3, help="Seconds of load before each measured run (3).")
    parser.add_argument("--connections", type=int, default=8, help="Concurrent keep-alive connections (8).")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (2).")
    parser.add_argument("--threads", type=int, default=4, help="Threads per gunicorn worker (4).")
    parser.add_argument("--seed", type=int, default=20261125, help="Seed of the synthetic data.")
    parser.add_argument("--databases", default="postgresql,sqlite", help="postgresql, sqlite or both (the default).")
    parser.add_argument(
        "--pg-url",
        default=os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/rp_bench"),
        help="PostgreSQL database to create and drop again (its name must end in _bench).",
    )
    parser.add_argument("--output", default=str(ROOT / "bench" / "results" / "cases.md"), help="Results file.")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.worker:
        print(json.dumps(worker(args)))
        return
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is needed (Debian: apt-get install wrk)")

    started = time.perf_counter()
    command = " ".join([".venv/bin/python bench/cases_bench.py", *sys.argv[1:]])
    runs = []
    with tempfile.TemporaryDirectory(prefix="cases_bench_") as tmp:
        run_dir = Path(tmp)
        (run_dir / "cases_bench_settings.py").write_text(SETTINGS_MODULE)
        (run_dir / "gunicorn_conf.py").write_text(GUNICORN_CONFIG)
        _manage(_environment(f"sqlite:///{run_dir}/static.sqlite3", run_dir), "collectstatic", "--noinput", "-v0")
        for vendor in [v.strip() for v in args.databases.split(",") if v.strip()]:
            if vendor == "postgresql":
                name = urlsplit(args.pg_url).path.lstrip("/")
                if not name.endswith("_bench"):
                    raise SystemExit("refusing to drop a database whose name does not end in _bench")
                _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                _pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
                try:
                    runs.append(_measure(args.pg_url, vendor, args, run_dir))
                finally:
                    _pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            elif vendor == "sqlite":
                runs.append(_measure(f"sqlite:///{run_dir}/bench.sqlite3", vendor, args, run_dir))
            else:
                raise SystemExit(f"unknown database {vendor!r}")
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(_report(runs, args, time.perf_counter() - started, command), encoding="utf-8")
    print(f"Wrote {output}")


if __name__ == "__main__":
    main()
