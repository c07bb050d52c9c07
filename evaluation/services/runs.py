"""Evaluation runs: a model spec answers every challenge of a suite, one trace per challenge,
each graded in both verifier modes as it arrives.

Life cycle (the task ``evaluation.tasks.eval_run_task`` calls :func:`eval_run_execute`):
queued → running → succeeded | failed | cancelled. A run is resumable: each answered
challenge is committed with its trace and verdicts before the next, and a redelivered task
(a killed worker, ``acks_late``) passes the runner only the challenges without a trace of
this run, so no trace is ever duplicated (the database refuses a second one per run and
challenge). A task that keeps killing its worker is stopped after
``DACR_TASK_MAX_DELIVERIES`` deliveries.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.db.models import F

from challenges.models import Challenge, Question, Suite
from evaluation.models import EvalRun, ModelSpec, RunStatus
from evaluation.prompt import PROMPT_VERSION, PromptQuestion
from evaluation.provenance import provenance
from evaluation.runners import RunnerChallenge, RunnerConfigError, RunnerOutput, make_runner
from evaluation.services.run_jobs import (
    CancelWatch,
    run_cancel,
    run_deliver,
    run_finish,
    run_name,
)
from evaluation.services.specs import solver_kind_for
from traces.models import Trace, TraceSource
from traces.services import TraceInput, solver_get_or_create, traces_grade, traces_record

logger = logging.getLogger(__name__)

PROBLEMS_KEPT = 50

Progress = Callable[[int, int], None]


class EvalRunError(ValueError):
    """A run that cannot be created or changed; one line naming the reason."""


# --- creating and cancelling ----------------------------------------------------------------


def eval_run_create(
    *, model_spec: ModelSpec, suite: Suite, name: str = "", user=None, enqueue: bool = True
) -> EvalRun:
    """A queued run of ``model_spec`` on ``suite``, sent to its queue (``gpu`` for local
    models) once the transaction commits. ``enqueue=False`` leaves it for the caller to
    execute (the ``run_eval`` command runs it in its own process)."""
    total = suite.memberships.count()
    if total == 0:
        raise EvalRunError(f"suite: {suite.name!r} has no challenges")
    with transaction.atomic():
        solver = solver_get_or_create(
            name=model_spec.name,
            kind=solver_kind_for(model_spec.runner),
            description=model_spec.description,
        )
        run = EvalRun.objects.create(
            name=run_name(
                EvalRun,
                name,
                default=f"{model_spec.name} on {suite.name}",
                error=EvalRunError,
            ),
            model_spec=model_spec,
            suite=suite,
            solver=solver,
            progress_total=total,
            created_by=user if getattr(user, "pk", None) else None,
        )
        if enqueue:
            from evaluation.tasks import eval_run_task

            queue = model_spec.queue
            transaction.on_commit(lambda: eval_run_task.apply_async((run.pk,), queue=queue))
    return run


def eval_run_cancel(*, run: EvalRun) -> EvalRun:
    """Ask a run to stop: a queued run is cancelled at once, a running one stops after the
    challenge it is answering (what it answered is kept). A finished run is left as it is."""
    return run_cancel(run)


# --- executing ------------------------------------------------------------------------------


def _suite_challenges(suite: Suite) -> list[Challenge]:
    return list(
        Challenge.objects.filter(memberships__suite=suite)
        .order_by("memberships__position", "pk")
        .only("id", "public_id", "version", "document_text")
    )


def _runner_challenges(challenges: list[Challenge]) -> list[RunnerChallenge]:
    questions: dict[int, list[PromptQuestion]] = {}
    for challenge_id, question_id, text in (
        Question.objects.filter(challenge__in=challenges)
        .order_by("challenge_id", "position")
        .values_list("challenge_id", "question_id", "text")
    ):
        questions.setdefault(challenge_id, []).append(PromptQuestion(question_id, text))
    return [
        RunnerChallenge(
            key=_key(c), document_text=c.document_text, questions=tuple(questions.get(c.pk, ()))
        )
        for c in challenges
    ]


def _key(challenge: Challenge) -> str:
    """The runner's key of a challenge: its public id, as predictions files name it."""
    return challenge.public_id


def _store_output(run: EvalRun, challenge: Challenge, output: RunnerOutput) -> bool:
    """Record and grade one answer in one transaction, and count it on the run. False when
    this run already has a trace of the challenge (a duplicate delivery): nothing is written."""
    problems = (f"runner: {output.error}",) if output.error else ()
    attempt = TraceInput(
        challenge=challenge,
        raw_output=output.raw_output,
        answers=output.answers,
        source=TraceSource.EVALUATION,
        problems=problems,
        prompt_tokens=output.prompt_tokens,
        completion_tokens=output.completion_tokens,
        latency_ms=output.latency_ms,
        eval_run_id=run.pk,
        truncated=output.truncated,
    )
    try:
        with transaction.atomic():
            # A second delivery that finished this challenge first; the same output would be
            # returned by traces_record as already recorded and counted twice. A concurrent
            # one is stopped by the database (one trace per run and challenge).
            if Trace.objects.filter(eval_run=run, challenge=challenge).exists():
                return False
            (trace,) = traces_record(solver=run.solver, attempts=[attempt])
            traces_grade(traces=[trace])
            EvalRun.objects.filter(pk=run.pk).update(
                progress_done=F("progress_done") + 1,
                prompt_tokens=F("prompt_tokens") + (output.prompt_tokens or 0),
                completion_tokens=F("completion_tokens") + (output.completion_tokens or 0),
                truncated=F("truncated") + int(output.truncated),
                unanswered=F("unanswered") + int(bool(output.error)),
            )
    except IntegrityError:
        logger.info("run %s already answered %s: skipped", run.pk, challenge.public_id)
        return False
    return True


def _problem_lines(outputs: list[RunnerOutput]) -> list[str]:
    lines = []
    for output in outputs:
        if output.error:
            lines.append(f"{output.key}: not answered: {output.error}")
        if output.truncated:
            lines.append(f"{output.key}: {output.truncation_note or 'document truncated'}")
    return lines


def eval_run_execute(*, run_id: int, on_progress: Progress | None = None) -> EvalRun | None:
    """Run (or resume) evaluation run ``run_id`` to its end; the task's service. Never raises
    for a model's or runner's failure: the run is marked failed with a one-line reason."""
    run = EvalRun.objects.select_related("model_spec", "suite", "solver").filter(pk=run_id).first()
    if run is None or run.is_finished:
        return run
    if run.cancel_requested:
        return run_finish(run, RunStatus.CANCELLED)
    if not run_deliver(run):
        return run
    spec = run.model_spec
    try:
        runner = make_runner(spec.runner, spec.settings)
    except RunnerConfigError as error:
        return run_finish(run, RunStatus.FAILED, f"model spec {spec.name!r}: {error}")
    challenges = _suite_challenges(run.suite)
    done = set(Trace.objects.filter(eval_run=run).values_list("challenge_id", flat=True))
    todo = [c for c in challenges if c.pk not in done]
    run.progress_total, run.progress_done = len(challenges), len(done)
    run.record = {
        **(run.record or {}),
        "model_spec": {"name": spec.name, "runner": spec.runner},
        "runner": runner.record(),
        "prompt_version": PROMPT_VERSION,
        "suite": {"name": run.suite.name, "challenges": len(challenges)},
        **provenance(),
    }
    run.save(update_fields=["progress_total", "progress_done", "record"])
    by_key = {_key(c): c for c in todo}
    noted: list[RunnerOutput] = []
    counter = {"done": len(done)}

    def on_output(output: RunnerOutput) -> None:
        challenge = by_key.get(output.key)
        if challenge is None:
            logger.warning("run %s: the runner answered unknown key %r", run.pk, output.key)
            return
        if _store_output(run, challenge, output):
            counter["done"] += 1
            if output.error or output.truncated:
                noted.append(output)
        if on_progress is not None:
            on_progress(counter["done"], len(challenges))

    watch = CancelWatch(run)
    try:
        runner.run(_runner_challenges(todo), on_output, watch)
    except Exception as error:  # a runner's own failure (a broken model directory, OOM…)
        logger.exception("evaluation run %s failed", run.pk)
        _note_problems(run, noted)
        return run_finish(run, RunStatus.FAILED, f"{type(error).__name__}: {error}")
    _note_problems(run, noted)
    run.refresh_from_db()
    if watch.cancelled or run.cancel_requested:
        return run_finish(run, RunStatus.CANCELLED)
    missing = run.progress_total - Trace.objects.filter(eval_run=run).count()
    if missing > 0:
        return run_finish(run, RunStatus.FAILED, f"{missing} challenges were not answered")
    return run_finish(run, RunStatus.SUCCEEDED)


def _note_problems(run: EvalRun, outputs: list[RunnerOutput]) -> None:
    if not outputs:
        return
    run.refresh_from_db(fields=["record"])
    kept = list((run.record or {}).get("problems", []))
    kept += _problem_lines(outputs)
    run.record = {**(run.record or {}), "problems": kept[:PROBLEMS_KEPT]}
    run.save(update_fields=["record"])
