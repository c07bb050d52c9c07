"""How numbers, dates and sentences are written in papers: shared by the fact extractor, the
conflict planter, the question writer and the real-paper verifier.

Pure: no Django, no PyMuPDF. A number keeps the way it was written (decimals, thousands
separators, spelled out) so a planted value can be written the same way, and every spelling
a grader might compare (including JavaScript's ``String()`` of the exported JSON number) is
known, so a planted value is never confusable with the true one.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from challenges.engine.forms import NUMBER_WORDS, number_text

WORD_NUMBERS = {word: value for value, word in enumerate(NUMBER_WORDS) if value > 0}
WORD_NUMBERS.update({"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100})
_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))

# A number as printed: "6,181", "0.705", "12", "1.3761468". Not part of a name ("CIFAR-10",
# "ResNet34", "[17]" is allowed through and filtered by context), not a version ("2.1.3").
NUMBER = re.compile(
    r"(?<![\w.\-/\u2010\u2011])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?![\w]|\.\d|,\d{3})"
)
NUMBER_WORD = re.compile(rf"\b({_WORDS})\b", re.IGNORECASE)


@dataclass(frozen=True)
class NumberText:
    """A number and how it was written."""

    text: str
    value: int | float
    decimals: int
    grouped: bool = False
    word: bool = False

    @property
    def is_int(self) -> bool:
        return self.decimals == 0


def read_number(text: str) -> NumberText | None:
    """The number ``text`` spells (digits or a number word), or None."""
    text = text.strip()
    lowered = text.lower()
    if lowered in WORD_NUMBERS:
        return NumberText(text, WORD_NUMBERS[lowered], 0, word=True)
    match = NUMBER.fullmatch(text)
    if match is None:
        return None
    whole, fraction = match.group(1), match.group(2) or ""
    decimals = len(fraction) - 1 if fraction else 0
    digits = whole.replace(",", "") + fraction
    value: int | float = float(digits) if decimals else int(digits)
    return NumberText(text, value, decimals, grouped="," in whole)


def write_like(value: float, like: NumberText) -> str:
    """``value`` written the way ``like`` was: same decimals, separators, words, case."""
    if like.word and like.is_int and 0 < value < len(NUMBER_WORDS):
        word = NUMBER_WORDS[int(value)]
        return word.capitalize() if like.text[:1].isupper() else word
    text = f"{value:.{like.decimals}f}"
    if like.grouped or abs(value) >= 10_000:
        text = f"{value:,.{like.decimals}f}"
    return text


def json_value(number: NumberText) -> int | float:
    """The number as the exported JSON carries it: an int when written without decimals."""
    if number.is_int:
        return int(number.value)
    return round(float(number.value), number.decimals)


def spellings(number: NumberText) -> set[str]:
    """Every way a grader may see the number: as written, grouped or not, as a word, and as
    JavaScript's ``String()`` prints the exported JSON number (0.640 → "0.64")."""
    value = json_value(number)
    shortest = str(int(value)) if float(value).is_integer() else repr(float(value))
    found = {
        number.text,
        number_text(float(value), number.decimals),
        number_text(float(value), number.decimals, grouped=False),
        f"{float(value):,.{number.decimals}f}",
        shortest,
    }
    if number.is_int and 0 < value < len(NUMBER_WORDS):
        found.add(NUMBER_WORDS[int(value)])
    return {text.lower() for text in found}


def distinguishable(first: NumberText, second: NumberText) -> bool:
    """Neither number's spellings contain the other's (so "1.5" and "11.5" are refused)."""
    a, b = spellings(first), spellings(second)
    return not any(x in y or y in x for x in a for y in b)


def stated(value: int | float, text: str) -> bool:
    """``verify.check_facts_stated``'s test: the value's plain spelling occurs in ``text``."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value) in text
    decimals = 0 if isinstance(value, int) else len(repr(float(value)).split(".")[1])
    return any(
        form in text
        for form in (number_text(value, decimals), number_text(value, decimals, grouped=False))
    )


# --- normalising text for matching ------------------------------------------------------------

_SEPARATOR = re.compile(r"(?<=\d)[,\u2009\u202f](?=\d{3}(?!\d))")
_QUOTES = str.maketrans(
    {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2212": "-", "\u2013": "-"}
)


def normalise(text: str) -> str:
    """Case, unicode compatibility forms (ligatures), thousands separators, dashes and
    spaces folded, so "6,181 Tests" matches "6181 tests"."""
    text = unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()
    text = _SEPARATOR.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def contains(haystack: str, needle: str) -> bool:
    """``needle`` occurs in ``haystack`` as whole tokens, after normalising both."""
    needle = normalise(needle)
    if not needle:
        return False
    pattern = rf"(?<![\w.]){re.escape(needle)}(?![\w]|\.\d)"
    return re.search(pattern, normalise(haystack)) is not None


# --- sentences -------------------------------------------------------------------------------

_ABBREVIATIONS = ("e.g.", "i.e.", "et al.", "Fig.", "Figs.", "Eq.", "Eqs.", "vs.", "cf.", "No.")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”)]?\s+(?=[A-Z(\[“\"])")


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of ``text``; abbreviations do not end one."""
    spans, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        before = text[max(0, match.start() - 8) : match.start()]
        if any(before.endswith(a) for a in _ABBREVIATIONS) or re.search(r"\b[A-Z]\.$", before):
            continue
        spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_at(text: str, position: int, *, limit: int = 320) -> str:
    """The sentence of ``text`` around ``position`` (a clause of it when very long)."""
    for start, end in sentences(text):
        if start <= position < end:
            quote = text[start:end]
            if len(quote) <= limit:
                return quote.strip()
            return _clause(text, start, end, position, limit)
    return text[max(0, position - limit // 2) : position + limit // 2].strip()


def _clause(text: str, start: int, end: int, position: int, limit: int) -> str:
    left = max(start, position - limit // 2)
    cut = text.rfind(", ", start, position)
    if cut != -1 and position - cut < limit // 2:
        left = cut + 2
    right = min(end, left + limit)
    cut = text.find(", ", position, right)
    if cut != -1:
        right = cut
    return text[left:right].strip()


# --- dates -----------------------------------------------------------------------------------

_MONTH_NAMES = (
    "january jan",
    "february feb",
    "march mar",
    "april apr",
    "may",
    "june jun",
    "july jul",
    "august aug",
    "september sep sept",
    "october oct",
    "november nov",
    "december dec",
)
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names.split()}
_MONTH = r"(?P<month>(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?)"
DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<d1>\d{{1,2}}),?\s+(?P<y1>(?:19|20)\d\d)"
    rf"|(?P<d2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\s+(?P<y2>(?:19|20)\d\d)"
    r"|(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d))\b",
    re.IGNORECASE,
)


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of every full date written in ``text``."""
    found = []
    for match in DATE.finditer(text):
        if match.group("iso"):
            iso = match.group("iso")
        else:
            month = (match.group("month") or match.group("month2")).rstrip(".").lower()
            day = int(match.group("d1") or match.group("d2"))
            year = int(match.group("y1") or match.group("y2"))
            if not 1 <= day <= 31:
                continue
            iso = f"{year:04d}-{MONTHS[month]:02d}-{day:02d}"
        found.append((match.start(), match.end(), iso))
    return found


def dates_in(text: str) -> set[str]:
    return {iso for _, _, iso in find_dates(text)}
