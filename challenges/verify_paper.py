"""Checks a real-paper challenge needs on top of ``challenges.verify``'s.

Pure: no Django, no PyMuPDF. The engine's verifier knows its own surface forms; a real paper
writes facts in its own way, so these checks read the final document text (with the planted
sentences) and the facts re-extracted from it:

- ``answers_in_text``: every gold answer (each part of a composite "a; b") is in the text,
  normalised for case, unicode forms and thousands separators, dates compared as dates — or
  is the result of a recorded computation;
- ``conflicts_targeted``: every planted conflict has its conflict-resolution question;
- ``conflict_values_present``: both values of every conflict are stated, the planted one in a
  different top-level section than the authoritative one;
- ``no_answer_leak_normalised``: no question contains its answer or an alias of it;
- ``unambiguous``: every fact a chain reads is stated with one value only, apart from the
  planted conflict its own question targets;
- ``quotes_located``: every fact's quote lies in the paragraph its location names.

``question_problems`` runs the per-question checks on one question, so the question writer
can draw again before a whole challenge fails.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from challenges import dacr_format as fmt
from challenges.conflicts import PlantedConflict
from challenges.engine.questions import leaks
from challenges.facts import (
    PaperFact,
    QuantityIndex,
    competing,
    extract_facts,
    restates,
    root_section,
    same_value,
)
from challenges.paper import ParsedPaper
from challenges.paper_text import NUMBER_WORDS, contains, dates_in, normalise, read_number
from challenges.verify import Check

QUESTION_CHECKS = ("answers_in_text", "no_answer_leak_normalised", "unambiguous")


@dataclass(frozen=True)
class PaperEvidence:
    """What the checks read: the final paper's text, the facts the record uses (by id),
    the facts re-extracted from the final text, and the planted conflicts."""

    paper: ParsedPaper
    text: str
    dates: frozenset[str]
    facts: dict[str, PaperFact]
    final_facts: QuantityIndex
    conflicts: dict[str, PlantedConflict]

    def conflict_on(self, fact_id: str) -> PlantedConflict | None:
        return next((c for c in self.conflicts.values() if c.fact_id == fact_id), None)


def evidence(
    paper: ParsedPaper, facts: tuple[PaperFact, ...], conflicts: tuple[PlantedConflict, ...]
) -> PaperEvidence:
    text = paper.document()
    return PaperEvidence(
        paper=paper,
        text=text,
        dates=frozenset(dates_in(text)),
        facts={fact.fact_id: fact for fact in facts},
        final_facts=QuantityIndex(extract_facts(paper)),
        conflicts={conflict.conflict_id: conflict for conflict in conflicts},
    )


def question_problems(question: fmt.QuestionRecord, ev: PaperEvidence) -> list[tuple[str, str]]:
    """(check name, problem) for everything wrong with one question."""
    problems = []
    where = question.question_id
    missing = _missing_parts(question, ev)
    if missing:
        problems.append(("answers_in_text", f"{where}: {missing!r} is not in the text"))
    for answer in (question.gold_answer, *question.aliases):
        if _leaks(question.text, answer):
            problems.append(("no_answer_leak_normalised", f"{where} contains {answer!r}"))
            break
    for step in question.reasoning_chain:
        fact = ev.facts.get(step.get("factId", ""))
        if fact is None:
            continue
        planted = ev.conflict_on(fact.fact_id)
        if planted is not None and planted.conflict_id != question.conflict_id:
            problems.append(
                ("unambiguous", f"{where} reads {fact.fact_id}, which a conflict restates")
            )
            continue
        echo = _restated_elsewhere(fact, ev, question.conflict_id)
        if echo:
            problems.append(("unambiguous", f"{where} reads {fact.fact_id}; {echo} restates it"))
            continue
        rivals = [
            other
            for other in competing(fact, ev.final_facts)
            if planted is None or not _is_planted(other, planted)
        ]
        if rivals:
            other = rivals[0]
            problems.append(
                (
                    "unambiguous",
                    f"{where}: {fact.attribute} of {fact.entity or 'the paper'} is stated as "
                    f"{fact.value_text} and as {other.value_text} (paragraph {other.block})",
                )
            )
    return problems


def checks(record: fmt.ChallengeRecord, ev: PaperEvidence) -> list[Check]:
    """The real-paper checks over a whole record."""
    found: dict[str, list[str]] = {name: [] for name in QUESTION_CHECKS}
    for question in record.questions:
        for name, problem in question_problems(question, ev):
            found[name].append(problem)
    return [
        _check(
            "answers_in_text",
            found["answers_in_text"],
            "every gold answer is in the text or computed",
        ),
        _check(
            "conflicts_targeted",
            [
                f"{c} has no question"
                for c in sorted(ev.conflicts)
                if c not in {q.conflict_id for q in record.questions}
            ],
            "every planted conflict has its question",
        ),
        _check(
            "conflict_values_present",
            _conflict_problems(ev),
            f"{len(ev.conflicts)} conflicts: both values stated, in different sections",
        ),
        _check(
            "no_answer_leak_normalised",
            found["no_answer_leak_normalised"],
            "no question contains its answer or an alias",
        ),
        _check(
            "unambiguous",
            found["unambiguous"],
            "every asked quantity has one value apart from its planted conflict",
        ),
        _check(
            "quotes_located",
            _quote_problems(record),
            f"{len(record.facts)} fact quotes lie in their paragraphs",
        ),
    ]


def _missing_parts(question: fmt.QuestionRecord, ev: PaperEvidence) -> str:
    computed = {
        str(step.get("result"))
        for step in question.reasoning_chain
        if step.get("action") == "compute" and "formula" in step
    }
    for part in question.gold_answer.split("; "):
        if part in computed or found_in_text(part, ev):
            continue
        return part
    return ""


def found_in_text(answer: str, ev: PaperEvidence) -> bool:
    """``answer`` is written in the text: as is (normalised), as the date it names, or, for
    a number, in any of its spellings ("6" as "six")."""
    if not answer.strip():
        return False
    if re.fullmatch(r"\d{4}-\d\d-\d\d", answer) and answer in ev.dates:
        return True
    if contains(ev.text, answer):
        return True
    number = read_number(answer)
    if number is not None and number.is_int and not number.word and 0 < number.value < 21:
        return contains(ev.text, NUMBER_WORDS[int(number.value)])
    return False


def _check(name: str, problems: list[str], ok: str) -> Check:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check(name, False, problems[0] + more)
    return Check(name, True, ok)


def _leaks(question: str, answer: str) -> bool:
    if not answer.strip():
        return False
    return leaks(question, answer) or leaks(normalise(question), normalise(answer))


def _restated_elsewhere(fact: PaperFact, ev: PaperEvidence, allowed: str | None) -> str:
    """The conflict whose target may state ``fact``'s quantity in another form: a question
    reading ``fact`` would meet that conflict's planted value too."""
    for conflict in ev.conflicts.values():
        target = ev.facts.get(conflict.fact_id)
        if target is None or target is fact or conflict.conflict_id == allowed:
            continue
        if restates(fact, target):
            return conflict.conflict_id
    return ""


def _is_planted(fact: PaperFact, conflict: PlantedConflict) -> bool:
    return fact.block == conflict.block and same_value(fact.value, conflict.conflicting_value)


def _conflict_problems(ev: PaperEvidence) -> list[str]:
    problems = []
    blocks = ev.paper.blocks
    for conflict in ev.conflicts.values():
        fact = ev.facts.get(conflict.fact_id)
        name = conflict.conflict_id
        if fact is None:
            problems.append(f"{name}: its fact {conflict.fact_id} is unknown")
            continue
        if conflict.subordinate_text not in blocks[conflict.block].text:
            problems.append(f"{name}: the planted sentence is not in paragraph {conflict.block}")
        elif not contains(conflict.subordinate_text, conflict.conflicting_text):
            problems.append(f"{name}: the planted sentence lacks {conflict.conflicting_text!r}")
        if fact.quote not in blocks[fact.block].text or fact.value_text not in fact.quote:
            problems.append(f"{name}: the authoritative statement is missing")
        if root_section(ev.paper, blocks[conflict.block].section) == root_section(
            ev.paper, fact.section
        ):
            problems.append(f"{name}: both statements are in the same section")
        if normalise(conflict.conflicting_text) == normalise(fact.value_text):
            problems.append(f"{name}: both statements give the same value")
    return problems


def _quote_problems(record: fmt.ChallengeRecord) -> list[str]:
    paragraphs = record.document_text.split("\n\n")
    problems = []
    if len(paragraphs) != record.paragraph_count:
        problems.append(
            f"{len(paragraphs)} paragraphs in the text, {record.paragraph_count} counted"
        )
    for fact in record.facts:
        index = fact.paragraph_index
        if index is None or not 0 <= index < len(paragraphs) or fact.quote not in paragraphs[index]:
            problems.append(f"{fact.fact_id}: its quote is not in paragraph {index}")
    return problems
