"""The trace list's table body, rendered in Python.

Fifty rows of eleven cells cost the template engine about 15 ms a page — a third of the
page's time on the benchmark's machine — so, as Django's admin does for its change list
(``items_for_result``), the rows are built with ``format_html``, which escapes every value.
Keep the markup in step with ``traces/_answer_text.html`` and ``traces/_decision.html``.
"""

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

register = template.Library()

_ROW = (
    '<tr class="row--{decision}">'
    '<th scope="row" class="nowrap"><a href="{href}">#{trace_id} · {question_id}</a></th>'
    '<td class="nowrap">{public_id} <span class="muted">v{version}</span></td>'
    '<td class="solver-name">{solver}</td>'
    '<td>{category} <span class="muted">· {hops} hop{plural} · {difficulty}</span></td>'
    '<td>{domain} <span class="muted">· {split}</span></td>'
    '<td class="answer-cell">{answer}</td>'
    '<td class="answer-cell gold">{gold}</td>'
    '<td class="nowrap">{badge}</td>'
    "<td>{match_type}</td>"
    "<td>{conflict}</td>"
    '<td class="num">{confidence}</td>'
    "</tr>\n"
)


def _answer(text) -> SafeString:
    if text is None:
        return mark_safe('<span class="muted">no answer</span>')
    if text == "":
        return mark_safe('<span class="muted">(empty)</span>')
    return format_html('<span class="model-answer">{}</span>', text)


def _badge(row) -> SafeString:
    correct = row.effective_decision == "correct"
    parts = [
        format_html(
            '<span class="verdict-badge verdict-badge--{}">{}</span>',
            row.effective_decision,
            "✓ Correct" if correct else "✗ Incorrect",
        )
    ]
    if row.effective_decision != row.decision:
        parts.append(
            format_html(
                ' <span class="audit-note">Overridden by an audit — the verifier said '
                "<strong>{}</strong></span>",
                row.get_decision_display().lower(),
            )
        )
    elif row.audit_count:
        parts.append(
            format_html(
                ' <span class="audit-note">Audited ({}); the verifier\'s decision stands</span>',
                row.audit_count,
            )
        )
    if row.gold_flagged:
        parts.append(mark_safe('<span class="badge badge--failure">gold flagged as wrong</span>'))
    return mark_safe("".join(parts))


def _cells(row, query: str) -> dict:
    question, trace = row.question, row.trace
    challenge = trace.challenge
    at = f"{query}&at={row.pk}" if query else f"at={row.pk}"
    return {
        "decision": row.effective_decision,
        "href": f"{reverse('traces:trace-detail', args=[row.trace_id])}?{at}"
        f"#question-{question.question_id}",
        "trace_id": row.trace_id,
        "question_id": question.question_id,
        "public_id": challenge.public_id,
        "version": challenge.version,
        "solver": trace.solver.name,
        "category": question.get_category_display(),
        "hops": question.hops,
        "plural": "" if question.hops == 1 else "s",
        "difficulty": question.difficulty,
        "domain": challenge.domain,
        "split": challenge.split,
        "answer": _answer(row.answer),
        "gold": Truncator(question.gold_answer).chars(80),
        "badge": _badge(row),
        "match_type": row.get_match_type_display(),
        "conflict": row.get_conflict_outcome_display()
        if row.conflict_outcome
        else mark_safe('<span class="muted">—</span>'),
        "confidence": floatformat(row.verdict_confidence, 2),
    }


@register.simple_tag
def verdict_rows(rows, query: str = "") -> SafeString:
    """One ``<tr>`` per verdict row of ``traces.selectors_browser.trace_rows``; each links to
    its trace, keeping the list's ``query`` (a query string) for the next/previous keys."""
    return mark_safe("".join(format_html(_ROW, **_cells(row, query)) for row in rows))
