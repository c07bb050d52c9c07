"""Benchmark: the trace browser's pages on 100,000 traces and 1,000,000 verdicts (PostgreSQL).

Target (issue 6): the trace list, a trace detail, the failure explorer and the audit queue
answer with p95 ≤ 300 ms under concurrent requests on loopback.
Run: ``.venv/bin/python -m tests.bench.bench_browser [--traces 100000] [--requests 200]``.

A scratch PostgreSQL database is created, migrated and seeded fast: ~1,000 engine challenges
imported through ``benchmark_import``, then traces, verdicts (both modes for
``--questions-per-trace`` questions of each trace), audits and open audit assignments written
with COPY, with realistic distributions (5 solvers, ~40% incorrect, strict/reference
disagreements on hedges, low-confidence token-F1 matches, a few thousand audits), and where each
trace page's highlighted statements sit is stored as grading's task stores it
(``traces_highlights_locate``). After ``ANALYZE`` the app is served by gunicorn (``2 × cores +
1`` sync worker processes, as a deployment would; ``--server runserver`` for Django's
development server) against that database (DEBUG off), an annotator logs in through the login
form, and each page type is requested by a pool of threads; p50/p95/max are printed. A page
whose URL does not answer is skipped with a message. The database is dropped at the end
(``--keep`` keeps it, ``--reuse NAME`` measures a kept one again without seeding).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "bench-pass-123"
SOLVERS = (  # name, kind, share of answers right
    ("qwen2.5-7b-instruct", "model", 0.45),
    ("qwen2.5-7b-qlora", "model", 0.62),
    ("llama-3.1-8b", "model", 0.55),
    ("lexical-baseline", "lexical", 0.50),
    ("gpt-4o-mini", "imported", 0.78),
)
TARGET_P95_MS = 300


# --- seeding -------------------------------------------------------------------------------


def seed(args) -> dict:
    """Fill the (migrated) database; returns what the measuring part needs."""
    from challenges import engine
    from challenges.models import Conflict, Question
    from challenges.services import benchmark_import
    from challenges.services.generation import suite_benchmark

    timings = {}
    started = time.perf_counter()
    records = [g.record for g in engine.generate_suite(args.challenges, args.seed)]
    timings["generate"] = time.perf_counter() - started
    mark = time.perf_counter()
    benchmark_import(benchmark=suite_benchmark(name="bench", records=records), suite_name="bench")
    timings["import challenges"] = time.perf_counter() - mark

    mark = time.perf_counter()
    conflicts = {
        c["id"]: (c["authoritative_value"], c["conflicting_value"])
        for c in Conflict.objects.values("id", "authoritative_value", "conflicting_value")
    }
    questions: dict[int, list[tuple]] = {}
    for q in Question.objects.order_by("challenge_id", "position").values_list(
        "id", "challenge_id", "question_id", "gold_answer", "conflict_id"
    ):
        questions.setdefault(q[1], []).append(q)
    users = _users()
    counts = _copy_rows(args, questions, conflicts, users)
    timings["COPY traces, verdicts, audits"] = time.perf_counter() - mark
    # What grading's task does for traces it graded: store where each highlight sits.
    from traces.services import traces_highlights_locate

    mark = time.perf_counter()
    located = traces_highlights_locate(trace_ids=range(1, args.traces + 1))
    counts["statements located"] = located.searched
    timings["locate highlights (grading's task)"] = time.perf_counter() - mark
    mark = time.perf_counter()
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    timings["ANALYZE"] = time.perf_counter() - mark
    timings["total"] = time.perf_counter() - started
    return {"timings": timings, "counts": counts, **counts.pop("_ids")}


def _users() -> dict:
    from django.contrib.auth.models import Group, User

    made = {}
    for name, role in (
        ("bench-anna", "annotator"),
        ("bench-ben", "annotator"),
        ("bench-cleo", "annotator"),
    ):
        user = User.objects.create_user(username=name, password=PASSWORD)
        user.groups.add(Group.objects.get(name=role))
        made[name] = user.pk
    return made


def _copy(cursor, table: str, columns: tuple[str, ...], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def _copy_rows(args, questions: dict, conflicts: dict, users: dict) -> dict:
    from django.db import connection, transaction

    from traces.grading import VERIFIER_VERSION
    from traces.models import Audit, Verdict
    from traces.services.verdict_flags import verdicts_audit_flags_refresh

    rng = random.Random(args.seed)
    now = datetime.now(UTC)
    challenge_ids = sorted(questions)
    per_trace = args.questions_per_trace
    solver_ids = {}
    trace_rows, verdict_rows = [], []
    strict_ids, disagreement_ids, low_confidence_ids = [], [], []
    failure_trace = None
    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg 3: COPY
        for name, kind, _ in SOLVERS:
            cursor.execute(
                "INSERT INTO traces_solver (name, kind, description, created_at) "
                "VALUES (%s, %s, '', %s) RETURNING id",
                (name, kind, now),
            )
            solver_ids[name] = cursor.fetchone()[0]
        verdict_id = 0
        for trace_id in range(1, args.traces + 1):
            name, _, skill = SOLVERS[trace_id % len(SOLVERS)]
            challenge_id = challenge_ids[(trace_id // len(SOLVERS)) % len(challenge_ids)]
            created = now - timedelta(seconds=rng.randrange(90 * 86400))
            chosen = rng.sample(
                questions[challenge_id], min(per_trace, len(questions[challenge_id]))
            )
            answers, trace_verdicts = {}, []
            parse_format = rng.choices(
                ("json", "json_fenced", "reasoning_json", "prose", "json_repaired", "none"),
                (55, 20, 12, 7, 3, 3),
            )[0]
            for qpk, _, question_id, gold, conflict_id in chosen:
                verdict_id += 2
                strict, reference = _verdict_pair(rng, skill, gold, conflicts.get(conflict_id))
                if parse_format == "none":
                    strict = reference = _missing()
                answers[question_id] = {
                    "answer": strict["answer"],
                    "citation": strict["citation"],
                    "confidence": strict["confidence"],
                }
                for offset, (mode, verdict) in enumerate(
                    (("strict", strict), ("reference", reference))
                ):
                    trace_verdicts.append(
                        (
                            verdict_id - 1 + offset,
                            trace_id,
                            qpk,
                            mode,
                            VERIFIER_VERSION,
                            verdict["answer"],
                            verdict["citation"],
                            verdict["confidence"],
                            verdict["match_type"],
                            verdict["decision"],
                            verdict["conflict_outcome"],
                            verdict["citation_score"],
                            verdict["verdict_confidence"],
                            verdict["reason"],
                            strict["decision"] != reference["decision"],
                            "",
                            False,
                            created,
                        )
                    )
                strict_ids.append((verdict_id - 1, strict["decision"]))
                if strict["decision"] != reference["decision"]:
                    disagreement_ids.append((verdict_id - 1, strict["decision"]))
                elif strict["verdict_confidence"] < 0.9:
                    low_confidence_ids.append((verdict_id - 1, strict["decision"]))
                if failure_trace is None and strict["decision"] == "incorrect":
                    failure_trace = trace_id
            raw = json.dumps(answers)
            if parse_format == "json_fenced":
                raw = f"```json\n{raw}\n```"
            elif parse_format == "reasoning_json":
                raw = "Let me find each value in the document. " * 12 + raw
            trace_rows.append(
                (
                    trace_id,
                    challenge_id,
                    solver_ids[name],
                    raw if parse_format != "none" else "I cannot answer these questions.",
                    json.dumps(answers if parse_format != "none" else {}),
                    "Let me find each value in the document. " * 12
                    if parse_format == "reasoning_json"
                    else "",
                    parse_format,
                    parse_format == "none",
                    "[]",
                    f"{trace_id:064x}",
                    rng.randrange(1500, 9000),
                    rng.randrange(50, 900),
                    rng.randrange(300, 30000),
                    rng.choice(("evaluation", "evaluation", "import")),
                    created,
                )
            )
            verdict_rows.extend(trace_verdicts)
        counts = {
            "traces": _copy(
                cursor,
                "traces_trace",
                (
                    "id",
                    "challenge_id",
                    "solver_id",
                    "raw_output",
                    "answers",
                    "parsed_reasoning",
                    "parse_format",
                    "format_failure",
                    "problems",
                    "content_hash",
                    "prompt_tokens",
                    "completion_tokens",
                    "latency_ms",
                    "source",
                    "created_at",
                ),
                trace_rows,
            )
        }
        del trace_rows
        counts["verdicts"] = _copy(
            cursor,
            "traces_verdict",
            (
                "id",
                "trace_id",
                "question_id",
                "mode",
                "verifier_version",
                "answer",
                "citation",
                "confidence",
                "match_type",
                "decision",
                "conflict_outcome",
                "citation_score",
                "verdict_confidence",
                "reason",
                "modes_disagree",
                "override",
                "audited",
                "created_at",
            ),
            verdict_rows,
        )
        del verdict_rows
        counts["audits"] = _copy(
            cursor,
            "traces_audit",
            ("verdict_id", "annotator_id", "decision", "reason", "previous_decision", "created_at"),
            _audits(rng, users, strict_ids, disagreement_ids, low_confidence_ids, args.audits, now),
        )
        # COPY skips Audit.save(): bring the audited verdicts' columns in step as it would.
        verdicts_audit_flags_refresh(
            Verdict.objects.filter(pk__in=Audit.objects.values("verdict_id")), audit_model=Audit
        )
        counts["assignments"] = _assignments(
            cursor, users["bench-anna"], disagreement_ids, low_confidence_ids, strict_ids, rng, now
        )
        for table in ("traces_trace", "traces_verdict"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM "
                f"{table}))"
            )
    counts["_ids"] = {"failure_trace": failure_trace or 1, "annotator": "bench-anna"}
    counts["disagreements"] = len(disagreement_ids)
    counts["low-confidence strict verdicts"] = len(low_confidence_ids)
    return counts


def _missing() -> dict:
    return {
        "answer": None,
        "citation": "",
        "confidence": None,
        "match_type": "none",
        "decision": "incorrect",
        "conflict_outcome": "",
        "citation_score": 0.0,
        "verdict_confidence": 1.0,
        "reason": "no answer was given",
    }


def _verdict_pair(rng: random.Random, skill: float, gold: str, conflict) -> tuple[dict, dict]:
    """The strict and the reference verdict of one answer."""
    roll = rng.random()
    confidence = round(rng.betavariate(5, 2), 2)
    citation = "" if rng.random() < 0.2 else "as reported in the results section"
    base = {
        "answer": gold,
        "citation": citation,
        "confidence": confidence,
        "citation_score": round(rng.random(), 2),
        "verdict_confidence": 1.0,
        "conflict_outcome": "" if conflict is None else "resolved",
    }
    if roll < skill:
        match_type = rng.choices(
            ("exact", "alias", "numeric", "contains", "token_f1"), (60, 10, 15, 8, 7)
        )[0]
        strict = {**base, "match_type": match_type, "decision": "correct"}
        if match_type == "token_f1":
            strict["verdict_confidence"] = round(rng.uniform(0.55, 0.95), 2)
            strict["answer"] = f"about {gold}"
        strict["reason"] = f"{match_type} match with the gold answer"
        return strict, {**strict}
    if conflict is not None and rng.random() < 0.25:
        # A hedge: the public scorer's containment accepts it, strict refuses it.
        hedge = f"{conflict[0]} or {conflict[1]}"
        strict = {
            **base,
            "answer": hedge,
            "match_type": "none",
            "decision": "incorrect",
            "conflict_outcome": "hedged",
            "reason": "names both the authoritative and the planted value",
        }
        reference = {
            **strict,
            "match_type": "contains",
            "decision": "correct",
            "reason": "the answer contains the gold answer",
        }
        return strict, reference
    outcome = "" if conflict is None else rng.choice(("fell_for_planted",) * 3 + ("other",))
    answer = conflict[1] if outcome == "fell_for_planted" else f"not {gold}"[:80]
    strict = {
        **base,
        "answer": answer,
        "match_type": "none",
        "decision": "incorrect",
        "conflict_outcome": outcome,
        "reason": "no match with the gold answer or its aliases",
    }
    if rng.random() < 0.15:
        strict["match_type"] = "token_f1"
        strict["verdict_confidence"] = round(rng.uniform(0.5, 0.9), 2)
        strict["reason"] = "token F1 0.71 is below 0.8"
    reference = {**strict}
    if rng.random() < 0.04:  # the reference scorer's loose containment
        reference.update(match_type="contains", decision="correct", reason="containment")
    return strict, reference


def _audits(rng, users, strict_ids, disagreements, low_confidence, total, now):
    annotators = list(users.values())
    pool = disagreements[: total // 2] + low_confidence[: total // 4]
    pool += rng.sample(strict_ids, max(0, total - len(pool)))
    for verdict_id, decision in pool:
        for annotator in rng.sample(annotators, 2 if rng.random() < 0.1 else 1):
            choice = rng.choices(("agree", "correct", "incorrect", "gold_wrong"), (70, 12, 15, 3))
            yield (
                verdict_id,
                annotator,
                choice[0],
                "" if rng.random() < 0.6 else "checked against the results table",
                decision,
                now - timedelta(seconds=rng.randrange(30 * 86400)),
            )


def _assignments(cursor, annotator: int, disagreements, low_confidence, strict_ids, rng, now):
    """Open queue items for the measured annotator, where the audit queue stores them."""
    cursor.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = "
        "'traces_auditassignment'"
    )
    columns = {row[0] for row in cursor.fetchall()}
    wanted = ("verdict_id", "annotator_id", "kind", "blind", "created_at")
    if not set(wanted) <= columns:
        return 0
    items = [(v, "disagreement") for v, _ in disagreements[-300:]]
    items += [(v, "low_confidence") for v, _ in low_confidence[-300:]]
    items += [(v, "sample") for v, _ in rng.sample(strict_ids, 200)]
    seen = set()
    rows = []
    for verdict_id, kind in items:
        if verdict_id not in seen:
            seen.add(verdict_id)
            rows.append((verdict_id, annotator, kind, False, now))
    return _copy(cursor, "traces_auditassignment", wanted, rows)


# --- measuring -----------------------------------------------------------------------------


class Session:
    """One keep-alive connection per thread, sharing the logged-in session cookie."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.local = threading.local()

    def _connection(self) -> http.client.HTTPConnection:
        if getattr(self.local, "conn", None) is None:
            self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        return self.local.conn

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                content = response.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                self.local.conn = None
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        if response.getheader("Connection", "").lower() == "close":
            conn.close()
            self.local.conn = None
        return response.status, response.getheader("Location"), content.decode("utf-8", "replace")

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        body = urllib.parse.urlencode(
            {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        )
        status, _, _ = self.request(
            "POST",
            "/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/login/",
            },
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed: HTTP {status}")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited with {server.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def _deep_cursor_path(session: Session, path: str, pages: int) -> str | None:
    """Follow the list's "next" links ``pages`` times; the URL of the page reached."""
    for _ in range(pages):
        status, _, page = session.request("GET", path)
        found = re.search(r'<a href="([^"]*cursor=[^"]+)" rel="next"', page)
        if status != 200 or not found:
            return None
        href = found.group(1).replace("&amp;", "&")
        path = href if href.startswith("/") else f"/traces/{href}"
    return path


def measure(
    session: Session,
    name: str,
    paths: list[str],
    requests: int,
    workers: int,
    limit_s,
    *,
    warm_all: bool = True,
):
    """Latencies (ms) of ``requests`` GETs over ``paths`` by ``workers`` threads, stopping at
    ``limit_s`` seconds; None (and a message) when the first path does not answer 200."""
    # Warm (and probe) the page: every path once when ``warm_all`` (the steady state, with the
    # counts cached), else the first. The slowest of these is printed as the cold time.
    cold = []
    for path in paths if warm_all else paths[:1]:
        started = time.perf_counter()
        status, _, _ = session.request("GET", path)
        cold.append((time.perf_counter() - started) * 1000)
        if status != 200:
            print(f"  {name:<34} skipped: GET {path} answered HTTP {status}")
            return None
    deadline = time.monotonic() + limit_s
    errors = []
    by_path: dict[str, list[float]] = {}

    def one(i: int) -> float | None:
        if time.monotonic() > deadline:
            return None
        path = paths[i % len(paths)]
        started = time.perf_counter()
        status, _, _ = session.request("GET", path)
        elapsed = (time.perf_counter() - started) * 1000
        by_path.setdefault(path, []).append(elapsed)
        if status != 200:
            errors.append(status)
        return elapsed

    with ThreadPoolExecutor(workers) as pool:
        latencies = [t for t in pool.map(one, range(requests)) if t is not None]
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    verdict = "OK" if p95 <= TARGET_P95_MS else "OVER TARGET"
    print(
        f"  {name:<34} n={len(latencies):<4} p50 {statistics.median(latencies):6.0f} ms  "
        f"p95 {p95:6.0f} ms  max {latencies[-1]:6.0f} ms  {verdict}"
        + (f"  ({len(errors)} non-200: {sorted(set(errors))})" if errors else "")
        + (f"  [cold first views: max {max(cold):.0f} ms]" if warm_all and len(cold) > 1 else "")
    )
    if len(paths) > 1 and p95 > TARGET_P95_MS:
        slowest = sorted(by_path.items(), key=lambda item: -statistics.median(item[1]))[:3]
        for path, times in slowest:
            print(f"      slowest: median {statistics.median(times):6.0f} ms  {path}")
    return p95


def run_pages(port: int, seeded: dict, args) -> None:
    session = Session(port)
    session.login(seeded["annotator"])
    trace = seeded["failure_trace"]
    list_filters = [
        "/traces/",
        "/traces/?outcome=incorrect",
        "/traces/?mode=reference&outcome=incorrect&category=conflict_resolution",
        "/traces/?conflict=fell_for_planted&difficulty=hard",
        "/traces/?disagree=yes",
        "/traces/?audited=yes",
        "/traces/?solver=qwen2.5-7b-qlora&domain=physics&hops=2",
        "/traces/?match_type=token_f1&split=synthetic&sort=least_confident",
        "/traces/?per=trace",
        "/traces/?compare=qwen2.5-7b-instruct,qwen2.5-7b-qlora&cell=only_b",
    ]
    levels = [int(n) for n in str(args.workers).split(",") if n.strip()]
    # Every "first view" request opens a trace nobody opened yet: no cached highlights.
    fresh = iter(range(trace + 1000, 10**9, 53))

    def first_views(count: int) -> list[str]:
        return [f"/traces/{next(fresh)}/" for _ in range(count + 1)]

    pages = {
        "trace list (10 filter sets)": list_filters,
        "trace detail": [f"/traces/{trace + n * 37}/" for n in range(20)],
        "trace detail, first view": [],
        "failure explorer": [
            "/failures/",
            "/failures/?mode=reference",
            "/failures/?category=conflict_resolution&split=synthetic",
            "/failures/?compare=qwen2.5-7b-instruct,qwen2.5-7b-qlora",
        ],
        "audit queue": ["/audit/"],
    }
    deep = _deep_cursor_path(session, "/traces/?outcome=incorrect", args.deep_pages)
    if deep:
        pages[f"trace list, keyset page {args.deep_pages + 1}"] = [deep]
    else:
        print("  trace list, deep keyset page: skipped (no cursor link found on the list)")
    worst_by_level = {}
    for workers in levels:
        print(f"latency over loopback, {workers} concurrent clients:")
        results = {}
        for name, paths in pages.items():
            first = name == "trace detail, first view"
            results[name] = measure(
                session,
                name,
                first_views(args.requests) if first else paths,
                args.requests,
                workers,
                args.limit_s,
                warm_all=not first,
            )
        measured = [p for p in results.values() if p is not None]
        if measured:
            worst_by_level[workers] = max(measured)
    if args.serial:
        print(f"the same, one client at a time ({args.serial} requests per page type):")
        for name, paths in pages.items():
            first = name == "trace detail, first view"
            paths = first_views(args.serial) if first else paths
            measure(session, name, paths, args.serial, 1, args.limit_s, warm_all=False)
    for workers, worst in worst_by_level.items():
        verdict = "OK" if worst <= TARGET_P95_MS else "OVER TARGET"
        print(
            f"worst p95, {workers} concurrent clients: {worst:.0f} ms "
            f"(target ≤ {TARGET_P95_MS} ms: {verdict})"
        )


# --- main --------------------------------------------------------------------------------------


def _server_command(args, port: int) -> list[str]:
    """How the app is served: gunicorn (the deployment server, ``--server-workers`` processes)
    or Django's single-process development server."""
    if args.server == "runserver":
        return [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"]
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "dacr_site.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(args.server_workers),
        "--worker-class",
        "sync",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]


def _seeded_path(name: str) -> Path:
    return Path(tempfile.gettempdir()) / f"{name}.json"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--challenges", type=int, default=1000)
    parser.add_argument("--traces", type=int, default=100_000)
    parser.add_argument("--questions-per-trace", type=int, default=5, help="× 2 modes")
    parser.add_argument("--audits", type=int, default=3000)
    parser.add_argument("--requests", type=int, default=200, help="per page type")
    parser.add_argument(
        "--workers", default="4,8", help="concurrent clients; several levels: 4,8 (default)"
    )
    parser.add_argument("--server", choices=("gunicorn", "runserver"), default="gunicorn")
    parser.add_argument(
        "--server-workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn"
    )
    parser.add_argument("--limit-s", type=float, default=60, help="per page type")
    parser.add_argument("--deep-pages", type=int, default=20)
    parser.add_argument(
        "--serial", type=int, default=30, help="also measure one client at a time (0: no)"
    )
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument(
        "--cache-url", default="redis://127.0.0.1:6379/14", help="shared cache ('' = per process)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the seeded database")
    parser.add_argument("--reuse", metavar="DB", help="measure a database kept with --keep")
    args = parser.parse_args()
    import psycopg

    name = args.reuse or f"dacr_bench_browser_{os.getpid()}"
    database_url = f"{args.postgres.rsplit('/', 1)[0]}/{name}"
    if not args.reuse:
        with psycopg.connect(args.postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": "",
        "DJANGO_DEBUG": "0",
        "DJANGO_LOG_LEVEL": "WARNING",
        "DACR_VAR_DIR": tempfile.mkdtemp(prefix="dacr-bench-var-"),
        "DJANGO_SETTINGS_MODULE": "dacr_site.settings",
        "CACHE_URL": args.cache_url,
    }
    os.environ.update(env)
    server = None
    try:
        import django

        django.setup()
        from django.core.management import call_command

        mark = time.perf_counter()
        call_command("migrate", verbosity=0)
        migrate_s = time.perf_counter() - mark
        if args.reuse:
            seeded = json.loads(_seeded_path(name).read_text())
            print(
                f"reusing {name}: " + ", ".join(f"{v:,} {k}" for k, v in seeded["counts"].items())
            )
        else:
            seeded = seed(args)
            print(
                "seeded: "
                + ", ".join(f"{v:,} {k}" for k, v in seeded["counts"].items())
                + f" (migrate {migrate_s:.1f} s)"
            )
            timings = ", ".join(f"{k} {v:.1f} s" for k, v in seeded["timings"].items())
            print("seeding time: " + timings)
            if args.keep:
                _seeded_path(name).write_text(json.dumps(seeded))
                print(f"kept database {name}: rerun with --reuse {name}")
        from django.core.cache import cache
        from django.db import connections

        cache.clear()  # cold caches: nothing left from an earlier run
        connections.close_all()
        port = _free_port()
        server = subprocess.Popen(
            _server_command(args, port),
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(port, server)
        print(
            f"server: {args.server}"
            + (f" with {args.server_workers} worker processes" if args.server == "gunicorn" else "")
        )
        run_pages(port, seeded, args)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not (args.keep or args.reuse):
            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
