"""python manage.py import_traces FILE: record and grade traces from a JSON Lines file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from traces.services.bulk_import import TraceImportRefused, traces_import_jsonl


class Command(BaseCommand):
    help = (
        "Import traces from JSON Lines (one trace per line: challengeId, version?, solver, and "
        "output or answers) and grade them in both modes. All or nothing: any bad line is "
        "reported (one line each on stderr) and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="JSON Lines file of traces")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file {path}")
        limit = settings.DACR_MAX_TRACES_IMPORT_BYTES
        if path.stat().st_size > limit:
            raise CommandError(
                f"{path.name} is {path.stat().st_size / 1e6:.1f} MB; the limit is "
                f"{limit / 1e6:.1f} MB (DACR_MAX_TRACES_IMPORT_BYTES)"
            )
        try:
            result = traces_import_jsonl(data=path.read_bytes())
        except TraceImportRefused as exc:
            for problem in exc.problems:
                self.stderr.write(str(problem))
            unlisted = exc.problem_count - len(exc.problems)
            if unlisted:
                self.stderr.write(f"… and {unlisted} more")
            raise CommandError(
                f"{exc.problem_count} bad line(s) in {path.name}; nothing was imported"
            ) from None
        self.stdout.write(
            f"{result.traces_created} traces created, {result.traces_unchanged} already "
            f"recorded, {result.graded} verdicts written"
        )
