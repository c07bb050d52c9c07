"""Trace pages: the list (per question by default, per trace with ``per=trace``) and one trace
with its document highlighted, answers, the gold, both verdicts and audits per question, and
links to the previous and next failure of the list it was opened from. Reads go through
``traces.selectors*``."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dacr_site.decorators import role_required
from dacr_site.pagination import CappedPaginator
from dacr_site.roles import Role
from traces import selectors
from traces.forms import TraceRowFilterForm
from traces.selectors_browser import failure_neighbours, filtered_verdicts
from traces.selectors_detail import trace_audits, trace_document
from traces.views_browser import list_query, trace_row_list

TRACES_PER_PAGE = 50


@require_GET
@role_required(Role.VIEWER)
def trace_list(request):
    if request.GET.get("per") != "trace":
        return trace_row_list(request)
    filterset = selectors.trace_list_filter(user=request.user, data=request.GET)
    page = CappedPaginator(filterset.qs, TRACES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "traces/trace_list.html",
        {"form": filterset.form, "filters": filterset.active_filters(), "page": page},
    )


def _position(request, detail, form: TraceRowFilterForm):
    """The list row the reader stands on: ``at`` (a verdict id) when it names one of this
    trace's verdicts, else this trace's first question in the list's mode."""
    verdicts = filtered_verdicts(user=request.user, filters={"mode": form.filters().get("mode")})
    verdicts = verdicts.filter(trace=detail.trace).select_related("question")
    at = request.GET.get("at", "")
    if at.isdigit() and len(at) < 19:
        found = verdicts.filter(pk=int(at)).first()
        if found is not None:
            return found
    return verdicts.order_by("question__position").first()


@require_GET
@role_required(Role.VIEWER)
def trace_detail(request, trace_id: int):
    detail = selectors.trace_detail(user=request.user, trace_id=trace_id)
    if detail is None:
        raise Http404("No such trace.")
    form = TraceRowFilterForm(request.GET, user=request.user)
    at = _position(request, detail, form)
    neighbours = (
        failure_neighbours(user=request.user, filters=form.filters(), sort=form.sort_order(), at=at)
        if at is not None
        else None
    )
    audits = trace_audits(trace=detail.trace, user=request.user)
    for row in detail.questions:
        for verdict in (row.reference, row.strict):
            if verdict is not None:
                verdict.audit_history = audits.get(verdict.pk, [])
    return render(
        request,
        "traces/trace_detail.html",
        {
            "detail": detail,
            "trace": detail.trace,
            "document": trace_document(detail=detail),
            "neighbours": neighbours,
            "at": at,
            "query": list_query(request.GET),
        },
    )
