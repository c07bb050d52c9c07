"""Trace pages: the list of traces with their scores in both modes, and one trace with its
answers, the gold and both verdicts per question. Reads go through ``traces.selectors``."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from dacr_site.decorators import role_required
from dacr_site.roles import Role
from traces import selectors

TRACES_PER_PAGE = 50


@require_GET
@role_required(Role.VIEWER)
def trace_list(request):
    filterset = selectors.trace_list_filter(user=request.user, data=request.GET)
    page = Paginator(filterset.qs, TRACES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "traces/trace_list.html",
        {"form": filterset.form, "filters": filterset.active_filters(), "page": page},
    )


@require_GET
@role_required(Role.VIEWER)
def trace_detail(request, trace_id: int):
    detail = selectors.trace_detail(user=request.user, trace_id=trace_id)
    if detail is None:
        raise Http404("No such trace.")
    return render(request, "traces/trace_detail.html", {"detail": detail, "trace": detail.trace})
