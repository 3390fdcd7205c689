#!/usr/bin/env python
"""Profile the case-work pages one request at a time, in-process, on a kept PostgreSQL database
filled by the case benchmark's generator (``bench/cases_bench.py``).

Usage (from the project root, with the virtualenv and a PostgreSQL server):

    .venv/bin/python bench/cases_profile.py setup              # create, migrate and fill the database once
    .venv/bin/python bench/cases_profile.py measure            # per page: time, CPU, queries, SQL time
    .venv/bin/python bench/cases_profile.py measure --queries  # ... and the statements of one request
    .venv/bin/python bench/cases_profile.py profile "my work"  # a pyinstrument (or cProfile) profile
    .venv/bin/python bench/cases_profile.py drop               # drop the database and the state file

The database (``--pg-url``, default ``postgres://postgres@127.0.0.1:5432/rp_profile_bench``; its
name must end in ``_bench``) and the run's keys, session and case codes (``--state``) are kept
between calls, so each measurement reuses the same data. Requests go through the whole middleware
stack with the production settings the benchmark serves, as the benchmark's user.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import cases_bench  # noqa: E402


def _paths(state: dict) -> dict[str, list[str]]:
    return {
        "case list": ["/cases/", "/cases/?page=2", "/cases/?sort=reference", "/cases/?phase=probation",
                      "/cases/?sort=-phase&page=3", "/cases/?q=C-2024", "/cases/?category=returnee&page=2",
                      "/cases/?woman=1"],
        "case detail": [f"/cases/{code}/" for code in state["my_cases"][:20]],
        "my work": ["/cases/mywork/"],
    }  # fmt: skip


def setup(args: argparse.Namespace) -> None:
    name = urlsplit(args.pg_url).path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("refusing to drop a database whose name does not end in _bench")
    run_dir = Path(tempfile.mkdtemp(prefix="cases_profile_"))
    (run_dir / "cases_bench_settings.py").write_text(cases_bench.SETTINGS_MODULE)
    env = cases_bench._environment(args.pg_url, run_dir)
    cases_bench._pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    cases_bench._pg_admin(args.pg_url, f'CREATE DATABASE "{name}"')
    cases_bench._manage(env, "migrate", "--verbosity", "0")
    command = [sys.executable, cases_bench.__file__, "--worker", "--cases", str(args.cases)]
    command += ["--sessions", str(args.sessions), "--my-cases", "400", "--users-per-org", "40"]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.stderr.write(done.stderr)
        raise SystemExit("loading failed")
    data = json.loads(done.stdout.strip().splitlines()[-1])
    keep = (
        "DATABASE_URL",
        "SECRET_KEY",
        "AUDIT_HMAC_KEYS",
        "FIELD_ENCRYPTION_KEYS",
        "BLIND_INDEX_KEY",
        "ALLOWED_HOSTS",
    )
    state = {"env": {k: env[k] for k in keep}, "run_dir": str(run_dir), "my_cases": data["my_cases"]}
    Path(args.state).write_text(json.dumps(state))
    print(f"loaded: {data['counts']}")


def drop(args: argparse.Namespace) -> None:
    name = urlsplit(args.pg_url).path.lstrip("/")
    if not name.endswith("_bench"):
        raise SystemExit("refusing to drop a database whose name does not end in _bench")
    cases_bench._pg_admin(args.pg_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    Path(args.state).unlink(missing_ok=True)


def _django(state: dict) -> None:
    run_dir = Path(state["run_dir"])
    run_dir.mkdir(exist_ok=True)
    (run_dir / "cases_bench_settings.py").write_text(cases_bench.SETTINGS_MODULE)
    os.environ.update(state["env"])
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "cases_bench_settings",
            "STATIC_ROOT": str(run_dir / "static"),
            "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
            "LOG_LEVEL": "ERROR",
        }
    )
    sys.path[:0] = [str(run_dir), str(ROOT)]
    import django

    django.setup()
    from django.conf import settings

    # Manifest static files need collectstatic; the plain storage renders the same tags.
    settings.STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}


def _client():
    """A client signed in as the benchmark's user with a verified second factor."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from rightpath.accounts.models import User

    me = User.objects.get(username=cases_bench.BENCH_USERNAME)
    device = TOTPDevice.objects.filter(user=me, confirmed=True).first()
    session = SessionStore()
    session["_auth_user_id"] = str(me.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = me.get_session_auth_hash()
    session["otp_device_id"] = device.persistent_id
    session["last_seen"] = int(time.time())
    session.create()
    client = Client(HTTP_HOST="localhost", HTTP_X_FORWARDED_PROTO="https")
    client.cookies["sessionid"] = session.session_key
    return client


class _Counter:
    def __init__(self) -> None:
        self.n = 0
        self.seconds = 0.0
        self.statements: list[tuple[float, str, Any]] = []

    def __call__(self, execute, sql, params, many, context):
        t0 = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            spent = time.perf_counter() - t0
            self.n += 1
            self.seconds += spent
            self.statements.append((spent, sql, params))


def measure(args: argparse.Namespace) -> None:
    state = json.loads(Path(args.state).read_text())
    _django(state)
    from django.db import connection

    client = _client()
    pages = _paths(state)
    for page in args.pages or cases_bench.PAGES:
        paths = pages[page]
        for p in paths:  # warm up
            r = client.get(p)
            assert r.status_code == 200, (p, r.status_code, r.get("Location"))
        walls, cpus, sqls, counts = [], [], [], []
        slowest: _Counter | None = None
        for i in range(args.repeats):
            p = paths[i % len(paths)]
            counter = _Counter()
            with connection.execute_wrapper(counter):
                c0, w0 = time.process_time(), time.perf_counter()
                r = client.get(p)
                cpu, wall = time.process_time() - c0, time.perf_counter() - w0
            assert r.status_code == 200, (p, r.status_code)
            walls.append(wall * 1000)
            cpus.append(cpu * 1000)
            sqls.append(counter.seconds * 1000)
            counts.append(counter.n)
            if slowest is None or counter.seconds > slowest.seconds:
                slowest = counter
        print(
            f"{page:11}: wall median {statistics.median(walls):6.1f} ms, app CPU {statistics.median(cpus):6.1f} ms,"
            f" SQL {statistics.median(sqls):6.1f} ms, queries {min(counts)}–{max(counts)}, bytes {len(r.content):,}"
        )
        if args.queries and slowest is not None:
            for spent, sql, params in sorted(slowest.statements, key=lambda x: x[0], reverse=True):
                print(f"    {spent * 1000:7.2f} ms  {sql[: 4000 if args.explain else 400]}")
                if args.explain and spent > 0.001 and sql.lstrip().upper().startswith("SELECT"):
                    with connection.cursor() as cursor:
                        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
                        print("\n".join("        " + row[0] for row in cursor.fetchall()))


def profile(args: argparse.Namespace) -> None:
    state = json.loads(Path(args.state).read_text())
    _django(state)
    client = _client()
    paths = _paths(state)[args.page]
    for p in paths:
        client.get(p)
    if args.cprofile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for i in range(args.repeats):
            client.get(paths[i % len(paths)])
        prof.disable()
        pstats.Stats(prof).sort_stats(args.sort).print_stats(60)
        return
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005)
    profiler.start()
    for i in range(args.repeats):
        client.get(paths[i % len(paths)])
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["setup", "measure", "profile", "drop"])
    parser.add_argument("page", nargs="?", choices=cases_bench.PAGES, help="The page to profile.")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/rp_profile_bench")
    parser.add_argument("--state", default=str(Path(tempfile.gettempdir()) / "cases_profile_state.json"))
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--pages", nargs="*", choices=cases_bench.PAGES)
    parser.add_argument("--queries", action="store_true", help="Print the statements of the slowest request.")
    parser.add_argument("--explain", action="store_true", help="With --queries: the plans of those over 1 ms.")
    parser.add_argument("--sort", default="cumulative", help="cProfile sort key.")
    parser.add_argument("--cprofile", action="store_true", help="cProfile instead of pyinstrument.")
    args = parser.parse_args()
    {"setup": setup, "measure": measure, "profile": profile, "drop": drop}[args.action](args)


if __name__ == "__main__":
    main()
