"""Question builders, one family per skill.

Each builder picks parameters from the hidden table (``BuildContext``), writes the question's
text and its program, and raises ``Unanswerable`` when the draw does not make a valid
question (the caller draws again). Gold answers never come from here: ``programs.evaluate``
computes them from the table.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from challenges.engine import forms
from challenges.engine.conflicts import ConflictPlan
from challenges.engine.programs import Unanswerable
from challenges.engine.render import Rendered
from challenges.engine.spec import Numeric
from challenges.engine.table import HiddenTable


@dataclass(frozen=True)
class Draft:
    text: str
    program: dict


@dataclass
class BuildContext:
    rng: random.Random
    table: HiddenTable
    rendered: Rendered
    view: object  # questions.TableView
    plans: list[ConflictPlan]
    conflict_queue: list[ConflictPlan]

    @property
    def library(self):
        return self.table.library

    def entity(self) -> str:
        return self.rng.choice(self.table.entities).name

    def numeric(self, *, table_only: bool = False) -> Numeric:
        pool = [
            a for a in self.library.numeric if not table_only or a.key in self.rendered.table_keys
        ]
        return self.rng.choice(pool)

    def unique(self):
        return self.rng.choice([c for c in self.library.categorical if c.unique])

    def shared(self):
        return self.rng.choice([c for c in self.library.categorical if not c.unique])

    def shared_value(self, key: str) -> str:
        return self.rng.choice([e.labels[key] for e in self.table.entities])

    def series(self):
        return self.rng.choice(self.library.series)

    def of(self, entity: str, key: str) -> str:
        return self.table.entity(entity).labels[key]


def _unit_hint(attribute) -> str:
    return f" (in {attribute.unit})" if attribute.unit and attribute.unit != "%" else ""


# --- builders: each returns a Draft or raises Unanswerable ------------------------------------


def _direct(ctx: BuildContext) -> Draft:
    entity, roll = ctx.entity(), ctx.rng.random()
    if roll < 0.55:
        attribute = ctx.numeric()
        if (entity, attribute.key) in {(p.entity, p.key) for p in ctx.plans}:
            raise Unanswerable("a conflicted fact belongs to conflict questions")
        text = f"What is the {attribute.label} of {entity}{_unit_hint(attribute)}?"
        return Draft(text, {"op": "lookup", "entity": entity, "key": attribute.key})
    if roll < 0.8:
        attribute = ctx.shared()
        return Draft(
            f"What is the {attribute.label} of {entity}?",
            {"op": "lookup", "entity": entity, "key": attribute.key},
        )
    series = ctx.series()
    period = ctx.rng.choice(series.periods)
    return Draft(
        f"What was the {series.label} of {entity} in {period}{_unit_hint(series)}?",
        {"op": "series_value", "entity": entity, "key": series.key, "period": period},
    )


def _bridge(ctx: BuildContext) -> Draft:
    unique, entity = ctx.unique(), ctx.entity()
    person = ctx.of(entity, unique.key)
    kind = ctx.library.entity_kind
    if ctx.rng.random() < 0.6:
        attribute = ctx.rng.choice([*ctx.library.numeric, ctx.shared()])
        text = (
            f"What is the {attribute.label} of the {kind} whose {unique.label} is "
            f"{person}{_unit_hint(attribute) if isinstance(attribute, Numeric) else ''}?"
        )
        program = {"op": "lookup_via", "via_key": unique.key, "via_value": person}
        return Draft(text, {**program, "key": attribute.key})
    shared, attribute = ctx.shared(), ctx.numeric()
    text = (
        f"Exactly one other {kind} has the same {shared.label} as the {kind} whose "
        f"{unique.label} is {person}. What is that {kind}'s {attribute.label}"
        f"{_unit_hint(attribute)}?"
    )
    program = {"op": "partner_lookup", "via_key": unique.key, "via_value": person}
    return Draft(text, {**program, "shared_key": shared.key, "key": attribute.key})


def _comparative(ctx: BuildContext) -> Draft:
    attribute, kind = ctx.numeric(), ctx.library.entity_kind
    direction = ctx.rng.choice(("max", "min"))
    word = "highest" if direction == "max" else "lowest"
    roll = ctx.rng.random()
    program = {"op": "extreme", "key": attribute.key, "direction": direction}
    if roll < 0.4:
        return Draft(f"Which {kind} has the {word} {attribute.label}?", program)
    if roll < 0.65:
        return Draft(
            f"Which {kind} has the second-{word} {attribute.label}?", {**program, "rank": 2}
        )
    unique = ctx.unique()
    entities = ctx.rng.sample(list(ctx.table.entities), 3)
    people = [e.labels[unique.key] for e in entities]
    text = (
        f"Of the {ctx.library.entity_plural} whose {unique.label} is {people[0]}, {people[1]} "
        f"or {people[2]}, which has the {word} {attribute.label}?"
    )
    return Draft(text, {**program, "among": people, "among_key": unique.key})


def _computation(ctx: BuildContext) -> Draft:
    roll = ctx.rng.random()
    if roll < 0.5:
        attribute = ctx.numeric()
        a, b = ctx.rng.sample(list(ctx.table.entities), 2)
        if a.numbers[attribute.key] < b.numbers[attribute.key]:
            a, b = b, a
        program = {"op": "difference", "key": attribute.key, "a": a.name, "b": b.name}
        if roll < 0.3:
            text = (
                f"By how much does the {attribute.label} of {a.name} exceed that of "
                f"{b.name}{_unit_hint(attribute)}?"
            )
            return Draft(text, program)
        text = (
            f"What is the ratio of the {attribute.label} of {a.name} to that of {b.name}, "
            "to two decimal places?"
        )
        return Draft(text, {**program, "op": "ratio"})
    series, entity = ctx.series(), ctx.entity()
    if roll < 0.75:
        start, end = sorted(ctx.rng.sample(range(len(series.periods)), 2))
        text = (
            f"By what percentage did the {series.label} of {entity} change from "
            f"{series.periods[start]} to {series.periods[end]}, to one decimal place?"
        )
        program = {"op": "pct_change", "entity": entity, "key": series.key}
        return Draft(text, {**program, "from": series.periods[start], "to": series.periods[end]})
    if roll < 0.9:
        text = (
            f"What was the mean {series.label} of {entity} over {series.periods[0]} to "
            f"{series.periods[-1]}, to two decimal places?"
        )
        return Draft(text, {"op": "series_mean", "entity": entity, "key": series.key})
    shared, attribute = ctx.shared(), ctx.numeric()
    value = ctx.shared_value(shared.key)
    text = (
        f"What is the combined {attribute.label} of all {ctx.library.entity_plural} whose "
        f"{shared.label} is {value}{_unit_hint(attribute)}?"
    )
    program = {"op": "filtered_total", "key": attribute.key}
    return Draft(text, {**program, "where": {"key": shared.key, "value": value}})


def _conditional(ctx: BuildContext) -> Draft:
    shared, attribute = ctx.shared(), ctx.numeric()
    value = ctx.shared_value(shared.key)
    where = {"key": shared.key, "value": value}
    plural = ctx.library.entity_plural
    if ctx.rng.random() < 0.55:
        direction = ctx.rng.choice(("max", "min"))
        word = "highest" if direction == "max" else "lowest"
        text = (
            f"Among {plural} whose {shared.label} is {value}, which has the {word} "
            f"{attribute.label}?"
        )
        program = {"op": "extreme", "key": attribute.key, "direction": direction}
        return Draft(text, {**program, "where": where})
    members = sorted(
        e.numbers[attribute.key] for e in ctx.table.entities if e.labels[shared.key] == value
    )
    cut = ctx.rng.randrange(1, len(members))
    low, high = members[cut - 1], members[cut]
    threshold = forms.number_text((low + high) / 2, attribute.decimals + 1, grouped=False)
    if not low < float(threshold) < high:
        raise Unanswerable("no threshold between neighbouring values")
    text = (
        f"How many {plural} whose {shared.label} is {value} have a {attribute.label} above "
        f"{forms.with_unit(threshold, attribute.unit)}?"
    )
    program = {"op": "filtered_count", "key": attribute.key, "threshold": threshold}
    return Draft(text, {**program, "where": where})


def _conflict(ctx: BuildContext) -> Draft:
    plan = ctx.conflict_queue[0]
    attribute = ctx.library.attribute(plan.key)
    if ctx.rng.random() < 0.5:
        text = f"What is the {attribute.label} of {plan.entity}{_unit_hint(attribute)}?"
        return Draft(text, {"op": "lookup", "entity": plan.entity, "key": plan.key})
    unique = ctx.unique()
    person = ctx.of(plan.entity, unique.key)
    text = (
        f"What is the {attribute.label} of the {ctx.library.entity_kind} whose {unique.label} "
        f"is {person}{_unit_hint(attribute)}?"
    )
    return Draft(
        text, {"op": "lookup_via", "via_key": unique.key, "via_value": person, "key": plan.key}
    )


def _synthesis(ctx: BuildContext) -> Draft:
    kind, plural = ctx.library.entity_kind, ctx.library.entity_plural
    roll = ctx.rng.random()
    if roll < 0.4:
        attribute, series = ctx.numeric(table_only=True), ctx.series()
        period = ctx.rng.choice(series.periods)
        direction = ctx.rng.choice(("max", "min"))
        word = "highest" if direction == "max" else "lowest"
        text = (
            f"For the {kind} with the {word} {attribute.label} in the results table, what was "
            f"its {series.label} in {period}{_unit_hint(series)}?"
        )
        program = {"op": "extreme", "key": attribute.key, "direction": direction}
        return Draft(text, {**program, "then": {"key": series.key, "period": period}})
    if roll < 0.7:
        first, second, shared = ctx.numeric(), ctx.numeric(), ctx.shared()
        if first.key == second.key:
            raise Unanswerable("the two steps need different attributes")
        d1, d2 = ctx.rng.choice(("max", "min")), ctx.rng.choice(("max", "min"))
        w1 = "highest" if d1 == "max" else "lowest"
        w2 = "highest" if d2 == "max" else "lowest"
        text = (
            f"Take the {kind} with the {w1} {first.label}. Among the {plural} that share its "
            f"{shared.label}, which has the {w2} {second.label}?"
        )
        program = {"op": "chain_extreme", "first_key": first.key, "first_direction": d1}
        return Draft(text, {**program, "link_key": shared.key, "key": second.key, "direction": d2})
    series, unique = ctx.series(), ctx.unique()
    period = ctx.rng.choice(series.periods)
    direction = ctx.rng.choice(("max", "min"))
    word = "highest" if direction == "max" else "lowest"
    text = (
        f"What is the {unique.label} of the {kind} whose {series.label} in {period} was the {word}?"
    )
    program = {"op": "extreme", "key": series.key, "direction": direction, "period": period}
    return Draft(text, {**program, "then": {"key": unique.key}})


BUILDERS: dict[str, Callable[[BuildContext], Draft]] = {
    "direct_extraction": _direct,
    "multi_hop_bridge": _bridge,
    "comparative": _comparative,
    "computation": _computation,
    "conditional_filtered": _conditional,
    "conflict_resolution": _conflict,
    "cross_section_synthesis": _synthesis,
}
