"""Audit services and selectors: filling queues in order of doubt, appending audits, blind
double annotation, audits that cannot change, and the agreement report."""

import pytest
from django.contrib.admin.sites import site
from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import ProtectedError
from django.test import RequestFactory

from challenges.models import Suite
from challenges.services import suite_generate
from tests.traces.audit_data import graded_audit_data
from traces.models import AssignmentKind, Audit, AuditAssignment, AuditImmutableError, Verdict
from traces.selectors import verdicts_with_effective_decision
from traces.selectors_audit import agreement_report, audit_item, audit_list, audit_queue
from traces.services import suite_baseline_traces
from traces.services.audit import (
    AuditError,
    AuditForbiddenError,
    audit_assign_double,
    audit_queue_fill,
    audit_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return graded_audit_data()


@pytest.fixture
def second_annotator(django_user_model):
    user = django_user_model.objects.create_user(username="bea", password="bea-pass-123")
    user.groups.add(Group.objects.get(name="annotator"))
    return user


@pytest.fixture
def third_annotator(django_user_model):
    user = django_user_model.objects.create_user(username="cid", password="cid-pass-123")
    user.groups.add(Group.objects.get(name="annotator"))
    return user


def _effective(verdict: Verdict) -> str:
    return verdicts_with_effective_decision().get(pk=verdict.pk).effective_decision


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize("size", [0, -1, 101, "5", None])
def test_a_fill_of_a_bad_size_is_refused(annotator, data, size):
    with pytest.raises(AuditError, match="size"):
        audit_queue_fill(annotator=annotator, size=size)
    assert not AuditAssignment.objects.exists()


def test_a_viewer_cannot_fill_a_queue_or_audit(viewer, data):
    with pytest.raises(AuditForbiddenError):
        audit_queue_fill(annotator=viewer, size=3)
    with pytest.raises(AuditForbiddenError):
        audit_record(verdict=data.confident, annotator=viewer, decision="agree")
    assert not Audit.objects.exists()


@pytest.mark.parametrize("decision", ["", "wrong", "AGREE", "delete", "correct; drop table"])
def test_a_bad_decision_is_refused(annotator, data, decision):
    with pytest.raises(AuditError, match="decision"):
        audit_record(verdict=data.confident, annotator=annotator, decision=decision)
    assert not Audit.objects.exists()


def test_an_overlong_reason_is_refused(annotator, data):
    with pytest.raises(AuditError, match="reason"):
        audit_record(
            verdict=data.confident, annotator=annotator, decision="agree", reason="x" * 2001
        )


def test_an_audit_cannot_be_changed_or_deleted_through_the_model(annotator, data):
    audit = audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")

    audit.decision = "correct"
    with pytest.raises(AuditImmutableError):
        audit.save()
    with pytest.raises(AuditImmutableError):
        audit.delete()
    with pytest.raises(AuditImmutableError):
        Audit.objects.filter(pk=audit.pk).update(decision="correct")
    with pytest.raises(AuditImmutableError):
        Audit.objects.all().delete()
    # bulk_update runs in an atomic block without a savepoint: give it one of its own.
    with pytest.raises(AuditImmutableError), transaction.atomic():
        Audit.objects.bulk_update([audit], ["decision"])
    with pytest.raises(AuditImmutableError):
        data.confident.audits.all().delete()

    stored = Audit.objects.get(pk=audit.pk)
    assert stored.decision == "incorrect"


def test_deleting_an_audited_verdict_or_its_trace_is_refused(annotator, data):
    audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")

    with pytest.raises(ProtectedError):
        data.confident.delete()
    with pytest.raises(ProtectedError):
        data.trace.delete()
    assert Audit.objects.count() == 1


def test_the_admin_can_neither_change_nor_delete_an_audit(admin_user, annotator, data):
    audit = audit_record(verdict=data.confident, annotator=annotator, decision="agree")
    request = RequestFactory().get("/admin/")
    request.user = admin_user
    model_admin = site._registry[Audit]

    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, audit)
    assert not model_admin.has_delete_permission(request, audit)


def test_nobody_else_may_audit_a_blind_item(annotator, second_annotator, third_annotator, data):
    audit_assign_double(verdicts=[data.confident], annotators=[annotator, second_annotator])

    with pytest.raises(AuditForbiddenError, match="blind"):
        audit_record(verdict=data.confident, annotator=third_annotator, decision="incorrect")
    assert not Audit.objects.exists()


def test_double_annotation_needs_two_different_annotators(annotator, viewer, data):
    with pytest.raises(AuditError, match="two different"):
        audit_assign_double(verdicts=[data.confident], annotators=[annotator, annotator])
    with pytest.raises(AuditForbiddenError):
        audit_assign_double(verdicts=[data.confident], annotators=[annotator, viewer])
    assert not AuditAssignment.objects.exists()


def test_an_item_one_of_the_two_already_audited_cannot_go_blind(annotator, second_annotator, data):
    audit_record(verdict=data.confident, annotator=annotator, decision="agree")

    with pytest.raises(AuditError, match="already audited"):
        audit_assign_double(verdicts=[data.confident], annotators=[annotator, second_annotator])


# --- the queue ------------------------------------------------------------------------------


def test_the_queue_serves_disagreements_then_low_confidence_then_a_sample(annotator, data):
    added = audit_queue_fill(annotator=annotator, size=3)

    assert [(a.verdict_id, a.kind) for a in added] == [
        (data.disagreement.pk, AssignmentKind.DISAGREEMENT),
        (data.low_confidence.pk, AssignmentKind.LOW_CONFIDENCE),
        (added[2].verdict_id, AssignmentKind.SAMPLE),
    ]
    sampled = Verdict.objects.get(pk=added[2].verdict_id)
    assert sampled.mode == "strict"
    assert sampled.verdict_confidence == 1.0
    assert [a.pk for a in audit_queue(annotator=annotator)] == [a.pk for a in added]


def test_a_fill_keeps_room_for_the_random_sample(annotator, data):
    # Two slots: one for the most doubtful, one kept for a confident sample.
    added = audit_queue_fill(annotator=annotator, size=2)
    assert [a.kind for a in added] == [AssignmentKind.DISAGREEMENT, AssignmentKind.SAMPLE]


def test_a_fill_never_repeats_an_item_given_or_audited(annotator, second_annotator, data):
    audit_record(verdict=data.disagreement, annotator=annotator, decision="agree")
    first = audit_queue_fill(annotator=annotator, size=2)
    second = audit_queue_fill(annotator=annotator, size=10)
    others = audit_queue_fill(annotator=second_annotator, size=10)

    given = [a.verdict_id for a in first + second + others]
    assert data.disagreement.pk not in given
    assert len(given) == len(set(given)) == 3  # four strict verdicts, one audited
    assert audit_queue_fill(annotator=annotator, size=5) == []


def test_the_sample_is_seeded(annotator, second_annotator):
    summary = suite_generate(count=2, seed=1)
    suite_baseline_traces(suite=Suite.objects.get(name=summary.suite_name))

    def sample(user, seed):
        picked = [a.verdict_id for a in audit_queue_fill(annotator=user, size=4, seed=seed)]
        AuditAssignment.objects.filter(annotator=user).delete()  # work items, not history
        return picked

    first = sample(annotator, seed=7)
    assert sample(second_annotator, seed=7) == first
    assert len(set(first)) == 4


def test_recording_completes_the_assignment_and_keeps_the_previous_decision(annotator, data):
    (assignment,) = audit_queue_fill(annotator=annotator, size=1)
    assert assignment.verdict_id == data.disagreement.pk  # strict said incorrect (hedging)

    first = audit_record(
        verdict=data.disagreement, annotator=annotator, decision="correct", reason="  fine  "
    )
    second = audit_record(verdict=data.disagreement, annotator=annotator, decision="agree")

    assert (first.previous_decision, first.reason) == ("incorrect", "fine")
    assert second.previous_decision == "correct"
    assignment.refresh_from_db()
    assert assignment.audit_id == first.pk
    assert assignment.completed_at is not None
    assert list(audit_queue(annotator=annotator)) == []
    # "agree" after an override: the verifier's decision is effective again.
    assert _effective(data.disagreement) == "incorrect"
    assert Audit.objects.filter(verdict=data.disagreement).count() == 2


def test_an_override_changes_the_effective_decision(annotator, data):
    audit_record(verdict=data.confident, annotator=annotator, decision="incorrect", reason="typo")
    assert _effective(data.confident) == "incorrect"


# --- blind double annotation ----------------------------------------------------------------


def test_blind_annotators_see_only_their_own_decision_until_both_decided(
    annotator, second_annotator, viewer, data
):
    assignments = audit_assign_double(
        verdicts=[data.confident], annotators=[annotator, second_annotator]
    )
    assert {(a.annotator_id, a.blind, a.kind) for a in assignments} == {
        (annotator.pk, True, AssignmentKind.DOUBLE),
        (second_annotator.pk, True, AssignmentKind.DOUBLE),
    }
    mine = audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")

    assert list(audit_list(user=annotator, verdict_id=data.confident.pk)) == [mine]
    assert list(audit_list(user=second_annotator, verdict_id=data.confident.pk)) == []
    assert list(audit_list(user=viewer, verdict_id=data.confident.pk)) == []
    assert audit_item(annotator=second_annotator).other_audits == []

    theirs = audit_record(verdict=data.confident, annotator=second_annotator, decision="agree")

    assert list(audit_list(user=viewer, verdict_id=data.confident.pk)) == [mine, theirs]
    assert list(audit_list(user=second_annotator, verdict_id=data.confident.pk)) == [mine, theirs]


def test_double_annotation_withdraws_a_third_annotators_open_assignment(
    annotator, second_annotator, third_annotator, data
):
    audit_queue_fill(annotator=third_annotator, size=1)  # the disagreement
    audit_assign_double(verdicts=[data.disagreement], annotators=[annotator, second_annotator])

    assert list(audit_queue(annotator=third_annotator)) == []


# --- the agreement report -------------------------------------------------------------------


def test_the_agreement_report_counts_verifier_and_annotator_agreement(
    annotator, second_annotator, viewer, data
):
    # Strict said: q01 incorrect, q03 correct, q04 correct.
    audit_record(verdict=data.disagreement, annotator=annotator, decision="correct")
    audit_record(verdict=data.disagreement, annotator=second_annotator, decision="correct")
    audit_record(verdict=data.confident, annotator=annotator, decision="agree")
    audit_record(verdict=data.confident, annotator=second_annotator, decision="incorrect")
    audit_record(verdict=data.low_confidence, annotator=annotator, decision="gold_wrong")

    report = agreement_report(user=viewer)

    assert (report.audits, report.audited_items, report.double_items) == (5, 3, 2)
    overall = report.overall
    # Latest human truth: q01 correct (verifier incorrect), q03 incorrect (verifier correct).
    assert overall.verifier.items == 2
    assert overall.verifier.matrix.cell("incorrect", "correct") == 1
    assert overall.verifier.matrix.cell("correct", "incorrect") == 1
    assert overall.verifier.observed == 0
    assert overall.accuracy.gold_wrong == 1
    assert (overall.accuracy.precision, overall.accuracy.recall) == (0.0, 0.0)
    # Annotators: agree on q01 (correct/correct), differ on q03 (correct vs incorrect).
    assert overall.annotators.items == 2
    assert overall.annotators.observed == 0.5
    assert {g.key for g in report.by_category} == {"conflict_resolution", "direct_extraction"}
    assert {g.key for g in report.by_match_type} == {"none", "exact", "contains"}
    assert agreement_report(user=viewer, mode="reference").audits == 0
