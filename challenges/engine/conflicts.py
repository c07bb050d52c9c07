"""Planting conflicts: which facts are restated, with what wrong value and which cues.

A planted value is plausible (within 12–35% of the true one, inside the attribute's range
where it can be) and never confusable with the true one by a lenient grader: it differs by
more than 5%, and neither value's text contains the other's.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from challenges.engine import cues
from challenges.engine.forms import number_text
from challenges.engine.spec import DomainLibrary, Numeric
from challenges.engine.table import HiddenTable


@dataclass(frozen=True)
class ConflictPlan:
    conflict_id: str
    entity: str
    key: str
    authoritative_value: float
    conflicting_value: float
    subordinate_cue: str
    authoritative_cue: str
    subordinate_template: int
    authoritative_template: int
    subordinate_first: bool


def planted_value(rng: random.Random, attribute: Numeric, true_value: float) -> float:
    for _ in range(100):
        shift = rng.uniform(0.12, 0.35) * rng.choice((-1, 1))
        value = round(true_value * (1 + shift), attribute.decimals)
        if not attribute.low <= value <= attribute.high:
            value = round(true_value * (1 - shift), attribute.decimals)
        if _distinguishable(value, true_value, attribute.decimals):
            return value
    raise ValueError(f"no plausible planted value for {attribute.key}={true_value}")


def _distinguishable(value: float, true_value: float, decimals: int) -> bool:
    if value <= 0 or abs(value - true_value) <= 0.05 * abs(true_value):
        return False
    true_texts, planted_texts = _spellings(true_value, decimals), _spellings(value, decimals)
    return not any(a in b or b in a for a in planted_texts for b in true_texts)


def _spellings(value: float, decimals: int) -> set[str]:
    """Every way the value is written: in the document, and as JavaScript's ``String()``
    prints the exported JSON number (the public scorer compares those: 1.0 → "1")."""
    shortest = str(int(value)) if float(value).is_integer() else repr(float(value))
    return {number_text(value, decimals), number_text(value, decimals, grouped=False), shortest}


def _cue(rng: random.Random, preferred: tuple[str, ...], pool: tuple[cues.Cue, ...]) -> str:
    """Half the time a cue the domain prefers, else any cue of that authority."""
    if preferred and rng.random() < 0.5:
        return rng.choice(preferred)
    return rng.choice(pool).key


def _authoritative_template(rng: random.Random, key: str) -> int:
    """Half the time the template that names the lower-authority figure it replaces (the
    last one of each authoritative cue), so hedge words sit in true statements too."""
    count = len(cues.CUES[key].templates)
    return count - 1 if rng.random() < 0.5 else rng.randrange(count - 1)


def plan_conflicts(
    rng: random.Random,
    table: HiddenTable,
    narrative_keys: list[str],
    count: int,
) -> list[ConflictPlan]:
    """``count`` conflicts on distinct (entity, attribute) pairs of narrative attributes.

    The first conflict's order is a coin flip and the next ones alternate, so a suite's
    subordinate-first share stays close to one half."""
    library: DomainLibrary = table.library
    keys = rng.sample(narrative_keys, count)
    entities = rng.sample(list(table.entities), count)
    first = rng.random() < 0.5
    plans = []
    for index, (key, entity) in enumerate(zip(keys, entities, strict=True)):
        attribute = library.attribute(key)
        true_value = entity.numbers[key]
        sub_cue = _cue(rng, library.subordinate_cues, cues.SUBORDINATE_CUES)
        auth_cue = _cue(rng, library.authoritative_cues, cues.AUTHORITATIVE_CUES)
        plans.append(
            ConflictPlan(
                conflict_id=f"t{index:03d}",
                entity=entity.name,
                key=key,
                authoritative_value=true_value,
                conflicting_value=planted_value(rng, attribute, true_value),
                subordinate_cue=sub_cue,
                authoritative_cue=auth_cue,
                subordinate_template=rng.randrange(len(cues.CUES[sub_cue].templates)),
                authoritative_template=_authoritative_template(rng, auth_cue),
                subordinate_first=first if index % 2 == 0 else not first,
            )
        )
    return plans
