"""python manage.py validity_report --suite NAME [--json OUT] [--recompute]: a suite's
validity report (baseline accuracies, CARS, position balance, cue diversity, lengths)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.management.commands.generate_challenges import format_targets
from challenges.models import Suite
from challenges.services import suite_validity_compute


class Command(BaseCommand):
    help = "Print (computing it if needed) the validity report of a suite."

    def add_arguments(self, parser):
        parser.add_argument("--suite", required=True, help="suite name")
        parser.add_argument("--json", default="", help="write the report as JSON to this file")
        parser.add_argument("--recompute", action="store_true", help="run the baselines again")

    def handle(self, *args, **options):
        suite = Suite.objects.filter(name=options["suite"]).first()
        if suite is None:
            names = ", ".join(Suite.objects.values_list("name", flat=True)[:10]) or "none"
            raise CommandError(f"no suite named {options['suite']!r} (suites: {names})")
        stored = suite.validity_reports.first()
        if stored is None or options["recompute"]:
            stored = suite_validity_compute(suite=suite)
        report = stored.report
        self.stdout.write(f"suite {suite.name!r}: {stored.challenge_count} challenges")
        self.stdout.write(f"{'solver':<15}{'accuracy':>10}{'CARS':>8}{'pass rate':>11}")
        for name, metrics in report["solvers"].items():
            cars = "n/a" if metrics["cars"] is None else f"{metrics['cars']:.1%}"
            self.stdout.write(
                f"{name:<15}{metrics['answer_accuracy']:>10.1%}{cars:>8}"
                f"{metrics['pass_rate']:>11.1%}"
            )
        positions = report["positions"]
        share = positions["subordinate_first_share"]
        self.stdout.write(
            f"positions: {positions['before']} before, {positions['after']} after, "
            f"{positions['unknown']} unknown"
            + ("" if share is None else f" (subordinate first {share:.1%})")
        )
        cues = report["cues"]
        self.stdout.write(
            f"cues: {cues['distinct_subordinate']} subordinate and "
            f"{cues['distinct_authoritative']} authoritative kinds; "
            f"{cues['hedged_sentences_outside_conflicts']} hedged sentences outside conflicts"
        )
        self.stdout.write(format_targets(report))
        if options["json"]:
            path = Path(options["json"])
            try:
                path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
