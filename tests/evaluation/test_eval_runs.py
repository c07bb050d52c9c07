"""Evaluation runs end to end on the database: model specs, runs with the lexical, http,
file and transformers runners, resuming after a killed worker, cancelling, and the
``run_eval`` command."""

from __future__ import annotations

import json
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from challenges.models import Suite
from challenges.services import suite_generate
from evaluation.baseline_server import base_url, make_server
from evaluation.models import EvalRun, ModelSpec, RunStatus
from evaluation.selectors_runs import eval_run_items, eval_run_metrics, leaderboard
from evaluation.services import (
    EvalRunError,
    ModelSpecError,
    eval_run_cancel,
    eval_run_create,
    eval_run_execute,
    model_spec_create,
)
from tests.factories import challenge_dict, import_challenges
from tests.tiny_model import build_tiny_model
from traces.models import Trace, TraceSource, Verdict

pytestmark = pytest.mark.django_db


@pytest.fixture
def suite():
    import_challenges(
        challenge_dict("dacr-run-0001"),
        challenge_dict("dacr-run-0002"),
        challenge_dict("dacr-run-0003"),
        suite="run-suite",
    )
    return Suite.objects.get(name="run-suite")


@pytest.fixture
def lexical():
    return model_spec_create(name="lexical", runner="lexical", settings={})


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """Create a run and let its task run in-process when the transaction commits."""

    def create(**kwargs) -> EvalRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = eval_run_create(**kwargs)
        run.refresh_from_db()
        return run

    return create


class _Killed(BaseException):
    """Stands for a worker killed mid-run: not an Exception, so nothing catches it."""


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "runner": "lexical", "settings": {}}, "name"),
        ({"name": "x" * 129, "runner": "lexical", "settings": {}}, "name"),
        ({"name": "a\nb", "runner": "lexical", "settings": {}}, "name"),
        ({"name": "m", "runner": "nope", "settings": {}}, "runner"),
        ({"name": "m", "runner": "lexical", "settings": {"temperature": 1}}, "temperature"),
        (
            {"name": "m", "runner": "http", "settings": {"base_url": "ftp://x", "model": "m"}},
            "base_url",
        ),
        (
            {"name": "m", "runner": "transformers", "settings": {"model_path": "/nope"}},
            "model_path",
        ),
        ({"name": "m", "runner": "file", "settings": {"path": "/nope.json"}}, "path"),
        ({"name": "m", "runner": "lexical", "settings": ["not", "a", "dict"]}, "settings"),
    ],
)
def test_a_bad_model_spec_is_refused_in_one_line_and_nothing_is_saved(kwargs, message):
    with pytest.raises(ModelSpecError, match=message) as error:
        model_spec_create(**kwargs)
    assert "\n" not in str(error.value)
    assert not ModelSpec.objects.exists()


def test_a_taken_spec_name_is_refused(lexical):
    with pytest.raises(ModelSpecError, match="already exists"):
        model_spec_create(name="lexical", runner="lexical", settings={})


def test_a_run_on_an_empty_suite_is_refused(lexical, run_now):
    empty = Suite.objects.create(name="empty")
    with pytest.raises(EvalRunError, match="no challenges"):
        run_now(model_spec=lexical, suite=empty)
    assert not EvalRun.objects.exists()


# --- running --------------------------------------------------------------------------------


def test_a_lexical_run_answers_every_challenge_once_and_grades_both_modes(suite, lexical, run_now):
    run = run_now(model_spec=lexical, suite=suite)  # eager: runs at commit
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.progress_done, run.progress_total) == (3, 3)
    traces = Trace.objects.filter(eval_run=run)
    assert traces.count() == 3
    assert set(traces.values_list("source", flat=True)) == {TraceSource.EVALUATION}
    assert Verdict.objects.filter(trace__eval_run=run).count() == 3 * 3 * 2
    assert run.record["runner"]["runner"] == "lexical"
    assert run.record["prompt_version"]
    assert run.record["code_revision"]
    assert "django" in run.record["packages"]
    metrics = eval_run_metrics(run=run, mode="strict")
    assert metrics["questions"] == 9
    assert set(metrics["ci"]) >= {"answer_accuracy", "pass_rate", "cars"}


def test_two_runs_of_the_same_spec_keep_their_own_traces(suite, lexical, run_now):
    first = run_now(model_spec=lexical, suite=suite)
    second = run_now(model_spec=lexical, suite=suite)
    assert first.name != second.name
    assert Trace.objects.filter(eval_run=first).count() == 3
    assert Trace.objects.filter(eval_run=second).count() == 3
    items_a = eval_run_items(run=first, mode="strict")
    items_b = eval_run_items(run=second, mode="strict")
    assert [i.correct for i in items_a] == [i.correct for i in items_b]


def test_a_killed_run_resumes_where_it_stopped_without_duplicate_traces(suite, lexical):
    run = eval_run_create(model_spec=lexical, suite=suite, enqueue=False)

    def die_after_two(done: int, total: int) -> None:
        if done == 2:
            raise _Killed

    with pytest.raises(_Killed):
        eval_run_execute(run_id=run.pk, on_progress=die_after_two)
    run.refresh_from_db()
    assert run.status == RunStatus.RUNNING
    assert Trace.objects.filter(eval_run=run).count() == 2
    eval_run_execute(run_id=run.pk)  # the redelivered task
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED
    assert run.deliveries == 2
    assert Trace.objects.filter(eval_run=run).count() == 3
    assert run.progress_done == 3


def test_a_run_that_keeps_killing_its_worker_is_stopped(suite, lexical, settings):
    settings.DACR_TASK_MAX_DELIVERIES = 2
    run = eval_run_create(model_spec=lexical, suite=suite, enqueue=False)
    EvalRun.objects.filter(pk=run.pk).update(deliveries=2, status=RunStatus.RUNNING)
    run = eval_run_execute(run_id=run.pk)
    assert run.status == RunStatus.FAILED
    assert "kept killing its worker" in run.error


def test_cancelling_a_queued_run_stops_it_before_it_starts(suite, lexical):
    run = eval_run_create(model_spec=lexical, suite=suite, enqueue=False)
    eval_run_cancel(run=run)
    run.refresh_from_db()
    assert run.status == RunStatus.CANCELLED
    eval_run_execute(run_id=run.pk)
    assert not Trace.objects.filter(eval_run=run).exists()


def test_cancelling_a_running_run_keeps_what_it_answered(suite, lexical, monkeypatch):
    run = eval_run_create(model_spec=lexical, suite=suite, enqueue=False)

    def cancel_after_one(done: int, total: int) -> None:
        if done == 1:
            EvalRun.objects.filter(pk=run.pk).update(cancel_requested=True)

    import evaluation.services.run_jobs as run_jobs

    monkeypatch.setattr(run_jobs, "CANCEL_CHECK_SECONDS", 0.0)
    run = eval_run_execute(run_id=run.pk, on_progress=cancel_after_one)
    assert run.status == RunStatus.CANCELLED
    assert 1 <= Trace.objects.filter(eval_run=run).count() < 3


def test_an_http_run_against_the_served_baseline_matches_the_lexical_run(suite, lexical, run_now):
    server = make_server("127.0.0.1", 0, ("429", "500"))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        spec = model_spec_create(
            name="served-lexical",
            runner="http",
            settings={
                "base_url": base_url(server),
                "model": "dacr-lexical",
                "backoff_s": 0.01,
                "concurrency": 2,
            },
        )
        http_run = run_now(model_spec=spec, suite=suite)
    finally:
        server.shutdown()
        server.server_close()
    lexical_run = run_now(model_spec=lexical, suite=suite)
    http_run.refresh_from_db()
    assert http_run.status == RunStatus.SUCCEEDED, http_run.error
    assert http_run.prompt_tokens > 0
    answers = {
        t.challenge.public_id: t.answers
        for t in Trace.objects.filter(eval_run=http_run).select_related("challenge")
    }
    expected = {
        t.challenge.public_id: t.answers
        for t in Trace.objects.filter(eval_run=lexical_run).select_related("challenge")
    }
    for key, entry in expected.items():
        assert {q: a["answer"] for q, a in answers[key].items()} == {
            q: a["answer"] for q, a in entry.items()
        }


def test_a_file_run_grades_a_predictions_file_and_reports_missing_challenges(
    suite, tmp_path, run_now
):
    path = tmp_path / "predictions.json"
    path.write_text(
        json.dumps(
            [{"challengeId": "dacr-run-0001", "answers": {"q01": {"answer": "42.5 percent"}}}]
        )
    )
    spec = model_spec_create(name="preds", runner="file", settings={"path": str(path)})
    run = run_now(model_spec=spec, suite=suite)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.unanswered == 2
    assert any("not answered" in line for line in run.record["problems"])
    assert Trace.objects.filter(eval_run=run).count() == 3


def test_a_file_run_keeps_the_answers_as_the_file_gives_them(suite, tmp_path, run_now):
    # Read as the public scorer reads a file: "q1" is not question q01 (the model-output
    # parser would rename it), and a confidence of 70 is not 0.7.
    path = tmp_path / "predictions.json"
    path.write_text(
        json.dumps(
            [
                {
                    "challengeId": "dacr-run-0001",
                    "answers": {
                        "q1": {"answer": "42.5 percent"},
                        "q02": {"answer": "12 hours", "confidence": 70},
                    },
                }
            ]
        )
    )
    spec = model_spec_create(name="scorer-file", runner="file", settings={"path": str(path)})
    run = run_now(model_spec=spec, suite=suite)
    trace = Trace.objects.get(eval_run=run, challenge__public_id="dacr-run-0001")
    assert trace.parse_format == "dacr_predictions"
    assert set(trace.answers) == {"q1", "q02"}
    verdicts = {v.question.question_id: v for v in trace.verdicts.filter(mode="reference")}
    assert verdicts["q01"].answer is None  # not answered under its own id
    assert verdicts["q02"].decision == "correct"
    assert verdicts["q02"].confidence == 1.0  # clamped, as the scorer does


def test_an_answer_delivered_twice_is_stored_and_counted_once(suite, lexical):
    # Two deliveries of one task answering the same challenge with the same output (a
    # deterministic runner): the second finds the trace already there and counts nothing.
    from evaluation.runners import RunnerOutput
    from evaluation.services.runs import _store_output

    run = eval_run_create(model_spec=lexical, suite=suite, enqueue=False)
    challenge = suite.challenges.get(public_id="dacr-run-0001")
    output = RunnerOutput("dacr-run-0001", '{"q01": {"answer": "42.5"}}', 10, 5, 3)
    assert _store_output(run, challenge, output)
    assert not _store_output(run, challenge, output)
    run.refresh_from_db()
    assert (run.progress_done, run.prompt_tokens, run.completion_tokens) == (1, 10, 5)
    assert Trace.objects.filter(eval_run=run).count() == 1


def test_a_transformers_run_with_the_tiny_model_records_tokens(suite, tmp_path, run_now):
    model_dir = build_tiny_model(tmp_path / "tiny")
    spec = model_spec_create(
        name="tiny",
        runner="transformers",
        settings={"model_path": str(model_dir), "max_new_tokens": 8, "batch_size": 2},
    )
    assert spec.queue == "gpu"
    run = run_now(model_spec=spec, suite=suite)
    run.refresh_from_db()
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert run.completion_tokens > 0
    assert run.record["runner"]["device"] == "cpu"
    assert Trace.objects.filter(eval_run=run, completion_tokens__gt=0).count() == 3


def test_the_leaderboard_orders_runs_and_puts_ece_lowest_first(suite, lexical, run_now):
    run_now(model_spec=lexical, suite=suite)
    rows = leaderboard(suite=suite, mode="strict", sort="ece")
    assert len(rows) == 1
    assert rows[0].value("answer_accuracy") is not None


# --- the command ----------------------------------------------------------------------------


def test_run_eval_lexical_on_an_imported_suite_prints_metrics(suite):
    out = StringIO()
    call_command("run_eval", "--runner", "lexical", "--suite", "run-suite", stdout=out)
    text = out.getvalue()
    assert "answer accuracy" in text
    assert "CARS" in text
    run = EvalRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert f"/evals/{run.pk}/" in text


def test_run_eval_lexical_on_a_generated_suite(db):
    suite_generate(count=2, seed=3, suite_name="gen-2")
    out = StringIO()
    call_command("run_eval", "--runner", "lexical", "--suite", "gen-2", stdout=out)
    run = EvalRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert Trace.objects.filter(eval_run=run).count() == 2


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--runner", "lexical", "--suite", "nope"], "no suite"),
        (["--runner", "http", "--suite", "run-suite"], "base_url"),
        (["--runner", "lexical", "--suite", "run-suite", "--set", "oops"], "KEY=VALUE"),
    ],
)
def test_run_eval_refuses_bad_arguments_in_one_line(suite, argv, message):
    with pytest.raises(CommandError, match=message):
        call_command("run_eval", *argv, stdout=StringIO())
    assert not EvalRun.objects.exists()


def test_compare_prints_the_three_tables_and_writes_json(suite, tmp_path, run_now):
    lexical = model_spec_create(name="lex", runner="lexical", settings={})
    a = run_now(model_spec=lexical, suite=suite)
    b = run_now(model_spec=lexical, suite=suite)
    out = StringIO()
    target = tmp_path / "compare.json"
    call_command("compare", str(a.pk), b.name, "--json", str(target), stdout=out)
    text = out.getvalue()
    assert "McNemar" in text
    assert "Skill" in text
    data = json.loads(target.read_text())
    assert data["paired_test"]["p_value"] == 1.0
    assert {row["key"] for row in data["overall"]} == {"answer_accuracy", "pass_rate", "cars"}
    for row in data["overall"]:
        assert row["delta"] == 0
        assert row["interval"]["low"] <= 0 <= row["interval"]["high"]


@pytest.mark.parametrize(
    ("argv", "message"), [(["999", "1"], "no evaluation run"), (["1", "1"], "two different")]
)
def test_compare_refuses_bad_runs(suite, run_now, argv, message):
    lexical = model_spec_create(name="lex", runner="lexical", settings={})
    run = run_now(model_spec=lexical, suite=suite)
    argv = [str(run.pk) if a == "1" else a for a in argv]
    with pytest.raises(CommandError, match=message):
        call_command("compare", *argv, stdout=StringIO())


def test_run_eval_on_the_real_mini_file_gives_a_page_with_every_chart(
    mini_path, client, admin_user
):
    from challenges.services import benchmark_import_path

    imported = benchmark_import_path(path=mini_path)
    call_command(
        "run_eval", "--runner", "lexical", "--suite", imported.suite_name, stdout=StringIO()
    )
    run = EvalRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    client.force_login(admin_user)
    page = client.get(f"/evals/{run.pk}/").content.decode()
    for title in ("Accuracy by skill", "Accuracy by domain", "Reliability", "Conflict questions"):
        assert title in page
