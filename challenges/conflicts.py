"""Planting conflicts in a real paper: a fact restated elsewhere with a plausible wrong value.

Pure: no Django, no PyMuPDF. Each conflict is one new sentence appended to a paragraph of a
different top-level section than the fact's own statement. It carries a lower-authority cue
from the engine's vocabulary (``challenges.engine.cues.SUBORDINATE_CUES``), worded for a
paper; the paper's own statement stays the authoritative one. The wrong value is written
the way the paper writes the true one (decimals, separators, number words), is 8–35% off
(whole numbers under 20, such as most counts: 1–3 off), and neither value's spelling, including
JavaScript's ``String()`` of the exported number, contains the other's. The first
conflict's side (before or after the authoritative statement) is a coin flip and the next
ones alternate, so the position does not tell which statement is which.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace
from typing import Any

from challenges.engine import cues
from challenges.facts import (
    PaperFact,
    PaperTooThin,
    QuantityIndex,
    competing,
    quantity_phrase,
    restates,
    root_section,
    skipped,
)
from challenges.paper import Block, ParsedPaper
from challenges.paper_text import NumberText, distinguishable, json_value, read_number, write_like

PAPER_STATEMENT = "paper's own statement"
CONFLICT_KINDS = ("result", "count", "table_cell")
MIN_HOST_WORDS = 20

# Sentences in each subordinate cue's spirit, for a paper: (a measured quantity, a count).
# {thing} names the quantity ("the NMI of CC on the CIFAR-10 dataset"), {value} is the
# wrong value with its unit, {number} {items} a wrong count ("eight challenging datasets").
PAPER_TEMPLATES: dict[str, tuple[str, str]] = {
    "preliminary_estimate": (
        "A preliminary estimate put {thing} at {value}.",
        "A preliminary tally put the number of {items} at {number}.",
    ),
    "early_projection": (
        "An early projection had {thing} at {value}.",
        "Early projections for this study planned {number} {items}.",
    ),
    "pilot_phase": (
        "In a pilot run of this study, {thing} was logged as {value}.",
        "The pilot phase of this work used {number} {items}.",
    ),
    "preregistration_target": (
        "The pre-registration target for {thing} was {value}.",
        "The pre-registered protocol specified {number} {items}.",
    ),
    "superseded_version": (
        "A superseded version of this manuscript gave {thing} as {value}.",
        "A superseded version of this manuscript listed {number} {items}.",
    ),
    "extrapolation": (
        "Extrapolating from the first runs, {thing} would be {value}.",
        "",
    ),
    "interim_readout": (
        "An interim readout showed {thing} at {value}.",
        "An interim readout counted {number} {items}.",
    ),
    "draft_memo": (
        "An internal draft memo quoted {thing} as {value}.",
        "An internal draft memo listed {number} {items}.",
    ),
    "rough_estimate": (
        "A back-of-the-envelope estimate put {thing} at about {value}.",
        "A rough early estimate put the number of {items} at about {number}.",
    ),
    "press_release": (
        "A press release about this work stated {thing} as {value}.",
        "A press release about this work mentioned {number} {items}.",
    ),
    "simulation_only": (
        "A simulation run before the main experiments predicted {thing} to be {value}.",
        "",
    ),
    "conference_talk": (
        "An earlier conference talk on this work quoted {thing} as {value}.",
        "An earlier conference talk on this work mentioned {number} {items}.",
    ),
}


@dataclass(frozen=True)
class PlantedConflict:
    """One planted conflict. ``conflicting_text`` is the wrong value as the sentence writes
    it; ``position`` says whether the subordinate sentence comes before or after the
    authoritative statement."""

    conflict_id: str
    fact_id: str
    authoritative_value: Any
    conflicting_value: int | float
    conflicting_text: str
    subordinate_text: str
    block: int
    section: int | None
    position: str
    subordinate_cue: str
    authoritative_cue: str
    authoritative_quote: str


def plant_conflicts(
    paper: ParsedPaper, facts: tuple[PaperFact, ...], *, rng: random.Random, count: int
) -> tuple[ParsedPaper, tuple[PlantedConflict, ...]]:
    """``paper`` with ``count`` (1–3) planted sentences, and what was planted. Fewer are
    planted when the paper has fewer suitable facts; none raises ``PaperTooThin``."""
    if not 1 <= count <= 3:
        raise ValueError(f"count must be 1 to 3, not {count}")
    index = QuantityIndex(facts)
    candidates = [fact for fact in facts if plantable(paper, fact, index)]
    if not candidates:
        raise PaperTooThin("the paper states no unambiguous number a conflict could restate")
    blocks = list(paper.blocks)
    planted: list[PlantedConflict] = []
    used_blocks: set[int] = set()
    first_before = rng.random() < 0.5
    for index in range(count):
        wanted = "before" if first_before == (index % 2 == 0) else "after"
        choice = _choose(paper, candidates, planted, used_blocks, wanted, rng)
        if choice is None:
            break
        fact, host, position = choice
        conflict = _plant(rng, fact, host, position, f"t{index:03d}")
        if conflict is None:
            candidates.remove(fact)
            continue
        blocks[host.index] = replace(host, text=f"{host.text.rstrip()} {conflict.subordinate_text}")
        used_blocks.add(host.index)
        planted.append(conflict)
    if not planted:
        raise PaperTooThin("no paragraph in another section can carry a planted conflict")
    return replace(paper, blocks=tuple(blocks)), tuple(planted)


def plantable(paper: ParsedPaper, fact: PaperFact, facts: QuantityIndex | tuple) -> bool:
    """A numeric fact stated once (or always with the same value), outside skipped parts."""
    if fact.kind not in CONFLICT_KINDS or not fact.is_numeric or fact.section is None:
        return False
    if not fact.substantial:
        return False
    if skipped(paper, paper.blocks[fact.block]) or read_number(fact.value_text) is None:
        return False
    return not competing(fact, facts)


def hosts(paper: ParsedPaper, fact: PaperFact, position: str) -> list[Block]:
    """Paragraphs that can take a sentence restating ``fact`` on the ``position`` side of
    its statement: in another top-level section, ending a sentence, long enough."""
    own = root_section(paper, fact.section)
    found = []
    for block in paper.blocks:
        if block.kind != "paragraph" or block.section is None or skipped(paper, block):
            continue
        if root_section(paper, block.section) == own or _is_abstract(paper, block.section):
            continue
        if (block.index < fact.block) != (position == "before"):
            continue
        text = block.text.rstrip()
        if len(text.split()) >= MIN_HOST_WORDS and text.endswith(".") and _ends_cleanly(text):
            found.append(block)
    return found


def _choose(paper, candidates, planted, used_blocks, wanted, rng):
    taken = [fact for fact in candidates if fact.fact_id in {c.fact_id for c in planted}]
    for position in (wanted, "after" if wanted == "before" else "before"):
        options = []
        for fact in candidates:
            if fact in taken or any(restates(fact, other) for other in taken):
                continue  # one conflict per quantity, however many ways it is written
            free = [b for b in hosts(paper, fact, position) if b.index not in used_blocks]
            if free:
                options.append((fact, free))
        if options:
            worded = [option for option in options if not option[0].symbol]
            if worded and rng.random() < 0.85:
                options = worded
            kind = rng.choice(sorted({fact.kind for fact, _ in options}))
            fact, free = rng.choice([option for option in options if option[0].kind == kind])
            return fact, rng.choice(free), position
    return None


def _plant(rng: random.Random, fact: PaperFact, host: Block, position: str, conflict_id: str):
    number = read_number(fact.value_text)
    wrong = planted_value(rng, fact, number)
    if wrong is None:
        return None
    text = write_like(wrong, number)
    written = read_number(text) or number
    keys = [
        cue.key
        for cue in cues.SUBORDINATE_CUES
        if cue.key in PAPER_TEMPLATES and (fact.kind != "count" or PAPER_TEMPLATES[cue.key][1])
    ]
    cue = rng.choice(keys)
    sentence = _sentence(cue, fact, text)
    return PlantedConflict(
        conflict_id=conflict_id,
        fact_id=fact.fact_id,
        authoritative_value=fact.value,
        conflicting_value=json_value(written),
        conflicting_text=text,
        subordinate_text=sentence,
        block=host.index,
        section=host.section,
        position=position,
        subordinate_cue=cue,
        authoritative_cue="results_table" if fact.kind == "table_cell" else PAPER_STATEMENT,
        authoritative_quote=fact.quote,
    )


def planted_value(rng: random.Random, fact: PaperFact, number: NumberText) -> float | None:
    """A plausible wrong value, written like ``number``, never confusable with it."""
    value = float(number.value)
    bounded = 0 < value <= 1 and number.decimals >= 2  # a score or probability
    for _ in range(100):
        if number.is_int and value < 20:
            step = rng.randint(1, 3)
            wrong = value + step * rng.choice((-1, 1))
            if wrong < 2:
                wrong = value + step
        else:
            shift = rng.uniform(0.08, 0.35) * rng.choice((-1, 1))
            wrong = round(value * (1 + shift), number.decimals)
            if (bounded and wrong >= 1) or (fact.unit == "%" and wrong > 100) or wrong <= 0:
                wrong = round(value * (1 - shift), number.decimals)
            if not 0.08 <= abs(wrong - value) / abs(value) <= 0.35:
                continue  # rounding to the paper's decimals moved it out of range
        if number.is_int:
            wrong = float(round(wrong))
        other = read_number(write_like(wrong, number))
        if wrong > 0 and wrong != value and other is not None and distinguishable(number, other):
            return int(wrong) if number.is_int else wrong
    return None


def _sentence(cue: str, fact: PaperFact, wrong_text: str) -> str:
    numeric, counted = PAPER_TEMPLATES[cue]
    if fact.kind == "count":
        return counted.format(number=wrong_text, items=fact.entity)
    value = f"{wrong_text}%" if fact.unit == "%" else f"{wrong_text} {fact.unit}".strip()
    return numeric.format(thing=quantity_phrase(fact), value=value)


def _is_abstract(paper: ParsedPaper, section: int) -> bool:
    return paper.sections[section].title.strip().lower() in ("abstract", "summary")


def _ends_cleanly(text: str) -> bool:
    """The paragraph ends a sentence of prose, not a citation list or an equation."""
    tail = text[-40:]
    return not re.search(r"[=\[\]{}]|\bet al\.$|\b[A-Z]\.$", tail)
