"""python manage.py seed_demo: demo users (one per role) and the built-in demo suite.

Idempotent: safe to run on every start. Passwords come from DACR_DEMO_PASSWORD."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from challenges import dacr_format as fmt
from challenges.demo import DEMO_SOLVER, DEMO_SUITE, demo_benchmark, demo_predictions
from challenges.models import Challenge, Suite
from challenges.services import (
    benchmark_import,
    benchmark_import_path,
    suite_generate,
    suite_validity_compute,
)
from dacr_site.roles import Role
from dacr_site.services import user_create_or_update
from traces.services import (
    TraceInput,
    solver_get_or_create,
    traces_grade,
    traces_record,
)

DEFAULT_PASSWORD = "dacr-demo-2026"
# The demo workspace: a synthetic suite over every domain with its validity report, and
# evaluation runs of the lexical baseline on every suite (their graded traces).
SYNTHETIC_SUITE = "demo-synthetic"
SYNTHETIC_COUNT = 64
SYNTHETIC_SEED = 2026


class Command(BaseCommand):
    help = "Create demo users (admin, annotator, viewer) and import the demo suite."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-synthetic",
            action="store_true",
            help="skip the synthetic demo suite (engine, lexical baseline, validity report)",
        )
        parser.add_argument(
            "--benchmark",
            action="append",
            default=[],
            help="also import this DACR-Bench file (repeatable; skipped if missing)",
        )

    def handle(self, *args, **options):
        password = os.environ.get("DACR_DEMO_PASSWORD", DEFAULT_PASSWORD)
        for role in Role:
            user_create_or_update(
                username=f"demo-{role.value}", role=role, password=password, validate=False
            )
        demo = demo_benchmark()
        summary = benchmark_import(benchmark=fmt.benchmark_from_dict(demo))
        graded = self._demo_traces(demo)
        self.stdout.write(
            f"demo suite {summary.suite_name!r}: {len(summary.challenge_ids)} challenges "
            f"({summary.created} new); {graded} demo traces graded"
        )
        for path in options["benchmark"]:
            if not Path(path).exists():
                self.stdout.write(f"skipped {path}: not present on this machine")
                continue
            try:
                imported = benchmark_import_path(path=path)
            except (fmt.DacrFormatError, ValueError) as exc:
                raise CommandError(f"{path}: {exc}") from None
            self.stdout.write(
                f"suite {imported.suite_name!r}: {len(imported.challenge_ids)} challenges "
                f"({imported.created} new)"
            )
        if not options["no_synthetic"]:
            self._synthetic_workspace()
            self._demo_evaluations(demo)
        shown = "$DACR_DEMO_PASSWORD" if "DACR_DEMO_PASSWORD" in os.environ else password
        self.stdout.write(
            f"demo users: demo-admin, demo-annotator, demo-viewer (password: {shown})"
        )

    def _demo_traces(self, demo: dict) -> int:
        """Record and grade the demo solver's seeded predictions (idempotent)."""
        by_id = {
            c.public_id: c for c in Challenge.objects.filter(memberships__suite__name=DEMO_SUITE)
        }
        solver = solver_get_or_create(
            name=DEMO_SOLVER,
            description="Seeded mix of gold answers, planted values and hedges (demo data).",
        )
        attempts = [
            TraceInput(challenge=by_id[entry["challengeId"]], answers=entry["answers"])
            for entry in demo_predictions(demo)
        ]
        traces = traces_record(solver=solver, attempts=attempts)
        traces_grade(traces=traces)
        return len(traces)

    def _demo_evaluations(self, demo: dict) -> None:
        """Evaluation runs to look at — their graded traces fill the trace browser: the
        lexical baseline on every demo suite, and the demo predictions as a second model on
        the demo suite, so a comparison can be opened. Each only once."""
        from evaluation.models import EvalRun
        from evaluation.services import eval_run_create, eval_run_execute, model_spec_get_or_create

        path = Path(settings.MEDIA_ROOT) / "demo" / "demo-predictions.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(demo_predictions(demo)), encoding="utf-8")
        lexical = model_spec_get_or_create(name="lexical", runner="lexical", settings={})
        seeded = model_spec_get_or_create(
            name="demo-predictions",
            runner="file",
            settings={"path": str(path)},
            description="The demo solver's seeded predictions, read from a predictions file.",
        )
        plans = [(lexical, suite) for suite in Suite.objects.order_by("name")]
        plans.append((seeded, Suite.objects.get(name=DEMO_SUITE)))
        for spec, suite in plans:
            if EvalRun.objects.filter(model_spec=spec, suite=suite).exists():
                continue
            run = eval_run_create(model_spec=spec, suite=suite, enqueue=False)
            run = eval_run_execute(run_id=run.pk)
            self.stdout.write(f"evaluation run {run.name!r}: {run.status}")

    def _synthetic_workspace(self) -> None:
        """Generate the synthetic demo suite, the lexical baseline's traces on it and its
        validity report — each only once."""
        summary = suite_generate(
            count=SYNTHETIC_COUNT, seed=SYNTHETIC_SEED, suite_name=SYNTHETIC_SUITE
        )
        suite = Suite.objects.get(name=SYNTHETIC_SUITE)
        report = suite.validity_reports.first() or suite_validity_compute(suite=suite)
        self.stdout.write(
            f"suite {SYNTHETIC_SUITE!r}: {len(summary.records)} synthetic challenges "
            f"({summary.created} new); "
            f"validity targets {'met' if report.targets_met else 'NOT met'}"
        )
