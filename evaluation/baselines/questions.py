"""Reading a question: the entities it names, the attribute it asks for, its periods and shape.

Pure and total, like ``evaluation.baselines.reading``: any string in, a ``QuestionTerms`` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from evaluation.baselines.reading import (
    GENERIC,
    STOPWORDS,
    Document,
    content_stems,
    find_word,
    name_runs,
    names_in,
    stem,
    tokenize,
    words,
)

_PERIOD = re.compile(r"\b(?:1[89]\d\d|20\d\d|Q[1-4])\b")
_SUPERLATIVE = words(
    "highest lowest largest smallest greatest most least fewest best worst maximum minimum "
    "longest shortest biggest strongest weakest fastest slowest heaviest lightest"
)
_NOT_SUPERLATIVE = words(
    "interest test latest request forest honest modest suggest harvest west rest nest digest "
    "protest contest manifest arrest earnest guest quest chest invest attest"
)
# The engine's unit hint, "(in GeV)": not part of what is asked.
_UNIT_HINT = re.compile(r"\s*\((?:in|as|to)\s[^()]{0,40}\)")
_BRIDGE = re.compile(
    r"\b(?:the|a|an)\s+(?P<kind>[\w\-]+(?:\s+[\w\-]+){0,2}?)\s+"  # "the model run"
    r"whose\s+(?P<via>[^,?()]{1,60}?)\s+(?:is|was)\s+"  # "whose lead engineer is"
    r"(?P<value>[^,?()]{1,80}?)\s*(?=[,?(.]|$)",  # "Jonas Weber"
    re.IGNORECASE,
)
_AMONG = re.compile(r"\s*among\s+[^,?]{1,120},\s*", re.IGNORECASE)
_EXTREME = re.compile(
    r"\b(?:" + "|".join(sorted(_SUPERLATIVE)) + r")\s+([^?,.;()]{1,80})", re.IGNORECASE
)
_OF_PHRASE = re.compile(
    r"\b(?:the|a|an|its|their)\s+((?:[\w\-]+\s+){0,6}?[\w\-]+)\s+(?:of|for)\b", re.IGNORECASE
)
_ASKED_PHRASE = re.compile(
    r"^\s*(?:what|which)\s+((?:[\w\-]+\s+){0,4}?[\w\-]+)\s+"
    r"(?:did|does|do|was|were|is|are|has|have|had)\b",
    re.IGNORECASE,
)
_WHICH_KIND = re.compile(r"^\s*(?:among[^,]*,\s*)?which\s+([^\W\d_][\w\-]*)", re.IGNORECASE)


@dataclass(frozen=True)
class QuestionTerms:
    """What a question asks about. ``entities`` are names it gives (or reaches through a
    bridge: "the experiment whose spokesperson is Chen Wei") that occur in the document;
    ``attribute`` the stems of the attribute phrase in order; ``query`` the stems to retrieve
    with. ``kind`` is the entity kind of a "Which <kind> …" question."""

    text: str
    entities: tuple[str, ...]
    attribute: tuple[str, ...]
    periods: tuple[str, ...]
    kind: str
    bridge: str
    superlative: bool
    how_many: bool
    query: tuple[str, ...]
    which: bool = False

    @property
    def asks_for_entity(self) -> bool:
        """The answer is a name: "Which … the highest …?", or an extreme or a "which <kind>"
        with no entity named ("What is the maximum rainfall of X?" asks for a value)."""
        if self.how_many:
            return False
        if self.which:
            return self.superlative or not self.entities
        return (self.superlative or bool(self.kind)) and not self.entities


def question_terms(question: str, document: Document) -> QuestionTerms:
    """Read a question against ``document`` (see ``QuestionTerms``)."""
    text = _UNIT_HINT.sub("", question if isinstance(question, str) else "").strip()
    body, bridge, entities = text, "", []
    match = _BRIDGE.search(body)
    if match and match.group("value")[:1].isupper():
        bridge = match.group("value").strip()
        resolved = resolve_bridge(document, bridge, match.group("via"))
        entities = [resolved] if resolved else []
        body = f"{body[: match.start()]} {body[match.end() :]}"
    among = _AMONG.match(body)
    if among:
        body = body[among.end() :]
    periods = tuple(periods_in(text))
    if not bridge:
        entities = [e for e in _named_entities(document, body) if e not in periods]
    superlative = superlative_in(text)
    phrase = _attribute_phrase(body, entities)
    ignore = {stem(t) for name in (*entities, bridge) for t in tokenize(name)} | set(periods)
    ignore |= {p.casefold() for p in periods}
    if phrase:
        attribute = [s for s in content_stems(phrase) if s not in ignore]
    else:
        attribute = [s for s in content_stems(body) if s not in ignore and s not in GENERIC]
    kind_match = _WHICH_KIND.match(text)
    kind = ""
    if kind_match and kind_match.group(1).casefold() not in STOPWORDS:
        kind = stem(kind_match.group(1).casefold())
    if match and not kind and superlative:
        kind = stem(match.group("kind").casefold())
    attribute = [s for s in attribute if s != kind] or attribute
    bridge_stems = {stem(t) for t in tokenize(bridge)} if entities and bridge else set()
    query = [s for s in content_stems(text) if s not in GENERIC and s not in bridge_stems]
    if bridge and entities:
        query += [stem(t) for t in tokenize(entities[0])]
    return QuestionTerms(
        text=text,
        entities=tuple(entities),
        attribute=tuple(dict.fromkeys(attribute)),
        periods=periods,
        kind=kind,
        bridge=bridge,
        superlative=superlative,
        how_many=bool(re.search(r"\bhow\s+many\b", text, re.IGNORECASE)),
        query=tuple(query),
        which=bool(re.search(r"\bwhich\b", text, re.IGNORECASE)),
    )


def _named_entities(document: Document, body: str) -> list[str]:
    found = [(body.find(n), n) for n in names_in(document, body)]
    for name, at in name_runs(body):
        if find_word(document.text, name) >= 0:
            found.append((at, name))
    ordered = [n for _, n in sorted(found)]
    # "VEGA" is not a second entity when "VEGA Prime" is named.
    return [n for n in dict.fromkeys(ordered) if not any(n != m and n in m for m in ordered)]


def _attribute_phrase(body: str, entities: list[str]) -> str:
    """The attribute phrase: after a superlative, or "the <phrase> of <entity>", or
    "What <phrase> did …"; "" when none of these shapes fits."""
    phrases = []
    for match in _OF_PHRASE.finditer(body):
        phrase = re.split(r"\b(?:the|a|an|between|its)\s+", match.group(1), flags=re.I)[-1]
        after = body[match.end() :].lstrip()
        named = not after.strip(" ?") or any(after.startswith(e) for e in entities)
        phrases.append((named, phrase))
    # "the maximum daily rainfall of X": a superlative inside a label is part of the label.
    named = [phrase for is_named, phrase in phrases if is_named]
    if named:
        return named[0]
    extreme = _EXTREME.search(body)
    if extreme:
        return re.split(r"\s+(?:in|among|of|for|across|per|and)\b", extreme.group(1))[0]
    if phrases:
        return phrases[0][1]
    asked = _ASKED_PHRASE.match(body)
    return asked.group(1) if asked else ""


def resolve_bridge(document: Document, value: str, via: str = "") -> str:
    """The entity a bridge value points to: the candidate name in the first unit that names
    ``value`` (preferring units that also name the bridging attribute ``via``)."""
    via_stems = set(content_stems(via))
    fallback = ""
    for unit in document.units:
        if find_word(unit.text, value) < 0:
            continue
        if unit.kind == "row" and unit.cells:
            return unit.cells[0]
        names = [n for n in names_in(document, unit.text) if n not in value and value not in n]
        in_table = [n for n in names if n in document.table_names]
        names = in_table or names
        if names and via_stems & set(content_stems(unit.text)):
            return names[0]
        fallback = fallback or (names[0] if names else "")
    return fallback


@lru_cache(maxsize=4096)
def superlative_in(text: str) -> bool:
    """Whether a question asks for an extreme ("highest", "wettest", "most")."""
    return any(
        t in _SUPERLATIVE or (len(t) > 5 and t.endswith("est") and t not in _NOT_SUPERLATIVE)
        for t in tokenize(text)
    )


def periods_in(text: str) -> list[str]:
    """Years and quarters named in ``text`` ("2023", "Q3"), in order."""
    return _PERIOD.findall(text)
