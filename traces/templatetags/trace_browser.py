"""Template helpers of the trace browser: links to the trace list filtered to one cell."""

from django import template
from django.http import QueryDict
from django.urls import reverse

register = template.Library()


@register.simple_tag
def failures_url(scope: str, params: dict, **extra) -> str:
    """The trace list with the page's ``scope`` (a query string), a cell's ``params`` and
    ``extra``; the cell's params replace the scope's of the same name."""
    query = QueryDict(scope, mutable=True)
    for name, value in {**(params or {}), **extra}.items():
        query[name] = "" if value is None else str(value)
    return f"{reverse('traces:trace-list')}?{query.urlencode()}"


@register.filter
def rate_class(tally) -> str:
    if not tally.total:
        return ""
    return "rate-high" if tally.rate >= 0.5 else "rate-mid" if tally.rate >= 0.2 else "rate-low"


@register.filter
def lookup(mapping, key):
    return mapping.get(key) if mapping else None
