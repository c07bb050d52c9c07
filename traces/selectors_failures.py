"""Read queries of the failure explorer: failures (effective decision incorrect) grouped by
skill × domain, conflict outcome, parse format and match type, and two solvers compared on
the same questions.

The four groupings come from one grouped scan of the filtered verdicts of one mode; the
result is cached for ``FAILURE_CACHE_SECONDS`` under the filters, the user's visibility, the
newest verdict and audit ids and the verdicts' generation (as the trace list's facets are),
so a filter set is computed once however often it is opened, and again as soon as a trace,
verdict or audit arrives or a grading rewrites verdicts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count

from challenges.models import Category
from traces.models import ConflictOutcome, Decision
from traces.selectors_browser import (
    _facet_cache_key,
    compare_cells_from_rows,
    compare_rows,
    effective_decision_q,
    filtered_verdicts,
)

FAILURE_CACHE_SECONDS = 600
# Filters that would empty or contradict a failure grouping are not applied to it.
_IGNORED = ("outcome", "cursor", "cell")


@dataclass(frozen=True)
class Tally:
    """``failed`` of ``total`` rows; ``params`` are the list filters that select the cell."""

    label: str
    failed: int
    total: int
    params: dict

    @property
    def rate(self) -> float:
        return self.failed / self.total if self.total else 0.0


@dataclass
class FailureGroups:
    total: int = 0
    failed: int = 0
    domains: list[str] = field(default_factory=list)
    # skill → domain → Tally (missing: no rows)
    grid: dict[str, dict[str, Tally]] = field(default_factory=dict)
    skill_totals: list[Tally] = field(default_factory=list)
    conflict: list[Tally] = field(default_factory=list)
    parse_format: list[Tally] = field(default_factory=list)
    match_type: list[Tally] = field(default_factory=list)


def _base_filters(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if k not in _IGNORED}


_GROUP_BY = (
    "question__category",
    "trace__challenge__domain",
    "conflict_outcome",
    "trace__parse_format",
    "match_type",
)


def _rollup(rows) -> list[tuple]:
    """One grouped scan of ``rows``: (category, domain, conflict outcome, parse format, match
    type, total, failed) per combination — a few thousand at most, however many rows."""
    return list(
        rows.order_by()
        .values_list(*_GROUP_BY)
        .annotate(
            total=Count("id"),
            failed=Count("id", filter=effective_decision_q(Decision.INCORRECT)),
        )
        .values_list(*_GROUP_BY, "total", "failed")
    )


def _tallies(
    rollup: list[tuple], column: int, name: str, labels: dict | None = None, skip=()
) -> list[Tally]:
    """Tallies of one column of the rollup, most failures first."""
    sums: dict = {}
    for row in rollup:
        value = row[column]
        if value in skip:
            continue
        total, failed = sums.get(value, (0, 0))
        sums[value] = (total + row[-2], failed + row[-1])
    labels = labels or {}
    tallies = [
        Tally(
            label=labels.get(value, value or "(none)"),
            failed=failed,
            total=total,
            params={name: value},
        )
        for value, (total, failed) in sums.items()
    ]
    return sorted(tallies, key=lambda t: (-t.failed, str(t.params[name])))


def failure_groups(*, user, filters: dict) -> FailureGroups:
    """Failures among the rows ``filters`` select (without ``outcome``), grouped four ways
    from one grouped scan. Each Tally's ``params`` plus ``outcome=incorrect`` select its
    failures in the list."""
    filters = _base_filters(filters)
    key = "failure-groups:" + _facet_cache_key(user, filters)
    cached = cache.get(key)
    if cached is not None:
        return cached
    rollup = _rollup(filtered_verdicts(user=user, filters=filters))
    groups = FailureGroups()
    categories = dict(Category.choices)
    cells = _tallies(rollup, 0, "category", categories)
    grid: dict[tuple[str, str], tuple[int, int]] = {}
    for row in rollup:
        total, failed = grid.get((row[0], row[1]), (0, 0))
        grid[(row[0], row[1])] = (total + row[-2], failed + row[-1])
    for (skill, domain), (total, failed) in grid.items():
        groups.grid.setdefault(skill, {})[domain] = Tally(
            label=f"{categories.get(skill, skill)} · {domain}",
            failed=failed,
            total=total,
            params={"category": skill, "domain": domain},
        )
    groups.domains = sorted({domain for _, domain in grid})
    order = {value: n for n, value in enumerate(categories)}
    groups.skill_totals = sorted(cells, key=lambda t: order.get(t.params["category"], 99))
    groups.total = sum(t.total for t in cells)
    groups.failed = sum(t.failed for t in cells)
    outcomes = {k: v for k, v in ConflictOutcome.choices if k}
    groups.conflict = _tallies(rollup, 2, "conflict", outcomes, skip=("",))
    groups.parse_format = _tallies(rollup, 3, "parse_format")
    groups.match_type = _tallies(rollup, 4, "match_type")
    cache.set(key, groups, FAILURE_CACHE_SECONDS)
    return groups


@dataclass(frozen=True)
class Comparison:
    solver_a: str
    solver_b: str
    # cell name → number of questions; only questions both solvers answered are counted.
    cells: dict[str, int]
    only_one: int  # questions only one of the two answered

    @property
    def questions(self) -> int:
        return sum(self.cells.values())


def solver_comparison(*, user, solver_a: str, solver_b: str, filters: dict) -> Comparison:
    """Two solvers on the same questions, in the mode and scope ``filters`` set: per question
    a solver is right when any of its verdicts there is effectively correct (one trace per
    challenge is the usual case). Counts questions both answered, per cell."""
    filters = {k: v for k, v in _base_filters(filters).items() if k not in ("solver", "compare")}
    key = "failure-compare:" + _facet_cache_key(user, {**filters, "_ab": (solver_a, solver_b)})
    cached = cache.get(key)
    if cached is not None:
        return cached
    rows = compare_rows(filtered_verdicts(user=user, filters=filters), solver_a, solver_b)
    found = compare_cells_from_rows(rows, solver_a, solver_b)
    cells = {name: len(ids) for name, ids in found.cells.items()}
    only_one = found.only_one
    comparison = Comparison(solver_a, solver_b, cells, only_one)
    cache.set(key, comparison, FAILURE_CACHE_SECONDS)
    return comparison
