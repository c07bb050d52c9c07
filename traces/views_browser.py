"""The trace browser: one row per (trace, question) verdict in one verifier mode, with
filters, facet counts and keyset pages whose whole state is the URL's query string."""

from __future__ import annotations

import hashlib

from django.http import QueryDict
from django.shortcuts import render

from traces.forms import TraceRowFilterForm
from traces.selectors_browser import CursorError, trace_row_facets, trace_rows


def list_query(query: QueryDict, *, drop: tuple[str, ...] = ("cursor", "at")) -> str:
    """``query`` without the position parameters: the list's filters and sort."""
    kept = query.copy()
    for name in drop:
        kept.pop(name, None)
    return kept.urlencode()


def trace_row_list(request):
    form = TraceRowFilterForm(request.GET, user=request.user)
    filters, sort = form.filters(), form.sort_order()
    cursor_error = ""
    try:
        page = trace_rows(user=request.user, filters=filters, sort=sort, cursor=form.position())
    except CursorError as error:
        cursor_error = f"{error} Showing the first page."
        page = trace_rows(user=request.user, filters=filters, sort=sort)
    facets = trace_row_facets(user=request.user, filters=filters)
    # The filter form shows the query and the facet counts, nothing else (not the cursor).
    form_cache_key = hashlib.sha256(f"{facets.cache_key}?{list_query(request.GET)}".encode())
    form_cache_key = form_cache_key.hexdigest()
    form.add_facet_counts(facets)
    query = list_query(request.GET)
    return render(
        request,
        "traces/trace_rows.html",
        {
            "form": form,
            "filters": filters,
            "page": page,
            "facets": facets,
            "query": query,
            "cursor_error": cursor_error,
            "hops_params": list_query(request.GET, drop=("cursor", "at", "hops")),
            "form_cache_key": form_cache_key,
        },
    )
