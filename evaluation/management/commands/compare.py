"""python manage.py compare RUN_A RUN_B [--mode strict|reference] [--json OUT] [--csv OUT]:
the study's comparison of two evaluation runs on the same suite (B against baseline A)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evaluation.models import EvalRun
from evaluation.reports import comparison_csv, comparison_json, comparison_markdown
from evaluation.selectors_runs import run_comparison


def _run(reference: str) -> EvalRun:
    """A run by id or by name."""
    found = None
    if reference.isdigit() and len(reference) < 19:
        found = EvalRun.objects.filter(pk=int(reference)).first()
    found = found or EvalRun.objects.filter(name=reference).first()
    if found is None:
        raise CommandError(f"no evaluation run with id or name {reference!r}")
    return found


class Command(BaseCommand):
    help = (
        "Compare two evaluation runs on the same suite: overall, skill and domain tables with "
        "95% bootstrap intervals on every delta and an exact McNemar p-value (Markdown on "
        "stdout; --json/--csv also write the report)."
    )

    def add_arguments(self, parser):
        parser.add_argument("run_a", help="baseline run (id or name)")
        parser.add_argument("run_b", help="candidate run (id or name)")
        parser.add_argument("--mode", choices=["strict", "reference"], default="strict")
        parser.add_argument("--json", default="", help="also write the comparison as JSON here")
        parser.add_argument("--csv", default="", help="also write the comparison as CSV here")

    def handle(self, *args, **options):
        a, b = _run(options["run_a"]), _run(options["run_b"])
        if a.pk == b.pk:
            raise CommandError("name two different runs")
        if a.suite_id != b.suite_id:
            raise CommandError(
                f"the runs are on different suites ({a.suite.name!r} and {b.suite.name!r})"
            )
        for option in ("json", "csv"):
            out = options[option]
            if out and not Path(out).parent.is_dir():
                raise CommandError(f"--{option}: folder {Path(out).parent} does not exist")
        comparison = run_comparison(run_a=a, run_b=b, mode=options["mode"])
        if comparison is None:
            raise CommandError("the two runs share no graded questions")
        self.stdout.write(comparison_markdown(comparison, label_a=a.name, label_b=b.name))
        if options["json"]:
            Path(options["json"]).write_text(
                comparison_json(comparison, label_a=a.name, label_b=b.name), encoding="utf-8"
            )
        if options["csv"]:
            Path(options["csv"]).write_text(comparison_csv(comparison), encoding="utf-8")
