"""The verdict columns the browser filters on (``override``, ``audited``, ``modes_disagree``)
stay in step with audits and grading, and the refresh functions rebuild them from scratch."""

import pytest

from tests.traces.audit_data import graded_audit_data
from traces.grading import VERIFIER_VERSION
from traces.models import Audit, AuditImmutableError, Verdict, VerifierMode
from traces.selectors import verdicts_with_effective_decision
from traces.services import traces_grade
from traces.services.audit import audit_record
from traces.services.verdict_flags import (
    verdicts_audit_flags_refresh,
    verdicts_disagreement_refresh,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return graded_audit_data()


def _flags(verdict: Verdict) -> tuple[str, bool, bool]:
    verdict.refresh_from_db()
    return verdict.override, verdict.audited, verdict.modes_disagree


def test_grading_marks_both_modes_of_a_disagreement_and_nothing_else(data):
    flagged = Verdict.objects.filter(trace=data.trace, modes_disagree=True)
    assert {(v.question.question_id, v.mode) for v in flagged} == {
        ("q01", VerifierMode.STRICT),
        ("q01", VerifierMode.REFERENCE),
    }
    reference = Verdict.objects.get(
        trace=data.trace, question=data.disagreement.question, mode=VerifierMode.REFERENCE
    )
    assert reference.decision != data.disagreement.decision


def test_grading_one_mode_compares_with_the_stored_other_mode(data):
    Verdict.objects.filter(trace=data.trace).update(modes_disagree=False)
    traces_grade(traces=[data.trace], modes=[VerifierMode.STRICT], force=True)
    assert _flags(data.disagreement)[2] is True
    assert _flags(data.confident)[2] is False


def test_an_audit_sets_override_and_audited_and_the_latest_audit_wins(data, annotator):
    verdict = data.confident
    assert _flags(verdict) == ("", False, False)
    other = "incorrect" if verdict.decision == "correct" else "correct"
    audit_record(verdict=verdict, annotator=annotator, decision=other, reason="misread")
    assert _flags(verdict) == (other, True, False)
    assert verdict.effective == other
    audit_record(verdict=verdict, annotator=annotator, decision="agree")
    assert _flags(verdict) == ("", True, False)
    audit_record(verdict=verdict, annotator=annotator, decision="gold_wrong")
    assert _flags(verdict) == ("", True, False)
    annotated = verdicts_with_effective_decision().get(pk=verdict.pk)
    assert annotated.effective_decision == verdict.decision
    assert annotated.gold_flagged is True


def test_an_override_survives_regrading(data, annotator):
    verdict = data.confident
    other = "incorrect" if verdict.decision == "correct" else "correct"
    audit_record(verdict=verdict, annotator=annotator, decision=other)
    traces_grade(traces=[data.trace], force=True)
    assert _flags(verdict) == (other, True, False)


def test_audits_cannot_be_inserted_in_bulk(data, annotator):
    with pytest.raises(AuditImmutableError):
        Audit.objects.bulk_create(
            [Audit(verdict=data.confident, annotator=annotator, decision="agree")]
        )
    assert not Audit.objects.exists()


def test_the_refresh_functions_rebuild_every_flag_from_scratch(data, annotator):
    audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")
    audit_record(verdict=data.low_confidence, annotator=annotator, decision="agree")
    expected = {v.pk: (v.override, v.audited, v.modes_disagree) for v in Verdict.objects.all()}
    Verdict.objects.update(override="", audited=False, modes_disagree=False)
    Verdict.objects.filter(pk=data.disagreement.pk).update(audited=True, override="correct")
    verdicts = Verdict.objects.filter(verifier_version=VERIFIER_VERSION)
    verdicts_disagreement_refresh(verdicts)
    assert verdicts_audit_flags_refresh(verdicts, audit_model=Audit) == 2
    rebuilt = {v.pk: (v.override, v.audited, v.modes_disagree) for v in Verdict.objects.all()}
    assert rebuilt == expected
