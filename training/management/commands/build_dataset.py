"""python manage.py build_dataset --name NAME --solver S [--solver S …] [--suite S …]
[--split …] [--domain …] [--holdout-domain …] [--eval-suite S …] [--allow-domain-overlap]
[--rule challenge_passed|all_correct|question_correct] [--pass-threshold X] [--seed N]
[--tokenizer PATH]: build a training dataset from graded traces, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from training.data import VERDICT_RULES
from training.models import DatasetStatus
from training.services import TrainingDatasetError, dataset_build, dataset_create


class Command(BaseCommand):
    help = (
        "Build an SFT dataset from graded traces (effective strict decisions), refusing any "
        "overlap with the evaluation suites; print its statistics, path and content hash."
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True)
        parser.add_argument("--solver", action="append", required=True, dest="solvers")
        parser.add_argument("--suite", action="append", default=[], dest="suites")
        parser.add_argument("--split", action="append", default=[], dest="splits")
        parser.add_argument("--domain", action="append", default=[], dest="domains")
        parser.add_argument("--holdout-domain", action="append", default=[], dest="holdout_domains")
        parser.add_argument(
            "--eval-suite",
            action="append",
            default=[],
            dest="eval_suites",
            help="an evaluation suite nothing of which may be trained on",
        )
        parser.add_argument("--allow-domain-overlap", action="store_true")
        parser.add_argument("--rule", choices=VERDICT_RULES, default="challenge_passed")
        parser.add_argument("--pass-threshold", type=float, default=0.6)
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--no-reasoning", action="store_true", help="teach the answers without reasoning"
        )
        parser.add_argument(
            "--tokenizer", default="", help="the base model (directory or hub id) for lengths"
        )

    def handle(self, *args, **options):
        spec = {
            "verdict_rule": options["rule"],
            "pass_threshold": options["pass_threshold"],
            "seed": options["seed"],
            "trace_mode": not options["no_reasoning"],
            "allow_domain_overlap": options["allow_domain_overlap"],
            **{
                key: options[key]
                for key in ("solvers", "suites", "splits", "domains", "holdout_domains")
            },
            "eval_suites": options["eval_suites"],
        }
        try:
            dataset = dataset_create(
                name=options["name"], spec=spec, tokenizer_path=options["tokenizer"], enqueue=False
            )
        except TrainingDatasetError as error:
            raise CommandError(str(error)) from None
        dataset = dataset_build(dataset_id=dataset.pk)
        if dataset.status != DatasetStatus.READY:
            raise CommandError(f"dataset {dataset.pk} {dataset.status}: {dataset.error}")
        self._summary(dataset)

    def _summary(self, dataset) -> None:
        stats, write = dataset.stats, self.stdout.write
        write(f"dataset {dataset.pk}: {dataset.name}: {dataset.examples} examples")
        write(
            f"  {stats['candidates']} graded traces: {stats['dropped_by_filter']} outside the "
            f"filters, {stats['dropped_holdout']} held out, {stats['dropped_by_rule']} failed "
            f"the rule, {stats['dropped_duplicates']} duplicates; "
            f"{stats['questions_taught']} questions taught"
        )
        for key in ("by_domain", "by_solver", "by_split"):
            counts = ", ".join(f"{name} {count}" for name, count in stats[key].items())
            write(f"  {key.replace('_', ' ')}: {counts}")
        for overlap in stats.get("allowed_overlaps", []):
            write(f"  allowed: {overlap}")
        tokens = dataset.token_stats
        if tokens:
            write(
                f"  tokens: min {tokens['min']}, median {tokens['p50']}, p90 {tokens['p90']}, "
                f"p99 {tokens['p99']}, max {tokens['max']}, total {tokens['total']}"
            )
        write(f"path: {dataset.path}")
        write(f"content hash: {dataset.content_hash}")
