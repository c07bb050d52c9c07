"""Training run pages: the list, a run's page (plan, config, progress, the live loss curve,
its adapter), the log the curve polls, cancelling and the one-click comparison against the
base model (admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dacr_site.decorators import role_required
from dacr_site.roles import Role, user_has_role
from training import selectors
from training.forms import EvaluateForm
from training.models import TrainingRun
from training.services import (
    AdapterError,
    comparison_url,
    evaluate_against_baseline,
    training_run_cancel,
)


@require_GET
@role_required(Role.VIEWER)
def run_list(request):
    return render(request, "training/run_list.html", {"runs": selectors.run_list()})


def _run_or_404(run_id: int) -> TrainingRun:
    run = selectors.run_get(run_id=run_id)
    if run is None:
        raise Http404("No such training run.")
    return run


def run_state(run: TrainingRun, after_step: int | None = None) -> dict:
    """What the run page shows and its script redraws: status, progress, the latest log's
    speed, memory and ETA, and (when ``after_step`` is given) the log rows after it."""
    latest = selectors.run_latest_log(run=run) or {}
    model_spec = run.model_spec
    state = {
        "status": run.status,
        "phase": run.get_status_display(),
        "finished": run.is_finished,
        "cancel_requested": run.cancel_requested,
        "error": run.error,
        "plan": run.plan,
        "plan_notes": run.plan_notes or [],
        "step": run.step,
        "max_steps": run.max_steps,
        "percent": run.progress_percent,
        "final_loss": run.final_loss,
        "tokens_seen": run.tokens_seen,
        "tokens_per_s": latest.get("tokens_per_s"),
        "gpu_memory_mb": latest.get("gpu_memory_mb"),
        "eta_s": latest.get("eta_s"),
        "last_checkpoint": run.last_checkpoint,
        "adapter_path": run.adapter_path,
        "model_spec": model_spec.name if model_spec else "",
    }
    if after_step is not None:
        state["log"] = selectors.run_log(run=run, after_step=after_step)
    return state


@require_GET
@role_required(Role.VIEWER)
def run_detail(request, run_id: int):
    run = _run_or_404(run_id)
    is_admin = user_has_role(request.user, Role.ADMIN)
    state = run_state(run)
    return render(
        request,
        "training/run_detail.html",
        {
            "run": run,
            "state": state,
            "config_items": sorted((run.config or {}).items()),
            "evaluate_form": EvaluateForm() if is_admin and run.model_spec_id else None,
            "can_cancel": is_admin and not run.is_finished,
            "model_spec_error": (run.record or {}).get("model_spec_error", ""),
            "result": (run.record or {}).get("result", {}),
            "evaluations": selectors.adapter_evaluations(run=run),
        },
    )


@require_GET
@role_required(Role.VIEWER)
def run_log(request, run_id: int):
    """The run's state and its log rows after ``?after=<step>`` (all when absent)."""
    run = _run_or_404(run_id)
    try:
        after = max(0, int(request.GET.get("after", 0)))
    except ValueError:
        return JsonResponse({"detail": "after: a whole number of steps"}, status=400)
    return JsonResponse(run_state(run, after_step=after))


@require_POST
@role_required(Role.ADMIN)
def run_cancel(request, run_id: int):
    run = training_run_cancel(run=_run_or_404(run_id))
    if run.status == TrainingRun.Status.CANCELLED:
        messages.info(request, "The run was cancelled.")
    elif not run.is_finished:
        messages.info(request, "Cancel requested: the run stops after its current step.")
    return redirect("training:run-detail", run_id=run.pk)


@require_POST
@role_required(Role.ADMIN)
def run_evaluate(request, run_id: int):
    """Evaluate the base model and the adapter on the chosen suite, then open their
    comparison page."""
    run = _run_or_404(run_id)
    form = EvaluateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a suite with challenges to evaluate on.")
        return redirect("training:run-detail", run_id=run.pk)
    try:
        baseline, adapted = evaluate_against_baseline(
            run=run, suite=form.cleaned_data["suite"], user=request.user
        )
    except AdapterError as error:
        messages.error(request, str(error))
        return redirect(reverse("training:run-detail", args=[run.pk]))
    return HttpResponseRedirect(comparison_url(baseline, adapted))
