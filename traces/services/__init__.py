"""Services: the only code that writes solvers, traces and verdicts."""

from traces.services.audit import (
    AuditError,
    AuditForbiddenError,
    audit_assign_double,
    audit_queue_fill,
    audit_record,
)
from traces.services.baselines import suite_baseline_traces
from traces.services.grading import trace_grade, traces_grade
from traces.services.highlights import LocateReport, traces_highlights_locate
from traces.services.predictions import GradeReport, PredictionsError, predictions_grade
from traces.services.recording import TraceInput, solver_get_or_create, traces_record

__all__ = [
    "AuditError",
    "AuditForbiddenError",
    "GradeReport",
    "LocateReport",
    "PredictionsError",
    "TraceInput",
    "audit_assign_double",
    "audit_queue_fill",
    "audit_record",
    "predictions_grade",
    "solver_get_or_create",
    "suite_baseline_traces",
    "trace_grade",
    "traces_grade",
    "traces_highlights_locate",
    "traces_record",
]
