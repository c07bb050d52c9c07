"""A page-number paginator for big tables: it counts at most ``cap`` rows (a LIMIT-ed count,
never a full scan), so the first pages of a million-row list stay fast; beyond the cap the
page says "more than N" and the last page number is not known."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

DEFAULT_CAP = 10_000


class CappedPaginator(Paginator):
    def __init__(self, *args, cap: int = DEFAULT_CAP, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """Rows up to ``cap + 1``: ``cap + 1`` means "more than ``cap``"."""
        return self.object_list.order_by()[: self.cap + 1].count()

    @property
    def capped(self) -> bool:
        return self.count > self.cap
