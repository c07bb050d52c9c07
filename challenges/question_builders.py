"""Question builders for real papers, one per skill.

Each builder takes a ``PaperContext`` and returns a ``Draft``, ``None`` when the paper
cannot carry the skill at all, or raises ``Redraw`` when this draw failed (a tie, a zero
difference) and another may not. Table skills (comparative, conditional) fall back on text
facts that share a unit when the paper has no usable table.
"""

from __future__ import annotations

from collections.abc import Callable

from challenges.conflicts import PlantedConflict
from challenges.engine.forms import number_text
from challenges.facts import PaperFact, display, quantity_phrase, root_section
from challenges.paper_tables import table_groups
from challenges.question_phrasing import (
    ask,
    clause,
    count_verb,
    swap,
    table_label,
)
from challenges.question_tables import (
    cell_thing,
    comparative,
    conditional,
    decimals_of,
    entity_aliases,
    text_pairs,
    usable_columns,
    with_value,
)
from challenges.questions import (
    Draft,
    PaperContext,
    Redraw,
    chain,
    compute,
    lookup,
    number_aliases,
    operand,
    resolve,
    unit_hint,
)

_CONTENT = ("result", "count", "table_cell", "enumeration")


# --- direct extraction and conflicts --------------------------------------------------------


def direct(ctx: PaperContext) -> Draft | None:
    fresh = [a for a in ctx.acronyms.values() if a.fact_id not in ctx.asked]
    pool = ctx.of_kind(*_CONTENT, fresh=True) + fresh
    if not pool:
        pool = [
            f for f in ctx.of_kind("metadata", fresh=True) if f.attribute != "number of authors"
        ]
    if not pool:
        return None
    fact = pick(ctx, pool)
    text, gold, aliases = ask(ctx.paper, fact)
    return Draft(
        text,
        gold,
        _aliases(ctx, gold, aliases),
        chain(lookup(fact), answer=gold),
        1,
        (fact.fact_id,),
        target=fact.fact_id,
    )


def conflict(ctx: PaperContext, *, conflict: PlantedConflict) -> Draft | None:
    fact = ctx.by_id[conflict.fact_id]
    rename = None
    bridges = _renames(ctx, fact)
    if bridges and ctx.rng.random() < 0.4:
        acronym = ctx.rng.choice(bridges)
        rename = (acronym.entity, acronym.value)
    text, gold, aliases = ask(ctx.paper, fact, rename)
    steps = [lookup(ctx.acronyms[rename[0]])] if rename else []
    steps += [lookup(fact), resolve(fact, conflict)]
    used = tuple(s["factId"] for s in steps if "factId" in s)
    return Draft(
        text,
        gold,
        aliases,
        chain(*steps, answer=gold),
        len(steps),
        used,
        conflict_id=conflict.conflict_id,
        target=fact.fact_id,
    )


# --- multi-hop bridge -----------------------------------------------------------------------


def bridge(ctx: PaperContext) -> Draft | None:
    """Full name → acronym → a fact stated elsewhere under the acronym; else, in a table,
    the entry identified by one of its values → another of its values."""
    pairs = [
        (acronym, fact)
        for fact in ctx.of_kind("result", "count", "table_cell", fresh=True)
        for acronym in _renames(ctx, fact)
    ]
    if pairs:
        acronym, fact = ctx.rng.choice(pairs)
        text, gold, aliases = ask(ctx.paper, fact, (acronym.entity, acronym.value))
        steps = chain(lookup(acronym), lookup(fact), answer=gold)
        return Draft(
            text, gold, aliases, steps, 2, (acronym.fact_id, fact.fact_id), target=fact.fact_id
        )
    columns = usable_columns(ctx)
    if len({(table, column) for table, column, _ in columns}) < 2:
        return None
    table, via_column, via_cells = ctx.rng.choice(columns)
    values = [c.value for c in via_cells]
    via = ctx.rng.choice(via_cells)
    if values.count(via.value) > 1:
        raise Redraw("the identifying value is not unique")
    targets = [
        c
        for t, col, cells in columns
        if t == table and col != via_column
        for c in cells
        if c.entity == via.entity
    ]
    if not targets:
        raise Redraw("no other value in that row")
    target = ctx.rng.choice(targets)
    who = f"the entry with {with_value(via)}"
    text = f"In {table_label(ctx.paper, target)}, what is {cell_thing(target, who)}?"
    gold = target.value_text
    steps = chain(lookup(via), lookup(target), answer=gold)
    return Draft(
        text,
        gold,
        number_aliases(gold, target.unit),
        steps,
        2,
        (via.fact_id, target.fact_id),
        target=target.fact_id,
    )


def _renames(ctx: PaperContext, fact: PaperFact) -> list[PaperFact]:
    """Acronyms that name ``fact``'s entity or metric and whose full name the fact's own
    sentence does not spell out: asking with the full name needs the definition too."""
    named = f"{fact.entity} {fact.attribute}"
    verb = count_verb(fact) if fact.kind == "count" else None
    if verb:
        named = verb[0]
    elif fact.kind == "count":
        return []
    return [
        acronym
        for short, acronym in ctx.acronyms.items()
        if swap(named, (short, "\0")) != named and acronym.value.lower() not in fact.quote.lower()
    ]


# --- computation ----------------------------------------------------------------------------


def computation(ctx: PaperContext) -> Draft | None:
    """A difference or a ratio of two stated numbers, the formula recorded."""
    columns = usable_columns(ctx)
    pairs = text_pairs(ctx, counts=not columns)
    use_table = bool(columns) and (ctx.rng.random() < 0.6 or not pairs)
    if use_table:
        table, _, cells = ctx.rng.choice(columns)
        groups = table_groups(ctx.paper.tables[table])
        first = ctx.rng.choice(cells)
        home = groups.get(first.entity, ("", ""))[0]
        mates = [c for c in cells if c is not first and groups.get(c.entity, ("", ""))[0] == home]
        if not mates:
            raise Redraw("no other entry in the same group")
        second = ctx.rng.choice(mates)
    elif pairs:
        first, second = ctx.rng.choice(pairs)
    else:
        return None
    if first.value == second.value:
        raise Redraw("equal values")
    if first.value < second.value:
        first, second = second, first
    if use_table:
        where = f"In {table_label(ctx.paper, first)}, "
        names = (cell_thing(first, display(first.entity)), f"that of {display(second.entity)}")
    else:
        where, names = "", (quantity_phrase(first), quantity_phrase(second))
    unit = first.unit if first.unit == second.unit else ""
    if ctx.rng.random() < 0.6 or first.kind == "count":
        formula = f"{operand(first.value)} - {operand(second.value)}"
        decimals = max(decimals_of(first), decimals_of(second))
        result = number_text(first.value - second.value, decimals, grouped=False)
        text = f"{where}by how much does {names[0]} exceed {names[1]}{unit_hint(unit)}?"
    else:
        formula = f"{operand(first.value)} / {operand(second.value)}"
        result = number_text(first.value / second.value, 2, grouped=False)
        text = f"{where}what is the ratio of {names[0]} to {names[1]}, to two decimal places?"
        unit = ""
    text = text[:1].upper() + text[1:]
    steps = chain(lookup(first), lookup(second), compute(formula, result), answer=result)
    return Draft(
        text,
        result,
        number_aliases(result, unit),
        steps,
        3,
        (first.fact_id, second.fact_id),
        computed=True,
    )


# --- cross-section synthesis ----------------------------------------------------------------


def synthesis(ctx: PaperContext) -> Draft | None:
    """Two or three facts from different parts of the paper in one question: the paper's
    arXiv category and date with a figure from its results, or an acronym with a result."""
    meta = [f for f in ctx.of_kind("metadata") if f.attribute != "number of authors"]
    meta.sort(
        key=lambda f: (
            ("arXiv primary category", "submission date", "date", "title").index(f.attribute)
            if f.attribute in ("arXiv primary category", "submission date", "date", "title")
            else 9
        )
    )
    content = [f for f in ctx.of_kind("count", "result", "table_cell", fresh=True) if not f.symbol]
    if not content:
        return None
    pick = ctx.rng.choice(content)
    stamped = [m for m in meta if m.attribute != "title"]
    if stamped:
        parts = [*stamped[:2], pick]
    else:
        home = root_section(ctx.paper, pick.section)
        others = [
            fact
            for fact in [*ctx.acronyms.values(), *content, *meta]
            if root_section(ctx.paper, fact.section) != home and fact.fact_id != pick.fact_id
        ]
        if not others:
            return None
        parts = [ctx.rng.choice(others), pick]
    clauses = [
        clause(ctx.paper, f, subject="the paper" if i == 0 else "it") for i, f in enumerate(parts)
    ]
    first = clauses[0][:1].upper() + clauses[0][1:]
    text = (
        f"{first}, and {clauses[1]}?"
        if len(parts) == 2
        else (f"{first}, {clauses[1]}, and {clauses[2]}?")
    )
    golds = [ask(ctx.paper, f)[1] for f in parts]
    gold = "; ".join(golds)
    sections = sorted({ctx.paper.section_label(f.section) for f in parts})
    combine = {
        "action": "synthesize",
        "result": gold,
        "note": f"Combine what {', '.join(sections)} state.",
    }
    steps = chain(*(lookup(f) for f in parts), combine, answer=gold)
    aliases = (", ".join(golds), " and ".join(golds))
    return Draft(text, gold, aliases, steps, len(parts) + 1, tuple(f.fact_id for f in parts))


# --- shared helpers -------------------------------------------------------------------------


def pick(ctx: PaperContext, pool: list[PaperFact]) -> PaperFact:
    """A fact of a kind drawn first (so a big table does not crowd out the prose), worded
    quantities preferred to symbols."""
    worded = [fact for fact in pool if not fact.symbol]
    if worded and ctx.rng.random() < 0.85:
        pool = worded
    kind = ctx.rng.choice(sorted({fact.kind for fact in pool}))
    return ctx.rng.choice([fact for fact in pool if fact.kind == kind])


def _aliases(ctx: PaperContext, gold: str, aliases: tuple) -> tuple[str, ...]:
    return (*aliases, *(entity_aliases(ctx, gold)[1:] if gold in ctx.acronyms else ()))


BUILDERS: dict[str, Callable[..., Draft | None]] = {
    "direct_extraction": direct,
    "multi_hop_bridge": bridge,
    "comparative": comparative,
    "computation": computation,
    "conditional_filtered": conditional,
    "conflict_resolution": conflict,
    "cross_section_synthesis": synthesis,
}
