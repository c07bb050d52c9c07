"""Graded traces, datasets and finished runs for the training app's database tests: small
challenges whose documents differ (so leakage by document is seen only where meant), the
lexical baseline's traces on them, and run rows with logs for the pages."""

from __future__ import annotations

from challenges.models import Suite
from tests.factories import DOCUMENT, challenge_dict, import_challenges
from traces.services import suite_baseline_traces
from training.models import DatasetStatus, TrainingDataset, TrainingLog, TrainingRun

CPU_NOTE = "No GPU: 4-bit NF4 ran on the CPU through bitsandbytes"
TRAIN_IDS = ["dacr-train-0001", "dacr-train-0002", "dacr-train-0003"]
EVAL_IDS = ["dacr-eval-0001", "dacr-eval-0002"]
QUESTION_RULE = {"verdict_rule": "question_correct", "suites": ["train-suite"]}


def training_challenge(challenge_id: str, domain: str = "chemistry") -> dict:
    """The factory challenge in ``domain`` with a document of its own (a closing line
    naming the challenge), so each has its own document hash."""
    record = challenge_dict(challenge_id)
    text = f"{DOCUMENT}\n\nReport {challenge_id} closes here."
    record["document"] = {**record["document"], "text": text, "domain": domain}
    return record


def graded_suite(name: str, challenge_ids: list[str], domain: str = "chemistry") -> Suite:
    """A suite of ``challenge_ids`` with the lexical baseline's graded traces on it."""
    import_challenges(*(training_challenge(cid, domain) for cid in challenge_ids), suite=name)
    suite = Suite.objects.get(name=name)
    suite_baseline_traces(suite=suite)
    return suite


def ready_dataset(name: str = "ready-set", **fields) -> TrainingDataset:
    """A dataset row as a finished build leaves it (no files: for pages and refusals)."""
    values = {
        "status": DatasetStatus.READY,
        "spec": {"verdict_rule": "question_correct", "solvers": ["lexical"]},
        "stats": {
            "candidates": 4,
            "selected": 3,
            "dropped_by_filter": 0,
            "dropped_holdout": 1,
            "dropped_by_rule": 0,
            "dropped_duplicates": 0,
            "questions_taught": 7,
            "by_domain": {"chemistry": 3},
            "by_solver": {"lexical": 3},
            "by_split": {"synthetic": 3},
            "allowed_overlaps": [],
        },
        "examples": 3,
        "content_hash": "ab" * 32,
        "path": "/nowhere",
        **fields,
    }
    return TrainingDataset.objects.create(name=name, **values)


def finished_run(dataset: TrainingDataset, name: str = "finished-run", **fields) -> TrainingRun:
    """A succeeded run with a five-step loss curve and the CPU plan's notice."""
    values = {
        "status": "succeeded",
        "config": {"base_model": "/models/tiny", "lora_r": 8, "max_steps": 5},
        "plan": "qlora-nf4-cpu",
        "plan_notes": [CPU_NOTE, "No GPU: computing in float32 instead of bfloat16"],
        "step": 5,
        "max_steps": 5,
        "progress_done": 5,
        "progress_total": 5,
        "final_loss": 1.5,
        "tokens_seen": 5000,
        **fields,
    }
    run = TrainingRun.objects.create(name=name, dataset=dataset, **values)
    TrainingLog.objects.bulk_create(
        TrainingLog(
            run=run,
            step=step,
            epoch=step / 5,
            loss=4.0 - 0.5 * step,
            learning_rate=2e-4 * (1 - step / 6),
            tokens_per_s=900.0 + step,
            eta_s=float(5 - step),
        )
        for step in range(1, 6)
    )
    return run


def tiny_config(model_dir, **overrides) -> dict:
    """A few quick steps of the tiny model: the recipe with a small rank and no accumulation."""
    return {
        "base_model": str(model_dir),
        "lora_r": 8,
        "lora_alpha": 16,
        "gradient_accumulation": 1,
        "max_steps": 4,
        "save_steps": 2,
        "learning_rate": 1e-2,
        "warmup_ratio": 0.0,
        **overrides,
    }
