"""Generating suites into the database, the command, baseline traces and validity reports."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from challenges import dacr_format as fmt
from challenges import engine
from challenges.models import Challenge, Conflict, GenerationJob, Suite, ValidityReport
from challenges.services import generation_run, suite_generate
from challenges.services.generation import generation_start
from traces.gold import gold_from_record
from traces.grading import MODES, ModelAnswer, grade_challenge
from traces.models import Trace, Verdict
from traces.services import suite_baseline_traces

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"count": 0, "seed": 1}, "count must be a positive integer, not 0"),
        ({"count": 10**7, "seed": 1}, "over the cap of 5,000"),
        ({"count": 2, "seed": "seven"}, "seed must be a non-negative integer"),
        ({"count": 2, "seed": -1}, "seed must be a non-negative integer"),
        ({"count": 2, "seed": 1, "domains": ["physics", "numerology"]}, "unknown domain"),
    ],
)
def test_a_bad_request_writes_nothing(request_, message):
    with pytest.raises(engine.EngineError, match=message):
        suite_generate(**request_)
    with pytest.raises(engine.EngineError, match=message):
        generation_start(domains=request_.pop("domains", None), **request_)
    assert not Suite.objects.exists()
    assert not Challenge.objects.exists()
    assert not GenerationJob.objects.exists()


def test_a_generated_suite_is_published_verified_and_idempotent():
    first = suite_generate(count=3, seed=5, domains=["physics", "economics"], suite_name="s")
    assert (first.created, first.unchanged) == (3, 0)
    suite = Suite.objects.get(name="s")
    challenges = list(
        Challenge.objects.filter(memberships__suite=suite).order_by("memberships__position")
    )
    assert [c.domain for c in challenges] == ["physics", "economics", "physics"]
    for challenge in challenges:
        assert challenge.status == Challenge.Status.PUBLISHED
        assert challenge.split == "synthetic"
        assert challenge.engine_version == engine.ENGINE_VERSION
        assert challenge.verification_report["passed"] is True
        assert challenge.questions.count() == 10
    conflict = Conflict.objects.filter(challenge__in=challenges).first()
    assert conflict.subordinate_cue
    assert conflict.authoritative_cue
    assert conflict.subordinate_position in ("before", "after")
    again = suite_generate(count=3, seed=5, domains=["physics", "economics"], suite_name="s")
    assert (again.created, again.unchanged) == (0, 3)
    assert suite.memberships.count() == 3


def test_generate_challenges_writes_identical_files_and_gold_scores_full_marks(tmp_path, capsys):
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    call_command(
        "generate_challenges", "--count", "8", "--seed", "7", "--out", str(a), "--no-validity"
    )
    call_command(
        "generate_challenges", "--count", "8", "--seed", "7", "--out", str(b), "--no-validity"
    )
    assert a.read_bytes() == b.read_bytes()
    benchmark = fmt.load_benchmark(a)
    assert len(benchmark.challenges) == 8
    assert {c.domain for c in benchmark.challenges} == set(engine.DOMAIN_NAMES)
    for record in benchmark.challenges:
        gold = gold_from_record(record)
        answers = {q.question_id: ModelAnswer(q.gold_answer, "", 1.0) for q in record.questions}
        for mode in MODES:
            grade = grade_challenge(gold, answers, mode=mode)
            assert all(v.correct for v in grade.verdicts), (mode, record.challenge_id)
    assert "8 challenges (8 new" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--count", "abc", "--seed", "1"], "--count must be an integer, not 'abc'"),
        (["--count", "-2", "--seed", "1"], "count must be a positive integer, not -2"),
        (["--count", "99999999", "--seed", "1"], "over the cap of 5,000"),
        (["--count", "2", "--seed", "1.5"], "seed must be a non-negative integer, not '1.5'"),
        (["--count", "2", "--seed", "1", "--domains", "physics,tarot"], "unknown domain 'tarot'"),
        (["--count", "2", "--seed", "1", "--out", "/no/such/folder/x.json"], "does not exist"),
    ],
)
def test_generate_challenges_refuses_bad_input_in_one_line(args, message):
    with pytest.raises(CommandError, match=message) as caught:
        call_command("generate_challenges", *args)
    assert "\n" not in str(caught.value)
    assert not Challenge.objects.exists()


def test_the_validity_command_prints_the_targets_and_writes_json(tmp_path, capsys):
    call_command("generate_challenges", "--count", "4", "--seed", "3", "--suite", "v")
    out = capsys.readouterr().out
    assert "validity targets:" in out
    path = tmp_path / "validity.json"
    call_command("validity_report", "--suite", "v", "--json", str(path))
    printed = capsys.readouterr().out
    report = json.loads(path.read_text())
    assert set(report["solvers"]) == {"lexical", "first_mention", "last_mention", "hedge_filter"}
    assert "first_mention CARS" in printed
    assert ValidityReport.objects.filter(suite__name="v").count() == 1
    with pytest.raises(CommandError, match="no suite named 'nope'"):
        call_command("validity_report", "--suite", "nope")


def test_lexical_baseline_traces_are_graded_and_recorded_once():
    suite_generate(count=2, seed=9, suite_name="lex")
    suite = Suite.objects.get(name="lex")
    traces = suite_baseline_traces(suite=suite, solver_name="lexical")
    assert len(traces) == 2
    assert Verdict.objects.filter(trace__in=traces).count() == 2 * 10 * 2
    suite_baseline_traces(suite=suite, solver_name="lexical")
    assert Trace.objects.filter(solver__name="lexical").count() == 2
    with pytest.raises(ValueError, match="unknown baseline 'oracle'"):
        suite_baseline_traces(suite=suite, solver_name="oracle")


def test_a_generation_job_runs_once_and_stops_after_repeated_worker_deaths(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = generation_start(count=2, seed=4, domains=["cs_ai"], suite_name="job")
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.SUCCEEDED  # tasks run in-process in tests
    assert (job.progress_done, job.progress_total, job.challenges_created) == (2, 2, 2)
    assert job.suite.name == "job"
    assert job.suite.validity_reports.count() == 1
    assert generation_run(job_id=job.pk).finished_at == job.finished_at  # left alone

    settings.DACR_TASK_MAX_DELIVERIES = 2
    stuck = GenerationJob.objects.create(
        suite_name="stuck", count=1, seed="1", status="generating", deliveries=2
    )
    stuck = generation_run(job_id=stuck.pk)
    assert stuck.status == GenerationJob.Status.FAILED
    assert "kept killing its worker" in stuck.error
    assert not Suite.objects.filter(name="stuck").exists()


def test_a_frozen_suite_or_an_overlong_name_is_refused_before_generating():
    suite_generate(count=1, seed=1, suite_name="frozen")
    from challenges.services import suite_freeze

    suite_freeze(suite=Suite.objects.get(name="frozen"))
    with pytest.raises(engine.EngineError, match="suite 'frozen' is frozen"):
        generation_start(count=2, seed=2, domains=None, suite_name="frozen")
    with pytest.raises(CommandError, match="is frozen"):
        call_command("generate_challenges", "--count", "2", "--seed", "2", "--suite", "frozen")
    with pytest.raises(engine.EngineError, match="suite name is 200 characters; the limit is 128"):
        suite_generate(count=1, seed=1, suite_name="x" * 200)
    assert Challenge.objects.count() == 1
    assert not GenerationJob.objects.exists()


def test_seeds_written_with_leading_zeros_name_the_same_suite():
    from challenges.services.generation import default_suite_name

    assert default_suite_name(count=3, seed="0042", domains=None) == default_suite_name(
        count=3, seed=42, domains=None
    )
    with pytest.raises(engine.EngineError, match="more than 80 digits"):
        suite_generate(count=1, seed="9" * 5000)


def test_a_failing_validity_report_still_links_the_written_suite(monkeypatch):
    import challenges.services.validity as validity

    def broken(*, suite, n_resamples=1000):
        raise RuntimeError("baselines unavailable")

    monkeypatch.setattr(validity, "suite_validity_compute", broken)
    job = GenerationJob.objects.create(suite_name="half", count=1, seed="3", progress_total=1)
    with pytest.raises(RuntimeError):
        generation_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == GenerationJob.Status.FAILED
    assert (
        job.error == "the suite was written, but its validity report failed: baselines unavailable"
    )
    assert job.suite.name == "half"
    assert job.suite.memberships.count() == 1
