"""Training datasets from graded traces: hostile specs first, then the verdict rules, held-out
domains, the leakage check, de-duplication, the content hash, token statistics and saving."""

from __future__ import annotations

import json
import math

import pytest

from evaluation.prompt import PROMPT_VERSION, SYSTEM_PROMPT, assistant_answer, chat_messages
from tests.training.candidates import candidate, footprint
from training.data import (
    DatasetSpec,
    DatasetSpecError,
    LeakageError,
    build_dataset,
    check_leakage,
    render_example,
    save_dataset,
    taught_question_ids,
    token_stats,
)

# --- hostile specs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("all_correct", "must be an object"),
        ({}, "verdict_rule is required"),
        ({"verdict_rule": "all_correct", "bogus": 1}, "unknown dataset spec setting(s): bogus"),
        ({"verdict_rule": "most_correct"}, "verdict_rule must be one of"),
        ({"verdict_rule": None}, "verdict_rule must be one of"),
        ({"verdict_rule": "challenge_passed", "pass_threshold": "0.6"}, "must be a number"),
        ({"verdict_rule": "challenge_passed", "pass_threshold": True}, "must be a number"),
        ({"verdict_rule": "challenge_passed", "pass_threshold": 0}, "must be in (0, 1]"),
        ({"verdict_rule": "challenge_passed", "pass_threshold": 1.5}, "must be in (0, 1]"),
        ({"verdict_rule": "challenge_passed", "pass_threshold": math.nan}, "must be in (0, 1]"),
        ({"verdict_rule": "all_correct", "solvers": "gpt-4o"}, "solvers must be a list"),
        ({"verdict_rule": "all_correct", "domains": ["physics", ""]}, "non-empty strings"),
        ({"verdict_rule": "all_correct", "suites": [1]}, "non-empty strings"),
        ({"verdict_rule": "all_correct", "eval_suites": {"a": 1}}, "eval_suites must be a list"),
        ({"verdict_rule": "all_correct", "allow_domain_overlap": "yes"}, "true or false"),
        ({"verdict_rule": "all_correct", "trace_mode": 1}, "true or false"),
        ({"verdict_rule": "all_correct", "seed": -1}, "non-negative integer"),
        ({"verdict_rule": "all_correct", "seed": True}, "non-negative integer"),
        (
            {"verdict_rule": "all_correct", "domains": ["physics"], "holdout_domains": ["physics"]},
            "both selected and held out: physics",
        ),
    ],
)
def test_it_rejects_a_bad_spec_with_a_one_line_error(data, message):
    with pytest.raises(DatasetSpecError) as error:
        DatasetSpec.from_dict(data)
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_a_spec_from_user_input_round_trips_to_its_record():
    spec = DatasetSpec.from_dict(
        {"verdict_rule": "question_correct", "solvers": ["a", "b", "a"], "holdout_domains": []}
    )
    assert spec.solvers == ("a", "b")  # de-duplicated, kept in order, hashable
    record = json.loads(json.dumps(spec.as_record()))
    assert record["solvers"] == ["a", "b"]
    assert DatasetSpec.from_dict(record) == spec
    hash(spec)


def test_a_spec_built_directly_is_validated_too():
    with pytest.raises(DatasetSpecError, match="pass_threshold"):
        DatasetSpec("challenge_passed", pass_threshold=2)


# --- verdict rules ----------------------------------------------------------------------------


def test_challenge_passed_keeps_a_trace_at_the_threshold_and_teaches_all_its_answers():
    spec = DatasetSpec("challenge_passed", pass_threshold=0.6)
    at_threshold = candidate(1, correct=(True, True, True, False, False))  # 3/5 = 0.6
    below = candidate(2, "dacr-0002", correct=(True, False, False))
    built = build_dataset([at_threshold, below], spec)
    assert [e["trace_id"] for e in built.examples] == [1]
    assert built.examples[0]["question_ids"] == ["q01", "q02", "q03", "q04", "q05"]
    answer = built.examples[0]["messages"][-1]["content"]
    assert '"q05"' in answer  # a wrong answer is still taught under this rule
    assert built.stats.dropped_by_rule == 1


def test_all_correct_keeps_only_traces_with_every_question_right():
    spec = DatasetSpec("all_correct")
    traces = [candidate(1), candidate(2, "dacr-0002", correct=(True, True, False))]
    built = build_dataset(traces, spec)
    assert [e["trace_id"] for e in built.examples] == [1]


def test_question_correct_teaches_only_the_right_answers_and_skips_traces_with_none():
    spec = DatasetSpec("question_correct")
    partly = candidate(1, correct=(True, False, True))
    none_right = candidate(2, "dacr-0002", correct=(False, False, False))
    built = build_dataset([partly, none_right], spec)
    (example,) = built.examples
    user, answer = example["messages"][1]["content"], example["messages"][2]["content"]
    assert example["question_ids"] == ["q01", "q03"]
    assert [line[:4] for line in user.splitlines() if line[:1] == "q"] == ["q01:", "q03:"]
    assert sorted(json.loads(answer.split("```json")[1].split("```")[0])) == ["q01", "q03"]
    assert built.stats.dropped_by_rule == 1
    assert built.stats.questions_taught == 2


def test_a_question_without_a_decision_counts_as_wrong():
    trace = candidate(1, correct=(True, True))
    trace = type(trace)(**{**trace.__dict__, "question_correct": {"q01": True}})
    assert taught_question_ids(trace, DatasetSpec("all_correct")) == ()
    assert taught_question_ids(trace, DatasetSpec("question_correct")) == ("q01",)


def test_filters_select_by_solver_split_suite_and_domain():
    traces = [
        candidate(1, "dacr-0001", solver="gpt-4o"),
        candidate(2, "dacr-0002", solver="lexical"),
        candidate(3, "dacr-0003", split="real"),
        candidate(4, "dacr-0004", suites=("other",)),
        candidate(5, "dacr-0005", domain="economics"),
    ]
    spec = DatasetSpec(
        "all_correct",
        solvers=("gpt-4o",),
        splits=("synthetic",),
        suites=("synthetic-train",),
        domains=("physics",),
    )
    built = build_dataset(traces, spec)
    assert [e["trace_id"] for e in built.examples] == [1]
    assert built.stats.dropped_by_filter == 4
    assert built.stats.by_solver == {"gpt-4o": 1}


# --- held-out domains and leakage ---------------------------------------------------------------


def test_held_out_domains_leave_the_selection_before_the_leakage_check():
    traces = [candidate(1), candidate(2, "dacr-0002", domain="medicine")]
    spec = DatasetSpec("all_correct", holdout_domains=("medicine",))
    suites = [footprint(domains=("medicine",))]
    built = build_dataset(traces, spec, suites)  # medicine is held out: no overlap left
    assert [e["domain"] for e in built.examples] == ["physics"]
    assert built.stats.dropped_holdout == 1
    assert built.stats.by_domain == {"physics": 1}


def test_it_refuses_to_train_on_challenges_of_an_evaluation_suite_and_names_them():
    traces = [candidate(1, "dacr-abc"), candidate(2, "dacr-def"), candidate(3, "dacr-ok")]
    suites = [footprint("real-9", challenges=("dacr-abc", "dacr-def", "dacr-unused"))]
    with pytest.raises(LeakageError) as error:
        build_dataset(traces, DatasetSpec("all_correct"), suites)
    assert str(error.value) == (
        "2 challenges of evaluation suite 'real-9' would be trained on: dacr-abc, dacr-def"
    )
    assert isinstance(error.value, ValueError)
    assert error.value.overlaps[0].values == ("dacr-abc", "dacr-def")


def test_it_refuses_a_document_an_evaluation_suite_shares_under_another_challenge_id():
    shared = candidate(1, "dacr-copy", text="The same paper. Its conductivity was 41.2 W/m K.")
    suites = [footprint("real-9", challenges=("dacr-orig",), documents=(shared.document_hash,))]
    with pytest.raises(LeakageError) as error:
        build_dataset([shared], DatasetSpec("all_correct"), suites)
    message = str(error.value)
    assert message.startswith("1 document shared with evaluation suite 'real-9': ")
    assert shared.document_hash[:12] in message


def test_it_refuses_an_evaluation_domain_unless_allowed():
    traces = [candidate(1, domain="physics")]
    suites = [footprint("real-9", domains=("physics", "economics"))]
    with pytest.raises(LeakageError) as error:
        build_dataset(traces, DatasetSpec("all_correct"), suites)
    assert str(error.value) == (
        "domain 'physics' is an evaluation domain of suite 'real-9' "
        "(pass allow_domain_overlap to permit)"
    )
    built = build_dataset(traces, DatasetSpec("all_correct", allow_domain_overlap=True), suites)
    assert len(built.examples) == 1
    (overlap,) = built.overlaps
    assert (overlap.kind, overlap.values, overlap.refused) == ("domain", ("physics",), False)


def test_every_kind_of_overlap_is_named_in_one_message():
    traces = [candidate(i, f"dacr-{i:03d}") for i in range(7)]
    suites = [
        footprint(
            "real-9", challenges=tuple(f"dacr-{i:03d}" for i in range(7)), domains=("physics",)
        )
    ]
    with pytest.raises(LeakageError) as error:
        build_dataset(traces, DatasetSpec("all_correct"), suites)
    message = str(error.value)
    assert "7 challenges of evaluation suite 'real-9'" in message
    assert "dacr-004 and 2 more" in message
    assert "; domain 'physics' is an evaluation domain" in message
    assert "\n" not in message


def test_a_trace_the_rule_rejects_is_no_leak():
    traces = [candidate(1), candidate(2, "dacr-eval", correct=(False, False, True))]
    suites = [footprint(challenges=("dacr-eval",))]
    built = build_dataset(traces, DatasetSpec("all_correct"), suites)
    assert [e["challenge_id"] for e in built.examples] == ["dacr-0001"]


def test_the_spec_names_which_evaluation_suites_to_check():
    traces = [candidate(1, "dacr-abc")]
    suites = [footprint("real-9", challenges=("dacr-abc",)), footprint("other")]
    built = build_dataset(traces, DatasetSpec("all_correct", eval_suites=("other",)), suites)
    assert len(built.examples) == 1
    with pytest.raises(DatasetSpecError, match="unknown evaluation suite"):
        build_dataset(traces, DatasetSpec("all_correct", eval_suites=("missing",)), suites)


def test_check_leakage_reports_allowed_domains_as_not_refused():
    overlaps = check_leakage([candidate(1)], [footprint(domains=("physics",))], True)
    assert [(o.kind, o.refused) for o in overlaps] == [("domain", False)]


# --- de-duplication, hash, rendering ---------------------------------------------------------


def test_identical_traces_of_a_challenge_are_kept_once_and_different_ones_all_kept():
    traces = [
        candidate(3, "dacr-0001"),
        candidate(1, "dacr-0001"),  # same text as trace 3: a duplicate
        candidate(2, "dacr-0001", answer_suffix=" (second attempt)"),
        candidate(4, "dacr-0002"),
    ]
    built = build_dataset(traces, DatasetSpec("all_correct"))
    assert sorted(e["trace_id"] for e in built.examples) == [1, 2, 4]
    assert built.stats.dropped_duplicates == 1
    assert built.stats.selected == 3


def test_the_content_hash_ignores_input_order_and_seed_but_not_content():
    traces = [candidate(i, f"dacr-{i:03d}") for i in range(6)]
    spec = DatasetSpec("all_correct")
    first = build_dataset(traces, spec)
    again = build_dataset(list(reversed(traces)), spec)
    reseeded = build_dataset(traces, DatasetSpec("all_correct", seed=7))
    changed = build_dataset([*traces[:-1], candidate(5, "dacr-005", answer_suffix="!")], spec)
    assert first.content_hash == again.content_hash == reseeded.content_hash
    assert first.examples == again.examples  # rows in the seed's order, whatever the input
    assert changed.content_hash != first.content_hash
    assert len(first.content_hash) == 64


def test_nothing_left_to_train_on_says_where_the_traces_went():
    traces = [candidate(1, correct=(False, False)), candidate(2, "dacr-2", domain="medicine")]
    spec = DatasetSpec("all_correct", holdout_domains=("medicine",))
    with pytest.raises(DatasetSpecError) as error:
        build_dataset(traces, spec)
    assert str(error.value) == (
        "no trace is left to train on: 2 candidate(s), 0 outside the filters, 1 in held-out "
        "domains, 1 failed rule 'all_correct', 0 duplicate(s)"
    )


def test_an_example_is_the_evaluation_prompt_plus_the_taught_answer():
    trace = candidate(9, "dacr-0009", correct=(True, True))
    example = render_example(trace, ["q01", "q02"])
    prompt = chat_messages(trace.document_text, trace.questions, trace=True)
    assert [m["role"] for m in example["messages"]] == ["system", "user", "assistant"]
    assert example["messages"][0]["content"] == SYSTEM_PROMPT
    assert example["messages"][1]["content"] == prompt[1].content
    assert example["messages"][2]["content"] == assistant_answer(trace.reasoning, trace.answers)
    assert {k: example[k] for k in ("trace_id", "challenge_id", "domain", "solver")} == {
        "trace_id": 9,
        "challenge_id": "dacr-0009",
        "domain": "physics",
        "solver": "gpt-4o",
    }


def test_answer_mode_drops_the_reasoning_and_asks_for_json_only():
    trace = candidate(1, correct=(True,))
    example = render_example(trace, ["q01"], trace_mode=False)
    assert example["messages"][2]["content"].startswith("```json")
    assert "Reply with one JSON object only" in example["messages"][1]["content"]


# --- token statistics and saving ------------------------------------------------------------


@pytest.fixture(scope="module")
def tokenizer():
    from tests.tiny_model import build_tokenizer

    return build_tokenizer()


def test_token_stats_measure_the_chat_template_rendering(tokenizer):
    traces = [candidate(i, f"dacr-{i:03d}", correct=(True,) * (i % 4 + 1)) for i in range(10)]
    examples = build_dataset(traces, DatasetSpec("all_correct")).examples
    stats = token_stats(examples, tokenizer)
    lengths = [
        len(
            tokenizer.apply_chat_template(e["messages"], tokenize=True, return_dict=True)[
                "input_ids"
            ]
        )
        for e in examples
    ]
    assert stats.count == 10
    assert stats.total == sum(lengths)
    assert (stats.min, stats.max) == (min(lengths), max(lengths))
    assert stats.min <= stats.p50 <= stats.p90 <= stats.p99 <= stats.max
    assert stats.mean == pytest.approx(sum(lengths) / 10)
    assert token_stats([], tokenizer).count == 0


def test_save_dataset_writes_hf_jsonl_and_a_record_that_reload(tmp_path):
    from datasets import load_from_disk

    built = build_dataset(
        [candidate(i, f"dacr-{i:03d}") for i in range(4)], DatasetSpec("all_correct")
    )
    saved = save_dataset(built, tmp_path / "ds-1")
    reloaded = load_from_disk(str(saved.hf_path))
    assert reloaded.num_rows == saved.n == 4
    assert reloaded[0]["messages"] == built.examples[0]["messages"]
    lines = saved.jsonl_path.read_text().splitlines()
    assert [json.loads(line) for line in lines] == built.examples
    record = json.loads((saved.path / "dataset.json").read_text())
    assert record["content_hash"] == built.content_hash == saved.content_hash
    assert record["stats"]["selected"] == 4
    assert record["spec"]["verdict_rule"] == "all_correct"
    assert record["prompt_version"] == record["spec"]["prompt_version"] == PROMPT_VERSION
    assert [p.name for p in tmp_path.iterdir()] == ["ds-1"]  # no staging directory left


def test_saving_again_is_a_no_op_and_a_different_dataset_is_refused(tmp_path):
    spec = DatasetSpec("all_correct")
    built = build_dataset([candidate(1)], spec)
    first = save_dataset(built, tmp_path / "ds")
    assert save_dataset(built, tmp_path / "ds") == first
    other = build_dataset([candidate(2, "dacr-0002")], spec)
    with pytest.raises(FileExistsError, match="already holds a different dataset"):
        save_dataset(other, tmp_path / "ds")


def test_a_failed_save_leaves_no_partial_directory(tmp_path, monkeypatch):
    from datasets import Dataset

    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(Dataset, "save_to_disk", broken)
    built = build_dataset([candidate(1)], DatasetSpec("all_correct"))
    with pytest.raises(OSError, match="disk full"):
        save_dataset(built, tmp_path / "ds")
    assert list(tmp_path.iterdir()) == []
