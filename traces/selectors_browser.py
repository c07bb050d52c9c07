"""Read queries of the trace browser: one row per (trace, question) verdict in one verifier
mode, filtered, sorted and paged by keyset, with facet counts.

Scale (1,000,000 verdicts on PostgreSQL) shapes three choices:

- **Keyset pagination.** A page is "the rows after (sort value, id)" with ``LIMIT``; the
  position travels in an opaque cursor in the URL. No OFFSET and no COUNT(*) per page.
- **Flags as columns.** The effective decision, "audited" and "strict and reference
  disagree" are plain columns of the verdict (``override``, ``audited``, ``modes_disagree``,
  kept in step by ``Audit.save`` and grading), so every filter is an index condition; the
  rare ones have partial indexes that are read newest first.
- **Facet counts are bounded and cached** (see :func:`trace_row_facets`).

Only verdicts of the current verifier version are listed.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Max, Q, QuerySet

from challenges.selectors import challenge_visibility
from dacr_site.roles import Role, user_has_role
from traces.grading import VERIFIER_VERSION
from traces.models import Audit, Decision, Verdict, VerifierMode

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
# Facets are counted exactly when the filtered set has at most this many rows, else over
# the newest this-many rows of it (and marked approximate).
FACET_LIMIT = 10_000
FACET_CACHE_SECONDS = 600
# Bumped by grading whenever it rewrites verdicts in place (see verdicts_changed), so cached
# counts never outlive a re-grading; new verdicts and audits change the keys by themselves.
VERDICTS_GENERATION_KEY = "verdicts-generation"

SORTS = {
    # name: (field, ascending) — the id breaks ties in the same direction.
    "newest": ("id", False),
    "oldest": ("id", True),
    "least_confident": ("verdict_confidence", True),
}
SORT_LABELS = {
    "newest": "Newest first",
    "oldest": "Oldest first",
    "least_confident": "Least confident verdict first",
}
COMPARE_CELLS = {
    "both_right": "Both right",
    "only_a": "Only A right",
    "only_b": "Only B right",
    "both_wrong": "Both wrong",
}
# Filter name → the Verdict lookup it sets (plain equality).
FIELD_FILTERS = {
    "mode": "mode",
    "solver": "trace__solver__name",
    "run": "trace__eval_run_id",
    "challenge": "trace__challenge__public_id",
    "domain": "trace__challenge__domain",
    "split": "trace__challenge__split",
    "category": "question__category",
    "hops": "question__hops",
    "difficulty": "question__difficulty",
    "conflict": "conflict_outcome",
    "match_type": "match_type",
    "parse_format": "trace__parse_format",
}
# Facet name → the value it groups by: every plain filter but the mode (one mode a page), the
# challenge and the evaluation run (too many values to count).
FACET_FIELDS = {
    name: lookup
    for name, lookup in FIELD_FILTERS.items()
    if name not in ("mode", "challenge", "run")
}


class CursorError(ValueError):
    """A cursor that this code did not write (or wrote for another sort)."""


# --- effective decisions and the other set tests -------------------------------------------


def effective_decision_q(decision: str) -> Q:
    """Verdicts whose effective decision is ``decision``: the latest audit overrides to it, or
    the verifier decided it and no audit overrides (``Verdict.override``, kept in step by
    ``Audit.save``)."""
    return Q(override=decision) | Q(override="", decision=decision)


def audited_q() -> Q:
    return Q(audited=True)


def modes_disagree_q() -> Q:
    """The verifier's decision in the other mode (same trace, question and version) differs
    (``Verdict.modes_disagree``, set by grading). The verifiers' own decisions are compared:
    audits do not make the verifiers agree."""
    return Q(modes_disagree=True)


@dataclass(frozen=True)
class CompareCells:
    """Two solvers on the same questions: the question ids of each cell (questions both
    answered) and how many questions only one of them answered."""

    cells: dict[str, frozenset[int]]
    only_one: int


def compare_cells_from_rows(rows, solver_a: str, solver_b: str) -> CompareCells:
    """Cells from (question id, solver name, effectively right) rows: a solver is right on a
    question when any of its verdicts there is effectively correct."""
    right: dict[int, dict[str, bool]] = {}
    for question_id, solver, is_right in rows:
        held = right.setdefault(question_id, {})
        held[solver] = held.get(solver, False) or bool(is_right)
    cells: dict[str, set[int]] = {name: set() for name in COMPARE_CELLS}
    only_one = 0
    for question_id, held in right.items():
        if len(held) < 2:
            only_one += 1
            continue
        a, b = held[solver_a], held[solver_b]
        cell = "both_right" if a and b else "only_a" if a else "only_b" if b else "both_wrong"
        cells[cell].add(question_id)
    return CompareCells({name: frozenset(ids) for name, ids in cells.items()}, only_one)


def compare_rows(verdicts: QuerySet[Verdict], solver_a: str, solver_b: str):
    """(question id, solver name, effectively right) of both solvers' ``verdicts``, streamed."""
    rows = (
        verdicts.filter(trace__solver__name__in=[solver_a, solver_b])
        .order_by()
        .values_list("question_id", "trace__solver__name", "override", "decision")
        .iterator(chunk_size=5000)
    )
    return ((q, solver, (o or d) == Decision.CORRECT) for q, solver, o, d in rows)


def compare_cells(*, user, solver_a: str, solver_b: str, mode: str) -> CompareCells:
    """The two solvers' cells over every question ``user`` may read, in ``mode``; one pass
    over both solvers' verdicts, cached like the facets."""
    key = "compare-cells:" + _facet_cache_key(user, {"mode": mode, "_ab": [solver_a, solver_b]})
    cached = cache.get(key)
    if cached is not None:
        return cached
    verdicts = visible_verdicts(user=user).filter(verifier_version=VERIFIER_VERSION, mode=mode)
    found = compare_cells_from_rows(compare_rows(verdicts, solver_a, solver_b), solver_a, solver_b)
    cache.set(key, found, FACET_CACHE_SECONDS)
    return found


def filters_q(filters: dict) -> Q:
    """The Verdict filter for validated ``filters`` (see :class:`traces.forms.TraceRowFilterForm`;
    absent keys mean "any"). ``mode`` defaults to strict."""
    query = Q(verifier_version=VERIFIER_VERSION, mode=filters.get("mode") or VerifierMode.STRICT)
    for name, lookup in FIELD_FILTERS.items():
        if name != "mode" and filters.get(name) not in (None, ""):
            query &= Q(**{lookup: filters[name]})
    if filters.get("suite"):
        query &= Q(trace__challenge__memberships__suite_id=filters["suite"])
    query &= _confidence_q(filters.get("confidence_min"), filters.get("confidence_max"))
    if filters.get("outcome"):
        query &= effective_decision_q(filters["outcome"])
    if filters.get("audited"):
        query &= audited_q() if filters["audited"] == "yes" else ~audited_q()
    if filters.get("disagree"):
        query &= modes_disagree_q() if filters["disagree"] == "yes" else ~modes_disagree_q()
    if filters.get("compare"):
        query &= Q(trace__solver__name__in=list(filters["compare"]))
    return query


def _confidence_q(low: float | None, high: float | None) -> Q:
    """The model's stated confidence in [low, high) — [low, 1] when high is 1, as the run
    page's confidence bins count it."""
    query = Q()
    if low is not None:
        query &= Q(confidence__gte=low)
    if high is not None:
        query &= Q(confidence__lte=high) if high >= 1 else Q(confidence__lt=high)
    return query


def _mode(filters: dict) -> str:
    return filters.get("mode") or VerifierMode.STRICT


def visible_verdicts(*, user) -> QuerySet[Verdict]:
    return Verdict.objects.filter(challenge_visibility(user=user, via="trace__challenge__"))


def filtered_verdicts(*, user, filters: dict) -> QuerySet[Verdict]:
    """The verdicts ``user`` may read that match ``filters`` (unordered, unannotated). A
    comparison cell (``compare`` and ``cell``) keeps both solvers' verdicts on that cell's
    questions (see :func:`compare_cells`)."""
    verdicts = visible_verdicts(user=user).filter(filters_q(filters))
    compare = filters.get("compare")
    if compare and filters.get("cell"):
        found = compare_cells(
            user=user, solver_a=compare[0], solver_b=compare[1], mode=_mode(filters)
        )
        verdicts = verdicts.filter(question_id__in=sorted(found.cells[filters["cell"]]))
    return verdicts


# --- cursors ----------------------------------------------------------------------------


def cursor_encode(sort: str, direction: str, value, row_id: int) -> str:
    raw = json.dumps([sort, direction, value, row_id], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str, *, sort: str) -> tuple[str, object, int]:
    """(direction, sort value, id) of a cursor written for ``sort``; CursorError otherwise."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        name, direction, value, row_id = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, TypeError, binascii.Error) as error:
        raise CursorError("The cursor is not one this page wrote.") from error
    if name != sort:
        raise CursorError("The cursor belongs to another sort order.")
    if direction not in ("next", "prev") or type(row_id) is not int:
        raise CursorError("The cursor is not one this page wrote.")
    field_name = SORTS[sort][0]
    if field_name == "id":
        value = row_id
    elif type(value) not in (int, float):
        raise CursorError("The cursor is not one this page wrote.")
    return direction, value, row_id


def _after(sort: str, value, row_id: int, *, forward: bool) -> Q:
    """Rows after (``forward``) or before the position (value, id) in ``sort`` order."""
    field_name, ascending = SORTS[sort]
    later = "gt" if ascending == forward else "lt"
    if field_name == "id":
        return Q(**{f"id__{later}": row_id})
    return Q(**{f"{field_name}__{later}": value}) | Q(**{field_name: value, f"id__{later}": row_id})


def _ordering(sort: str, *, forward: bool) -> list[str]:
    field_name, ascending = SORTS[sort]
    sign = "" if ascending == forward else "-"
    fields = [field_name] if field_name == "id" else [field_name, "id"]
    return [f"{sign}{name}" for name in fields]


# --- the rows ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RowPage:
    rows: list[Verdict]
    next_cursor: str | None
    prev_cursor: str | None


def _for_display(queryset: QuerySet[Verdict]) -> QuerySet[Verdict]:
    from traces.selectors import verdicts_with_effective_decision

    return (
        verdicts_with_effective_decision(queryset)
        .select_related("question", "trace__solver", "trace__challenge")
        .only(
            *(
                f"{name}"
                for name in (
                    "id",
                    "trace_id",
                    "question_id",
                    "mode",
                    "verifier_version",
                    "answer",
                    "confidence",
                    "match_type",
                    "decision",
                    "conflict_outcome",
                    "verdict_confidence",
                    "reason",
                    "question__question_id",
                    "question__text",
                    "question__category",
                    "question__hops",
                    "question__difficulty",
                    "question__gold_answer",
                    "trace__parse_format",
                    "trace__created_at",
                    "trace__solver__name",
                    "trace__challenge__public_id",
                    "trace__challenge__version",
                    "trace__challenge__domain",
                    "trace__challenge__split",
                )
            )
        )
    )


def _position(row: Verdict, sort: str):
    return getattr(row, SORTS[sort][0])


def trace_rows(
    *, user, filters: dict, sort: str = "newest", cursor: str = "", limit: int = PAGE_SIZE
) -> RowPage:
    """One page of the verdict rows ``user`` may read matching ``filters``, in ``sort``
    order, starting after (or, for a "prev" cursor, ending before) ``cursor``. Each row
    carries the annotations of ``verdicts_with_effective_decision`` and its question, trace,
    solver and challenge. Raises CursorError for a cursor this code did not write."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    queryset = filtered_verdicts(user=user, filters=filters)
    forward = True
    if cursor:
        direction, value, row_id = cursor_decode(cursor, sort=sort)
        forward = direction == "next"
        queryset = queryset.filter(_after(sort, value, row_id, forward=forward))
    rows = list(_for_display(queryset).order_by(*_ordering(sort, forward=forward))[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    if not forward:
        rows.reverse()
    if not rows:
        return RowPage(rows, None, None)
    first, last = rows[0], rows[-1]
    has_next = more if forward else True
    has_prev = bool(cursor) if forward else more
    return RowPage(
        rows,
        cursor_encode(sort, "next", _position(last, sort), last.pk) if has_next else None,
        cursor_encode(sort, "prev", _position(first, sort), first.pk) if has_prev else None,
    )


@dataclass(frozen=True)
class FailureNeighbours:
    previous: Verdict | None
    next: Verdict | None


def failure_neighbours(*, user, filters: dict, sort: str, at: Verdict) -> FailureNeighbours:
    """The failures (effectively incorrect rows) just before and after ``at`` in the list
    ``filters`` and ``sort`` describe (``at`` need not be in that list)."""
    failures = filtered_verdicts(user=user, filters=filters).filter(
        effective_decision_q(Decision.INCORRECT)
    )
    value = _position(at, sort)
    found = {}
    for forward in (True, False):
        found[forward] = (
            failures.filter(_after(sort, value, at.pk, forward=forward))
            .select_related("question")
            .only("id", "trace_id", "question__question_id")
            .order_by(*_ordering(sort, forward=forward))
            .first()
        )
    return FailureNeighbours(previous=found[False], next=found[True])


# --- facets -----------------------------------------------------------------------------


@dataclass
class Facets:
    """Counts per value of each facet over the filtered rows (or, when ``approximate``, over
    the newest ``FACET_LIMIT`` of them). ``total`` is exact up to FACET_LIMIT."""

    total: int
    approximate: bool
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # The cache key the counts are stored under: it changes with the filters, the reader's
    # visibility and the data, so pages can key fragments that show the counts on it.
    cache_key: str = ""


def _facet_cache_key(user, filters: dict) -> str:
    """Filters, what the user can see, the newest verdict and audit and the verdicts'
    generation: a new audit, a new import or a re-grading in place is seen at once."""
    marks = (
        Verdict.objects.aggregate(m=Max("id"))["m"],
        Audit.objects.aggregate(m=Max("id"))["m"],
        cache.get(VERDICTS_GENERATION_KEY, 0),
    )
    level = (
        "annotator"
        if user_has_role(user, Role.ANNOTATOR)
        else ("viewer" if user_has_role(user, Role.VIEWER) else "none")
    )
    state = json.dumps([sorted(filters.items()), level, marks, VERIFIER_VERSION], default=str)
    return "trace-facets:" + hashlib.sha256(state.encode()).hexdigest()


def verdicts_changed() -> None:
    """Tell the cached counts that verdicts were rewritten in place (grading calls it)."""
    if not cache.add(VERDICTS_GENERATION_KEY, 1, timeout=None):
        try:
            cache.incr(VERDICTS_GENERATION_KEY)
        except ValueError:  # evicted between add and incr
            cache.set(VERDICTS_GENERATION_KEY, 1, timeout=None)


def trace_row_facets(*, user, filters: dict) -> Facets:
    """Facet counts for the rows matching ``filters``.

    Strategy: one query reads the facet values of the newest ``FACET_LIMIT + 1`` matching
    rows (a LIMIT-ed read, never a full scan). When the set is that small the facets are
    exact; otherwise they are counted over the newest FACET_LIMIT and marked approximate.
    Either way the result is cached for ``FACET_CACHE_SECONDS`` under the filters, the
    user's visibility and the newest verdict and audit ids, so paging through a list counts
    once."""
    key = _facet_cache_key(user, filters)
    cached = cache.get(key)
    if cached is not None:
        return cached
    matching = filtered_verdicts(user=user, filters=filters)
    lookups = list(FACET_FIELDS.values())
    # One query: the newest FACET_LIMIT + 1 matching rows with every facet's value, counted
    # here. The extra row only says whether there are more.
    rows = list(
        matching.order_by("-id").values_list(
            *lookups, "override", "decision", "audited", "modes_disagree"
        )[: FACET_LIMIT + 1]
    )
    approximate = len(rows) > FACET_LIMIT
    rows = rows[:FACET_LIMIT]
    facets = Facets(total=len(rows), approximate=approximate, cache_key=key)
    for index, name in enumerate(FACET_FIELDS):
        counts = Counter(str(row[index]) for row in rows)
        facets.counts[name] = dict(counts.most_common())
    flags = len(lookups)
    incorrect = sum(1 for row in rows if (row[flags] or row[flags + 1]) == Decision.INCORRECT)
    audited = sum(1 for row in rows if row[flags + 2])
    disagree = sum(1 for row in rows if row[flags + 3])
    facets.counts["outcome"] = {
        Decision.INCORRECT.value: incorrect,
        Decision.CORRECT.value: len(rows) - incorrect,
    }
    facets.counts["audited"] = {"yes": audited, "no": len(rows) - audited}
    facets.counts["disagree"] = {"yes": disagree, "no": len(rows) - disagree}
    cache.set(key, facets, FACET_CACHE_SECONDS)
    return facets
