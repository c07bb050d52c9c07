"""The hidden table: entities and their attribute values, drawn from a seeded RNG.

Every numeric attribute takes distinct values across entities (after rounding), so an
argmax or argmin always has one answer; every shared categorical value that is used at all
is used by at least two entities, so a filter never leaves a single row by construction.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from challenges.engine.spec import DomainLibrary, Numeric, Series

MIN_ENTITIES, MAX_ENTITIES = 8, 20


@dataclass(frozen=True)
class Entity:
    name: str
    slug: str
    numbers: dict[str, float]
    labels: dict[str, str]
    series: dict[str, tuple[float, ...]]


@dataclass(frozen=True)
class HiddenTable:
    library: DomainLibrary
    entities: tuple[Entity, ...]

    def entity(self, name: str) -> Entity:
        for entity in self.entities:
            if entity.name == name:
                return entity
        raise KeyError(name)


def slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", name).strip("_")


def draw_number(rng: random.Random, attribute: Numeric | Series) -> float:
    value = rng.uniform(attribute.low, attribute.high)
    return round(value, attribute.decimals)


def _distinct_numbers(rng: random.Random, attribute: Numeric, count: int) -> list[float]:
    values: list[float] = []
    seen: set[float] = set()
    for _ in range(count * 50):
        value = draw_number(rng, attribute)
        if value not in seen:
            seen.add(value)
            values.append(value)
            if len(values) == count:
                return values
    raise ValueError(f"{attribute.key}: range too narrow for {count} distinct values")


def _names(rng: random.Random, library: DomainLibrary, count: int) -> list[str]:
    names: list[str] = []
    prefixes = list(library.name_prefixes)
    rng.shuffle(prefixes)
    for prefix in prefixes:
        pattern = rng.choice(library.name_patterns)
        name = pattern.format(
            prefix=prefix, suffix=rng.choice(library.name_suffixes), n=rng.randint(2, 99)
        )
        # No name may sit inside another, or a reader could not tell them apart.
        if any(name in other or other in name for other in names):
            continue
        names.append(name)
        if len(names) == count:
            return names
    raise ValueError(f"{library.name}: not enough name parts for {count} entities")


def _shared_labels(rng: random.Random, values: tuple[str, ...], count: int) -> list[str]:
    """Each value that is used at all is used at least twice."""
    groups = min(len(values), max(2, count // 3))
    chosen = rng.sample(list(values), groups)
    labels = chosen * 2 + [rng.choice(chosen) for _ in range(count - 2 * groups)]
    rng.shuffle(labels)
    return labels


def _series(rng: random.Random, attribute: Series) -> tuple[float, ...]:
    """A bounded random walk, so consecutive periods look like one quantity over time."""
    span = attribute.high - attribute.low
    value = rng.uniform(attribute.low, attribute.high)
    points = []
    for _ in attribute.periods:
        points.append(round(value, attribute.decimals))
        value = min(attribute.high, max(attribute.low, value + rng.uniform(-0.2, 0.25) * span))
    return tuple(points)


def draw_table(rng: random.Random, library: DomainLibrary) -> HiddenTable:
    count = rng.randint(MIN_ENTITIES, MAX_ENTITIES)
    names = _names(rng, library, count)
    numbers = {a.key: _distinct_numbers(rng, a, count) for a in library.numeric}
    labels = {
        c.key: (
            rng.sample(list(c.values), count) if c.unique else _shared_labels(rng, c.values, count)
        )
        for c in library.categorical
    }
    entities = tuple(
        Entity(
            name=name,
            slug=slug(name),
            numbers={key: values[i] for key, values in numbers.items()},
            labels={key: values[i] for key, values in labels.items()},
            series={s.key: _series(rng, s) for s in library.series},
        )
        for i, name in enumerate(names)
    )
    return HiddenTable(library=library, entities=entities)
