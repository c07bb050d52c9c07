"""Evaluation run pages: the runs and model specs, a run's metrics and charts with live
progress, exports, the comparison of two runs, and a suite's leaderboard. Reads go through
``evaluation.selectors_runs``, writes through ``evaluation.services``."""

from __future__ import annotations

import json
from dataclasses import asdict
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from challenges.selectors import suites_visible
from dacr_site.decorators import role_required
from dacr_site.roles import Role, user_has_role
from evaluation import charts, exports
from evaluation.forms import RunModeForm
from evaluation.forms_runs import CompareForm, EvalRunForm, LeaderboardForm, ModelSpecForm
from evaluation.reports import METRIC_LABELS, MISSING, interval_text, p_value_text, percent
from evaluation.selectors import headline_metrics
from evaluation.selectors_runs import (
    eval_run_get,
    eval_run_items,
    eval_run_list,
    eval_run_metrics,
    leaderboard,
    model_spec_list,
    run_comparison,
    run_trace_ids,
)
from evaluation.services import (
    EvalRunError,
    ModelSpecError,
    eval_run_cancel,
    eval_run_create,
    model_spec_create,
)
from evaluation.views import MODE_TOGGLE


def _run_or_404(request, run_id: int):
    run = eval_run_get(user=request.user, run_id=run_id)
    if run is None:
        raise Http404("No such evaluation run.")
    return run


def trace_link(run, mode: str):
    """``link(filters)`` for the charts: the trace browser filtered to this run and mode."""
    base = reverse("traces:trace-list")

    def link(filters: dict) -> str:
        query = {"run": run.pk, "mode": mode, **{k: v for k, v in filters.items() if v != ""}}
        return f"{base}?{urlencode(query)}"

    return link


# --- lists and creating -----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@role_required(Role.VIEWER)
def eval_list(request):
    form = EvalRunForm(request.POST or None, user=request.user)
    if request.method == "POST":
        if not user_has_role(request.user, Role.ADMIN):
            return HttpResponse("Starting a run needs the admin role.", status=403)
        if form.is_valid():
            try:
                run = eval_run_create(
                    model_spec=form.cleaned_data["model_spec"],
                    suite=form.cleaned_data["suite"],
                    name=form.cleaned_data["name"],
                    user=request.user,
                )
            except EvalRunError as error:
                form.add_error(None, str(error))
            else:
                return redirect("evaluation:eval-detail", run_id=run.pk)
    runs = eval_run_list(user=request.user)
    return render(
        request,
        "evaluation/eval_list.html",
        {
            "runs": runs[:200],
            "form": form,
            "compare_form": CompareForm(runs=runs),
            "specs": model_spec_list(),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.VIEWER)
def model_spec_page(request):
    form = ModelSpecForm(request.POST or None)
    if request.method == "POST":
        if not user_has_role(request.user, Role.ADMIN):
            return HttpResponse("Adding a model needs the admin role.", status=403)
        if form.is_valid():
            try:
                model_spec_create(user=request.user, **form.cleaned_data)
            except ModelSpecError as error:
                form.add_error(None, str(error))
            else:
                return redirect("evaluation:model-specs")
    return render(
        request,
        "evaluation/model_specs.html",
        {"form": form, "specs": model_spec_list()},
        status=400 if form.errors else 200,
    )


# --- one run ----------------------------------------------------------------------------------


@require_GET
@role_required(Role.VIEWER)
def eval_detail(request, run_id: int):
    run = _run_or_404(request, run_id)
    mode = RunModeForm(request.GET).mode_or_default()
    context = {
        "run": run,
        "mode": mode,
        "modes": MODE_TOGGLE,
        "status": _status(run),
        "record_json": json.dumps(run.record or {}, indent=1, sort_keys=True),
    }
    if run.progress_done:
        metrics = eval_run_metrics(run=run, mode=mode)
        items = eval_run_items(run=run, mode=mode)
        context.update(
            metrics=metrics,
            headline=headline_metrics(metrics),
            charts=[
                asdict(c)
                for c in charts.run_charts(metrics, items, mode=mode, link=trace_link(run, mode))
            ],
        )
    return render(request, "evaluation/eval_detail.html", context)


def _status(run) -> dict:
    return {
        "status": run.status,
        "phase": run.get_status_display(),
        "finished": run.is_finished,
        "progress_done": run.progress_done,
        "progress_total": run.progress_total,
        "prompt_tokens": run.prompt_tokens,
        "completion_tokens": run.completion_tokens,
        "truncated": run.truncated,
        "unanswered": run.unanswered,
        "duration_s": round(run.duration_s, 1) if run.duration_s is not None else None,
        "error": run.error,
    }


@require_GET
@role_required(Role.VIEWER)
def eval_status(request, run_id: int):
    return JsonResponse(_status(_run_or_404(request, run_id)))


@require_POST
@role_required(Role.ADMIN)
def eval_cancel(request, run_id: int):
    eval_run_cancel(run=_run_or_404(request, run_id))
    return redirect("evaluation:eval-detail", run_id=run_id)


EXPORTS = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "predictions": "application/json",
}


@require_GET
@role_required(Role.VIEWER)
def eval_export(request, run_id: int, fmt: str):
    run = _run_or_404(request, run_id)
    if fmt not in EXPORTS:
        raise Http404("Unknown export format.")
    mode = RunModeForm(request.GET).mode_or_default()
    body, filename = exports.run_export(run, fmt=fmt, mode=mode)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- comparing two runs -----------------------------------------------------------------------


@require_GET
@role_required(Role.VIEWER)
def eval_compare(request):
    runs = eval_run_list(user=request.user)
    form = CompareForm(request.GET or None, runs=runs)
    mode = RunModeForm(request.GET).mode_or_default()
    context = {"form": form, "mode": mode, "modes": MODE_TOGGLE}
    if request.GET and form.is_valid():
        a, b = form.cleaned_data["a"], form.cleaned_data["b"]
        comparison = run_comparison(run_a=a, run_b=b, mode=mode)
        if comparison is None:
            form.add_error(None, "The two runs share no graded questions yet.")
        else:
            cell = request.GET.get("cell", "")
            context.update(
                a=a,
                b=b,
                comparison=comparison,
                charts=[
                    asdict(c)
                    for c in charts.comparison_charts(
                        comparison,
                        label_a=a.name,
                        label_b=b.name,
                        link_a=trace_link(a, mode),
                        link_b=trace_link(b, mode),
                    )
                ],
                overall=_shown_rows(comparison.overall),
                skills=_shown_rows(comparison.skills),
                domains=_shown_rows(comparison.domains),
                p_value=p_value_text(comparison.paired_test.p_value),
                cell=cell if cell in comparison.flips else "",
                flipped=_flipped(comparison, cell, a, b),
                query=urlencode({"a": a.pk, "b": b.pk, "mode": mode}),
            )
    status = 400 if request.GET and form.errors else 200
    return render(request, "evaluation/eval_compare.html", context, status=status)


FLIPS_SHOWN = 500


def _shown_rows(rows) -> list[dict]:
    """Comparison rows as the table shows them: percentages, deltas in points, intervals."""
    shown = []
    for row in rows:
        entry = {
            "key": METRIC_LABELS.get(row.key, row.key),
            "a": percent(row.a),
            "b": percent(row.b),
            "delta": MISSING if row.delta is None else f"{row.delta * 100:+.1f} pts",
            "sign": 0 if not row.delta else (1 if row.delta > 0 else -1),
            "interval": interval_text(row.interval),
            "count": row.count,
        }
        if hasattr(row, "relative_improvement"):
            relative = row.relative_improvement
            entry["relative"] = MISSING if relative is None else f"{relative * 100:+.1f}%"
            entry["relative_interval"] = interval_text(row.relative_interval)
        shown.append(entry)
    return shown


def _flipped(comparison, cell: str, a, b) -> list[dict]:
    """The questions of one flip cell with the trace of each run that answered them."""
    if cell not in comparison.flips:
        return []
    traces_a, traces_b = run_trace_ids(a), run_trace_ids(b)
    rows = []
    for challenge_id, question_id in comparison.flips[cell].keys[:FLIPS_SHOWN]:
        rows.append(
            {
                "challenge": challenge_id,
                "question": question_id,
                "trace_a": traces_a.get(challenge_id),
                "trace_b": traces_b.get(challenge_id),
            }
        )
    return rows


@require_GET
@role_required(Role.VIEWER)
def eval_compare_export(request, fmt: str):
    runs = eval_run_list(user=request.user)
    form = CompareForm(request.GET, runs=runs)
    if fmt not in ("md", "json", "csv") or not form.is_valid():
        return HttpResponse("Name two runs on the same suite: ?a=ID&b=ID.", status=400)
    mode = RunModeForm(request.GET).mode_or_default()
    a, b = form.cleaned_data["a"], form.cleaned_data["b"]
    comparison = run_comparison(run_a=a, run_b=b, mode=mode)
    if comparison is None:
        return HttpResponse("The two runs share no graded questions yet.", status=400)
    body = exports.comparison_export(comparison, a, b, fmt=fmt)
    response = HttpResponse(body, content_type=EXPORTS[fmt])
    response["Content-Disposition"] = f'attachment; filename="compare-{a.pk}-{b.pk}.{fmt}"'
    return response


# --- leaderboard ------------------------------------------------------------------------------


@require_GET
@role_required(Role.VIEWER)
def suite_leaderboard(request, suite_id: int):
    suite = get_object_or_404(suites_visible(user=request.user), pk=suite_id)
    mode = RunModeForm(request.GET).mode_or_default()
    sort = LeaderboardForm(request.GET).sort_or_default()
    rows = leaderboard(suite=suite, mode=mode, sort=sort)
    return render(
        request,
        "evaluation/leaderboard.html",
        {"suite": suite, "rows": rows, "mode": mode, "modes": MODE_TOGGLE, "sort": sort},
    )
