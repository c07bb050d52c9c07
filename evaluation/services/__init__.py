"""Services: the only code that writes model specs and evaluation runs."""

from evaluation.services.runs import (
    EvalRunError,
    eval_run_cancel,
    eval_run_create,
    eval_run_execute,
)
from evaluation.services.specs import (
    ModelSpecError,
    model_spec_create,
    model_spec_get_or_create,
    validated_settings,
)

__all__ = [
    "EvalRunError",
    "ModelSpecError",
    "eval_run_cancel",
    "eval_run_create",
    "eval_run_execute",
    "model_spec_create",
    "model_spec_get_or_create",
    "validated_settings",
]
