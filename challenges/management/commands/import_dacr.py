"""python manage.py import_dacr FILE [--suite NAME]: atomic, idempotent benchmark import."""

from django.core.management.base import BaseCommand, CommandError

from challenges import dacr_format as fmt
from challenges.services import benchmark_import_path
from challenges.services.benchmark_import import BenchmarkImportError
from challenges.services.suites import SuiteFrozenError


class Command(BaseCommand):
    help = (
        "Import a DACR-Bench v1.0/v1.1 file. Idempotent (re-import adds nothing) and atomic "
        "(a bad file adds nothing)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to a DACR-Bench JSON file")
        parser.add_argument(
            "--suite",
            default=None,
            help="suite to put the challenges in (default: the file's name)",
        )

    def handle(self, *args, **options):
        try:
            summary = benchmark_import_path(path=options["file"], suite_name=options["suite"])
        except (fmt.DacrFormatError, BenchmarkImportError, SuiteFrozenError) as exc:
            raise CommandError(f"{options['file']}: {exc}") from None
        self.stdout.write(
            f"{len(summary.challenge_ids)} challenges ({summary.created} new, "
            f"{summary.unchanged} unchanged), {summary.questions} questions, "
            f"{summary.conflicts} conflicts"
            + (f" → suite {summary.suite_name!r}" if summary.suite_name else "")
        )
