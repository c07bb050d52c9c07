"""The controlled vocabularies every model uses (``TextChoices``) and the check that a
field holds one of them."""

from django.db import models
from django.db.models import Q


class Domain(models.TextChoices):
    """The controlled list of domains. Challenges store the domain as a free string, so an
    imported file may carry others (``nlp``, ``quantum_physics``…)."""

    PHYSICS = "physics", "Physics"
    ECONOMICS = "economics", "Economics"
    MEDICINE = "medicine", "Medicine"
    CHEMISTRY = "chemistry", "Chemistry"
    BIOLOGY = "biology", "Biology"
    MATERIALS_SCIENCE = "materials_science", "Materials science"
    CLIMATE_SCIENCE = "climate_science", "Climate science"
    CS_AI = "cs_ai", "Computer science / AI"


class Split(models.TextChoices):
    REAL = "real", "Real (from a paper)"
    SYNTHETIC = "synthetic", "Synthetic (from the engine)"


class Category(models.TextChoices):
    DIRECT_EXTRACTION = "direct_extraction", "Direct extraction"
    MULTI_HOP_BRIDGE = "multi_hop_bridge", "Multi-hop bridge"
    COMPARATIVE = "comparative", "Comparative"
    COMPUTATION = "computation", "Computation"
    CONDITIONAL_FILTERED = "conditional_filtered", "Conditional / filtered"
    CONFLICT_RESOLUTION = "conflict_resolution", "Conflict resolution"
    CROSS_SECTION_SYNTHESIS = "cross_section_synthesis", "Cross-section synthesis"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"


class PaperStatus(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    PARSING = "parsing", "Parsing"
    PARSED = "parsed", "Parsed"
    GENERATING = "generating", "Generating"
    VERIFIED = "verified", "Verified"
    FAILED = "failed", "Failed"


class ChallengeStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class SourceType(models.TextChoices):
    DOCUMENT = "document", "Document"
    ENGINE = "engine", "Engine"


class SubordinatePosition(models.TextChoices):
    BEFORE = "before", "Subordinate before authoritative"
    AFTER = "after", "Subordinate after authoritative"
    UNKNOWN = "unknown", "Unknown"


class GenerationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    GENERATING = "generating", "Generating and verifying"
    WRITING = "writing", "Writing to the database"
    REPORTING = "reporting", "Running baselines for the validity report"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class EditAction(models.TextChoices):
    EDIT = "edit", "Edited a question"
    DROP = "drop", "Dropped a question"
    ADD = "add", "Added a question"
    APPROVE = "approve", "Approved a question"
    PUBLISH = "publish", "Published the challenge"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    VALIDATING = "validating", "Validating the file"
    WRITING = "writing", "Writing to the database"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


def _one_of(field: str, choices: type[models.TextChoices], name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": [choice.value for choice in choices]}), name=name
    )
