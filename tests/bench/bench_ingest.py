"""Benchmark: a paper from upload to verified draft.

Run ``.venv/bin/python -m tests.bench.bench_ingest`` from the repository root. It sets up a
scratch SQLite database (or uses ``DATABASE_URL`` when set), then, for three generated
20-page two-column papers (different bytes each) and the two real papers in
``../shared/data/pdfs`` (when present), times what an upload pays: storing the file under
its sha256, parsing it in the sandboxed child process, extracting facts, planting conflicts,
writing and verifying ten questions, and writing the draft challenge.

Target: ≤ 5 s for the 20-page two-column paper on this machine.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from pathlib import Path

TARGET_SECONDS = 5.0
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdfs"


def _setup() -> None:
    os.environ.setdefault("DACR_VAR_DIR", tempfile.mkdtemp(prefix="dacr-bench-ingest-"))
    os.environ["CELERY_BROKER_URL"] = ""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dacr_site.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def ingest(path: Path) -> tuple[float, object]:
    from challenges.services.papers import paper_process, paper_store

    started = time.perf_counter()
    paper, _ = paper_store(path=path)
    paper = paper_process(paper_id=paper.pk)
    return time.perf_counter() - started, paper


def _line(label: str, seconds: float, paper) -> str:
    challenge = paper.challenges.first()
    questions = challenge.questions.count() if challenge else 0
    return (
        f"{label:<34} {seconds:5.2f} s  {paper.page_count or 0:>3} pages  "
        f"status {paper.status:<9} {questions} questions"
        + (f"  ({paper.failure_reason})" if paper.failure_reason else "")
    )


def main() -> None:
    _setup()
    from tests import pdf_factory

    times = []
    with tempfile.TemporaryDirectory() as scratch:
        for seed in (11, 12, 13):
            path = Path(scratch) / f"two-column-{seed}.pdf"
            path.write_bytes(pdf_factory.two_column_paper(pages=20, seed=seed))
            seconds, paper = ingest(path)
            times.append(seconds)
            print(_line(f"generated 20-page two-column #{seed}", seconds, paper))
    for name in ("contrastive_clustering.pdf", "covid_campus_scenarios.pdf"):
        if (SHARED / name).exists():
            seconds, paper = ingest(SHARED / name)
            print(_line(name, seconds, paper))
        else:
            print(f"{name}: skipped, {SHARED} is not present")
    median = statistics.median(times)
    verdict = "meets" if median <= TARGET_SECONDS else "MISSES"
    print(
        f"20-page two-column, upload → verified draft: median {median:.2f} s — {verdict} "
        f"the target of ≤ {TARGET_SECONDS:.0f} s"
    )


if __name__ == "__main__":
    main()
