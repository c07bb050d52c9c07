"""Audit pages: an annotator's queue with the current item and its decision buttons, and the
agreement report. Writes go through ``traces.services.audit``, reads through
``traces.selectors_audit``."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from dacr_site.decorators import role_required
from dacr_site.roles import Role
from traces import selectors_audit
from traces.models import AuditDecision, VerifierMode
from traces.services.audit import (
    QUEUE_FILL_MAX,
    AuditError,
    AuditForbiddenError,
    audit_queue_fill,
    audit_record,
)

QUEUE_SHOWN = 50
DEFAULT_FILL = 20
# The decision buttons in page order, with their keyboard shortcut.
DECISION_BUTTONS = [
    (AuditDecision.AGREE, "a", "Agree"),
    (AuditDecision.CORRECT, "c", "Override to correct"),
    (AuditDecision.INCORRECT, "i", "Override to incorrect"),
    (AuditDecision.GOLD_WRONG, "g", "Flag gold wrong"),
]


def _item_id(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None


@require_GET
@role_required(Role.ANNOTATOR)
def audit_queue(request):
    item = selectors_audit.audit_item(
        annotator=request.user, assignment_id=_item_id(request.GET.get("item"))
    )
    if item is None and request.GET.get("item"):
        item = selectors_audit.audit_item(annotator=request.user)
    return render(
        request,
        "traces/audit_queue.html",
        {
            "item": item,
            "queue": selectors_audit.audit_queue_rows(annotator=request.user)[:QUEUE_SHOWN],
            "summary": selectors_audit.audit_queue_summary(annotator=request.user),
            "buttons": DECISION_BUTTONS,
            "fill_default": DEFAULT_FILL,
            "fill_max": QUEUE_FILL_MAX,
        },
    )


@require_POST
@role_required(Role.ANNOTATOR)
def audit_fill(request):
    raw = request.POST.get("size", "")
    size = int(raw) if raw.isdigit() else -1
    try:
        added = audit_queue_fill(annotator=request.user, size=size)
    except AuditError as exc:
        messages.error(request, f"Queue not filled — {exc}.")
    else:
        if added:
            messages.success(request, f"Added {len(added)} item(s) to your queue.")
        else:
            messages.info(request, "Nothing left to add: every verdict is audited or assigned.")
    return redirect("audit:queue")


@require_POST
@role_required(Role.ANNOTATOR)
def audit_decide(request, verdict_id: int):
    verdict = selectors_audit.verdict_for_audit(user=request.user, verdict_id=verdict_id)
    if verdict is None:
        raise Http404("No such verdict.")
    try:
        audit_record(
            verdict=verdict,
            annotator=request.user,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        )
    except AuditForbiddenError as exc:
        raise PermissionDenied(str(exc)) from exc
    except AuditError as exc:
        messages.error(request, f"Not recorded — {exc}.")
        return redirect(f"{reverse('audit:queue')}?item={_item_id(request.POST.get('item')) or ''}")
    messages.success(request, f"Recorded your decision on verdict {verdict.pk}.")
    next_id = _item_id(request.POST.get("next"))
    return redirect(f"{reverse('audit:queue')}?item={next_id}" if next_id else "audit:queue")


@require_GET
@role_required(Role.VIEWER)
def audit_agreement(request):
    mode = request.GET.get("mode", VerifierMode.STRICT)
    if mode not in VerifierMode.values:
        mode = VerifierMode.STRICT
    report = selectors_audit.agreement_report(user=request.user, mode=mode)
    return render(
        request,
        "traces/audit_agreement.html",
        {"report": report, "modes": VerifierMode.choices},
    )
