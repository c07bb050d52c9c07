"""python manage.py generate_challenges --count N --seed S [--domains a,b] [--suite NAME]
[--out FILE] [--no-validity]: generate a verified synthetic suite with the engine."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges import engine
from challenges.models import Suite
from challenges.services import suite_generate, suite_validity_compute
from challenges.services.benchmark_import import BenchmarkImportError
from challenges.services.generation import check_generation_request, suite_benchmark
from challenges.services.suites import SuiteFrozenError, benchmark_write
from dacr_site.progress import ProgressBar


class Command(BaseCommand):
    help = (
        "Generate N verified synthetic challenges (domains in rotation, seeds derived from S), "
        "store them as a suite, compute its validity report, and optionally write the "
        "DACR-Bench file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--count", required=True, help="number of challenges")
        parser.add_argument("--seed", required=True, help="suite seed (a non-negative integer)")
        parser.add_argument(
            "--domains", default="", help=f"comma-separated ({', '.join(engine.DOMAIN_NAMES)})"
        )
        parser.add_argument("--suite", default="", help="suite name (default: from the request)")
        parser.add_argument("--out", default="", help="also write the suite to this file")
        parser.add_argument(
            "--no-validity", action="store_true", help="skip the baselines' validity report"
        )

    def handle(self, *args, **options):
        try:
            count = int(options["count"])
        except ValueError:
            raise CommandError(f"--count must be an integer, not {options['count']!r}") from None
        domains = [d.strip() for d in options["domains"].split(",") if d.strip()] or None
        out = Path(options["out"]) if options["out"] else None
        if out is not None and not out.parent.is_dir():
            raise CommandError(f"cannot write {out}: folder {out.parent} does not exist")
        try:
            check_generation_request(
                count=count, seed=options["seed"], domains=domains, suite_name=options["suite"]
            )
        except engine.EngineError as exc:
            raise CommandError(str(exc)) from None

        progress = ProgressBar(self.stderr, count, "challenges")
        try:
            summary = suite_generate(
                count=count,
                seed=options["seed"],
                domains=domains,
                suite_name=options["suite"],
                progress=progress,
            )
        except (engine.EngineError, BenchmarkImportError, SuiteFrozenError) as exc:
            raise CommandError(str(exc)) from None
        progress.done()
        self.stdout.write(
            f"suite {summary.suite_name!r}: {len(summary.records)} challenges "
            f"({summary.created} new, {summary.unchanged} already present), "
            f"engine {engine.ENGINE_VERSION}"
        )
        if out is not None:
            benchmark = suite_benchmark(
                name=summary.suite_name,
                records=summary.records,
                description=Suite.objects.get(name=summary.suite_name).description,
            )
            try:
                size = benchmark_write(benchmark=benchmark, path=out)
            except OSError as exc:
                raise CommandError(f"cannot write {out}: {exc.strerror or exc}") from None
            self.stdout.write(f"wrote {len(summary.records)} challenges ({size:,} bytes) to {out}")
        if not options["no_validity"]:
            report = suite_validity_compute(suite=Suite.objects.get(name=summary.suite_name))
            self.stdout.write(format_targets(report.report))


def format_targets(report: dict) -> str:
    lines = ["validity targets:"]
    for target in report["targets"]:
        value = "n/a" if target["value"] is None else f"{target['value']:.1%}"
        band = f"[{_pct(target['low'])}, {_pct(target['high'])}]"
        lines.append(f"  {'ok  ' if target['met'] else 'MISS'} {target['name']}: {value} {band}")
    return "\n".join(lines)


def _pct(value) -> str:
    return "—" if value is None else f"{value:.0%}"
