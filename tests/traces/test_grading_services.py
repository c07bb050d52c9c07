"""Recording and grading traces in the database, and the ``grade`` command end to end."""

import json

import pytest
from django.core.management import CommandError, call_command

from challenges.models import Challenge, Suite
from evaluation.selectors import solver_suite_metrics
from tests.factories import challenge_dict, import_challenges, write_json
from traces.grading import VERIFIER_VERSION
from traces.models import Audit, Trace, Verdict
from traces.services import TraceInput, solver_get_or_create, traces_grade, traces_record
from traces.tasks import trace_grade_task

pytestmark = pytest.mark.django_db

GOLD = {"q01": "42.5 percent", "q02": "12 hours", "q03": "3"}


def record(challenge, answers=None, raw_output="", solver="model-a"):
    solver = solver_get_or_create(name=solver)
    attempt = TraceInput(challenge=challenge, answers=answers, raw_output=raw_output)
    return traces_record(solver=solver, attempts=[attempt])[0]


@pytest.fixture
def challenge():
    import_challenges(challenge_dict("dacr-t-1"), suite="t")
    return Challenge.objects.get(public_id="dacr-t-1")


def by_question(trace, mode):
    return {
        v.question.question_id: v
        for v in Verdict.objects.filter(trace=trace, mode=mode).select_related("question")
    }


def test_a_trace_is_graded_in_both_modes_with_readable_reasons(challenge):
    answers = {qid: {"answer": gold, "confidence": 0.8} for qid, gold in GOLD.items()}
    trace = record(challenge, answers=answers)
    assert traces_grade(traces=[trace]) == 6
    for mode in ("reference", "strict"):
        verdicts = by_question(trace, mode)
        assert {v.decision for v in verdicts.values()} == {"correct"}
        assert all(v.reason and "\n" not in v.reason for v in verdicts.values())
        assert verdicts["q01"].conflict_outcome == "resolved"
        assert verdicts["q02"].conflict_outcome == ""
        assert all(v.verifier_version == VERIFIER_VERSION for v in verdicts.values())


def test_strict_refuses_a_hedge_the_reference_scorer_accepts(challenge):
    trace = record(challenge, answers={"q01": {"answer": "42.5 percent or 38", "confidence": 1}})
    traces_grade(traces=[trace])
    assert by_question(trace, "reference")["q01"].decision == "correct"
    strict = by_question(trace, "strict")["q01"]
    assert strict.decision == "incorrect"
    assert strict.conflict_outcome == "hedged"


def test_raw_output_goes_through_the_parser_and_a_hopeless_one_is_a_format_failure(challenge):
    trace = record(challenge, raw_output='Reasoning...\n```json\n{"Q1": "42.5%", "2": "12"}\n```')
    assert trace.parse_format in {"json_fenced", "json_embedded", "reasoning_json"}
    assert trace.answers["q01"]["answer"] == "42.5%"
    failed = record(challenge, raw_output="I cannot answer that.")
    assert failed.format_failure
    traces_grade(traces=[trace, failed])
    assert by_question(failed, "strict")["q01"].answer is None


def test_recording_the_same_output_twice_stores_one_trace(challenge):
    first = record(challenge, raw_output='{"q01": "42.5"}')
    again = record(challenge, raw_output='{"q01": "42.5"}')
    assert first.pk == again.pk
    assert Trace.objects.count() == 1


def test_regrading_updates_verdicts_in_place_and_keeps_audits(challenge, annotator):
    trace = record(challenge, answers={"q01": {"answer": "38", "confidence": 0.4}})
    traces_grade(traces=[trace])
    verdict = by_question(trace, "strict")["q01"]
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    assert trace_grade_task.delay(trace.pk).get() == 6
    assert Verdict.objects.filter(trace=trace).count() == 6
    assert Verdict.objects.get(pk=verdict.pk).decision == "incorrect"
    assert Audit.objects.filter(verdict=verdict).count() == 1


def test_an_audit_changes_the_metrics(challenge, annotator):
    trace = record(challenge, answers={"q01": {"answer": "38", "confidence": 0.5}})
    traces_grade(traces=[trace])
    suite = Suite.objects.get(name="t")
    solver = trace.solver
    before = solver_suite_metrics(solver=solver, suite=suite, mode="strict", with_ci=False)
    assert before["answer_accuracy"] == 0
    verdict = by_question(trace, "strict")["q01"]
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    after = solver_suite_metrics(solver=solver, suite=suite, mode="strict", with_ci=False)
    assert after["answer_accuracy"] == pytest.approx(1 / 3)


def predictions_file(tmp_path, entries, name="preds.json"):
    return write_json(tmp_path / name, entries)


def benchmark_file(tmp_path):
    from tests.factories import benchmark_dict

    return write_json(
        tmp_path / "bench.json",
        benchmark_dict(challenge_dict("dacr-g-1"), challenge_dict("dacr-g-2"), name="g"),
    )


def test_grade_writes_both_modes_as_json_and_reports_bad_predictions_line_by_line(tmp_path, capsys):
    bench = benchmark_file(tmp_path)
    preds = predictions_file(
        tmp_path,
        [
            {
                "challengeId": "dacr-g-1",
                "model": "m1",
                "answers": {
                    "q01": {"answer": "42.5 percent", "confidence": 1.7},
                    "q02": {"answer": "12 hours"},
                    "q09": {"answer": "x", "confidence": 0.5},
                },
            },
            {"challengeId": "dacr-nope", "model": "m1", "answers": {}},
            {
                "challengeId": "dacr-g-1",
                "model": "m1",
                "answers": {
                    "q01": {"answer": "42.5 percent", "confidence": "high"},
                },
            },
        ],
    )
    out = tmp_path / "metrics.json"
    call_command(
        "grade", "--benchmark", str(bench), "--predictions", str(preds), "--json", str(out)
    )
    captured = capsys.readouterr()
    assert "dacr-nope: not in the benchmark; ignored" in captured.err
    assert "predicted more than once; the last one counts" in captured.err
    assert "Answer accuracy" in captured.out
    metrics = json.loads(out.read_text())
    assert set(metrics) == {"reference", "strict"}
    for mode in metrics.values():
        assert {
            "answer_accuracy",
            "pass_rate",
            "cars",
            "ece",
            "ci",
            "by_category",
            "by_split",
            "transfer_gap",
            "challenges",
            "questions",
        } <= set(mode)
    assert metrics["strict"]["questions"] == 6
    # Re-grading the same files creates nothing new.
    traces, verdicts = Trace.objects.count(), Verdict.objects.count()
    call_command("grade", "--benchmark", str(bench), "--predictions", str(preds))
    assert (Trace.objects.count(), Verdict.objects.count()) == (traces, verdicts)


def test_grade_accepts_jsonl_raw_outputs(tmp_path):
    bench = benchmark_file(tmp_path)
    lines = [
        json.dumps({"challengeId": "dacr-g-1", "model": "m2", "output": "q01: 42.5 percent"}),
        "not json at all",
    ]
    preds = tmp_path / "out.jsonl"
    preds.write_text("\n".join(lines))
    call_command("grade", "--benchmark", str(bench), "--predictions", str(preds), "--no-ci")
    trace = Trace.objects.get(solver__name="m2")
    assert trace.parse_format == "prose"
    assert Verdict.objects.filter(trace=trace, decision="correct").count() >= 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "predictions file is empty"),
        ('[{"challengeId": ', "not valid JSON"),
        ('{"model": "x"}', "must be a JSON array of predictions or JSON Lines"),
    ],
)
def test_grade_refuses_an_unreadable_predictions_file_in_one_line(tmp_path, content, message):
    bench = benchmark_file(tmp_path)
    preds = tmp_path / "bad.json"
    preds.write_text(content)
    with pytest.raises(CommandError, match=message):
        call_command("grade", "--benchmark", str(bench), "--predictions", str(preds))
    assert Trace.objects.count() == 0


def test_grade_on_the_real_mini_file_counts_unpredicted_challenges(mini_path, tmp_path):
    data = json.loads(mini_path.read_text())
    entries = [
        {
            "challengeId": c["challengeId"],
            "model": "oracle",
            "answers": {
                q["questionId"]: {"answer": q["goldAnswer"], "confidence": 0.9}
                for q in c["questions"]
            },
        }
        for c in data["challenges"][:5]
    ]
    out = tmp_path / "m.json"
    call_command(
        "grade",
        "--benchmark",
        str(mini_path),
        "--predictions",
        str(predictions_file(tmp_path, entries)),
        "--json",
        str(out),
    )
    metrics = json.loads(out.read_text())
    assert metrics["strict"]["challenges"] == 10
    assert metrics["strict"]["answer_accuracy"] == pytest.approx(0.5)
    assert metrics["reference"]["answer_accuracy"] == pytest.approx(1.0)


def test_gold_from_the_file_equals_gold_from_the_database(mini_path):
    from challenges import dacr_format as fmt
    from challenges.services import benchmark_import_path
    from traces.gold import gold_challenges, gold_from_record

    benchmark_import_path(path=mini_path, suite_name="mini")
    from_db = {g.challenge_id: g for g in gold_challenges(Challenge.objects.all()).values()}
    for record in fmt.load_benchmark(mini_path).challenges:
        assert gold_from_record(record) == from_db[record.challenge_id]


@pytest.mark.parametrize(
    "name",
    [
        "gold",
        "malformed",
        "missing_challenges",
        "mixed",
        "no_predictions",
        "trap_both",
        "unreadable_confidence",
        "variant_mixed",
        "whole_document",
    ],
)
def test_the_grade_pipeline_through_the_database_matches_the_public_scorer(
    name, mini_path, tmp_path
):
    """The same parity as the pure core's, but through files, traces, stored verdicts
    (NaN confidences as NULL) and metrics read back from the database."""
    from tests.traces.fixtures.parity_sets import EXPECTED_FILE, build, load_mini
    from tests.traces.test_reference_parity import (
        BREAKDOWN_KEYS,
        SUMMARY_KEYS,
        _compare_table,
        _same,
    )
    from traces.services import predictions_grade

    benchmark, predictions = build(name, load_mini())
    figures = json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))["sets"][name]
    bench = write_json(tmp_path / "bench.json", benchmark)
    preds = write_json(tmp_path / "preds.json", predictions)
    report = predictions_grade(
        benchmark_path=bench, predictions_path=preds, solver_name="parity", with_ci=False
    )
    metrics = report.metrics["reference"]
    problems = [
        f"{ours}: {metrics[ours]} != public {figures['summary'][public]}"
        for public, ours in SUMMARY_KEYS.items()
        if not _same(metrics[ours], figures["summary"][public])
    ]
    problems += _compare_table(
        metrics["by_category"], figures["byCategory"], BREAKDOWN_KEYS, "by_category"
    )
    problems += _compare_table(metrics["by_domain"], figures["byDomain"], BREAKDOWN_KEYS, "dom")
    problems += _compare_table(metrics["by_hops"], figures["byHops"], BREAKDOWN_KEYS, "hops")
    assert not problems, "\n".join(problems[:20])
