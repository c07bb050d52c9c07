"""Benchmark: import 1,000 challenges (the real mini set replicated under new ids).

Target (issue 2): under 30 s on SQLite and on PostgreSQL on the 2-core dev machine.
Run: ``.venv/bin/python -m tests.bench.bench_import [--copies 100] [--postgres URL]``.
Each database is created fresh (a temporary SQLite file; a scratch PostgreSQL database that
is dropped afterwards), migrated, and the timed part is the whole import of one file: read,
validate, hash, write.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.bench._mini import MINI, ROOT, replicate_mini

CHILD = """
import os, sys, time, json
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "dacr_site.settings"
import django
django.setup()
from django.core.management import call_command
from challenges.models import Challenge, Question, Conflict
from challenges.services import benchmark_import_path
call_command("migrate", verbosity=0)
started = time.perf_counter()
summary = benchmark_import_path(path={path!r}, suite_name="bench")
elapsed = time.perf_counter() - started
again = time.perf_counter()
benchmark_import_path(path={path!r}, suite_name="bench")
reimport = time.perf_counter() - again
print(json.dumps({{"seconds": elapsed, "reimport_seconds": reimport,
    "challenges": Challenge.objects.count(), "questions": Question.objects.count(),
    "conflicts": Conflict.objects.count()}}))
"""


def run_child(database_url: str, path: Path) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": ""}
    env["DACR_VAR_DIR"] = tempfile.mkdtemp(prefix="dacr-bench-var-")
    env["DACR_MAX_BENCHMARK_BYTES"] = str(1 << 30)
    out = subprocess.run(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=100, help="replicas of the 10-set")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if not MINI.exists():
        print(f"skipped: {MINI} is not present")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "bench.json"
        path.write_text(json.dumps(replicate_mini(args.copies)), encoding="utf-8")
        size_mb = path.stat().st_size / 1e6
        print(f"file: {args.copies * 10} challenges, {size_mb:.1f} MB")

        sqlite = run_child(f"sqlite:///{scratch}/bench.sqlite3", path)
        report("SQLite", sqlite)

        import psycopg

        name = f"dacr_bench_{os.getpid()}"
        admin = args.postgres
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            base = admin.rsplit("/", 1)[0]
            report("PostgreSQL", run_child(f"{base}/{name}", path))
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


def report(label: str, result: dict) -> None:
    verdict = "OK" if result["seconds"] < 30 else "OVER TARGET"
    print(
        f"{label:<10} import {result['challenges']} challenges / {result['questions']} questions"
        f" / {result['conflicts']} conflicts: {result['seconds']:.1f} s (target < 30 s: "
        f"{verdict}); idempotent re-import {result['reimport_seconds']:.1f} s"
    )


if __name__ == "__main__":
    raise SystemExit(main())
