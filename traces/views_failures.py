"""The failure explorer: failures (effective decision incorrect) grouped four ways, each
cell linking to the trace list filtered to it, and two solvers compared on the same
questions. The page takes the trace list's filters, so "explore these failures" keeps the
scope a reader has set."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from dacr_site.decorators import role_required
from dacr_site.roles import Role
from traces.forms import TraceRowFilterForm
from traces.selectors_browser import COMPARE_CELLS
from traces.selectors_failures import failure_groups, solver_comparison
from traces.views_browser import list_query


@require_GET
@role_required(Role.VIEWER)
def failure_explorer(request):
    form = TraceRowFilterForm(request.GET, user=request.user)
    filters = form.filters()
    groups = failure_groups(user=request.user, filters=filters)
    comparison = None
    compare = filters.get("compare")
    if compare:
        comparison = solver_comparison(
            user=request.user, solver_a=compare[0], solver_b=compare[1], filters=filters
        )
    scope = list_query(request.GET, drop=("cursor", "at", "outcome", "cell", "compare"))
    return render(
        request,
        "traces/failure_explorer.html",
        {
            "form": form,
            "filters": filters,
            "groups": groups,
            "comparison": comparison,
            "compare_cells": COMPARE_CELLS,
            "scope": scope,
            "compare_param": ",".join(compare) if compare else "",
        },
    )
