"""Numbers as numbers, for strict grading.

The public scorer glues every digit of an answer together ("12 of 15" reads
as 1215). Strict mode instead finds each quantity in the text: thousands
separators ("1,963"), decimals, signs (ASCII hyphen or U+2212), percentages
("85%", "85 percent"), scientific notation ("1e5", "3 × 10^7", "10³"),
units glued on ("12nm", "~2x") and number words up to the nineties
("twelve", "forty-six"). A hyphen between two numbers is a range, not a
minus ("25-50%", "1985–2014"), and powers on units ("cm⁻²") are not
quantities. Letters right before digits make an identifier, not a number
("GSE45719", "v0.3", "q01").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_SUPERSCRIPT_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺]+")

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ONES = "|".join(name for name, value in _UNITS.items() if 1 <= value <= 9)
_WORDS = (
    # Every number word starts with one of these letters; checking first is 3x faster.
    r"\b(?=[efnostz])(?:(?P<tens>" + "|".join(_TENS) + r")(?:[- ](?P<ones>" + _ONES + r"))?"
    r"|(?P<unit>" + "|".join(sorted(_UNITS, key=len, reverse=True)) + r"))\b"
)
_PLAIN = (
    r"(?P<sign>(?<![\w.)\]])[-+])?(?<![\w.])"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)"
    r"(?P<exp>e[-+]?\d+(?![\w.]))?"
    r"(?P<pct>\s?(?:%|percent\b|per cent\b))?"
)
_QUANTITY = re.compile(
    # The lookahead lets the engine skip most positions before trying the branches.
    r"(?=[\d^.+-])(?:"
    r"(?<![\w.])(?P<mant>\d+(?:\.\d+)?)\s?[×x*·]\s?10\s?\^\s?(?P<sexp>[-+]?\d+)"
    r"|(?<![\w.])10\s?\^\s?(?P<pexp>[-+]?\d+)"
    r"|(?P<unitpow>\^\s?[-+]?\d+)"
    r"|" + _PLAIN + r")"
)
_WORD_NUMBER = re.compile(_WORDS)


_DIGIT = re.compile(r"\d")
_NUMBER_TOKEN = re.compile(
    r"[-+]?(?:\d[\d,]*(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?%?[^\W\d_]{0,6}|"
    + "|".join(sorted({*_UNITS, *_TENS}, key=len, reverse=True))
)


def is_number_token(token: str) -> bool:
    """One token that is a number, maybe with a glued unit ("12", "1,963", "12nm", "five")."""
    return _NUMBER_TOKEN.fullmatch(token) is not None


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number found in text; ``integral`` when written without a decimal part."""

    value: float
    percent: bool
    integral: bool


def prepare_numeric_text(text: str) -> str:
    """Rewrite superscript powers as ``^n`` and Unicode minus as "-" before parsing."""
    text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group().translate(_SUPERSCRIPTS), text)
    return text.replace("\u2212", "-")


def extract_quantities(text: str) -> tuple[Quantity, ...]:
    """Every quantity in ``text`` (lower-cased, prepared), in order of appearance."""
    found: list[tuple[int, Quantity]] = []
    if _DIGIT.search(text) is not None:
        found += _numerals(text)
    for match in _WORD_NUMBER.finditer(text):
        tens, ones, unit = match.group("tens", "ones", "unit")
        value = _TENS[tens] + (_UNITS[ones] if ones else 0) if tens else _UNITS[unit]
        found.append((match.start(), Quantity(float(value), False, True)))
    found.sort(key=lambda pair: pair[0])
    return tuple(quantity for _, quantity in found)


def _numerals(text: str) -> list[tuple[int, Quantity]]:
    found: list[tuple[int, Quantity]] = []
    for match in _QUANTITY.finditer(text):
        groups = match.groupdict()
        at = match.start()
        if groups["unitpow"]:
            continue
        if groups["mant"]:
            value = float(groups["mant"]) * 10.0 ** _bounded(groups["sexp"])
            found.append((at, Quantity(value, False, False)))
        elif groups["pexp"]:
            found.append((at, Quantity(10.0 ** _bounded(groups["pexp"]), False, False)))
        else:
            digits = groups["num"].replace(",", "")
            literal = (groups["sign"] or "") + digits + (groups["exp"] or "")
            value = float(literal)
            if math.isinf(value):
                continue
            integral = "." not in digits and not groups["exp"]
            found.append((at, Quantity(value, bool(groups["pct"]), integral)))
    return found


def _bounded(exponent: str) -> int:
    # Keeps 10**n finite for hostile input like "10^99999".
    return max(-300, min(300, int(exponent)))


def same_quantity(answer: Quantity, gold: Quantity, tolerance: float = 0.01) -> bool:
    """Whether two quantities name the same number.

    Two integers must be equal ("1963" is not "1964"); otherwise the relative
    difference must stay below ``tolerance``, as in the public rule. A
    percentage also matches its fraction ("85%" and "0.85").
    """
    if _close(answer.value, gold.value, answer.integral and gold.integral, tolerance):
        return True
    if answer.percent and not gold.percent:
        return _close(answer.value / 100, gold.value, False, tolerance)
    if gold.percent and not answer.percent:
        return _close(answer.value, gold.value / 100, False, tolerance)
    return False


def _close(a: float, b: float, exact: bool, tolerance: float) -> bool:
    if a == b:
        return True
    if exact or b == 0:
        return False
    return abs(a - b) / abs(b) < tolerance


def distinct(quantities: tuple[Quantity, ...]) -> tuple[Quantity, ...]:
    """Drop repeats of the same number ("twelve (12)" names one quantity)."""
    kept: list[Quantity] = []
    for quantity in quantities:
        if not any(same_quantity(quantity, seen, 1e-9) for seen in kept):
            kept.append(quantity)
    return tuple(kept)


def covers(haystack: tuple[Quantity, ...], needles: tuple[Quantity, ...]) -> bool:
    """Every needle is named somewhere in the haystack."""
    return all(any(same_quantity(h, n) for h in haystack) for n in needles)
