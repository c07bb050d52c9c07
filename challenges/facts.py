"""Facts of a parsed paper, each located (block, section) and quoted verbatim.

Pure: no Django, no PyMuPDF. ``extract_facts(paper)`` reads a ``ParsedPaper`` and returns
``PaperFact`` records of seven kinds: ``acronym``, ``count``, ``result``, ``table_cell``,
``date``, ``enumeration`` and ``metadata``. Every fact's ``quote`` is a substring of its
block's text and carries the value as written (``value_text``); a candidate whose quote
fails that test is dropped rather than kept half-located.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from challenges import fact_patterns as patterns
from challenges.paper import Block, ParsedPaper, Table
from challenges.paper_tables import cell_number, row_quote, split_unit, table_columns, table_rows
from challenges.paper_text import find_dates, normalise, sentence_at

KINDS = ("acronym", "count", "result", "table_cell", "date", "enumeration", "metadata")
NUMERIC_KINDS = ("count", "result", "table_cell")
MIN_WORDS = 300
_SKIPPED_SECTIONS = re.compile(
    r"^(?:references?|bibliography|acknowledg\w*|funding|author contributions?|"
    r"conflicts? of interest|competing interests?|data availability)\b",
    re.IGNORECASE,
)
_STAMP = re.compile(
    r"arXiv:(?P<id>\d{4}\.\d{4,5}|[a-z\-]+/\d{7})(?:v(?P<version>\d+))?\s*"
    r"\[(?P<category>[a-z\-]+(?:\.[A-Za-z\-]+)?)\]\s*(?P<date>\d{1,2}\s+\w{3}\s+\d{4})?"
)


class PaperTooThin(ValueError):
    """The paper has too little to build a challenge from; the message is one line."""


@dataclass(frozen=True)
class PaperFact:
    """One fact: ``value`` is an int/float for numbers, an ISO string for dates, a tuple of
    items for enumerations and a string otherwise; ``value_text`` is how the quote writes it.
    ``table`` is the table's index for ``table_cell`` facts."""

    fact_id: str
    kind: str
    entity: str
    attribute: str
    value: Any
    unit: str
    block: int
    section: int | None
    quote: str
    value_text: str = ""
    table: int | None = None
    symbol: bool = False  # a result named by its symbol ("R0", "σ") rather than in words

    @property
    def is_numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS and not isinstance(self.value, bool)

    @property
    def substantial(self) -> bool:
        """Worth a question: "two losses" or "two reasons" is filler (kept only so that a
        quantity stated twice is seen to be ambiguous); "three stages" is not."""
        if self.kind != "count":
            return True
        return self.value >= 3 or len(self.entity.split()) > 1


def extract_facts(paper: ParsedPaper) -> tuple[PaperFact, ...]:
    """Every fact found in ``paper``, ordered by where it is stated, ids ``f001``…"""
    candidates: list[PaperFact] = []
    candidates.extend(_metadata(paper))
    defined = frozenset(_acronym_names(paper))
    for block in _text_blocks(paper):
        candidates.extend(_block_facts(block, defined))
    for table in paper.tables:
        candidates.extend(_table_facts(paper, table))
    kept = []
    seen = set()

    def order(fact: PaperFact) -> tuple:
        where = paper.blocks[fact.block].text.find(fact.quote) if fact.quote else -1
        return (fact.block, where, KINDS.index(fact.kind), fact.entity, fact.attribute)

    for fact in sorted(candidates, key=order):
        identity = (fact.kind, fact.block, fact.entity, fact.attribute, fact.value_text)
        if identity in seen or not _located(paper, fact):
            continue
        seen.add(identity)
        kept.append(fact)
    return tuple(replace(fact, fact_id=f"f{i:03d}") for i, fact in enumerate(kept, start=1))


def require_substance(paper: ParsedPaper) -> None:
    """Raise ``PaperTooThin`` when ``paper`` cannot carry a challenge at all."""
    if not paper.blocks or not paper.document().strip():
        raise PaperTooThin("the paper has no text (no blocks were parsed)")
    if paper.word_count < MIN_WORDS:
        raise PaperTooThin(f"the paper has {paper.word_count} words; at least {MIN_WORDS} needed")


def skipped(paper: ParsedPaper, block: Block) -> bool:
    """Blocks no fact or planted statement comes from: references, acknowledgements…"""
    section = block.section
    while section is not None:
        if _SKIPPED_SECTIONS.match(paper.sections[section].title.strip()):
            return True
        section = paper.sections[section].parent
    return False


def _located(paper: ParsedPaper, fact: PaperFact) -> bool:
    if not 0 <= fact.block < len(paper.blocks) or not fact.quote.strip():
        return False
    return fact.quote in paper.blocks[fact.block].text and fact.value_text in fact.quote


def _text_blocks(paper: ParsedPaper) -> Iterable[Block]:
    for block in paper.blocks:
        if block.kind in ("paragraph", "caption", "list") and not skipped(paper, block):
            yield block


def _acronym_names(paper: ParsedPaper) -> Iterable[str]:
    for block in _text_blocks(paper):
        for found in patterns.acronyms(block.text):
            yield found.entity


def _block_facts(block: Block, defined: frozenset[str]) -> Iterable[PaperFact]:
    text = block.text
    finders = (
        patterns.acronyms(text),
        patterns.counts(text),
        patterns.results(text, defined),
        patterns.dates(text) if block.section is not None else (),
        patterns.enumerations(text),
    )
    for finder in finders:
        for found in finder:
            quote = sentence_at(text, found.start)
            if found.value_text not in quote:
                continue
            yield PaperFact(
                fact_id="",
                kind=found.kind,
                entity=found.entity,
                attribute=found.attribute,
                value=found.value,
                unit=found.unit,
                block=block.index,
                section=block.section,
                quote=quote,
                value_text=found.value_text,
                symbol=found.symbol,
            )


def root_section(paper: ParsedPaper, section: int | None) -> int | None:
    """The top-level section ``section`` belongs to (None for the front matter)."""
    while section is not None and paper.sections[section].parent is not None:
        section = paper.sections[section].parent
    return section


# --- tables ----------------------------------------------------------------------------------


def _table_facts(paper: ParsedPaper, table: Table) -> Iterable[PaperFact]:
    block = next((b for b in paper.blocks if b.kind == "table" and b.table == table.index), None)
    if block is None or skipped(paper, block):
        return
    labels, _ = table_columns(table)
    rows = table_rows(table)
    repeated = {label for label, _, _ in rows if [r[0] for r in rows].count(label) > 1}
    for label, cells, row in rows:
        if label in repeated:
            continue  # a repeated row label makes its cells ambiguous
        quote = row_quote(block.text, row)
        if quote is None:
            continue
        for column, cell in enumerate(cells):
            parsed = cell_number(cell) if column < len(labels) else None
            if parsed is None or not labels[column] or column == 0:
                continue
            number, unit, written = parsed
            attribute, header_unit = split_unit(labels[column])
            unit = unit or header_unit
            yield PaperFact(
                fact_id="",
                kind="table_cell",
                entity=label,
                attribute=attribute,
                value=number.value,
                unit=unit,
                block=block.index,
                section=block.section,
                quote=quote,
                value_text=written,
                table=table.index,
            )


# --- metadata --------------------------------------------------------------------------------


def _metadata(paper: ParsedPaper) -> Iterable[PaperFact]:
    meta = paper.metadata
    front = [b for b in paper.blocks[:12] if b.kind != "table"]
    if meta.title:
        for block in front:
            if normalise(meta.title) in normalise(block.text):
                quote = _verbatim(block.text, meta.title)
                if quote:
                    yield _meta_fact(block, "title", meta.title.strip(), quote, quote)
                break
    if meta.authors:
        for block in front:
            present = [a for a in meta.authors if a and a in block.text]
            if len(present) == len(meta.authors):
                start = min(block.text.index(a) for a in present)
                end = max(block.text.index(a) + len(a) for a in present)
                quote = block.text[start:end]
                yield _meta_fact(block, "number of authors", len(meta.authors), quote, "")
                break
    for block in paper.blocks:
        match = _STAMP.search(block.text)
        if match:
            quote = match.group(0).strip()
            category = match.group("category")
            yield _meta_fact(block, "arXiv primary category", category, quote, category)
            if match.group("date"):
                iso = next((d for _, _, d in find_dates(match.group("date"))), "")
                if iso:
                    yield _meta_fact(block, "submission date", iso, quote, match.group("date"))
            break
    for block in front[:8]:
        found = find_dates(block.text)
        short = block.section is None or len(block.text.split()) <= 12
        if found and short and not _STAMP.search(block.text):
            start, end, iso = found[0]
            quote = sentence_at(block.text, start)
            yield _meta_fact(block, "date", iso, quote, block.text[start:end])
            break


def _meta_fact(block: Block, attribute: str, value, quote: str, value_text: str) -> PaperFact:
    return PaperFact(
        fact_id="",
        kind="metadata",
        entity="paper",
        attribute=attribute,
        value=value,
        unit="",
        block=block.index,
        section=block.section,
        quote=quote,
        value_text=value_text,
    )


def _verbatim(text: str, wanted: str) -> str | None:
    """The span of ``text`` that reads as ``wanted`` once both are normalised."""
    target = normalise(wanted)
    if wanted in text:
        return wanted
    words = text.split()
    for i in range(len(words)):
        for j in range(i + 1, min(len(words), i + 60) + 1):
            span = " ".join(words[i:j])
            if normalise(span) == target and span in text:
                return span
    return None


# --- naming a quantity, and telling whether it is stated unambiguously -------------------------

_PREPOSITION_CONTEXT = ("on", "for", "in", "at", "among", "across", "under")


def quantity_phrase(fact: PaperFact) -> str:
    """How a sentence or question names the quantity: "the NMI of CC on the CIFAR-10
    dataset", "the number of challenging image datasets", "the ACC of PICA"."""
    attribute = lower_first(fact.attribute)
    if fact.kind in ("count", "enumeration"):
        return f"the number of {fact.entity}"
    if fact.kind == "table_cell":
        row = display(fact.entity)
        if _plural_word(attribute) and isinstance(fact.value, int):
            return f"the number of {attribute.lower()} of {row}"
        return f"the {attribute} of {row}"
    if fact.symbol:
        attribute = f"value of {attribute}"
    if not fact.entity:
        return f"the {attribute}"
    if fact.entity.split()[0].lower() in _PREPOSITION_CONTEXT:
        return f"the {attribute} {fact.entity}"
    return f"the {attribute} of {fact.entity}"


class QuantityIndex:
    """The facts grouped by the quantity they state, built once and asked many times."""

    def __init__(self, facts: Iterable[PaperFact]):
        self._groups: dict[str, list[tuple[str, PaperFact]]] = defaultdict(list)
        for fact in facts:
            key = _quantity_key(fact)
            if key is not None:
                self._groups[key[0]].append((key[1], fact))

    def competing(self, fact: PaperFact) -> list[PaperFact]:
        mine = _quantity_key(fact)
        if mine is None:
            return []
        return [
            other
            for entity, other in self._groups.get(mine[0], ())
            if other is not fact
            and entity.startswith(mine[1])
            and not same_value(other.value, fact.value)
        ]


def competing(fact: PaperFact, facts: Iterable[PaperFact] | QuantityIndex) -> list[PaperFact]:
    """Other facts stating the same quantity with a different value: a question about
    ``fact`` would be ambiguous while any of them stands. A fact about a more specific
    entity counts ("R0" is ambiguous when "R0 for the model with testing" differs). Pass a
    ``QuantityIndex`` when asking about many facts."""
    index = facts if isinstance(facts, QuantityIndex) else QuantityIndex(facts)
    return index.competing(fact)


def restates(first: PaperFact, second: PaperFact) -> bool:
    """The two facts may state one quantity in two forms (the abstract's "NMI of 0.705 on
    CIFAR-10" and Table 2's "CIFAR-10 NMI" of CC; "six benchmarks" and "six datasets"):
    the same value, and one metric's words within the other's, or both counts."""
    if not (first.is_numeric and second.is_numeric) or not same_value(first.value, second.value):
        return False
    mine, theirs = set(normalise(first.attribute).split()), set(normalise(second.attribute).split())
    return mine <= theirs or theirs <= mine or first.kind == second.kind == "count"


def same_value(first: Any, second: Any) -> bool:
    """Equal as numbers, as texts, or as counts (an enumeration counts its items)."""
    first = len(first) if isinstance(first, tuple) else first
    second = len(second) if isinstance(second, tuple) else second
    if isinstance(first, int | float) and isinstance(second, int | float):
        return abs(float(first) - float(second)) <= 1e-9 * max(1.0, abs(float(first)))
    return normalise(str(first)) == normalise(str(second))


def _quantity_key(fact: PaperFact) -> tuple[str, str] | None:
    if fact.kind in ("count", "enumeration"):
        return (f"count {_head(fact.entity)}", "")
    if fact.kind == "result":
        return (f"result {_singular(fact.attribute)}", normalise(fact.entity))
    if fact.kind == "table_cell":
        return (f"cell {fact.table} {_singular(fact.attribute)}", normalise(fact.entity))
    if fact.kind == "acronym":
        return (f"acronym {fact.entity}", "")
    return None


def _singular(phrase: str) -> str:
    """ "PRCC values" and "PRCC value" name one quantity."""
    return " ".join(
        w[:-1] if len(w) > 3 and w.endswith("s") else w for w in normalise(phrase).split()
    )


def _head(phrase: str) -> str:
    head = phrase.split()[-1].lower() if phrase.split() else ""
    return head[:-1] if head.endswith("s") else head


def _plural_word(text: str) -> bool:
    return " " not in text and len(text) > 3 and text.lower().endswith("s")


def lower_first(text: str) -> str:
    """A label inside a sentence: "Attack rate" → "attack rate"; names and acronyms
    ("NMI", "Tiny-ImageNet ARI", "ResNet") stay as they are."""
    first = text.split(" ")[0] if text else ""
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def display(label: str) -> str:
    """A row label as prose names it: "CC (Ours)" → "CC"."""
    shown = re.sub(r"\s*\((?:ours|proposed|this work)\)\s*", "", label, flags=re.IGNORECASE)
    return shown.strip() or label
