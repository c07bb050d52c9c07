"""Datasets on the database: refusals first (bad names and specs, leakage into an evaluation
suite, which names the overlap and writes no file), then datasets built from the lexical
baseline's graded traces, with effective decisions, held-out domains and token lengths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.conf import settings

from challenges.models import Suite
from tests.training.support import QUESTION_RULE, TRAIN_IDS, graded_suite, training_challenge
from traces.models import Audit, Trace, Verdict
from training.models import DatasetStatus, TrainingDataset
from training.services import (
    TrainingDatasetError,
    candidates_from_traces,
    dataset_build,
    dataset_create,
    footprints_for,
)
from training.services.datasets import document_hash, graded_traces

pytestmark = pytest.mark.django_db


def _dataset_dirs() -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "datasets"
    return sorted(root.iterdir()) if root.is_dir() else []


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "spec", "message"),
    [
        ("", QUESTION_RULE, "name: a dataset needs a name"),
        ("x" * 129, QUESTION_RULE, "name: at most 128"),
        ("a\nb", QUESTION_RULE, "name: at most 128 printable"),
        ("d", {"suites": ["train-suite"]}, "verdict_rule is required"),
        ("d", {"verdict_rule": "most_correct"}, "verdict_rule must be one of"),
        ("d", {"verdict_rule": "all_correct", "pass_threshold": 0}, "pass_threshold"),
        ("d", {"verdict_rule": "all_correct", "pass_threshold": "high"}, "pass_threshold"),
        ("d", {"verdict_rule": "all_correct", "colour": "red"}, "unknown dataset spec"),
        ("d", {"verdict_rule": "all_correct", "solvers": "lexical"}, "solvers must be a list"),
        ("d", {"verdict_rule": "all_correct", "solvers": ["gpt-9"]}, "solvers: no solver"),
        ("d", {"verdict_rule": "all_correct", "suites": ["nope"]}, "suites: no suite"),
        ("d", {"verdict_rule": "all_correct", "eval_suites": ["nope"]}, "eval_suites: no suite"),
        ("d", {"verdict_rule": "all_correct", "splits": ["train"]}, "splits: 'train'"),
        (
            "d",
            {"verdict_rule": "all_correct", "domains": ["physics"], "holdout_domains": ["physics"]},
            "both selected and held out",
        ),
        ("d", ["verdict_rule", "all_correct"], "must be an object"),
    ],
)
def test_a_bad_request_is_refused_in_one_line_and_nothing_is_written(
    train_suite, name, spec, message
):
    with pytest.raises(TrainingDatasetError, match=message) as error:
        dataset_create(name=name, spec=spec)
    assert "\n" not in str(error.value)
    assert not TrainingDataset.objects.exists()
    assert _dataset_dirs() == []


def test_a_tokenizer_path_that_is_not_a_directory_is_refused(train_suite):
    with pytest.raises(TrainingDatasetError, match="tokenizer: no such directory"):
        dataset_create(name="d", spec=QUESTION_RULE, tokenizer_path="/no/such/model")
    assert not TrainingDataset.objects.exists()


def test_a_taken_name_is_refused(train_suite, build_now):
    build_now(name="d", spec=QUESTION_RULE)
    with pytest.raises(TrainingDatasetError, match="already exists"):
        dataset_create(name="d", spec=QUESTION_RULE)


def test_training_on_the_evaluation_suite_is_refused_naming_the_challenges(train_suite, build_now):
    dataset = build_now(name="leaky", spec={**QUESTION_RULE, "eval_suites": ["train-suite"]})
    assert dataset.status == DatasetStatus.FAILED
    assert "3 challenges of evaluation suite 'train-suite' would be trained on" in dataset.error
    for challenge_id in TRAIN_IDS:
        assert challenge_id in dataset.error
    assert "domain 'chemistry' is an evaluation domain" in dataset.error
    assert (dataset.examples, dataset.path, dataset.content_hash) == (0, "", "")
    assert _dataset_dirs() == []


def test_a_shared_document_under_another_challenge_id_is_refused(train_suite, build_now):
    copy = training_challenge("dacr-copy-0001", domain="physics")
    copy["document"]["text"] = Trace.objects.first().challenge.document_text
    from tests.factories import import_challenges

    import_challenges(copy, suite="copied")
    dataset = build_now(
        name="copied-doc",
        spec={**QUESTION_RULE, "eval_suites": ["copied"], "allow_domain_overlap": True},
    )
    assert dataset.status == DatasetStatus.FAILED
    assert "1 document shared with evaluation suite 'copied'" in dataset.error
    assert _dataset_dirs() == []


def test_a_shared_domain_is_refused_unless_allowed(train_suite, build_now):
    graded_suite("chem-eval", ["dacr-chem-eval-1"], domain="chemistry")
    refused = build_now(name="refused", spec={**QUESTION_RULE, "eval_suites": ["chem-eval"]})
    assert refused.status == DatasetStatus.FAILED
    assert refused.error == (
        "domain 'chemistry' is an evaluation domain of suite 'chem-eval' "
        "(pass allow_domain_overlap to permit)"
    )
    allowed = build_now(
        name="allowed",
        spec={**QUESTION_RULE, "eval_suites": ["chem-eval"], "allow_domain_overlap": True},
    )
    assert allowed.status == DatasetStatus.READY, allowed.error
    assert allowed.stats["allowed_overlaps"] == [
        "domain 'chemistry' is an evaluation domain of suite 'chem-eval' (allowed)"
    ]


def test_a_rule_nothing_passes_fails_with_the_drops_counted(train_suite, build_now):
    dataset = build_now(name="strict", spec={"verdict_rule": "all_correct"})
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.error.startswith("no trace is left to train on: 3 candidate(s)")
    assert "3 failed rule 'all_correct'" in dataset.error


def test_a_failed_name_can_be_taken_again(train_suite, build_now):
    build_now(name="again", spec={"verdict_rule": "all_correct"})
    dataset = build_now(name="again", spec=QUESTION_RULE)
    assert dataset.status == DatasetStatus.READY
    assert TrainingDataset.objects.filter(name="again").count() == 1


# --- building -------------------------------------------------------------------------------


def test_a_dataset_is_built_from_graded_lexical_traces_and_saved(
    train_suite, eval_suite, build_now, tiny_model_dir
):
    dataset = build_now(
        name="lexical-chem",
        spec={**QUESTION_RULE, "eval_suites": ["eval-suite"], "solvers": ["lexical"]},
        tokenizer_path=str(tiny_model_dir),
    )
    assert dataset.status == DatasetStatus.READY, dataset.error
    assert dataset.examples == 3
    stats = dataset.stats
    assert (stats["candidates"], stats["selected"], stats["dropped_by_filter"]) == (5, 3, 2)
    assert stats["questions_taught"] == 6  # q02 and q03 of each; q01 fell for the conflict
    assert stats["by_domain"] == {"chemistry": 3}
    assert stats["by_solver"] == {"lexical": 3}
    assert stats["verifier"]["mode"] == "strict"
    assert dataset.token_stats["count"] == 3
    assert 0 < dataset.token_stats["min"] <= dataset.token_stats["max"]
    path = Path(dataset.path)
    assert path.name == f"{dataset.pk}-{dataset.content_hash[:12]}"
    assert path.parent == Path(settings.MEDIA_ROOT) / "datasets"
    rows = [json.loads(line) for line in (path / "train.jsonl").read_text().splitlines()]
    assert len(rows) == 3
    assert {row["question_ids"][0] for row in rows} == {"q02"}
    assert json.loads((path / "dataset.json").read_text())["content_hash"] == dataset.content_hash
    assert dataset.spec["prompt_version"] == dataset.prompt_version


def test_building_twice_is_a_no_op(train_suite, build_now):
    dataset = build_now(name="once", spec=QUESTION_RULE)
    again = dataset_build(dataset_id=dataset.pk)
    assert (again.status, again.deliveries, again.path) == ("ready", 1, dataset.path)


def test_a_build_that_keeps_killing_its_worker_is_stopped(train_suite, settings):
    dataset = dataset_create(name="killer", spec=QUESTION_RULE, enqueue=False)
    TrainingDataset.objects.filter(pk=dataset.pk).update(
        deliveries=settings.DACR_TASK_MAX_DELIVERIES
    )
    dataset = dataset_build(dataset_id=dataset.pk)
    assert dataset.status == DatasetStatus.FAILED
    assert "kept killing its worker" in dataset.error


def test_held_out_domains_are_dropped_and_counted(train_suite, eval_suite, build_now):
    dataset = build_now(
        name="no-physics", spec={"verdict_rule": "question_correct", "holdout_domains": ["physics"]}
    )
    assert dataset.status == DatasetStatus.READY
    assert (dataset.stats["dropped_holdout"], dataset.examples) == (2, 3)


def test_a_tokenizer_that_does_not_load_fails_the_build_without_files(
    train_suite, build_now, tmp_path
):
    empty = tmp_path / "not-a-model"
    empty.mkdir()
    dataset = build_now(name="bad-tok", spec=QUESTION_RULE, tokenizer_path=str(empty))
    assert dataset.status == DatasetStatus.FAILED
    assert dataset.error.startswith(f"tokenizer: cannot load '{empty}'")
    assert "\n" not in dataset.error
    assert _dataset_dirs() == []


# --- candidates and footprints --------------------------------------------------------------


def test_candidates_carry_the_effective_decision_after_an_audit(train_suite, admin_user):
    trace = Trace.objects.order_by("pk").first()
    wrong = Verdict.objects.get(trace=trace, mode="strict", question__question_id="q01")
    assert wrong.decision == "incorrect"
    Audit.objects.create(
        verdict=wrong, annotator=admin_user, decision="correct", previous_decision="incorrect"
    )
    by_trace = {c.trace_id: c for c in candidates_from_traces(graded_traces())}
    audited = by_trace[trace.pk]
    assert audited.question_correct == {"q01": True, "q02": True, "q03": True}
    assert [q.question_id for q in audited.questions] == ["q01", "q02", "q03"]
    assert audited.suites == ("train-suite",)
    assert audited.solver == "lexical"
    assert audited.document_hash == document_hash(trace.challenge.document_text)
    assert audited.answers["q02"]["answer"] == trace.answers["q02"]["answer"]
    others = [c for c in by_trace.values() if c.trace_id != trace.pk]
    assert all(c.question_correct["q01"] is False for c in others)


def test_a_footprint_holds_the_suites_challenges_documents_and_domains(eval_suite):
    (footprint,) = footprints_for([Suite.objects.get(name="eval-suite")])
    assert footprint.name == "eval-suite"
    assert footprint.challenge_ids == {"dacr-eval-0001", "dacr-eval-0002"}
    assert len(footprint.document_hashes) == 2
    assert footprint.domains == {"physics"}
