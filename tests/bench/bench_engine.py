"""Benchmark: challenges generated *and* verified per second on one core, and memory as the
count grows.

Run ``.venv/bin/python -m tests.bench.bench_engine`` from the repository root. Every
challenge goes through the whole engine (hidden table, rendering, conflicts, ten questions)
and the full solvability verifier (including the independent reader re-solving every
question); regenerations after a failed verification are included in the time. The process
is pinned to one core where the OS allows it. Memory: the peak traced allocation of a
streaming run (challenges consumed one by one, as ``generate_challenges`` writes them) at
three counts — flat means the peak does not grow with the count.

Target: ≥ 50 challenges per second; memory flat.
"""

from __future__ import annotations

import os
import time
import tracemalloc

from challenges import engine

TARGET_PER_SECOND = 50
COUNTS = (100, 400, 1600)


def _pin_to_one_core() -> str:
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return "pinned to one core"
    except (AttributeError, OSError):
        return "not pinned (no sched_setaffinity)"


def throughput(count: int, seed: int) -> tuple[float, int]:
    start = time.perf_counter()
    retries = 0
    for generated in engine.generate_suite(count, seed):
        retries += generated.attempt
    return count / (time.perf_counter() - start), retries


def peak_memory(count: int, seed: int) -> float:
    tracemalloc.start()
    for _ in engine.generate_suite(count, seed):
        pass
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    print(f"engine {engine.ENGINE_VERSION}; {_pin_to_one_core()}")
    throughput(20, 1)  # warm: import the libraries, compile the reader's forms
    rate, retries = throughput(1000, 7)
    verdict = "meets" if rate >= TARGET_PER_SECOND else "MISSES"
    print(
        f"generated and verified: {rate:.1f} challenges/s over 1,000 "
        f"({retries} regenerations) — {verdict} the target of ≥ {TARGET_PER_SECOND}/s"
    )
    peaks = [(count, peak_memory(count, 11)) for count in COUNTS]
    for count, peak in peaks:
        print(f"peak traced memory, {count:>5} challenges streamed: {peak:6.2f} MiB")
    growth = peaks[-1][1] / peaks[0][1]
    print(
        f"peak at {COUNTS[-1]} / peak at {COUNTS[0]}: {growth:.2f}× "
        f"({'flat' if growth < 1.5 else 'GROWING'})"
    )


if __name__ == "__main__":
    main()
