"""Papers, challenges and what a challenge is made of, suites, and the jobs that write them.

A published challenge is immutable: its content hash (sha256 of its canonical DACR-Bench
record) is stored, and services refuse to edit it. Write through ``challenges.services``.
"""

from challenges.models.choices import (
    Category,
    ChallengeStatus,
    Difficulty,
    Domain,
    EditAction,
    GenerationStatus,
    ImportStatus,
    PaperStatus,
    SourceType,
    Split,
    SubordinatePosition,
)
from challenges.models.content import (
    Challenge,
    ChallengeEdit,
    Conflict,
    Fact,
    Question,
)
from challenges.models.jobs import (
    BenchmarkImport,
    GenerationJob,
    SuiteJob,
)
from challenges.models.located import (
    LocatedStatement,
)
from challenges.models.papers import (
    Paper,
)
from challenges.models.suites import (
    Suite,
    SuiteMembership,
    ValidityReport,
)

__all__ = [
    "BenchmarkImport",
    "Category",
    "Challenge",
    "ChallengeEdit",
    "ChallengeStatus",
    "Conflict",
    "Difficulty",
    "Domain",
    "EditAction",
    "Fact",
    "GenerationJob",
    "GenerationStatus",
    "ImportStatus",
    "LocatedStatement",
    "Paper",
    "PaperStatus",
    "Question",
    "SourceType",
    "Split",
    "SubordinatePosition",
    "Suite",
    "SuiteJob",
    "SuiteMembership",
    "ValidityReport",
]
