"""Ten questions per challenge: skills planned, drafts drawn, answered from the hidden table.

The builders (``challenges.engine.builders``) draft a question and its program; the gold
answer and the reasoning chain come from ``programs.evaluate`` over the table (never from
the text). A draft whose text contains its own answer, or whose answer is not unique, is
dropped and another is drawn.
"""

from __future__ import annotations

import random
import re

from challenges import dacr_format as fmt
from challenges.engine import forms
from challenges.engine.builders import BUILDERS, BuildContext, Draft
from challenges.engine.conflicts import ConflictPlan
from challenges.engine.programs import Outcome, Unanswerable, difficulty, evaluate
from challenges.engine.render import Rendered, value_text
from challenges.engine.table import HiddenTable

SKILLS = fmt.CATEGORIES
CONFLICT = "conflict_resolution"
QUESTIONS_PER_CHALLENGE = 10
_TRIES = 40


class TableView:
    """The hidden table seen through the program interface, with the rendered quotes."""

    def __init__(self, table: HiddenTable, rendered: Rendered):
        self.library = table.library
        self.table = table
        self.rendered = rendered
        self._conflicts = {
            (c.plan.entity, c.plan.key): (
                c.subordinate.quote,
                value_text(self.library, c.plan.key, c.plan.conflicting_value),
            )
            for c in rendered.conflicts
        }

    def entities(self) -> list[str]:
        return [e.name for e in self.table.entities]

    def number(self, entity: str, key: str, period: str | None = None) -> float:
        row = self.table.entity(entity)
        if period is None:
            return row.numbers[key]
        periods = self.library.attribute(key).periods
        return row.series[key][periods.index(period)]

    def label(self, entity: str, key: str) -> str:
        return self.table.entity(entity).labels[key]

    def quote(self, entity: str, key: str, period: str | None = None) -> str:
        return self.rendered.statements[(entity, key, period)].quote

    def conflict(self, entity: str, key: str) -> tuple[str, str] | None:
        return self._conflicts.get((entity, key))


# --- assembling -------------------------------------------------------------------------------


def plan_skills(rng: random.Random) -> list[str]:
    """Every skill once plus three more drawn at random, in shuffled order."""
    skills = list(SKILLS) + rng.sample(list(SKILLS), QUESTIONS_PER_CHALLENGE - len(SKILLS))
    rng.shuffle(skills)
    return skills


_TOKEN = re.compile(r"[a-z0-9]+(?:[.,][0-9]+)*")


def leaks(question: str, answer: str) -> bool:
    """The question contains its own answer (as whole tokens, case-insensitively)."""
    q = " " + " ".join(_TOKEN.findall(question.lower())) + " "
    a = " ".join(_TOKEN.findall(answer.lower()))
    return bool(a) and f" {a} " in q


def aliases(answer: str, program: dict, library) -> tuple[str, ...]:
    """Other spellings of the gold a careful grader should accept."""
    found: list[str] = []
    try:
        number = float(answer)
    except ValueError:
        number = None
    if number is not None:
        decimals = len(answer.split(".")[1]) if "." in answer else 0
        found.append(forms.number_text(number, decimals))
        trimmed = answer.rstrip("0").rstrip(".") if "." in answer else answer
        found.append(trimmed)
        unit = _answer_unit(program, library)
        if unit:
            found.append(forms.with_unit(answer, unit))
        if program["op"] == "pct_change":
            found.append(f"{answer}%")
        if program["op"] == "filtered_count" and 0 <= number <= 20:
            found.append(forms.count_word(int(number)))
    else:
        found.extend([answer.lower(), answer.replace("-", " "), answer.replace(" ", "-")])
    return tuple(dict.fromkeys(a for a in found if a and a != answer))


def _answer_unit(program: dict, library) -> str:
    if program["op"] in ("ratio", "pct_change", "series_mean", "filtered_count"):
        return ""
    then = program.get("then") or {}
    key = then.get("key") or program.get("key")
    if not key or (program["op"] in ("extreme", "chain_extreme") and not then):
        return ""
    attribute = library.attribute(key)
    return getattr(attribute, "unit", "")


def build_questions(
    rng: random.Random, table: HiddenTable, rendered: Rendered, plans: list[ConflictPlan],
    skills: list[str],
) -> list[fmt.QuestionRecord]:  # fmt: skip
    """Ten questions for ``skills`` in order; raises ``Unanswerable`` when a skill finds no
    valid question (the caller regenerates the challenge)."""
    view = TableView(table, rendered)
    ctx = BuildContext(rng, table, rendered, view, plans, list(plans))
    records: list[fmt.QuestionRecord] = []
    seen: set[str] = set()
    for number, skill in enumerate(skills, start=1):
        draft, outcome = _draw(ctx, skill, seen)
        seen.add(draft.text)
        conflict_id = None
        if skill == CONFLICT:
            conflict_id = ctx.conflict_queue.pop(0).conflict_id
        records.append(
            fmt.QuestionRecord(
                question_id=f"q{number:02d}",
                text=draft.text,
                category=skill,
                source_category="trap_targeted" if skill == CONFLICT else skill,
                hops=outcome.hops,
                difficulty=difficulty(outcome),
                gold_answer=outcome.answer,
                aliases=aliases(outcome.answer, draft.program, table.library),
                reasoning_chain=outcome.steps,
                conflict_id=conflict_id,
                extra={"program": draft.program},
            )
        )
    return records


def _draw(ctx: BuildContext, skill: str, seen: set[str]) -> tuple[Draft, Outcome]:
    builder = BUILDERS[skill]
    last = "no candidate"
    for _ in range(_TRIES):
        try:
            draft = builder(ctx)
            outcome = evaluate(draft.program, ctx.view)
        except Unanswerable as exc:
            last = str(exc)
            continue
        if draft.text in seen or leaks(draft.text, outcome.answer):
            last = "duplicate or leaking question"
            continue
        return draft, outcome
    raise Unanswerable(f"no valid {skill} question ({last})")
