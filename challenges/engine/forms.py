"""Surface forms: how a fact is written, and how numbers are spelled.

The renderer writes with these templates and the verifier's independent reader parses with
them, so a document never states a fact in a form the reader cannot see. Templates use
``{entity}``, ``{label}``, ``{Label}`` (capitalised), ``{a}`` (the label's article),
``{value}`` (number and unit), ``{cat_label}``, ``{cat_value}``.
"""

from __future__ import annotations

NUMBER_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty",
)  # fmt: skip

# A numeric fact in running prose.
NUMERIC_NARRATIVE = (
    "The {label} of {entity} was {value}.",
    "{entity} recorded {a} {label} of {value}.",
    "For {entity}, the {label} came to {value}.",
)
# A numeric fact in parentheses after a categorical one.
NUMERIC_PARENTHETICAL = "{entity} lists {cat_value} as its {cat_label} ({label}: {value})."
# A categorical fact in running prose.
CATEGORICAL_NARRATIVE = (
    "The {label} of {entity} is {value}.",
    "{entity} has {value} as its {label}.",
)
KEY_VALUE_HEADER = "Key figures for {entity}:"
KEY_VALUE_LINE = "{Label}: {value}"
# A series: the values, then the periods.
SERIES_RESPECTIVELY = "The {label} of {entity} was {values} in {periods} respectively ({unit})."
SERIES_PAIRED = "{entity} recorded {a} {label} of {pairs} ({unit})."
ROSTER = "The report covers {count} {kind_plural}: {names}."
TABLE_CAPTION = "Table {table}: {labels} by {kind}."
SECTION_KEYS = (
    "introduction",
    "methods",
    "profiles",
    "results",
    "trends",
    "discussion",
    "sources",
)
DEFAULT_SECTION_TITLES = {
    "introduction": "Introduction",
    "methods": "Methods and data sources",
    "profiles": "{kind_cap} profiles",
    "results": "Results",
    "trends": "Trends over time",
    "discussion": "Discussion",
    "sources": "Notes on sources",
}


def article(phrase: str) -> str:
    """``a`` or ``an`` before ``phrase`` (by its first letter; good enough for our labels)."""
    return "an" if phrase[:1].lower() in "aeiou" else "a"


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def number_text(value: float, decimals: int, *, grouped: bool = True) -> str:
    """How the document spells a number: fixed decimals, thousands grouped from 10,000."""
    text = f"{value:.{decimals}f}"
    if grouped and abs(value) >= 10_000:
        text = f"{value:,.{decimals}f}"
    return text


def with_unit(number: str, unit: str) -> str:
    if not unit:
        return number
    if unit == "%":
        return f"{number}%"
    return f"{number} {unit}"


def join_words(items: list[str]) -> str:
    """``a, b and c``."""
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def count_word(count: int) -> str:
    return NUMBER_WORDS[count] if 0 <= count < len(NUMBER_WORDS) else str(count)
