"""python manage.py run_eval --runner R --suite S [--model M] [--adapter PATH]
[--endpoint URL] [--predictions FILE] [--name NAME] [--spec NAME] [--set KEY=VALUE …]
[--enqueue]: run a model on a suite, grade every answer, print the headline metrics."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from challenges.models import Suite
from dacr_site.cli import key_values
from dacr_site.progress import ProgressBar
from evaluation.models import RunStatus
from evaluation.selectors_runs import eval_run_metrics
from evaluation.services import (
    EvalRunError,
    ModelSpecError,
    eval_run_create,
    eval_run_execute,
    model_spec_get_or_create,
)
from evaluation.services.runs import eval_run_cancel


class Command(BaseCommand):
    help = (
        "Run a model (lexical, http, transformers or file runner) on every challenge of a "
        "suite, record and grade its traces as an evaluation run, and print its metrics."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--runner", required=True, choices=["lexical", "http", "transformers", "file"]
        )
        parser.add_argument("--suite", required=True, help="suite name")
        parser.add_argument(
            "--model", default="", help="transformers: model directory; http: model name"
        )
        parser.add_argument("--adapter", default="", help="transformers: a peft adapter directory")
        parser.add_argument("--endpoint", default="", help="http: base URL (…/v1)")
        parser.add_argument("--predictions", default="", help="file: a DACR-Bench predictions file")
        parser.add_argument("--name", default="", help="run name (default: spec on suite)")
        parser.add_argument("--spec", default="", help="model spec name (default: from the model)")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="another runner setting (VALUE read as JSON when it parses, e.g. batch_size=8)",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="send the run to a worker instead of running it here",
        )

    def handle(self, *args, **options):
        suite = Suite.objects.filter(name=options["suite"]).first()
        if suite is None:
            raise CommandError(f"--suite: no suite called {options['suite']!r}")
        runner = options["runner"]
        settings = _settings(runner, options)
        try:
            spec = model_spec_get_or_create(
                name=options["spec"] or _default_spec_name(runner, options),
                runner=runner,
                settings=settings,
            )
            run = eval_run_create(
                model_spec=spec, suite=suite, name=options["name"], enqueue=options["enqueue"]
            )
        except (ModelSpecError, EvalRunError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"run {run.pk}: {run.name} ({run.progress_total} challenges)")
        if options["enqueue"]:
            self.stdout.write(f"sent to the {spec.queue!r} queue; follow it at /evals/{run.pk}/")
            return
        bar = ProgressBar(self.stderr, run.progress_total, "challenges")
        try:
            run = eval_run_execute(run_id=run.pk, on_progress=bar)
        except KeyboardInterrupt:
            eval_run_cancel(run=run)
            eval_run_execute(run_id=run.pk)
            raise CommandError(f"interrupted: run {run.pk} cancelled") from None
        finally:
            bar.done()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"run {run.pk} {run.status}: {run.error}")
        self._summary(run)

    def _summary(self, run) -> None:
        metrics = eval_run_metrics(run=run, mode="strict")
        ci = metrics.get("ci", {})
        for key, label in (
            ("answer_accuracy", "answer accuracy"),
            ("pass_rate", "pass rate"),
            ("cars", "CARS"),
        ):
            value, interval = metrics.get(key), ci.get(key, {})
            shown = "—" if value is None else f"{100 * value:.1f}%"
            if interval.get("low") is not None:
                shown += f" [{100 * interval['low']:.1f}, {100 * interval['high']:.1f}]"
            self.stdout.write(f"  {label:<16} {shown}")
        extra = f", {run.truncated} truncated" if run.truncated else ""
        extra += f", {run.unanswered} unanswered" if run.unanswered else ""
        self.stdout.write(
            f"{metrics.get('questions', 0)} questions, strict verifier{extra}; "
            f"page: /evals/{run.pk}/"
        )


def _settings(runner: str, options: dict) -> dict:
    settings: dict = {}
    if runner == "transformers":
        settings["model_path"] = options["model"]
        if options["adapter"]:
            settings["adapter_path"] = options["adapter"]
    elif runner == "http":
        settings["base_url"] = options["endpoint"]
        settings["model"] = options["model"]
    elif runner == "file":
        settings["path"] = options["predictions"]
    settings.update(key_values(options["set"]))
    return settings


def _default_spec_name(runner: str, options: dict) -> str:
    if runner == "transformers":
        name = Path(options["model"].rstrip("/")).name or "local-model"
        if options["adapter"]:
            name += "+" + (Path(options["adapter"].rstrip("/")).name or "adapter")
        return name
    if runner == "http":
        return options["model"] or "http-model"
    if runner == "file":
        return Path(options["predictions"]).stem or "predictions"
    return "lexical"
