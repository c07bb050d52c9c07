"""An independent reader of engine documents: it knows the surface forms, not the table.

It reads the roster, the results table, key–value blocks, series sentences and every
narrative, parenthetical and cue template, and rebuilds the facts from the rendered text
alone. A fact stated more than once is resolved by authority: statements written in a
lower-authority cue form lose to the others; two different values that no cue separates
are ambiguous, and asking for them raises ``Unanswerable``. The verifier answers every
question program through this reader and compares with the gold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from challenges.engine import cues, forms
from challenges.engine.programs import Unanswerable
from challenges.engine.spec import Categorical, DomainLibrary, Numeric, Series

_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?"
_NAME = r"[A-Z0-9][\w\-]*(?: [A-Z0-9][\w\-]*)*"
_SENTENCE_BREAK = re.compile(r"(?<=[.?!])\s+(?=[A-Z0-9])")
_LIST_SPLIT = re.compile(r", | and ")

PLAIN, SUBORDINATE, AUTHORITATIVE = "plain", cues.SUBORDINATE, cues.AUTHORITATIVE


@dataclass(frozen=True)
class Reading:
    entity: str
    key: str
    period: str | None
    value: str  # the number's text (no unit) or the label
    authority: str
    quote: str


@dataclass(frozen=True)
class _Form:
    pattern: re.Pattern
    anchor: str
    kind: str  # "numeric", "categorical", "parenthetical", "series_list", "series_pairs"
    authority: str = PLAIN


def _alternation(labels) -> str:
    return "|".join(re.escape(label) for label in sorted(labels, key=len, reverse=True))


def _compile(template: str, kind: str, library: DomainLibrary, authority: str = PLAIN) -> _Form:
    numeric = _alternation(a.label for a in library.numeric)
    categorical = _alternation(c.label for c in library.categorical)
    series = _alternation(s.label for s in library.series)
    label = {"numeric": numeric, "categorical": categorical, "parenthetical": numeric}.get(
        kind, series
    )
    value = r"(?P<number>" + _NUMBER + r")(?P<unit>[^()]*?)"
    groups = {
        "entity": rf"(?P<entity>{_NAME})",
        "label": rf"(?P<label>{label})",
        "value": r"(?P<value>.+?)" if kind == "categorical" else value,
        "table": r"[A-Z]?\d+",
        "a": r"(?:a|an)",
        "cat_value": r"(?P<cat_value>.+?)",
        "cat_label": rf"(?P<cat_label>{categorical})",
        "values": r"(?P<values>.+?)",
        "periods": r"(?P<periods>.+?)",
        "pairs": r"(?P<pairs>.+?)",
        "unit": r"(?P<series_unit>.*?)",
    }
    parts = re.split(r"(\{\w+\})", template)
    regex = "".join(groups[p[1:-1]] if p.startswith("{") else re.escape(p) for p in parts)
    literals = [p for p in parts if p and not p.startswith("{")]
    anchor = max(literals, key=len).strip() if literals else ""
    return _Form(re.compile(regex), anchor, kind, authority)


_FORMS: dict[str, tuple[_Form, ...]] = {}


def _forms(library: DomainLibrary) -> tuple[_Form, ...]:
    """The compiled forms of one library (compiled once per process)."""
    if library.name not in _FORMS:
        _FORMS[library.name] = _build_forms(library)
    return _FORMS[library.name]


def _build_forms(library: DomainLibrary) -> tuple[_Form, ...]:
    built = [_compile(t, "numeric", library, c.authority) for c in cues.CUES.values()
             for t in c.templates]  # fmt: skip
    built += [_compile(t, "numeric", library) for t in forms.NUMERIC_NARRATIVE]
    built.append(_compile(forms.NUMERIC_PARENTHETICAL, "parenthetical", library))
    built += [_compile(t, "categorical", library) for t in forms.CATEGORICAL_NARRATIVE]
    built.append(_compile(forms.SERIES_RESPECTIVELY, "series_list", library))
    built.append(_compile(forms.SERIES_PAIRED, "series_pairs", library))
    return tuple(built)


@dataclass
class TextReading:
    """Everything the reader found in one document."""

    library: DomainLibrary
    roster: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    unattached: list[str] = field(default_factory=list)


def read_document(text: str, library: DomainLibrary) -> TextReading:
    result = TextReading(library)
    by_label = {a.label.lower(): a for a in (*library.numeric, *library.categorical)}
    for paragraph in text.split("\n\n"):
        entity = None
        header: list[Numeric | None] | None = None
        for line in paragraph.split("\n"):
            if line.startswith("|"):
                header = _table_line(result, library, line, header)
                continue
            match = re.fullmatch(re.escape(forms.KEY_VALUE_HEADER).replace(
                re.escape("{entity}"), rf"(?P<entity>{_NAME})"), line)  # fmt: skip
            if match:
                entity = match["entity"]
                continue
            if entity is not None and ": " in line:
                label, _, value = line.partition(": ")
                attribute = by_label.get(label.lower())
                if isinstance(attribute, Numeric):
                    _add_number(result, entity, attribute, value, PLAIN, line)
                    continue
            for sentence in _SENTENCE_BREAK.split(line):
                _sentence(result, library, sentence)
    return result


def _sentence(result: TextReading, library: DomainLibrary, sentence: str) -> None:
    if not result.roster:
        roster = _roster(sentence, library)
        if roster:
            result.roster = roster
            return
    for form in _forms(library):
        if form.anchor not in sentence:
            continue
        match = form.pattern.fullmatch(sentence)
        if match is None:
            continue
        _apply(result, library, form, match, sentence)
        return


def _roster(sentence: str, library: DomainLibrary) -> list[str]:
    prefix = f" {library.entity_plural}: "
    if not sentence.startswith("The report covers ") or prefix not in sentence:
        return []
    names = sentence.split(prefix, 1)[1].rstrip(".")
    return [n for n in _LIST_SPLIT.split(names) if n]


def _apply(result, library, form: _Form, match: re.Match, sentence: str) -> None:
    entity = match["entity"]
    by_label = {a.label: a for a in (*library.numeric, *library.categorical, *library.series)}
    attribute = by_label[match["label"]]
    if form.kind == "categorical":
        _add(result, entity, attribute.key, None, match["value"], PLAIN, sentence)
    elif form.kind in ("numeric", "parenthetical"):
        _add_number(result, entity, attribute, match["number"] + match["unit"], form.authority,
                    sentence)  # fmt: skip
        if form.kind == "parenthetical":
            categorical = by_label[match["cat_label"]]
            _add(result, entity, categorical.key, None, match["cat_value"], PLAIN, sentence)
    elif form.kind == "series_list":
        values = _LIST_SPLIT.split(match["values"])
        periods = _LIST_SPLIT.split(match["periods"])
        if len(values) == len(periods):
            for value, period in zip(values, periods, strict=True):
                _add_number(result, entity, attribute, value, PLAIN, sentence, period)
    else:
        for pair in _LIST_SPLIT.split(match["pairs"]):
            value, _, period = pair.partition(" in ")
            _add_number(result, entity, attribute, value, PLAIN, sentence, period)


def _add_number(result, entity, attribute: Numeric | Series, text: str, authority, quote,
                period=None) -> None:  # fmt: skip
    match = re.fullmatch(rf"\s*(?P<number>{_NUMBER})(?P<unit>.*)", text)
    if match is None:
        result.unattached.append(quote)
        return
    unit = match["unit"].strip()
    expected = "" if isinstance(attribute, Series) else attribute.unit
    if unit != expected.strip():
        result.unattached.append(quote)
        return
    _add(result, entity, attribute.key, period, match["number"].replace(",", ""), authority, quote)


def _add(result: TextReading, entity, key, period, value, authority, quote) -> None:
    if result.roster and entity not in result.roster:
        result.unattached.append(quote)
        return
    result.readings.append(Reading(entity, key, period, value, authority, quote))


def _table_line(result, library, line: str, header):
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if header is None:
        by_label = {forms.capitalise(a.label): a for a in library.numeric}
        return [None] + [by_label.get(re.sub(r" \([^)]*\)$", "", c)) for c in cells[1:]]
    if set("".join(cells)) <= set("-"):
        return header
    entity = cells[0]
    for attribute, cell in zip(header[1:], cells[1:], strict=False):
        if attribute is not None:
            _add(result, entity, attribute.key, None, cell.replace(",", ""), PLAIN, line)
    return header


class TextView:
    """The reader's facts through the program interface (``programs.View``)."""

    def __init__(self, reading: TextReading):
        self.library = reading.library
        self.reading = reading
        grouped: dict[tuple, list[Reading]] = {}
        for item in reading.readings:
            grouped.setdefault((item.entity, item.key, item.period), []).append(item)
        self._facts = grouped

    def entities(self) -> list[str]:
        return list(self.reading.roster)

    def _resolve(self, entity, key, period=None) -> tuple[Reading, Reading | None]:
        items = self._facts.get((entity, key, period))
        if not items:
            raise Unanswerable(f"the text never states {key} of {entity}")
        values = {i.value for i in items}
        if len(values) == 1:
            return items[0], None
        kept = [i for i in items if i.authority != SUBORDINATE]
        if len({i.value for i in kept}) != 1:
            raise Unanswerable(f"the text gives {key} of {entity} as {sorted(values)}")
        rejected = next(i for i in items if i.authority == SUBORDINATE)
        return kept[0], rejected

    def number(self, entity: str, key: str, period: str | None = None) -> float:
        return float(self._resolve(entity, key, period)[0].value)

    def label(self, entity: str, key: str) -> str:
        attribute = self.library.attribute(key)
        if not isinstance(attribute, Categorical):
            raise Unanswerable(f"{key} is not a label")
        return self._resolve(entity, key)[0].value

    def quote(self, entity: str, key: str, period: str | None = None) -> str:
        return self._resolve(entity, key, period)[0].quote

    def conflict(self, entity: str, key: str) -> tuple[str, str] | None:
        _, rejected = self._resolve(entity, key)
        if rejected is None:
            return None
        attribute = self.library.attribute(key)
        value = forms.number_text(float(rejected.value), attribute.decimals)
        return rejected.quote, forms.with_unit(value, attribute.unit)

    def stated_twice(self) -> list[tuple[str, str]]:
        """(entity, key) pairs the text states with two different values."""
        return [
            (entity, key)
            for (entity, key, period), items in self._facts.items()
            if period is None and len({i.value for i in items}) > 1
        ]
