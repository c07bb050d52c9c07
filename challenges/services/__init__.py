"""Services: the only code that writes challenges, suites and imports."""

from challenges.services.benchmark_import import (
    ImportSummary,
    benchmark_import,
    benchmark_import_path,
    benchmark_import_run,
    benchmark_import_start,
)
from challenges.services.challenge_edits import (
    ChallengeImmutableError,
    challenge_lock_draft,
    challenge_publish,
    challenge_retire,
    challenge_update_document,
)
from challenges.services.generation import (
    GenerationSummary,
    generation_run,
    generation_start,
    suite_generate,
)
from challenges.services.papers import (
    PaperDraftRejected,
    PaperRefused,
    paper_challenge_id,
    paper_drafts_benchmark,
    paper_process,
    paper_store,
    paper_upload_start,
)
from challenges.services.records import challenge_to_record
from challenges.services.review import (
    ReviewRefused,
    review_publish,
    review_question_add,
    review_question_approve,
    review_question_drop,
    review_question_edit,
)
from challenges.services.suites import (
    SuiteFrozenError,
    suite_add_challenges,
    suite_export,
    suite_export_to_path,
    suite_freeze,
    suite_get_or_create,
)
from challenges.services.validity import (
    suite_records,
    suite_validity_compute,
    suite_validity_start,
)

__all__ = [
    "ChallengeImmutableError",
    "GenerationSummary",
    "ImportSummary",
    "PaperDraftRejected",
    "PaperRefused",
    "ReviewRefused",
    "SuiteFrozenError",
    "benchmark_import",
    "benchmark_import_path",
    "benchmark_import_run",
    "benchmark_import_start",
    "challenge_lock_draft",
    "challenge_publish",
    "challenge_retire",
    "challenge_to_record",
    "challenge_update_document",
    "generation_run",
    "generation_start",
    "paper_challenge_id",
    "paper_drafts_benchmark",
    "paper_process",
    "paper_store",
    "paper_upload_start",
    "review_publish",
    "review_question_add",
    "review_question_approve",
    "review_question_drop",
    "review_question_edit",
    "suite_add_challenges",
    "suite_export",
    "suite_export_to_path",
    "suite_freeze",
    "suite_generate",
    "suite_get_or_create",
    "suite_records",
    "suite_validity_compute",
    "suite_validity_start",
]
