"""Downloads of a run and of a comparison: Markdown, JSON and CSV reports
(``evaluation.reports``) and the run's predictions in the DACR-Bench format."""

from __future__ import annotations

import json

from django.utils.text import slugify

from evaluation.comparison import RunComparison
from evaluation.models import EvalRun
from evaluation.reports import (
    comparison_csv,
    comparison_json,
    comparison_markdown,
    run_report_csv,
    run_report_json,
    run_report_markdown,
)
from evaluation.selectors_runs import eval_run_metrics
from traces.models import Trace


def run_predictions(run: EvalRun) -> str:
    """The run's answers as a DACR-Bench predictions file: one ``{challengeId, answers}``
    object per answered challenge, in suite order (the public scorer reads it as is)."""
    traces = (
        Trace.objects.filter(eval_run=run, challenge__memberships__suite=run.suite)
        .order_by("challenge__memberships__position", "id")
        .values_list("challenge__public_id", "answers")
    )
    entries = [{"challengeId": cid, "answers": answers or {}} for cid, answers in traces]
    return json.dumps(entries, ensure_ascii=False, indent=1)


def run_export(run: EvalRun, *, fmt: str, mode: str) -> tuple[str, str]:
    """(body, file name) of one export of ``run`` in verifier ``mode``."""
    stem = f"{slugify(run.name) or 'run'}-{run.pk}"
    if fmt == "predictions":
        return run_predictions(run), f"{stem}-predictions.json"
    metrics = eval_run_metrics(run=run, mode=mode)
    record = {**(run.record or {}), "run": run.name, "suite": run.suite.name, "mode": mode}
    if fmt == "md":
        return run_report_markdown(run.name, metrics, mode=mode, record=record), f"{stem}.md"
    if fmt == "json":
        return run_report_json(run.name, metrics, mode=mode, record=record), f"{stem}.json"
    return run_report_csv(metrics), f"{stem}-{mode}.csv"


def comparison_export(comparison: RunComparison, a: EvalRun, b: EvalRun, *, fmt: str) -> str:
    if fmt == "md":
        return comparison_markdown(comparison, label_a=a.name, label_b=b.name)
    if fmt == "json":
        return comparison_json(comparison, label_a=a.name, label_b=b.name)
    return comparison_csv(comparison)
