"""Ten questions for a real paper over at least five skills, answered from its facts.

Pure: no Django, no PyMuPDF. The builders (``challenges.question_builders`` for extraction,
bridges, computations, conflicts and synthesis; ``challenges.question_tables`` for
comparisons and filters over table rows) draft one question of a skill from the paper's
facts: its text, the gold answer as the paper writes it, aliases, and a reasoning chain whose
steps name the fact (``factId``) and quote it (``note``), with the engine's actions (lookup,
filter, compare, compute, resolve, answer). Every draft is put to ``check`` (the real-paper
verifier's per-question checks) and one that fails is drawn again. A paper without tables
falls back on text facts for the table skills.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from challenges import dacr_format as fmt
from challenges.conflicts import PlantedConflict
from challenges.engine import cues
from challenges.engine.forms import article
from challenges.facts import PaperFact, QuantityIndex, competing, skipped
from challenges.paper import ParsedPaper
from challenges.paper_text import NUMBER_WORDS, read_number

QUESTIONS_PER_CHALLENGE = 10
CONFLICT = "conflict_resolution"
# One question per skill first, in this order; then the slots left are filled cycling
# through ``FILL_CYCLE`` (extraction twice, so a thin paper leans on its plainest facts).
FILL_ORDER = (
    "direct_extraction",
    "computation",
    "multi_hop_bridge",
    "comparative",
    "conditional_filtered",
    "cross_section_synthesis",
)
FILL_CYCLE = (
    "direct_extraction",
    "computation",
    "multi_hop_bridge",
    "direct_extraction",
    "comparative",
    "conditional_filtered",
    "cross_section_synthesis",
)
_TRIES = 30

Check = Callable[[fmt.QuestionRecord], list[str]]


class Redraw(Exception):
    """This draw makes no valid question (a tie, a leak…); draw again."""


@dataclass(frozen=True)
class Draft:
    """A question before it has an id: ``computed`` when the gold comes from a recorded
    computation rather than from the text."""

    text: str
    gold: str
    aliases: tuple[str, ...]
    chain: tuple[dict, ...]
    hops: int
    facts: tuple[str, ...]
    computed: bool = False
    conflict_id: str | None = None
    target: str | None = None  # the fact whose value is the answer, when there is one


@dataclass
class PaperContext:
    """What the builders draw from: the final paper, its facts, the planted conflicts."""

    paper: ParsedPaper
    facts: tuple[PaperFact, ...]
    conflicts: tuple[PlantedConflict, ...]
    rng: random.Random
    by_id: dict[str, PaperFact] = field(init=False)
    askable: list[PaperFact] = field(init=False)
    acronyms: dict[str, PaperFact] = field(init=False)
    asked: set[str] = field(default_factory=set)  # facts already some question's answer

    def __post_init__(self) -> None:
        self.by_id = {fact.fact_id: fact for fact in self.facts}
        index = QuantityIndex(self.facts)
        targeted = {conflict.fact_id for conflict in self.conflicts}
        self.askable = [
            fact
            for fact in self.facts
            if fact.fact_id not in targeted
            and fact.kind != "acronym"
            and fact.substantial
            and not skipped(self.paper, self.paper.blocks[fact.block])
            and not competing(fact, index)
        ]
        self.acronyms = {}
        for fact in self.facts:
            if fact.kind == "acronym" and not competing(fact, index):
                self.acronyms.setdefault(fact.entity, fact)

    def of_kind(self, *kinds: str, fresh: bool = False) -> list[PaperFact]:
        """Askable facts of ``kinds``; ``fresh``: not already the answer of a question."""
        return [
            fact
            for fact in self.askable
            if fact.kind in kinds and not (fresh and fact.fact_id in self.asked)
        ]

    def conflict_for(self, fact_id: str) -> PlantedConflict | None:
        return next((c for c in self.conflicts if c.fact_id == fact_id), None)


def write_questions(
    paper: ParsedPaper,
    facts: tuple[PaperFact, ...],
    conflicts: tuple[PlantedConflict, ...],
    *,
    rng: random.Random,
    check: Check | None = None,
) -> tuple[fmt.QuestionRecord, ...]:
    """Up to ten questions: one per planted conflict, one per other skill the paper can
    carry, the rest filled in ``FILL_ORDER``; shuffled, ids ``q01``…"""
    from challenges.question_builders import BUILDERS

    ctx = PaperContext(paper, facts, conflicts, rng)
    drafts: list[tuple[str, Draft]] = []
    seen: set[str] = set()

    def draw(skill: str, **kwargs) -> bool:
        for _ in range(_TRIES):
            try:
                draft = BUILDERS[skill](ctx, **kwargs)
            except Redraw:
                continue
            if draft is None:
                return False
            if draft.text in seen or (draft.target and draft.target in ctx.asked):
                continue
            record = to_record(draft, skill, "q00")
            if check is not None and check(record):
                continue
            seen.add(draft.text)
            ctx.asked.update([draft.target] if draft.target else ())
            drafts.append((skill, draft))
            return True
        return False

    for conflict in conflicts:
        draw(CONFLICT, conflict=conflict)
    skills = [skill for skill in FILL_ORDER if draw(skill)]
    while len(drafts) < QUESTIONS_PER_CHALLENGE and skills:
        for skill in FILL_CYCLE:
            if len(drafts) >= QUESTIONS_PER_CHALLENGE:
                break
            if skill in skills and not draw(skill):
                skills.remove(skill)
    rng.shuffle(drafts)
    return tuple(
        to_record(draft, skill, f"q{number:02d}")
        for number, (skill, draft) in enumerate(drafts[:QUESTIONS_PER_CHALLENGE], start=1)
    )


def to_record(draft: Draft, skill: str, question_id: str) -> fmt.QuestionRecord:
    extra = {"factIds": list(draft.facts)}
    if draft.computed:
        extra["computed"] = True
    return fmt.QuestionRecord(
        question_id=question_id,
        text=draft.text,
        category=skill,
        source_category=fmt.EXPORT_CATEGORY.get(skill, skill),
        hops=max(1, draft.hops),
        difficulty=difficulty(draft),
        gold_answer=draft.gold,
        aliases=tuple(a for a in dict.fromkeys(draft.aliases) if a and a != draft.gold),
        reasoning_chain=draft.chain,
        conflict_id=draft.conflict_id,
        extra=extra,
    )


def difficulty(draft: Draft) -> str:
    if draft.hops >= 4:
        return "hard"
    if draft.hops >= 2 or draft.computed:
        return "medium"
    return "easy"


# --- chains ----------------------------------------------------------------------------------


def chain(*steps: dict, answer: str) -> tuple[dict, ...]:
    """Number the steps and close with the answer step, as the engine's chains do."""
    closed = [*steps, {"action": "answer", "result": answer, "note": f"Final answer: {answer}"}]
    return tuple({"step": i, **step} for i, step in enumerate(closed, start=1))


def lookup(fact: PaperFact) -> dict:
    value = fact.value_text or str(fact.value)
    return {
        "action": "lookup",
        "factId": fact.fact_id,
        "entity": fact.entity,
        "attribute": fact.attribute,
        "value": value,
        "note": fact.quote,
    }


def resolve(fact: PaperFact, conflict: PlantedConflict) -> dict:
    cue = cues.CUES[conflict.subordinate_cue].phrase
    return {
        "action": "resolve",
        "entity": fact.entity,
        "attribute": fact.attribute,
        "rejected": conflict.conflicting_text,
        "note": (
            f"The document also gives {conflict.conflicting_text} in a lower-authority "
            f'statement, {article(cue)} {cue} ("{conflict.subordinate_text}"); the paper\'s own '
            "statement prevails."
        ),
    }


def compute(formula: str, result: str) -> dict:
    return {
        "action": "compute",
        "formula": formula,
        "result": result,
        "note": f"{formula} = {result}",
    }


def operand(value: float) -> str:
    """A number in a formula, exactly (as the engine writes them)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


# --- answers ---------------------------------------------------------------------------------


def number_aliases(written: str, unit: str = "", noun: str = "") -> tuple[str, ...]:
    """Other spellings of a number a grader should accept: digits for words and back,
    separators, trailing zeros, with its unit or counted noun."""
    number = read_number(written)
    if number is None:
        return ()
    found = []
    if number.word:
        digits = str(int(number.value))
        found.append(digits)
        bases = [written.lower(), digits]
    else:
        plain = written.replace(",", "")
        found.append(plain)
        if number.is_int and 0 < number.value < len(NUMBER_WORDS):
            found.append(NUMBER_WORDS[int(number.value)])
        if number.is_int and number.value >= 1000:
            found.append(f"{int(number.value):,}")
        if not number.is_int:
            trimmed = plain.rstrip("0").rstrip(".")
            found.append(trimmed)
        bases = [written, plain]
    for base in bases:
        if unit == "%":
            found.append(f"{base}%")
        elif unit:
            found.append(f"{base} {unit}")
        if noun:
            found.append(f"{base} {noun}")
    return tuple(a for a in dict.fromkeys(found) if a != written)


def unit_hint(unit: str) -> str:
    return f" (in {unit})" if unit and unit != "%" else ""
