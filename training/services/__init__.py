"""Services: the only code that writes training datasets, training runs and their logs."""

from training.services.adapters import (
    AdapterError,
    comparison_url,
    evaluate_against_baseline,
    register_adapter,
)
from training.services.datasets import (
    TrainingDatasetError,
    candidates_from_traces,
    dataset_build,
    dataset_create,
    footprints_for,
)
from training.services.runs import (
    TrainingRunError,
    training_run_cancel,
    training_run_create,
    training_run_execute,
)

__all__ = [
    "AdapterError",
    "TrainingDatasetError",
    "TrainingRunError",
    "candidates_from_traces",
    "comparison_url",
    "dataset_build",
    "dataset_create",
    "evaluate_against_baseline",
    "footprints_for",
    "register_adapter",
    "training_run_cancel",
    "training_run_create",
    "training_run_execute",
]
