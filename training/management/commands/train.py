"""python manage.py train --dataset ID [--config FILE.json] [--set KEY=VALUE …] [--name NAME]:
QLoRA on a ready dataset, in this process, with a progress line; registers the adapter."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from dacr_site.cli import key_values
from dacr_site.progress import ProgressBar
from training.models import RunStatus, TrainingDataset
from training.services import (
    TrainingRunError,
    training_run_cancel,
    training_run_create,
    training_run_execute,
)


class Command(BaseCommand):
    help = (
        "Fine-tune on a training dataset with QLoRA (the study's recipe unless --config or "
        "--set say otherwise), checkpointing as it goes; register the adapter as a model spec."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dataset", required=True, type=int, help="dataset id")
        parser.add_argument("--config", default="", help="a JSON file of QLoRAConfig settings")
        parser.add_argument(
            "--set",
            action="append",
            default=[],
            metavar="KEY=VALUE",
            help="a setting over the file's (VALUE read as JSON when it parses: max_steps=20)",
        )
        parser.add_argument("--name", default="", help="run name (default: '<dataset> run N')")

    def handle(self, *args, **options):
        dataset = TrainingDataset.objects.filter(pk=options["dataset"]).first()
        if dataset is None:
            raise CommandError(f"--dataset: no training dataset {options['dataset']}")
        config = _config(options)
        try:
            run = training_run_create(
                dataset=dataset, config=config, name=options["name"], enqueue=False
            )
        except TrainingRunError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"run {run.pk}: {run.name} on {dataset.name} ({dataset.examples} ex.)")
        bar = ProgressBar(self.stderr, what="steps")

        def on_plan(plan) -> None:
            self.stdout.write(f"plan: {plan.name}")
            for note in plan.notes:
                self.stdout.write(f"  {note}")

        def on_log(record) -> None:
            bar(record.step, record.max_steps)

        try:
            run = training_run_execute(run_id=run.pk, on_log=on_log, on_plan=on_plan)
        except KeyboardInterrupt:
            training_run_cancel(run=run)
            training_run_execute(run_id=run.pk)
            raise CommandError(f"interrupted: run {run.pk} cancelled") from None
        finally:
            bar.done()
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(f"run {run.pk} {run.status}: {run.error}")
        loss = "—" if run.final_loss is None else f"{run.final_loss:.4f}"
        self.stdout.write(f"{run.step} steps, final loss {loss}, {run.tokens_seen} tokens")
        self.stdout.write(f"adapter: {run.adapter_path}")
        if run.model_spec is not None:
            self.stdout.write(f"model spec: {run.model_spec.name}")
        else:
            reason = (run.record or {}).get("model_spec_error", "")
            self.stdout.write(f"model spec: not registered: {reason}")
        self.stdout.write(f"page: /training/runs/{run.pk}/")


def _config(options: dict) -> dict:
    config: dict = {}
    if options["config"]:
        try:
            config = json.loads(Path(options["config"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"--config: {error}") from None
        if not isinstance(config, dict):
            raise CommandError("--config: the file must hold one JSON object of settings")
    config.update(key_values(options["set"]))
    return config
