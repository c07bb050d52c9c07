"""Question builders that compare and filter: over table rows, or, in a paper without a
usable table, over text facts that share a unit.

Pure: no Django. Builders follow ``challenges.question_builders``'s contract: a ``Draft``,
``None`` when the paper cannot carry the skill, ``Redraw`` when this draw failed.
"""

from __future__ import annotations

from collections import defaultdict

from challenges.engine.forms import number_text
from challenges.facts import PaperFact, display, quantity_phrase
from challenges.paper_tables import table_groups
from challenges.paper_text import read_number
from challenges.question_phrasing import above, article, column_name, table_label
from challenges.questions import (
    Draft,
    PaperContext,
    Redraw,
    chain,
    compute,
    lookup,
    number_aliases,
    operand,
    unit_hint,
)

MIN_ROWS = 3


# --- comparative and conditional over table rows (or text facts sharing a unit) -------------


def comparative(ctx: PaperContext) -> Draft | None:
    columns = [c for c in usable_columns(ctx) if not table_groups(ctx.paper.tables[c[0]])]
    if not columns:
        return _text_comparative(ctx)
    _, column, cells = ctx.rng.choice(columns)
    direction = ctx.rng.choice(("max", "min"))
    winner = extreme(cells, direction)
    word = "highest" if direction == "max" else "lowest"
    where = table_label(ctx.paper, cells[0])
    text = f"In {where}, which entry has {_superlative(column, direction, cells)}?"
    steps = chain(*_compare_steps(cells, winner, word, column, where), answer=winner.entity)
    return Draft(
        text,
        winner.entity,
        entity_aliases(ctx, winner.entity),
        steps,
        2,
        tuple(c.fact_id for c in cells),
    )


def conditional(ctx: PaperContext) -> Draft | None:
    columns = usable_columns(ctx)
    grouped = [c for c in columns if table_groups(ctx.paper.tables[c[0]])]
    if grouped and ctx.rng.random() < 0.5:
        return _within_group(ctx, grouped)
    plain = [c for c in columns if c not in grouped and len(c[2]) >= MIN_ROWS + 1]
    if not plain:
        return _within_group(ctx, grouped) if grouped else _text_filtered_count(ctx)
    table, column, cells = ctx.rng.choice(plain)
    threshold, members = cut_between(ctx, cells)
    where = table_label(ctx.paper, cells[0])
    whole = all(isinstance(c.value, int) for c in cells)
    shown = grouped_like(threshold, cells)
    condition = above(column, shown, cells[0].unit, whole)
    others = [c for t, col, cs in columns if t == table and col != column for c in cs]
    if len(members) >= 2 and others and ctx.rng.random() < 0.5:
        target_column = ctx.rng.choice(sorted({c.attribute for c in others}))
        pool = [c for c in others if c.attribute == target_column and c.entity in members]
        if len(pool) != len(members):
            raise Redraw("a filtered entry lacks the compared value")
        direction = ctx.rng.choice(("max", "min"))
        winner = extreme(pool, direction)
        word = "highest" if direction == "max" else "lowest"
        superlative = _superlative(target_column, direction, pool)
        text = f"In {where}, among the entries with {condition}, which has {superlative}?"
        steps = chain(
            _read(cells, column, where),
            _filter_step(cells, threshold, members, column),
            *_compare_steps(pool, winner, word, target_column, where)[1:],
            answer=winner.entity,
        )
        return Draft(
            text,
            winner.entity,
            entity_aliases(ctx, winner.entity),
            steps,
            3,
            tuple(c.fact_id for c in cells + pool),
        )
    formula = " + ".join(f"({operand(c.value)} > {threshold})" for c in cells)
    gold = str(len(members))
    text = f"In {where}, how many entries have {condition}?"
    steps = chain(
        _read(cells, column, where),
        _filter_step(cells, threshold, members, column),
        compute(formula, gold),
        answer=gold,
    )
    return Draft(
        text, gold, number_aliases(gold), steps, 3, tuple(c.fact_id for c in cells), computed=True
    )


def _within_group(ctx: PaperContext, grouped: list) -> Draft:
    table, column, cells = ctx.rng.choice(grouped)
    groups = table_groups(ctx.paper.tables[table])
    by_group: dict[str, list[PaperFact]] = defaultdict(list)
    for cell in cells:
        by_group[groups.get(cell.entity, ("", ""))[0]].append(cell)
    choices = [(g, cs) for g, cs in by_group.items() if g and len(cs) >= 2]
    if not choices:
        raise Redraw("no group with two entries")
    group, members = ctx.rng.choice(choices)
    direction = ctx.rng.choice(("max", "min"))
    winner = extreme(members, direction)
    word = "highest" if direction == "max" else "lowest"
    where = table_label(ctx.paper, cells[0])
    gold = groups[winner.entity][1]
    superlative = _superlative(column, direction, members)
    text = f"In {where}, among the {group} entries, which has {superlative}?"
    names = [m.entity for m in members]
    keep = {
        "action": "filter",
        "attribute": "group",
        "equals": group,
        "result": names,
        "note": f"Keep the {group} entries: {', '.join(names)}.",
    }
    steps = chain(keep, *_compare_steps(members, winner, word, column, where), answer=gold)
    return Draft(text, gold, (winner.entity,), steps, 3, tuple(m.fact_id for m in members))


def _text_comparative(ctx: PaperContext) -> Draft | None:
    pairs = text_pairs(ctx)
    if not pairs:
        return None
    first, second = ctx.rng.choice(pairs)
    larger = first if first.value > second.value else second
    unit = first.unit if first.unit == second.unit else ""
    text = (
        f"Which is larger according to the paper, {quantity_phrase(first)} or "
        f"{quantity_phrase(second)}? Give the larger value{unit_hint(unit)}."
    )
    gold = larger.value_text
    note = f"{first.value_text} vs {second.value_text}: the larger is {gold}."
    compare = {"action": "compare", "operation": "max", "result": gold, "note": note}
    steps = chain(lookup(first), lookup(second), compare, answer=gold)
    return Draft(
        text, gold, number_aliases(gold, larger.unit), steps, 3, (first.fact_id, second.fact_id)
    )


def _text_filtered_count(ctx: PaperContext) -> Draft | None:
    by_unit: dict[str, list[PaperFact]] = defaultdict(list)
    for fact in ctx.of_kind("result"):
        if fact.unit:
            by_unit[fact.unit].append(fact)
    groups = [facts for facts in by_unit.values() if len({f.value for f in facts}) >= 3]
    if not groups:
        return None
    facts = ctx.rng.sample(ctx.rng.choice(groups), 3)
    threshold, members = cut_between(ctx, facts)
    names = [quantity_phrase(f) for f in facts]
    unit = facts[0].unit
    text = (
        f"Of {names[0]}, {names[1]} and {names[2]} as the paper states them, how many "
        f"exceed {threshold}{'%' if unit == '%' else ' ' + unit}?"
    )
    formula = " + ".join(f"({operand(f.value)} > {threshold})" for f in facts)
    gold = str(len(members))
    steps = chain(*(lookup(f) for f in facts), compute(formula, gold), answer=gold)
    return Draft(
        text, gold, number_aliases(gold), steps, 4, tuple(f.fact_id for f in facts), computed=True
    )


# --- shared with the other builders ---------------------------------------------------------


def usable_columns(ctx: PaperContext) -> list[tuple[int, str, list[PaperFact]]]:
    """(table, column, cells) for numeric table columns whose every cell can be asked about
    (none conflicted or ambiguous), with at least three entries."""
    askable = {f.fact_id for f in ctx.askable}
    by_column: dict[tuple[int, str], list[PaperFact]] = defaultdict(list)
    for fact in ctx.facts:
        if fact.kind == "table_cell":
            by_column[(fact.table, fact.attribute)].append(fact)
    return [
        (table, column, cells)
        for (table, column), cells in by_column.items()
        if len(cells) >= MIN_ROWS and all(c.fact_id in askable for c in cells)
    ]


def text_pairs(ctx: PaperContext, *, counts: bool = False) -> list[tuple[PaperFact, PaperFact]]:
    kinds = ("result", "count") if counts else ("result",)
    facts = [fact for fact in ctx.of_kind(*kinds) if not fact.symbol]
    pairs = []
    for i, first in enumerate(facts):
        for second in facts[i + 1 :]:
            same = (
                (first.unit and first.unit == second.unit)
                or (first.kind == second.kind == "count")
                or (first.unit == second.unit and _head(first) == _head(second))
            )
            if same and first.value != second.value:
                pairs.append((first, second))
    measured = [pair for pair in pairs if pair[0].kind == "result"]
    return measured or pairs


def _head(fact: PaperFact) -> str:
    """The metric's head noun: "instance-level temperature" and "cluster-level temperature"
    are comparable; a batch size and a learning rate are not."""
    return fact.attribute.split()[-1].lower() if fact.kind == "result" else fact.kind


def extreme(cells: list[PaperFact], direction: str) -> PaperFact:
    ordered = sorted(cells, key=lambda c: c.value, reverse=direction == "max")
    if len(ordered) > 1 and ordered[0].value == ordered[1].value:
        raise Redraw("tied extreme")
    return ordered[0]


def cut_between(ctx: PaperContext, cells: list[PaperFact]) -> tuple[str, list[str]]:
    """A cut between two neighbouring values, written with as few decimals as fit, and the
    entries above it."""
    values = sorted({c.value for c in cells})
    if len(values) < 3:
        raise Redraw("too few distinct values")
    cut = ctx.rng.randrange(1, len(values))
    low, high = values[cut - 1], values[cut]
    decimals = max(decimals_of(c) for c in cells)
    for places in range(decimals, decimals + 3):
        text = number_text((low + high) / 2, places, grouped=False)
        if low < float(text) < high:
            return text, [c.entity for c in cells if c.value > float(text)]
    raise Redraw("no threshold between neighbouring values")


def grouped_like(threshold: str, cells: list[PaperFact]) -> str:
    """The threshold with thousands separators when the column writes them."""
    if any("," in c.value_text for c in cells) and abs(float(threshold)) >= 1000:
        decimals = len(threshold.split(".")[1]) if "." in threshold else 0
        return f"{float(threshold):,.{decimals}f}"
    return threshold


def _read(cells: list[PaperFact], column: str, where: str) -> dict:
    return {
        "action": "lookup",
        "attribute": column,
        "note": f"Read the {column} of the {len(cells)} entries of {where}.",
    }


def _filter_step(cells, threshold: str, members: list[str], column: str) -> dict:
    return {
        "action": "filter",
        "attribute": column,
        "condition": f"> {threshold}",
        "result": members,
        "note": f"Keep the entries whose {column} is above {threshold}: "
        f"{', '.join(members) or 'none'}.",
    }


def _compare_steps(cells, winner, word: str, column: str, where: str) -> list[dict]:
    """Read the column, compare, and look up the winner's own row (so its citation can be
    checked like any lookup)."""
    listing = ", ".join(f"{c.entity} {c.value_text}" for c in cells)
    compare = {
        "action": "compare",
        "attribute": column,
        "operation": "argmax" if word == "highest" else "argmin",
        "result": winner.entity,
        "note": f"Compare {column}: {listing}; the {word} is {winner.entity}.",
    }
    return [_read(cells, column, where), compare, lookup(winner)]


def _superlative(column: str, direction: str, cells: list[PaperFact]) -> str:
    """ "the most samples", "the lowest attack rate"."""
    name = column_name(column)
    if (
        " " not in name
        and name.lower().endswith("s")
        and all(isinstance(c.value, int) for c in cells)
    ):
        return f"the {'most' if direction == 'max' else 'fewest'} {name.lower()}"
    return f"the {'highest' if direction == 'max' else 'lowest'} {name}"


def cell_thing(fact: PaperFact, who: str) -> str:
    from dataclasses import replace

    return quantity_phrase(replace(fact, entity=who))


def with_value(fact: PaperFact) -> str:
    """ "19,500 samples", "an NMI of 0.591"."""
    column = fact.attribute
    if " " not in column and column.lower().endswith("s") and isinstance(fact.value, int):
        return f"{fact.value_text} {column.lower()}"
    unit = "%" if fact.unit == "%" else ""
    return f"{article(column_name(column))} {column_name(column)} of {fact.value_text}{unit}"


def entity_aliases(ctx: PaperContext, label: str) -> tuple[str, ...]:
    shown = display(label)
    found = [shown]
    if shown in ctx.acronyms:
        found.append(ctx.acronyms[shown].value)
    return tuple(found)


def decimals_of(fact: PaperFact) -> int:
    number = read_number(fact.value_text)
    return number.decimals if number else 0
