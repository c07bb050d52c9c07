"""python manage.py ingest_paper FILE… [--domain D] [--out FILE]: store, parse and turn PDFs
into draft challenges in this process, one line per file; exit code 1 when any file failed."""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.models import Domain, Paper
from challenges.services import (
    PaperRefused,
    paper_drafts_benchmark,
    paper_process,
    paper_store,
)
from challenges.services.suites import benchmark_write


class Command(BaseCommand):
    help = (
        "Ingest PDF papers: store each under its SHA-256, parse it in a sandboxed process, "
        "build and verify its draft challenge. The same file again is the same paper. "
        "Prints one line per file; exits with 1 when any file failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", metavar="FILE", help="PDF files")
        parser.add_argument(
            "--domain",
            default="",
            choices=["", *Domain.values],
            help="domain of every file (default: inferred from each paper)",
        )
        parser.add_argument(
            "--out", default="", help="write the draft challenges to this DACR-Bench file"
        )

    def handle(self, *args, **options):
        out = Path(options["out"]) if options["out"] else None
        if out is not None and not out.parent.is_dir():
            raise CommandError(f"cannot write {out}: folder {out.parent} does not exist")
        if options["verbosity"] < 2:
            # Each failure is on this command's own line; the service's log would repeat it.
            logging.getLogger("challenges.services.papers").setLevel(logging.ERROR)
        papers, failed = [], 0
        for name in options["files"]:
            paper, line = self._ingest(name, domain=options["domain"])
            self.stdout.write(line)
            if paper is not None:
                papers.append(paper)
            if paper is None or paper.status != Paper.Status.VERIFIED:
                failed += 1
        if out is not None:
            benchmark = paper_drafts_benchmark(papers=papers)
            try:
                size = benchmark_write(benchmark=benchmark, path=out)
            except OSError as exc:
                raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
            self.stdout.write(
                f"wrote {len(benchmark.challenges)} draft challenge(s) ({size:,} bytes) to {out}"
            )
        if failed:
            raise CommandError(f"{failed} of {len(options['files'])} file(s) failed")

    def _ingest(self, name: str, *, domain: str) -> tuple[Paper | None, str]:
        try:
            paper, _ = paper_store(path=name, domain_override=domain)
        except PaperRefused as exc:
            return None, f"failed    {name}: {exc}"
        try:
            paper = paper_process(paper_id=paper.pk)
        except Exception:  # recorded on the row in one line; the traceback is for a log
            paper.refresh_from_db()
        return paper, describe(paper, name)


def describe(paper: Paper, name: str) -> str:
    """One line: the status, the file, and the title and challenge when there is one."""
    if paper.status != Paper.Status.VERIFIED:
        reason = paper.failure_reason or f"still {paper.get_status_display().lower()}"
        return f"{paper.status:<9} {name}: {reason}"
    challenge = paper.challenges.order_by("-created_at", "-pk").first()
    if challenge is None:
        return f"verified  {name}: {paper.title!r} (no challenge)"
    report = challenge.verification_report or {}
    return (
        f"verified  {name}: {paper.title or paper.original_name!r} → {challenge.public_id} "
        f"v{challenge.version} ({challenge.status}), {challenge.questions.count()} questions, "
        f"{challenge.conflicts.count()} conflicts, verification "
        f"{'passed' if report.get('passed') else 'failed'}"
    )
