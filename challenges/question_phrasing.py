"""How a question asks for one fact of a paper, and how its answer is written.

Pure: no Django. ``ask(fact)`` gives the question text, the gold answer (the value as the
paper writes it) and its aliases; ``clause(fact)`` the same question as a clause that a
cross-section question joins with others. ``rename`` swaps an acronym for its full name, which
turns a direct question into a bridge through the acronym's definition.
"""

from __future__ import annotations

import re

from challenges.facts import PaperFact, display, lower_first, quantity_phrase
from challenges.paper import ParsedPaper
from challenges.paper_tables import table_number
from challenges.paper_text import NUMBER_WORDS
from challenges.questions import number_aliases, unit_hint

Rename = tuple[str, str] | None
_PREPOSITIONS = ("on", "for", "in", "at", "among", "across", "under")


def swap(text: str, rename: Rename) -> str:
    if rename is None:
        return text
    short, long = rename
    return re.sub(rf"(?<![\w-]){re.escape(short)}(?![\w-])", long, text)


def article(word: str) -> str:
    """ "a"/"an" by sound: "an NMI", "an ARI", "a CIFAR-10 NMI", "an incubation period"."""
    first = word.split()[0] if word.split() else word
    if len(first) > 1 and first.isupper():
        return "an" if first[0] in "AEFHILMNORSX" else "a"
    return "an" if first[:1].lower() in "aeiou" else "a"


column_name = lower_first


def above(column: str, threshold: str, unit: str, whole: bool) -> str:
    """ "more than 62 cases", "an NMI above 0.172", "an attack rate above 20.2%"."""
    name = column_name(column)
    if " " not in name and name.lower().endswith("s") and whole:
        return f"more than {threshold} {name.lower()}"
    return f"{article(name)} {name} above {threshold}{'%' if unit == '%' else ''}"


def is_symbol(attribute: str) -> bool:
    """ "R0", "τC", "σ": a quantity named by its symbol rather than in words."""
    return " " not in attribute and (len(attribute) <= 3 or not attribute.isascii())


def table_label(paper: ParsedPaper, fact: PaperFact) -> str:
    return f"Table {table_number(paper.tables[fact.table])}" if fact.table is not None else ""


def ask(paper: ParsedPaper, fact: PaperFact, rename: Rename = None) -> tuple[str, str, tuple]:
    """(question, gold, aliases) asking for ``fact``'s value."""
    gold = fact.value_text or str(fact.value)
    if fact.kind == "acronym":
        long = fact.value
        aliases = (long.lower(), long.replace("-", " "), long.title())
        return f"What does the abbreviation {fact.entity} stand for in this paper?", long, aliases
    if fact.kind == "enumeration":
        items = list(fact.value)
        count = NUMBER_WORDS[len(items)] if len(items) < len(NUMBER_WORDS) else str(len(items))
        aliases = (", ".join(items), "; ".join(items), " and ".join(items))
        return f"Which {count} {fact.entity} does the paper list?", gold, aliases
    if fact.kind == "metadata":
        return _metadata(fact)
    text = f"{_capitalise(clause(paper, fact, rename, subject='the paper'))}?"
    return text, gold, number_aliases(gold, fact.unit, fact.entity if fact.kind == "count" else "")


def clause(paper: ParsedPaper, fact: PaperFact, rename: Rename = None, *, subject="it") -> str:
    """The question as a clause: "how many competitive clustering methods does CC
    outperform", "what NMI does it report for CC on the CIFAR-10 dataset"."""
    if fact.kind == "count":
        verb = count_verb(fact)
        if verb is not None:
            name, phrase = verb
            return f"how many {fact.entity} does {swap(name, rename)} {phrase}"
        return f"how many {fact.entity} does {subject} report"
    if fact.kind == "table_cell":
        thing = swap(quantity_phrase(_displayed(fact)), rename)
        return f"what is {thing} in {table_label(paper, fact)}{unit_hint(fact.unit)}"
    if fact.kind == "result":
        attribute = swap(fact.attribute, rename)
        entity = swap(fact.entity, rename)
        where = ""
        if entity:
            where = f" {entity}" if entity.split()[0].lower() in _PREPOSITIONS else f" for {entity}"
        if fact.symbol:
            return f"what value does {subject} give for {attribute}{where}{unit_hint(fact.unit)}"
        return f"what {attribute} does {subject} report{where}{unit_hint(fact.unit)}"
    if fact.kind == "acronym":
        return (
            f"what does {fact.entity} stand for in {subject}"
            if subject != "it"
            else (f"what does {fact.entity} stand for")
        )
    if fact.kind == "enumeration":
        return f"which {len(fact.value)} {fact.entity} does {subject} list"
    template = _META_CLAUSES.get(fact.attribute, "what is {own} {attribute}")
    own = "its" if subject == "it" else f"{subject}'s"
    return template.format(subject=subject, own=own, attribute=fact.attribute)


def count_verb(fact: PaperFact) -> tuple[str, str] | None:
    """(subject, verb) when the quote reads "CC remarkably outperforms 17 competitive
    clustering methods": the question can then ask what the subject does."""
    match = re.search(
        rf"\b([A-Z][\w\-]*)\s+((?:[a-z]+ly\s+)?)([a-z]+s)\s+{re.escape(fact.value_text)}\s+"
        rf"{re.escape(fact.entity)}",
        fact.quote,
    )
    if not match or sum(c.isupper() for c in match.group(1)) < 2:
        return None
    verb = match.group(3)
    if verb in ("is", "was", "has", "does", "uses", "includes"):
        return None
    base = verb[:-2] if verb.endswith(("ches", "shes", "sses", "xes", "zes")) else verb[:-1]
    return match.group(1), f"{match.group(2)}{base}"


def _displayed(fact: PaperFact) -> PaperFact:
    from dataclasses import replace

    return replace(fact, entity=display(fact.entity))


def _metadata(fact: PaperFact) -> tuple[str, str, tuple]:
    value = str(fact.value)
    written = (fact.value_text,) if fact.value_text and fact.value_text != value else ()
    questions = {
        "title": "What is the title of the paper?",
        "arXiv primary category": "Under which arXiv primary category was the paper filed?",
        "submission date": "On what date was the paper submitted to arXiv?",
        "date": "What date does the paper's first page carry?",
        "number of authors": "How many authors does the paper list?",
    }
    return (
        questions.get(fact.attribute, f"What is the {fact.attribute} of the paper?"),
        value,
        written,
    )


_META_CLAUSES = {
    "title": "what is {own} title",
    "arXiv primary category": "under which arXiv primary category was {subject} filed",
    "submission date": "on what date was {subject} submitted to arXiv",
    "date": "what date does {own} first page carry",
}


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]
