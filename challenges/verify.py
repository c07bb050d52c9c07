"""Solvability verifier: deterministic checks that a challenge can be solved from its text.

Pure: takes a ``ChallengeRecord`` (and, for engine challenges, the domain library whose
surface forms the independent reader knows) and returns a ``VerificationReport``. Checks:

- ``facts_stated``: every fact a gold chain uses is quoted verbatim from the document, and
  the quote carries the fact's value;
- ``resolver_agrees``: the independent reader, which sees only the text, answers every
  question's program with the gold answer (engine challenges);
- ``conflicts_present``: both values of every conflict are in the document;
- ``computations_reevaluate``: every ``compute`` step's formula evaluates to its result;
- ``no_answer_leak``: no question contains its own answer;
- ``unique_extremes``: no argmax/argmin is tied, in the text as in the table;
- ``shape``: ten questions over at least five skills, one to three conflicts, each targeted
  conflict's question answered with the authoritative value, 1,500–6,000 words.

A challenge that fails any check is not published: the engine regenerates it.
"""

from __future__ import annotations

import ast
import operator
from dataclasses import asdict, dataclass

from challenges import dacr_format as fmt
from challenges.engine.forms import number_text
from challenges.engine.programs import Unanswerable, evaluate
from challenges.engine.questions import leaks
from challenges.engine.reader import TextView, read_document
from challenges.engine.spec import DomainLibrary

VERIFIER_VERSION = "1.0.0"
MIN_WORDS, MAX_WORDS = 1_500, 6_000
MIN_SKILLS = 5


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class VerificationReport:
    checks: tuple[Check, ...]
    verifier_version: str = VERIFIER_VERSION

    @property
    def passed(self) -> bool:
        return all(check.passed for check in self.checks)

    @property
    def failures(self) -> list[str]:
        return [f"{c.name}: {c.detail}" for c in self.checks if not c.passed]

    def as_dict(self) -> dict:
        return {
            "passed": self.passed,
            "verifier_version": self.verifier_version,
            "checks": [asdict(check) for check in self.checks],
        }


def _check(name: str, problems: list[str], ok: str) -> Check:
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        return Check(name, False, problems[0] + more)
    return Check(name, True, ok)


def verify_challenge(
    record: fmt.ChallengeRecord,
    library: DomainLibrary | None = None,
    *,
    word_range: tuple[int, int] = (MIN_WORDS, MAX_WORDS),
) -> VerificationReport:
    """Run every check that applies; the reader's checks need the engine ``library``.
    ``word_range`` bounds the document's length (real papers are longer than the engine's
    reports)."""
    checks = [
        check_facts_stated(record),
        check_conflicts_present(record),
        check_computations(record),
        check_no_leak(record),
    ]
    if library is not None:
        checks.extend(check_with_reader(record, library))
    checks.append(check_shape(record, word_range=word_range))
    return VerificationReport(tuple(checks))


def _value_texts(value) -> set[str]:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return {str(value)}
    decimals = 0 if isinstance(value, int) else len(repr(value).split(".")[1])
    return {number_text(value, decimals), number_text(value, decimals, grouped=False)}


def _same_value(text: str, value) -> bool:
    try:
        return float(text.replace(",", "")) == float(value)
    except (TypeError, ValueError):
        return text == str(value)


def check_facts_stated(record: fmt.ChallengeRecord) -> Check:
    facts = {fact.fact_id: fact for fact in record.facts}
    used = {
        step["factId"]
        for question in record.questions
        for step in question.reasoning_chain
        if step.get("factId")
    }
    problems = []
    for fact_id in sorted(used):
        fact = facts.get(fact_id)
        if fact is None:
            problems.append(f"chain names unknown fact {fact_id}")
        elif not fact.quote or fact.quote not in record.document_text:
            problems.append(f"{fact_id}: its quote is not in the document")
        elif not any(text in fact.quote for text in _value_texts(fact.value)):
            problems.append(f"{fact_id}: its quote does not state {fact.value!r}")
    return _check("facts_stated", problems, f"{len(used)} chain facts quoted with their values")


def check_conflicts_present(record: fmt.ChallengeRecord) -> Check:
    facts = {fact.fact_id: fact for fact in record.facts}
    problems = []
    for conflict in record.conflicts:
        target = facts.get(conflict.target_fact_id)
        if conflict.subordinate_text not in record.document_text:
            problems.append(f"{conflict.conflict_id}: the planted statement is not in the text")
        elif not any(
            t in conflict.subordinate_text for t in _value_texts(conflict.conflicting_value)
        ):
            problems.append(f"{conflict.conflict_id}: the planted statement lacks its value")
        if target is None or target.quote not in record.document_text:
            problems.append(f"{conflict.conflict_id}: the authoritative statement is missing")
        elif not any(t in target.quote for t in _value_texts(conflict.authoritative_value)):
            problems.append(f"{conflict.conflict_id}: the authoritative statement lacks its value")
        if conflict.authoritative_value == conflict.conflicting_value:
            problems.append(f"{conflict.conflict_id}: both statements give the same value")
    return _check(
        "conflicts_present", problems, f"{len(record.conflicts)} conflicts, both values present"
    )


_OPERATORS = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Gt: operator.gt,
    ast.Lt: operator.lt,
}


def evaluate_formula(formula: str) -> float:
    """Arithmetic over numbers (+ − × ÷, comparisons count as 0/1); nothing else."""

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and type(node.ops[0]) in _OPERATORS:
            return float(_OPERATORS[type(node.ops[0])](walk(node.left), walk(node.comparators[0])))
        raise ValueError(f"unsupported expression {ast.dump(node)[:60]}")

    return walk(ast.parse(formula, mode="eval"))


def check_computations(record: fmt.ChallengeRecord) -> Check:
    problems, count = [], 0
    for question in record.questions:
        for step in question.reasoning_chain:
            if step.get("action") != "compute" or "formula" not in step:
                continue
            count += 1
            result = str(step.get("result", ""))
            decimals = len(result.split(".")[1]) if "." in result else 0
            try:
                value = evaluate_formula(step["formula"])
            except (ValueError, SyntaxError, ZeroDivisionError) as exc:
                problems.append(f"{question.question_id}: {step['formula']!r} ({exc})")
                continue
            text = number_text(value, decimals, grouped=False)
            if text.startswith("-") and float(text) == 0:
                text = text[1:]
            if text != result:
                problems.append(f"{question.question_id}: {step['formula']} = {text}, not {result}")
    return _check("computations_reevaluate", problems, f"{count} computations re-evaluated")


def check_no_leak(record: fmt.ChallengeRecord) -> Check:
    problems = [
        f"{q.question_id} contains its answer {q.gold_answer!r}"
        for q in record.questions
        if leaks(q.text, q.gold_answer)
    ]
    return _check("no_answer_leak", problems, "no question contains its answer")


def check_with_reader(record: fmt.ChallengeRecord, library: DomainLibrary) -> list[Check]:
    view = TextView(read_document(record.document_text, library))
    disagreements, ties, programs = [], [], 0
    for question in record.questions:
        program = question.extra.get("program")
        if program is None:
            disagreements.append(f"{question.question_id} has no program")
            continue
        programs += 1
        try:
            answer = evaluate(program, view).answer
        except Unanswerable as exc:
            target = ties if "tied" in str(exc) else disagreements
            target.append(f"{question.question_id}: the reader cannot answer ({exc})")
            continue
        if answer != question.gold_answer:
            disagreements.append(
                f"{question.question_id}: reader says {answer!r}, gold is {question.gold_answer!r}"
            )
    stated_twice = set(view.stated_twice())
    planted = {
        (fact.entity, fact.attribute)
        for conflict in record.conflicts
        for fact in record.facts
        if fact.fact_id == conflict.target_fact_id
    }
    if stated_twice != planted:
        disagreements.append(
            f"facts stated twice {sorted(stated_twice)} are not the planted ones {sorted(planted)}"
        )
    return [
        _check("resolver_agrees", disagreements, f"the reader reproduced {programs} gold answers"),
        _check("unique_extremes", ties, "no tied argmax or argmin"),
    ]


def check_shape(
    record: fmt.ChallengeRecord, *, word_range: tuple[int, int] = (MIN_WORDS, MAX_WORDS)
) -> Check:
    problems = []
    skills = {q.category for q in record.questions}
    if len(record.questions) != 10:
        problems.append(f"{len(record.questions)} questions, expected 10")
    if len(skills) < MIN_SKILLS:
        problems.append(f"only {len(skills)} skills")
    if not 1 <= len(record.conflicts) <= 3:
        problems.append(f"{len(record.conflicts)} conflicts, expected 1–3")
    low, high = word_range
    if not low <= record.word_count <= high:
        problems.append(f"{record.word_count} words, expected {low:,}–{high:,}")
    conflicts = {c.conflict_id: c for c in record.conflicts}
    for question in record.questions:
        conflict = conflicts.get(question.conflict_id or "")
        if conflict is None:
            continue
        if not _same_value(question.gold_answer, conflict.authoritative_value):
            problems.append(f"{question.question_id}: gold is not the authoritative value")
    return _check(
        "shape",
        problems,
        f"{len(record.questions)} questions, {len(skills)} skills, "
        f"{len(record.conflicts)} conflicts, {record.word_count:,} words",
    )
