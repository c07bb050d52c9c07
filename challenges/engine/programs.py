"""Question programs: what a question asks, as data, and how to answer it from a view.

A program is a plain dict (``{"op": "extreme", "key": …}``) stored with the question. The
engine answers it from the hidden table to get the gold answer and its reasoning chain; the
verifier answers the same program from what its reader extracted from the rendered text.
Both go through ``evaluate``; only the view differs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from challenges.engine.forms import number_text
from challenges.engine.spec import DomainLibrary, Numeric, Series


class Unanswerable(ValueError):
    """The view lacks a value the program needs, or the answer is not unique."""


class View(Protocol):
    library: DomainLibrary

    def entities(self) -> list[str]: ...
    def number(self, entity: str, key: str, period: str | None = None) -> float: ...
    def label(self, entity: str, key: str) -> str: ...
    def quote(self, entity: str, key: str, period: str | None = None) -> str: ...
    def conflict(self, entity: str, key: str) -> tuple[str, str] | None:
        """(the lower-authority statement, its value) when the fact is stated twice."""


@dataclass(frozen=True)
class Outcome:
    answer: str
    steps: tuple[dict, ...]
    hops: int
    operands: int  # values a computation combines (0: no computation)


def fact_id(entity: str, key: str, period: str | None = None) -> str:
    from challenges.engine.table import slug

    suffix = f"-{period}" if period else ""
    return f"f-{slug(entity)}-{key}{suffix}"


class _Chain:
    def __init__(self, view: View):
        self.view = view
        self.steps: list[dict] = []
        self.hops = 0

    def add(self, action: str, note: str, *, hop: bool = True, **fields) -> None:
        self.steps.append({"step": len(self.steps) + 1, "action": action, **fields, "note": note})
        self.hops += hop

    def number(self, entity: str, key: str, period: str | None = None) -> float:
        value = self.view.number(entity, key, period)
        attribute = self.view.library.attribute(key)
        self.add(
            "lookup",
            self.view.quote(entity, key, period),
            factId=fact_id(entity, key, period),
            entity=entity,
            attribute=key if period is None else f"{key} {period}",
            value=number_text(value, attribute.decimals, grouped=False),
        )
        conflict = self.view.conflict(entity, key) if period is None else None
        if conflict is not None:
            quote, planted = conflict
            self.add(
                "resolve",
                f"The document also gives {planted} in a lower-authority statement "
                f'("{quote}"); the higher-authority statement prevails.',
                entity=entity,
                attribute=key,
                rejected=planted,
            )
        return value

    def label(self, entity: str, key: str) -> str:
        value = self.view.label(entity, key)
        self.looked_up(entity, key, value)
        return value

    def looked_up(self, entity: str, key: str, value: str) -> None:
        self.add(
            "lookup",
            self.view.quote(entity, key),
            factId=fact_id(entity, key),
            entity=entity,
            attribute=key,
            value=value,
        )


def _num(value: float) -> str:
    """A number in a formula, exactly (``repr`` keeps every digit of the double)."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _decimals(library: DomainLibrary, key: str) -> int:
    attribute = library.attribute(key)
    assert isinstance(attribute, Numeric | Series)
    return attribute.decimals


def _select(chain: _Chain, key: str, value: str) -> str:
    """The one entity whose unique categorical ``key`` is ``value``."""
    matches = [e for e in chain.view.entities() if _label_or_none(chain.view, e, key) == value]
    if len(matches) != 1:
        raise Unanswerable(f"{len(matches)} entities have {key} = {value!r}")
    chain.looked_up(matches[0], key, value)
    return matches[0]


def _label_or_none(view: View, entity: str, key: str) -> str | None:
    try:
        return view.label(entity, key)
    except Unanswerable:
        return None


def _members(chain: _Chain, where: dict | None) -> list[str]:
    entities = chain.view.entities()
    if not where:
        return entities
    members = [e for e in entities if _label_or_none(chain.view, e, where["key"]) == where["value"]]
    label = chain.view.library.attribute(where["key"]).label
    chain.add(
        "filter",
        f"Keep the {chain.view.library.entity_plural} whose {label} is {where['value']}: "
        f"{', '.join(members)}.",
        attribute=where["key"],
        equals=where["value"],
        result=members,
    )
    if len(members) < 2:
        raise Unanswerable(f"the filter {where} leaves {len(members)} entities")
    return members


def _extreme(chain: _Chain, members: list[str], key: str, direction: str, rank: int = 1,
             period: str | None = None) -> str:  # fmt: skip
    values = {e: chain.view.number(e, key, period) for e in members}
    chain.add(
        "lookup",
        f"Read the {chain.view.library.attribute(key).label}"
        f"{' in ' + period if period else ''} of {len(members)} entries.",
        attribute=key,
    )
    ordered = sorted(values.values(), reverse=direction == "max")
    if len(set(ordered)) != len(ordered):
        raise Unanswerable(f"tied values of {key}")
    target = ordered[rank - 1]
    winner = next(e for e, v in values.items() if v == target)
    decimals = _decimals(chain.view.library, key)
    listing = ", ".join(f"{e} {number_text(v, decimals, grouped=False)}" for e, v in values.items())
    word = {("max", 1): "highest", ("min", 1): "lowest", ("max", 2): "second-highest",
            ("min", 2): "second-lowest"}[(direction, rank)]  # fmt: skip
    chain.add(
        "compare",
        f"Compare {key}{' in ' + period if period else ''}: {listing}; the {word} is {winner}.",
        attribute=key,
        operation=f"arg{direction}" + (f" rank {rank}" if rank > 1 else ""),
        result=winner,
    )
    # The winner's own statement, so a citation of it can be checked like any lookup.
    chain.add(
        "lookup",
        chain.view.quote(winner, key, period),
        hop=False,
        factId=fact_id(winner, key, period),
        entity=winner,
        attribute=key if period is None else f"{key} {period}",
        value=number_text(target, decimals, grouped=False),
    )
    return winner


def _compute(chain: _Chain, formula: str, value: float, decimals: int, operands: int) -> str:
    text = number_text(value, decimals, grouped=False)
    if text in ("-0", "-0.0", "-0.00"):
        text = text[1:]
    chain.add("compute", f"{formula} = {text}", formula=formula, result=text)
    return text


def evaluate(program: dict, view: View) -> Outcome:
    """Answer ``program`` from ``view``. Raises ``Unanswerable``."""
    chain = _Chain(view)
    op = program["op"]
    operands = 0
    library = view.library
    if op == "lookup":
        answer = _fetch(chain, program["entity"], program["key"])
    elif op == "series_value":
        key = program["key"]
        value = chain.number(program["entity"], key, program["period"])
        answer = number_text(value, _decimals(library, key), grouped=False)
    elif op == "lookup_via":
        entity = _select(chain, program["via_key"], program["via_value"])
        answer = _fetch(chain, entity, program["key"])
    elif op == "partner_lookup":
        entity = _select(chain, program["via_key"], program["via_value"])
        shared = chain.label(entity, program["shared_key"])
        partners = [
            e
            for e in view.entities()
            if e != entity and _label_or_none(view, e, program["shared_key"]) == shared
        ]
        chain.add("filter", f"Other entries with {program['shared_key']} {shared}: "
                  f"{', '.join(partners)}.", attribute=program["shared_key"], equals=shared,
                  result=partners)  # fmt: skip
        if len(partners) != 1:
            raise Unanswerable(f"{len(partners)} partners share {shared!r}")
        answer = _fetch(chain, partners[0], program["key"])
    elif op == "extreme":
        members = program.get("among")
        if members:
            members = [_select(chain, program["among_key"], person) for person in members]
        else:
            members = _members(chain, program.get("where"))
        winner = _extreme(
            chain, members, program["key"], program["direction"], program.get("rank", 1),
            program.get("period"),
        )  # fmt: skip
        then = program.get("then")
        if then is None:
            answer = winner
        elif then.get("period"):
            value = chain.number(winner, then["key"], then["period"])
            answer = number_text(value, _decimals(library, then["key"]), grouped=False)
        else:
            answer = _fetch(chain, winner, then["key"])
    elif op == "chain_extreme":
        first = _extreme(chain, view.entities(), program["first_key"], program["first_direction"])
        link = chain.label(first, program["link_key"])
        members = _members(chain, {"key": program["link_key"], "value": link})
        answer = _extreme(chain, members, program["key"], program["direction"])
    elif op in ("difference", "ratio"):
        key = program["key"]
        a = chain.number(program["a"], key)
        b = chain.number(program["b"], key)
        operands = 2
        if op == "difference":
            answer = _compute(chain, f"{_num(a)} - {_num(b)}", a - b, _decimals(library, key), 2)
        else:
            if b == 0:
                raise Unanswerable("division by zero")
            answer = _compute(chain, f"{_num(a)} / {_num(b)}", a / b, 2, 2)
    elif op == "pct_change":
        key, entity = program["key"], program["entity"]
        start = chain.number(entity, key, program["from"])
        end = chain.number(entity, key, program["to"])
        operands = 2
        if start == 0:
            raise Unanswerable("change from zero")
        answer = _compute(
            chain,
            f"({_num(end)} - {_num(start)}) / {_num(start)} * 100",
            (end - start) / start * 100,
            1,
            2,
        )
    elif op == "series_mean":
        key, entity = program["key"], program["entity"]
        periods = library.attribute(key).periods
        values = [chain.number(entity, key, p) for p in periods]
        operands = len(values)
        formula = f"({' + '.join(_num(v) for v in values)}) / {len(values)}"
        answer = _compute(chain, formula, sum(values) / len(values), 2, operands)
    elif op == "filtered_total":
        members = _members(chain, program["where"])
        values = [chain.number(e, program["key"]) for e in members]
        operands = len(values)
        formula = " + ".join(_num(v) for v in values)
        answer = _compute(chain, formula, sum(values), _decimals(library, program["key"]), operands)
    elif op == "filtered_count":
        members = _members(chain, program["where"])
        threshold = float(program["threshold"])
        values = [chain.number(e, program["key"]) for e in members]
        count = sum(1 for v in values if v > threshold)
        operands = len(values)
        formula = " + ".join(f"({_num(v)} > {program['threshold']})" for v in values)
        chain.add("compute", f"Count the values above {program['threshold']}: {count}",
                  formula=formula, result=str(count))  # fmt: skip
        answer = str(count)
    else:
        raise Unanswerable(f"unknown program op {op!r}")
    chain.add("answer", f"Final answer: {answer}", hop=False, result=answer)
    return Outcome(answer=answer, steps=tuple(chain.steps), hops=max(1, chain.hops),
                   operands=operands)  # fmt: skip


def _fetch(chain: _Chain, entity: str, key: str) -> str:
    attribute = chain.view.library.attribute(key)
    if isinstance(attribute, Numeric):
        return number_text(chain.number(entity, key), attribute.decimals, grouped=False)
    return chain.label(entity, key)


def difficulty(outcome: Outcome) -> str:
    """From the chain's length and its operations."""
    if outcome.hops >= 4 or outcome.operands > 2:
        return "hard"
    if outcome.hops >= 2 or outcome.operands:
        return "medium"
    return "easy"
