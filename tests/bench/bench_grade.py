"""Benchmark: ``manage.py grade`` on 2,700 challenges (27,000 questions) on PostgreSQL.

Target (issue 3): load, store, grade both modes and compute metrics in ≤ 20 s on the 2-core
dev machine. Run: ``.venv/bin/python -m tests.bench.bench_grade [--copies 270] [--postgres URL]``.

The benchmark file is the real mini set replicated under new ids (2,700 challenges); the
predictions mix gold answers, planted values, hedges and blanks. A scratch PostgreSQL database
is created and dropped. Three timings are printed: the first ``grade`` (which also imports the
benchmark), a second ``grade`` of new predictions (benchmark already present: the steady
state of grading a new model), and a repeated ``grade`` of the same predictions (idempotent).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench._mini import MINI, ROOT, replicate_mini


def predictions(benchmark: dict, seed: int, model: str) -> list[dict]:
    rng = random.Random(seed)
    out = []
    for challenge in benchmark["challenges"]:
        traps = {t["trapId"]: t for t in challenge["traps"]}
        answers = {}
        for question in challenge["questions"]:
            roll = rng.random()
            trap = traps.get(question["targetsTrap"] or "")
            if roll < 0.5:
                answer = question["goldAnswer"]
            elif trap and roll < 0.7:
                answer = str(trap["wrongValue"])
            elif trap and roll < 0.8:
                answer = f"{trap['correctValue']} or {trap['wrongValue']}"
            elif roll < 0.9:
                answer = "not stated"
            else:
                continue
            answers[question["questionId"]] = {
                "answer": answer,
                "citation": "",
                "confidence": round(rng.random(), 2),
            }
        out.append({"challengeId": challenge["challengeId"], "model": model, "answers": answers})
    return out


def grade(env: dict, bench: Path, preds: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "grade",
            "--benchmark",
            str(bench),
            "--predictions",
            str(preds),
            "--json",
            str(out),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=270)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    args = parser.parse_args()
    if not MINI.exists():
        print(f"skipped: {MINI} is not present")
        return 0
    import psycopg

    name = f"dacr_bench_grade_{os.getpid()}"
    with psycopg.connect(args.postgres, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": f"{args.postgres.rsplit('/', 1)[0]}/{name}",
        "CELERY_BROKER_URL": "",
        "DACR_VAR_DIR": tempfile.mkdtemp(prefix="dacr-bench-var-"),
        "DACR_MAX_BENCHMARK_BYTES": str(1 << 31),
    }
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True
        )
        with tempfile.TemporaryDirectory() as scratch:
            benchmark = replicate_mini(args.copies)
            bench = Path(scratch) / "bench.json"
            bench.write_text(json.dumps(benchmark), encoding="utf-8")
            first = Path(scratch) / "a.json"
            first.write_text(json.dumps(predictions(benchmark, 1, "model-a")))
            second = Path(scratch) / "b.json"
            second.write_text(json.dumps(predictions(benchmark, 2, "model-b")))
            out = Path(scratch) / "metrics.json"
            n = len(benchmark["challenges"])
            q = sum(len(c["questions"]) for c in benchmark["challenges"])
            print(f"{n} challenges, {q} questions, benchmark {bench.stat().st_size / 1e6:.0f} MB")
            with_import = grade(env, bench, first, out)
            print(f"grade, first run (imports the benchmark too): {with_import:.1f} s")
            steady = grade(env, bench, second, out)
            verdict = "OK" if steady <= 20 else "OVER TARGET"
            print(
                f"grade, new predictions (benchmark present): {steady:.1f} s "
                f"(target ≤ 20 s: {verdict})"
            )
            again = grade(env, bench, second, out)
            print(f"grade, same predictions again (idempotent): {again:.1f} s")
            metrics = json.loads(out.read_text())
            for mode in ("reference", "strict"):
                m = metrics[mode]
                print(
                    f"  {mode:<9} AA {m['answer_accuracy']:.3f}  CARS {m['cars']:.3f}  "
                    f"questions {m['questions']}"
                )
    finally:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
