"""The verdict columns the trace browser filters on — ``override``, ``audited`` and
``modes_disagree`` — recomputed from the audits and the verdicts themselves.

``Audit.save()`` keeps ``override`` and ``audited`` in step as audits arrive and grading
sets ``modes_disagree`` as it writes verdicts; this module recomputes all three for any set of
verdicts: after a grading that wrote one mode only, and in the migration that added them.
It takes the model classes from the queryset so the migration can pass its historical ones.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

# A constant only (not a model): the migration that calls this module may import it.
from traces.models import OVERRIDING_DECISIONS


def verdicts_disagreement_refresh(verdicts: QuerySet) -> int:
    """Set ``modes_disagree`` on ``verdicts``: the verifier's decision in the other mode
    (same trace, question and verifier version) differs. Returns the rows updated."""
    model = verdicts.model
    other = (
        model.objects.filter(
            trace_id=OuterRef("trace_id"),
            question_id=OuterRef("question_id"),
            verifier_version=OuterRef("verifier_version"),
        )
        .exclude(mode=OuterRef("mode"))
        .exclude(decision=OuterRef("decision"))
    )
    return verdicts.update(modes_disagree=Exists(other))


def verdicts_audit_flags_refresh(verdicts: QuerySet, *, audit_model) -> int:
    """Set ``audited`` and ``override`` on ``verdicts`` from their latest audits (by
    creation time, then id). Returns how many of them have audits."""
    audits = audit_model.objects.filter(verdict_id=OuterRef("pk"))
    latest = audits.order_by("-created_at", "-id").values("decision")[:1]
    verdicts.filter(audited=True).exclude(Exists(audits)).update(audited=False, override="")
    audited = list(
        verdicts.filter(Exists(audits))
        .annotate(latest=Subquery(latest))
        .values_list("pk", "latest")
    )
    by_override: dict[str, list[int]] = {}
    for pk, decision in audited:
        by_override.setdefault(decision if decision in OVERRIDING_DECISIONS else "", []).append(pk)
    model = verdicts.model
    for override, pks in by_override.items():
        for start in range(0, len(pks), 5000):
            model.objects.filter(pk__in=pks[start : start + 5000]).update(
                audited=True, override=override
            )
    return len(audited)
