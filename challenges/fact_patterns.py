"""Finding facts in one paragraph of a paper: acronym definitions, counted quantities,
numeric results, dates and enumerations.

Pure: no Django. Each finder yields ``Found`` spans over the paragraph's text; the caller
(``challenges.facts``) turns them into located, quoted ``PaperFact`` records. The patterns
favour precision over recall: a fact that is not clearly one quantity of one thing is not
found, because every fact found may become a question whose answer must be unambiguous.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from challenges.paper_text import NUMBER, NUMBER_WORD, find_dates, read_number


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


@dataclass(frozen=True)
class Found:
    kind: str
    entity: str
    attribute: str
    value: Any
    value_text: str
    start: int  # where the value is written in the paragraph
    unit: str = ""
    symbol: bool = False


STOP = _words(
    "a an the of in on for with by to and or that which is was are were be been this these those "
    "its their our we it as at from than then when while also both all each any some such into "
    "up about approximately around roughly nearly almost over under more less most least only "
    "achieves achieved obtains obtained reaches reached has have had shows showed yields gives "
    "gave using used use respectively whereas where there here not no"
)
_TIME_UNITS = (
    "second seconds minute minutes hour hours day days week weeks month months year years "
    "ms s h min "
)
UNIT_WORDS = _words(
    _TIME_UNITS
    + "K °C °F mm cm m km nm µm μm kg g mg µg μg l ml mL µL GB MB TB kB Hz kHz MHz GHz W kW MW "
    "V mV A mA J kJ eV keV MeV GeV Pa kPa MPa GPa bar atm mol mmol µmol mM µM nM dB FLOPs "
    "GFLOPs TFLOPs px pixels gpu-hours GPU-hours epochs iterations steps"
)
_PREPOSITIONS = _words(
    "among between within across after before during without via through over under like "
    "per versus vs near beyond upon inside outside toward towards against"
)
_MAGNITUDES = _words("hundred thousand million billion trillion dozen")
_DETERMINERS = _words("the a an our its their this these his her any each")
_GENERIC = _words(
    "total number value values sum set range order factor level amount size count "
    "result results case cases figure estimate"
)
_COUNT_EXCLUDED = _words(
    _TIME_UNITS + "percent times fold points per cent dollars euros persons people"
)
_BEFORE_NUMBER_EXCLUDED = re.compile(
    r"(?:Table|Tab\.|Figure|Fig\.|Figs\.|Section|Sec\.|Eq\.|Equation|Algorithm|Appendix|Step|"
    r"Chapter|Theorem|Lemma|Definition|Proposition|Corollary|Ref\.|version|v|Version)\s*$",
    re.IGNORECASE,
)
_OPERATOR = re.compile(r"[×÷+*/^−-]|\\times|\bx\b")


def _is_operand(text: str, start: int, end: int) -> bool:
    """The number is part of arithmetic ("0.2 × 0.65", "1.37 × 10−5") or a citation."""
    before = text[max(0, start - 3) : start].strip()
    after = text[end : end + 3].strip()
    if before[-1:] in "[" or (before and _OPERATOR.search(before[-1:])):
        return True
    if after[:1] and _OPERATOR.match(after[:1]) and not after.startswith("-"):
        return True
    return bool(re.match(r"\s*(?:[×÷*/^]|\\times)", text[end : end + 4]))


# --- acronyms (Schwartz & Hearst, 2003) ------------------------------------------------------

_PAREN = re.compile(r"\(([A-Za-z][A-Za-z0-9\-]{1,9})\)")


def _long_form(short: str, candidate: str) -> str | None:
    """The shortest tail of ``candidate`` whose letters spell ``short`` in order, with the
    short form's first letter starting a word (the Schwartz–Hearst rule)."""
    s, position = len(short) - 1, len(candidate) - 1
    while s >= 0:
        char = short[s].lower()
        if not char.isalnum():
            s -= 1
            continue
        while position >= 0 and (
            candidate[position].lower() != char
            or (s == 0 and position > 0 and candidate[position - 1].isalnum())
        ):
            position -= 1
        if position < 0:
            return None
        position -= 1
        s -= 1
    start = candidate.rfind(" ", 0, position + 1) + 1
    return candidate[start:].strip()


def acronyms(text: str) -> Iterator[Found]:
    for match in _PAREN.finditer(text):
        short = match.group(1)
        if sum(c.isupper() for c in short) < 2 or short.isdigit():
            continue
        window = text[: match.start()].rstrip()
        window = re.split(r"[.;:,()\[\]]\s", window)[-1]
        words = window.split()
        limit = min(len(short) + 5, len(short) * 2)
        candidate = " ".join(words[-limit:])
        long = _long_form(short, candidate)
        if not long:
            continue
        long_words = long.split()
        while long_words and long_words[0].lower() in STOP:
            long_words.pop(0)
        long = " ".join(long_words)
        if len(long_words) < 2 and len(long) <= len(short) + 2:
            continue
        if not re.fullmatch(r"[A-Za-z][\w\- ]*[\w]", long) or long.lower() == short.lower():
            continue
        yield Found("acronym", short, "full name", long, long, text.index(long, 0, match.end()))


# --- counts: "six challenging image datasets", "17 competitive clustering methods" -----------

_NP = r"((?:[A-Za-z][\w\-]*\s+){0,3}[A-Za-z][\w\-]*?s)\b"
# The phrase is a lookahead so that "two experiments in three stages" finds both counts.
_COUNT = re.compile(rf"(?:{NUMBER.pattern}|{NUMBER_WORD.pattern})\s+(?={_NP})")


def counts(text: str) -> Iterator[Found]:
    for match in _COUNT.finditer(text):
        number_text = match.group(0)[: match.start(4) - match.start(0)].strip()
        number = read_number(number_text)
        phrase = _noun_phrase(match.group(4))
        if number is None or not number.is_int or not phrase or number.value < 2:
            continue
        if 1900 <= number.value <= 2100 and not number.grouped:
            continue
        if _BEFORE_NUMBER_EXCLUDED.search(text[: match.start()]):
            continue
        after_number = text[match.start() + len(number_text) :]
        if re.match(r"\s*(?:to|or|and|out of|[-–])\s*[\d(]", after_number):
            continue  # a range or an alternative ("3,500 to 14,000 cases")
        if re.match(r"\s+per\b", text[match.end(4) :]):
            continue  # a rate, not a count
        if re.search(r"(?:\d\s*(?:to|or|and|[-–])|[=≈~<>])\s*$", text[: match.start()]):
            continue  # the far end of a range, or the result of arithmetic
        if _is_operand(text, match.start(), match.start() + len(number_text)):
            continue
        yield Found("count", phrase, "count", int(number.value), number_text, match.start())


def _noun_phrase(words: str) -> str:
    """The counted noun phrase: words up to its plural head, cut at the first word that
    cannot belong to it ("losses already works" → "losses")."""
    kept = []
    for word in words.split():
        lowered = word.lower()
        if lowered in STOP or lowered in _PREPOSITIONS or word[0].isdigit():
            break
        kept.append(word)
        if _plural(word):
            break
    if not kept or not _plural(kept[-1]) or kept[0].lower() in _MAGNITUDES:
        return ""
    head = kept[-1]
    if head.lower() in _COUNT_EXCLUDED or head in UNIT_WORDS:
        return ""
    if re.search(r"-[A-Z]", head) or (head[0].isupper() and not re.fullmatch(r"[A-Z]\w*s", head)):
        return ""  # a name ("ImageNet-Dogs"), not a counted noun
    return " ".join(kept)


def _plural(word: str) -> bool:
    lowered = word.lower()
    return len(word) >= 3 and lowered.endswith("s") and not lowered.endswith(("ss", "us", "is"))


# --- numeric results: "an NMI of 0.705 on CIFAR-10", "R0 = 2.81 for the model …" -------------

_VALUE = r"(?P<num>" + NUMBER.pattern + r")(?P<unit>\s?%|\s+[A-Za-zµμ°][\w\-°/]*(?:\s+per\s+\w+)?)?"
_LINK = (
    r"(?:\s+(?:is|was|are|were)(?:\s+(?:assumed|estimated|set|fixed|found|reported|measured|"
    r"chosen|taken|calculated))?(?:\s+(?:to\s+be|to|at|as|of))?\s+(?:approximately\s+|about\s+)?"
    r"|\s+of\s+(?:approximately\s+|about\s+)?)"
)
_ATTRIBUTE_LINKED = re.compile(
    rf"(?P<attr>(?:[A-Za-z][\w\-′']*\s+){{0,5}}?[A-Za-z][\w\-′']*){_LINK}{_VALUE}"
)
_SYMBOL = re.compile(rf"(?<![\w=])(?P<attr>[A-Za-zα-ωΑ-Ω][\wα-ω′']{{0,5}})\s?=\s?{_VALUE}")
_SUBJECT = re.compile(
    r"\b(?P<subject>[A-Z][\w\-]*(?:\s\([^)]{1,12}\))?)\s+(?:\w+\s+)?"
    r"(?:achieves|achieved|obtains|obtained|reaches|reached|attains|attained|yields|yielded|"
    r"scores|scored|records|recorded|has|had|shows|showed|gives|gave|gets|got|reports)\b"
)
_CONTEXT = re.compile(
    r"\s*(?:\(\s*[\d.,]+\s*\))?\s+(?P<prep>on|for|in|at|among|across|under)\s+"
    r"(?P<context>(?:[^,;:.()\[\]]|\([^()]{1,24}\)){2,70}?)"
    r"(?=\s*(?:[,;:.()\[\]]|$)|\s+(?:and|which|while|when|compared|than|whereas|in terms)\b)"
)


def results(text: str, defined: frozenset[str] = frozenset()) -> Iterator[Found]:
    """Numeric results with their unit, metric (``attribute``) and what they belong to
    (``entity``: the sentence's subject and the condition after the number)."""
    seen: set[int] = set()
    for pattern, symbolic in ((_SYMBOL, True), (_ATTRIBUTE_LINKED, False)):
        for match in pattern.finditer(text):
            start = match.start("num")
            if start in seen:
                continue
            number = read_number(match.group("num"))
            unit = (match.group("unit") or "").strip()
            if unit and unit != "%" and unit.split()[0] not in UNIT_WORDS:
                unit = ""
            end = match.start("unit") + len(match.group("unit") or "") if unit else match.end("num")
            if number is None or _is_operand(text, start, match.end("num")):
                continue
            attribute = match.group("attr") if symbolic else _attribute(match.group("attr"))
            if not attribute or (symbolic and not _symbol(attribute)):
                continue
            attribute_start = match.end("attr") - len(attribute)
            if not symbolic and not _opens_phrase(text, attribute_start):
                continue
            if number.is_int and number.value <= 1:
                continue
            if _RESULT_TAIL.match(text, end) or (not unit and _counted_noun(text, end)):
                continue
            if _BEFORE_NUMBER_EXCLUDED.search(text[:start].rstrip()):
                continue
            if 1900 <= number.value <= 2100 and number.is_int and not unit:
                continue
            seen.add(start)
            entity = _entity(text, attribute_start, end, defined)
            yield Found(
                "result", entity, attribute, number.value, number.text, start, unit, symbolic
            )


_RESULT_TAIL = re.compile(
    r"\s*(?:(?:to|or|and|[-–])\s*[\d(]|or more|or less|as\b|more\b|less\b|times\b|higher|"
    r"lower|greater|smaller|larger|of the\b|of all\b|×|x\s*10)"
)


def _symbol(name: str) -> bool:
    """A named quantity written as a symbol: "R0", "τC", "σ"; not a lone Latin letter."""
    return bool(re.search(r"[A-Za-zα-ωΑ-Ω]", name)) and (
        len(name) >= 2 or bool(re.fullmatch(r"[α-ωΑ-Ω]", name))
    )


def _opens_phrase(text: str, start: int) -> bool:
    """The metric starts a noun phrase: after a determiner, or at a clause start."""
    before = text[:start].rstrip()
    if not before or before[-1] in ",;:(.":
        return True
    words = before.split()
    if words[-1].lower() in ("and", "or", "but", "while", "whereas", "with"):
        return True  # a new noun phrase after a conjunction
    if words[-1].lower() not in _DETERMINERS:
        return False
    # "prior to the Fall semester is 450": the phrase is a preposition's object, not a metric
    earlier = words[-2].lower() if len(words) > 1 else ""
    return earlier not in _PREPOSITIONS and earlier not in (
        "to",
        "in",
        "on",
        "at",
        "for",
        "from",
        "by",
        "with",
        "into",
        "of",
    )


def _counted_noun(text: str, end: int) -> bool:
    match = re.match(r"\s+([A-Za-z][\w\-]*)", text[end:])
    return bool(match) and _plural(match.group(1)) and match.group(1) not in UNIT_WORDS


def _attribute(words: str) -> str:
    """The metric: the last words before the link, cut at a word that cannot belong to it,
    keeping one inner "of (the)" ("contagious period of asymptomatic individuals")."""
    tokens = words.split()
    kept: list[str] = []
    position = len(tokens) - 1
    while position >= 0:
        word, lowered = tokens[position], tokens[position].lower()
        left = tokens[position - 1].lower() if position else ""
        inner_of = lowered == "of" and "of" not in (k.lower() for k in kept) and len(kept) <= 3
        article_after_of = lowered in ("the", "a", "an") and left == "of"
        if kept and (inner_of or article_after_of):
            kept.insert(0, word)
        elif lowered in STOP or not re.fullmatch(r"[A-Za-z][\w\-′']*", word):
            break
        else:
            kept.insert(0, word)
        position -= 1
    while kept and kept[0].lower() in ("of", "the", "a", "an"):
        kept.pop(0)
    if len(kept) == 1 and kept[0].lower() in _GENERIC:
        return ""
    return " ".join(kept) if len(kept) <= 6 else ""


def _entity(text: str, attribute_start: int, value_end: int, defined: frozenset[str]) -> str:
    sentence_start = max(text.rfind(". ", 0, attribute_start) + 2, 0)
    subject = ""
    for match in _SUBJECT.finditer(text, sentence_start, attribute_start + 1):
        candidate = match.group("subject").split(" (")[0]
        if candidate in defined or (candidate.isupper() and len(candidate) >= 2):
            subject = candidate
    context = ""
    match = _CONTEXT.match(text, value_end)
    if match:
        # "on the CIFAR-10 (CIFAR-100) dataset": the parenthesis is another fact's context
        words = re.sub(r"\s*\([^()]*\)", "", match.group("context")).split()
        while words and words[-1].lower() in STOP:
            words.pop()
        if words and len(words) <= 9:
            context = f"{match.group('prep')} {' '.join(words)}"
    return " ".join(part for part in (subject, context) if part)


# --- dates -----------------------------------------------------------------------------------


def dates(text: str) -> Iterator[Found]:
    for start, end, iso in find_dates(text):
        before = text[max(0, start - 60) : start].split()
        context = " ".join(before[-5:]).strip(" ,;:(")
        yield Found("date", context, "date", iso, text[start:end], start)


# --- enumerations: "three components: A, B and C" -----------------------------------------------

_ENUMERATION = re.compile(
    rf"(?:{NUMBER.pattern}|{NUMBER_WORD.pattern})\s+{_NP}"
    r"(?:\s*(?::|,?\s+(?:are|were|include|included|including|namely|i\.e\.,?|such as)\s*:?))\s+"
)
_ITEM_MARK = re.compile(r"^\s*(?:\(?\d+\)|\(?[a-z]\)|[•·-])\s*")


def enumerations(text: str) -> Iterator[Found]:
    for match in _ENUMERATION.finditer(text):
        number = read_number(match.group(0).split()[0])
        phrase = _noun_phrase(match.group(4))
        if number is None or not phrase or not 2 <= number.value <= 20:
            continue
        span_end = _list_end(text, match.end())
        items = _split_items(text[match.end() : span_end])
        if items:
            # the sentence goes on after the last item ("… and ARI are utilized to …")
            words = items[-1].split()
            cut = next((i for i, w in enumerate(words) if i and w.lower() in STOP), len(words))
            items[-1] = " ".join(words[:cut])
        if len(items) != number.value or any(len(item.split()) > 8 for item in items):
            continue
        last = text.find(items[-1], match.end(), span_end)
        if last == -1:
            continue
        listing = text[match.end() : last + len(items[-1])].strip()
        yield Found("enumeration", phrase, "members", tuple(items), listing, match.end())


def _list_end(text: str, start: int) -> int:
    depth = 0
    for position in range(start, len(text)):
        char = text[position]
        depth += _nesting(char)
        if depth <= 0 and char in ".;" and text[position + 1 : position + 2] in ("", " ", "\n"):
            if text[position - 3 : position + 1] in ("e.g.", "i.e.") or text[
                max(0, position - 5) : position + 1
            ].endswith("et al."):
                continue
            return position
    return len(text)


def _nesting(char: str) -> int:
    return 1 if char in "([" else -1 if char in ")]" else 0


def _split_items(listing: str) -> list[str]:
    """Top-level comma/"and" separated items; citations in parentheses are dropped."""
    parts, depth, current = [], 0, []
    for char in listing:
        depth += _nesting(char)
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    items = []
    for part in parts:
        for piece in re.split(r"\s+and\s+(?![^(]*\))", part.strip()):
            piece = re.sub(r"^(?:and|or)\s+", "", piece.strip())
            piece = _ITEM_MARK.sub("", piece)
            piece = re.sub(r"\s*\([^()]*\b(?:19|20)\d\d[a-z]?\)", "", piece).strip()
            if piece:
                items.append(piece)
    return items
