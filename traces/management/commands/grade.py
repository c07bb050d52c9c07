"""python manage.py grade --benchmark FILE --predictions FILE [--solver NAME] [--json OUT]."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges import dacr_format as fmt
from challenges.services.benchmark_import import BenchmarkImportError
from traces.services import PredictionsError, predictions_grade

_ROWS = (
    ("answer_accuracy", "Answer accuracy", True),
    ("pass_rate", "Pass rate (AA ≥ 0.6)", True),
    ("cars", "CARS", True),
    ("confidence_weighted_accuracy", "Confidence-weighted accuracy", True),
    ("mean_confidence", "Mean confidence", True),
    ("ece", "ECE", False),
    ("citation_grounding", "Citation grounding", True),
    ("format_failure_rate", "Format failures", True),
)


class Command(BaseCommand):
    help = (
        "Import a benchmark (idempotently), store predictions as traces, grade them in the "
        "reference and strict modes, print a summary and optionally write the metrics as JSON."
    )

    def add_arguments(self, parser):
        parser.add_argument("--benchmark", required=True, help="DACR-Bench JSON file")
        parser.add_argument(
            "--predictions",
            required=True,
            help="predictions JSON array, or JSON Lines of {challengeId, model, output}",
        )
        parser.add_argument("--solver", help="solver name (default: the file's model)")
        parser.add_argument("--suite", help="suite name (default: the benchmark's name)")
        parser.add_argument("--json", dest="json_out", help="write {reference, strict} here")
        parser.add_argument(
            "--no-ci", action="store_true", help="skip the bootstrap intervals (faster)"
        )

    def handle(self, *args, **options):
        for key in ("benchmark", "predictions"):
            if not Path(options[key]).is_file():
                raise CommandError(f"--{key}: no such file {options[key]}")
        try:
            report = predictions_grade(
                benchmark_path=options["benchmark"],
                predictions_path=options["predictions"],
                solver_name=options["solver"],
                suite_name=options["suite"],
                with_ci=not options["no_ci"],
            )
        except (fmt.DacrFormatError, BenchmarkImportError, PredictionsError) as exc:
            raise CommandError(str(exc)) from None
        for problem in report.problems:
            self.stderr.write(f"warning: {problem}")
        self.stdout.write(
            f"{report.solver.name} on {report.suite.name}: {report.traces} traces, "
            f"{report.verdicts} verdicts"
        )
        self.stdout.write(self._table(report.metrics))
        if options["json_out"]:
            out = Path(options["json_out"])
            out.write_text(json.dumps(report.metrics, indent=2, allow_nan=False), "utf-8")
            self.stdout.write(f"metrics written to {out}")

    def _table(self, metrics: dict) -> str:
        lines = [f"{'metric':<30} {'reference':>22} {'strict':>22}"]
        for key, label, percent in _ROWS:
            cells = [_cell(metrics[mode], key, percent) for mode in ("reference", "strict")]
            lines.append(f"{label:<30} {cells[0]:>22} {cells[1]:>22}")
        counts = metrics["strict"]
        lines.append(
            f"{'Challenges / questions':<30} {counts['challenges']:>22} {counts['questions']:>22}"
        )
        return "\n".join(lines)


def _cell(metrics: dict, key: str, percent: bool) -> str:
    value = metrics.get(key)
    if value is None:
        return "—"
    interval = (metrics.get("ci") or {}).get(key) or {}
    scale, unit = (100, "%") if percent else (1, "")
    text = f"{value * scale:.1f}{unit}" if percent else f"{value:.3f}"
    if interval.get("low") is not None and interval.get("high") is not None:
        low, high = interval["low"] * scale, interval["high"] * scale
        text += f" [{low:.1f}–{high:.1f}]" if percent else f" [{low:.3f}–{high:.3f}]"
    return text
