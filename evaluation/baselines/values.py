"""Values inside a reading unit: numbers with their unit, periods, table cells, labels.

Pure and total. ``extract_values`` finds the numbers a sentence states (``12,450``, ``3.5%``,
``412.5 K``, ``-0.25``) and skips those that state nothing: reference numbers ("Table 3"),
years used as periods ("in 2021, 2022 and 2023"), digits inside names ("ARGUS-7", "Q3").
``answer_in_unit`` picks the value a question's attribute points to.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from evaluation.baselines.reading import STOPWORDS, Unit, find_word, stem, tokenize, words

# Not glued to a word, a decimal point or an exponent, and not the digits of a name such as
# "ARGUS-7" (a letter then a hyphen); a digit then a hyphen is a range ("25-50"), kept.
_NUMBER = re.compile(
    r"(?<![\w.,/^])(?<![^\W\d_][-‐])(?<!\^[-−])"
    r"(?P<sign>[-−](?=\d))?(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<unit>\s?(?:%|‰|°\s?[CFK]\b|[^\W\d_][\w/^\-·°µ]*))?"
)
_REFERENCE_WORDS = words(
    "table tables figure figures fig figs section sections sec eq eqs equation equations "
    "appendix chapter ref refs step tier phase version no"
)
_UNIT_WORDS = words(
    "percent hours minutes seconds months weeks channels degrees metres meters kilometres "
    "points cycles samples events patients participants subjects qubits ancillae volts watts"
)
_PERIOD_WORDS = words("in during since by from until till to of between through for early late")
_PERIOD_TOKEN = re.compile(r"\b(?:1[89]\d\d|20\d\d|Q[1-4])\b")
_SMALL_NUMBERS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty"
)
NUMBER_WORDS = {word: index for index, word in enumerate(_SMALL_NUMBERS.split())} | {
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
    "dozen": 12,
}
_COUNT = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b|\d+(?:,\d{3})*", re.IGNORECASE)
_AFTER_LABEL = re.compile(
    r"^\W{0,3}(?:of\b[^,.;:]{0,60}?\s)?(?:is|was|were|are|as|of|equals|:|=)\s+"
    r"(?:a |an |the )?(?P<value>[^,.;:()\[\]]{1,60}?)"
    r"(?=\s+(?:and|in|for|with|at|on|by|from|during|while|which|that|to)\b|\s*[,.;:()]|\s*$)",
    re.IGNORECASE,
)
_LEADS_TO_NUMBER = re.compile(
    r"\s+(?:at|to|as|of|near|around|about|roughly|approximately|by)\s+(?:about\s+)?[-−]?\d"
)
_LABEL_TRIGGERS = words("a an the uses used lists has had have names")


@dataclass(frozen=True)
class Value:
    """A number a unit states: ``text`` as an answer would give it (no unit, no thousands
    separators, ASCII minus), ``number`` its float, ``unit`` the word after it, offsets."""

    text: str
    number: float
    unit: str
    start: int
    end: int


def extract_values(text: str, *, mask: Sequence[str] = ()) -> list[Value]:
    """Numbers ``text`` states, in order. Names in ``mask`` are blanked out first, so that
    their digits ("Station 12") are not read as values."""
    text = _masked(text, mask)
    values: list[Value] = []
    previous_was_period = False
    for match in _NUMBER.finditer(text):
        digits = match.group("digits")
        unit = _unit(match.group("unit") or "")
        # A bounded look back: slicing from the start would be quadratic on long numbers.
        before = text[max(0, match.start() - 24) : match.start()].rstrip()
        previous_word = (tokenize(before)[-1:] or [""])[0]
        if previous_word in _REFERENCE_WORDS:
            previous_was_period = False
            continue
        if _is_period(digits, unit, before, previous_word, previous_was_period):
            previous_was_period = True
            continue
        previous_was_period = False
        written = ("-" if match.group("sign") else "") + digits.replace(",", "")
        number = _to_float(written)
        if number is not None:
            values.append(Value(written, number, unit, match.start(), match.end("digits")))
    return values


def _unit(word: str) -> str:
    """The word after a number is its unit when it looks like one: a symbol ("%", "°C"), a
    short word ("K", "GeV", "mm"), a word with capitals or signs ("Hz/nb", "fb^-1"), or a
    known unit word ("hours", "channels"); "overall" or "respectively" is not."""
    word = word.strip()
    folded = word.casefold()
    if not word or folded in STOPWORDS:
        return ""
    if len(word) <= 5 or not word.isalpha() or not word.islower() or folded in _UNIT_WORDS:
        return word
    return ""


def _is_period(digits: str, unit: str, before: str, word: str, previous_was_period: bool) -> bool:
    """A year with no unit after a period word ("in 2021") or continuing a list of years."""
    if unit or not re.fullmatch(r"1[89]\d\d|20\d\d", digits):
        return False
    if word in _PERIOD_WORDS:
        return True
    return previous_was_period and (before.endswith(",") or word in ("and", "or"))


def _to_float(text: str) -> float | None:
    try:
        number = float(text)
    except (ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


def _masked(text: str, mask: Sequence[str]) -> str:
    for name in mask:
        if name and name in text and any(c.isdigit() for c in name):
            text = text.replace(name, " " * len(name))
    return text


def attribute_span(text: str, attribute: Sequence[str]) -> tuple[int, int] | None:
    """Where the attribute phrase sits in ``text``: the whole phrase when its words appear in
    order, else from the first to the last of its words' first mentions; None if absent."""
    if not attribute:
        return None
    tokens = [(stem(m.group().casefold()), m.start(), m.end()) for m in _word_spans(text)]
    stems = [t[0] for t in tokens]
    size = len(attribute)
    for i in range(len(tokens) - size + 1):
        if tuple(stems[i : i + size]) == tuple(attribute):
            return tokens[i][1], tokens[i + size - 1][2]
    firsts = [next((t for t in tokens if t[0] == a), None) for a in attribute]
    found = [t for t in firsts if t is not None]
    if not found:
        return None
    return min(t[1] for t in found), max(t[2] for t in found)


def _word_spans(text: str):
    return re.finditer(r"[^\W_]+", text)


def value_after(
    text: str, attribute: Sequence[str], *, period: str = "", mask: Sequence[str] = ()
) -> Value | None:
    """The value the attribute phrase points to: the first one after it, else the nearest
    before it. With a ``period``, the value stated for that period ("20.1 in 2023", or the
    matching place in "… 14.5, 20.1 and 31.7 in 2022, 2023 and 2024 respectively")."""
    values = extract_values(text, mask=mask)
    if not values:
        return None
    span = attribute_span(text, attribute)
    following = [v for v in values if v.start >= span[1]] if span else values
    if period:
        chosen = _value_for_period(_masked(text, mask), following or values, period)
        if chosen is not None:
            return chosen
    return following[0] if following else max(values, key=lambda v: v.end)


def _value_for_period(text: str, values: list[Value], period: str) -> Value | None:
    mentions = [(m.group(), m.start()) for m in _PERIOD_TOKEN.finditer(text)]
    at = next((start for p, start in mentions if p == period), -1)
    if at < 0:
        return None
    for value in values:
        if value.end <= at and re.fullmatch(
            r"\s*(?:\S+\s+)?(?:in|during|for)\s+", text[value.end : at]
        ):
            return value
    listed = [v for v in values if v.start < mentions[0][1]]
    if len(mentions) > 1 and len(listed) == len(mentions):
        return listed[[p for p, _ in mentions].index(period)]
    before = [v for v in values if v.end <= at]
    return before[-1] if before else None


def row_cell(unit: Unit, attribute: Sequence[str], *, period: str = "") -> str:
    """The cell of a table row under the header that best matches the attribute (or names
    the period); "" when no header matches."""
    wanted = set(attribute)
    best, best_score = -1, 0.0
    for column, name in enumerate(unit.header[1:], start=1):
        header = {stem(t) for t in tokenize(name)}
        score = len(wanted & header) + (2 if period and period.casefold() in header else 0)
        if score > best_score:
            best, best_score = column, score
    if best < 0 or best >= len(unit.cells):
        return ""
    cell = unit.cells[best]
    values = extract_values(cell)
    return values[0].text if values else cell


def label_near(text: str, attribute: Sequence[str], *, mask: Sequence[str] = ()) -> str:
    """A categorical value next to the attribute phrase: "The detector type of X is drift
    chamber", "X has drift chamber as its detector type", "used a nickel catalyst"."""
    span = attribute_span(text, attribute)
    if span is None:
        return ""
    rest = text[span[1] :]
    after = _AFTER_LABEL.match(rest)
    # "… was set at 12.5 GeV": a verb that leads to a number is not a label.
    if after and not _LEADS_TO_NUMBER.match(rest[after.end() :]):
        value = re.sub(r"^(?:a|an|the)\s+", "", after.group("value").strip(), flags=re.I)
        if value and not any(find_word(value, name) >= 0 for name in mask):
            return value
    return _label_before(text[: span[0]], mask)


def _label_before(text: str, mask: Sequence[str]) -> str:
    """The one to four words between a trigger word and the attribute, none of them a stop
    word: "… used a nickel <attribute>", "… has drift chamber as its <attribute>"."""
    if text and not text[-1].isspace():
        return ""  # the attribute starts mid-word ("per-patient"): no label before it
    tokens = re.sub(r"\s+as\s+(?:its|the|their)\s*$", " ", text, flags=re.I).split()[-8:]
    label: list[str] = []
    for token in reversed(tokens):
        if token.casefold() in _LABEL_TRIGGERS:
            break
        if token.casefold() in STOPWORDS or not re.fullmatch(r"[\w'’\-‐]+", token):
            return ""
        label.insert(0, token)
        if len(label) > 4:
            return ""
    else:
        return ""
    value = " ".join(label)
    if not label or any(find_word(value, name) >= 0 for name in mask):
        return ""
    return value


def answer_in_unit(
    unit: Unit, attribute: Sequence[str], *, period: str = "", mask: Sequence[str] = ()
) -> str:
    """The answer a unit gives to an attribute question: the matching cell of a table row,
    else the number the attribute points to, else a label next to it; "" when none."""
    if unit.kind == "row":
        return row_cell(unit, attribute, period=period)
    if unit.kind == "key_value":
        key, _, rest = unit.text.partition(":")
        if attribute_span(key, attribute) is not None:
            value = value_after(rest, (), period=period, mask=mask)
            return value.text if value else rest.strip().rstrip(".")
    # A label next to the attribute ("a nickel catalyst at 295 °C") beats a number further
    # on; a "label" with digits in it is a number with its unit ("12.5 GeV").
    label = label_near(unit.text, attribute, mask=mask)
    if label and not any(c.isdigit() for c in label):
        return label
    value = value_after(unit.text, attribute, period=period, mask=mask)
    return value.text if value is not None else label


def count_near(text: str, attribute: Sequence[str]) -> str:
    """A count next to the attribute words ("Six conversion trials were run" → "6")."""
    span = attribute_span(text, attribute)
    matches = list(_COUNT.finditer(text))
    if not matches:
        return ""
    # "Six conversion trials were run": a count just before the counted noun comes first.
    start = span[0] if span else 0
    before = [m for m in matches if m.end() <= start and start - m.end() <= 30]
    match = before[-1] if before else min(matches, key=lambda m: abs(m.start() - start))
    word = match.group().casefold()
    return str(NUMBER_WORDS[word]) if word in NUMBER_WORDS else word.replace(",", "")
