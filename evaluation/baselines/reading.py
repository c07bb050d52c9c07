"""Shared text machinery for the baseline solvers: reading units, tokens, names, key terms.

Pure and total: every function takes any string (empty, garbage, any script) and returns
something, never raises. A document is read once (``read_document``) into *units* — sentences,
table rows and ``Key: value`` lines in document order — and the candidate entity names it
contains. Values inside a unit (numbers with units, periods, categorical phrases) are read by
``evaluation.baselines.values``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache


def words(*lines: str) -> frozenset[str]:
    """A word list written as text, one space between words."""
    return frozenset(" ".join(lines).split())


STOPWORDS = words(
    "a an the of in on at to for from by with and or but as is are was were be been being it "
    "its this that these those there their they them than then which what who whom whose how "
    "many much did do does done has have had having not no nor so such into over under per via "
    "about above below between during each all any both other same can could will would should "
    "may might must shall also only after before while where when why if among"
)
# Words a question uses to ask, not to name what it asks about.
GENERIC = words(
    "please exactly according given report reported document paper value stated listed state "
    "list use used reach reached record recorded show showed study describe described give "
    "gave find found show"
)
# Capitalised words that start a question or a sentence without being part of a name.
_LEADING = STOPWORDS | words(
    "among according under by for in on at during what which who how whose where when why is "
    "was are were does did do the a an of take exactly after with from"
)
_REFERENCES = words("table tables figure figures fig section appendix eq equation chapter")
_ABBREVIATIONS = words(
    "e.g. i.e. al. fig. figs. eq. eqs. no. vs. approx. cf. dr. mr. ms. st. ref. sec. tab. resp. ca."
)
_WORD = re.compile(r"[^\W_]+")
_UPPER = "A-ZÀ-ÖØ-ÞΑ-ΩА-Я"
_NAME_WORD = rf"[{_UPPER}][\w'’]*(?:[-‐][^\W_]\w*)*"
# The capital comes first so that the scan skips most positions before the look-behind runs.
_NAME_RUN = re.compile(
    rf"[{_UPPER}](?<![\w'’\-‐].)[\w'’]*(?:[-‐][^\W_]\w*)*"
    rf"(?: (?:{_NAME_WORD}|\d{{1,3}}(?!\w|[.,]\d)))*"
)
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]”’]*\s+(?=[\"'(\[“‘]?[^\W_])")
# "Peak luminosity: 412 Hz/nb": a short key with no sentence punctuation or brackets.
_KEY_VALUE = re.compile(r"[^\W\d_][^:|.!?()\[\]]{0,40}:\s+\S")
_QUARTER = re.compile(r"[QH][1-4]")
_SEPARATOR_CELL = re.compile(r"\s*:?-{2,}:?\s*")


@dataclass(frozen=True)
class Unit:
    """One reading unit. ``kind`` is "sentence", "header" (a table's first row), "row" (a
    table row, with the table's ``header`` and its own ``cells``) or "key_value".
    ``context`` is text that says what the unit is about without being in it: the header of
    a row, the line that introduces a ``Key: value`` block ("Key figures for ARGUS-7:")."""

    text: str
    paragraph: int
    kind: str = "sentence"
    context: str = ""
    header: tuple[str, ...] = ()
    cells: tuple[str, ...] = ()


@dataclass(frozen=True)
class Document:
    """A document read once (``read_document``): its paragraphs; its units in order, with the
    content stems of each (``unit_stems``, parallel to ``units``); and candidate entity names
    (table first-column names first, then capitalised names in order of first mention)."""

    text: str
    paragraphs: tuple[str, ...]
    units: tuple[Unit, ...]
    unit_stems: tuple[tuple[str, ...], ...]
    names: tuple[str, ...]
    name_set: frozenset[str]
    table_names: frozenset[str]


def tokenize(text: str) -> list[str]:
    """Lower-cased letter/digit runs in any script: "ARGUS-7 was 12.5%" → argus 7 was 12 5."""
    return _WORD.findall(text.casefold())


@lru_cache(maxsize=1 << 16)
def stem(token: str) -> str:
    """A light plural stemmer: enough for "experiments" to meet "experiment"."""
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 4 and token.endswith(("ches", "shes", "sses", "xes")):
        return token[:-2]
    if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
        return token[:-1]
    return token


@lru_cache(maxsize=1 << 16)
def _content_stem(raw: str) -> str:
    token = raw.casefold()
    return "" if token in STOPWORDS else stem(token)


def content_stems(text: str) -> list[str]:
    """Stemmed tokens without stop words: the words that carry meaning."""
    return list(filter(None, map(_content_stem, _WORD.findall(text))))


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, stripped; empty blocks dropped."""
    return [p.strip() for p in re.split(r"\n[ \t\r\f\v]*\n", text or "") if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Sentences of running prose. A full stop after an abbreviation ("e.g.", "et al.") or a
    bare section number at the start ("2. Results") does not end a sentence."""
    sentences, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        chunk = text[start : match.start()].strip()
        last = chunk.rsplit(None, 1)[-1].casefold() if chunk else ""
        if last in _ABBREVIATIONS or (chunk == last and re.fullmatch(r"[\divxlc]{1,4}\.", last)):
            continue
        sentences.append(chunk)
        start = match.end()
    sentences.append(text[start:].strip())
    return [s for s in sentences if s]


def _paragraph_units(paragraph: str, index: int, context: str) -> list[Unit]:
    """Prose lines are joined and split into sentences (PDF text wraps mid-sentence); table
    rows and ``Key: value`` lines are units of their own."""
    units: list[Unit] = []
    prose: list[str] = []
    header: tuple[str, ...] = ()
    # What a Key: value line is about: the last sentence before it, if short (a heading).
    lead = [context if len(context.split()) <= 12 else ""]

    def flush() -> None:
        sentences = split_sentences(" ".join(prose))
        units.extend(Unit(s, index) for s in sentences)
        if sentences:
            lead[0] = sentences[-1] if len(sentences[-1].split()) <= 12 else ""
        prose.clear()

    for raw in paragraph.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("|"):
            flush()
            cells = tuple(c.strip().strip("*").strip() for c in line.strip("|").split("|"))
            if all(_SEPARATOR_CELL.fullmatch(c) for c in cells):
                continue
            if not header:
                header = cells
                units.append(Unit(line, index, "header"))
            else:
                units.append(Unit(line, index, "row", " ".join(header), header, cells))
            continue
        header = ()
        if _KEY_VALUE.match(line):
            flush()
            units.append(Unit(line, index, "key_value", lead[0]))
            continue
        prose.append(line)
    flush()
    return units


def name_runs(text: str) -> list[tuple[str, int]]:
    """Capitalised names with their offsets: runs of capitalised tokens separated by single
    spaces ("VEGA Prime", "Chen Wei", "ARGUS-7", "Hall A", "Station 12"), without leading
    function words ("In the final analysis" gives nothing, "The Feynman Center" gives
    "Feynman Center")."""
    runs = []
    for match in _NAME_RUN.finditer(text):
        start, name = match.start(), match.group()
        while True:
            first, _, rest = name.partition(" ")
            if first.casefold() not in _LEADING:
                break
            start, name = start + len(first) + 1, rest
        if name:
            runs.append((name, start))
    return runs


def _candidate_names(units: list[Unit], text: str, tokens: set[str]) -> tuple[list[str], set[str]]:
    """Table first-column names, then capitalised names in order of first mention. A single
    ordinary word ("Preliminary") counts only if it is never written in lower case (not in
    ``tokens``, the document's words as written) and is capitalised somewhere other than at
    the start of a sentence or line."""
    table = [u.cells[0] for u in units if u.kind == "row" and u.cells and u.cells[0]]
    seen: dict[str, None] = dict.fromkeys(table)
    ordinary: dict[str, bool] = {}  # single capitalised word → seen inside a sentence
    for name, at in name_runs(text):
        if len(name) < 2 or name.split(" ", 1)[0].casefold() in _REFERENCES:
            continue  # "C" of "°C", "Table 1": a unit or a place in the document
        if _QUARTER.fullmatch(name):
            continue  # "Q3" is a period
        if " " in name or not name.isalpha() or not name[1:].islower():
            seen.setdefault(name, None)
        elif name.casefold() not in tokens:
            before = text[max(0, at - 4) : at].rstrip(" \t")
            inside = bool(before) and before[-1] not in '.!?:|\n("“'
            ordinary[name] = ordinary.get(name, False) or inside
    seen.update(dict.fromkeys(name for name, inside in ordinary.items() if inside))
    return list(seen), set(table)


def read_document(text: str) -> Document:
    """Read ``text`` once: paragraphs, units in document order, candidate names, stems."""
    text = text if isinstance(text, str) else ""
    paragraphs = split_paragraphs(text)
    units: list[Unit] = []
    for index, paragraph in enumerate(paragraphs):
        # A short paragraph before a Key: value block (a heading) says whom it is about.
        previous = paragraphs[index - 1] if index else ""
        units.extend(_paragraph_units(paragraph, index, previous))
    tokens: set[str] = set()
    unit_stems = []
    for unit in units:
        raw = _WORD.findall(unit.text)
        tokens.update(raw)
        unit_stems.append(tuple(filter(None, map(_content_stem, raw))))
    names, table = _candidate_names(units, text, tokens)
    return Document(
        text=text,
        paragraphs=tuple(paragraphs),
        units=tuple(units),
        unit_stems=tuple(unit_stems),
        names=tuple(names),
        name_set=frozenset(names),
        table_names=frozenset(table),
    )


def mentions(unit: Unit, name: str) -> bool:
    """Whether ``unit`` is about ``name``: named in it, or in its context."""
    return bool(name) and (find_word(unit.text, name) >= 0 or find_word(unit.context, name) >= 0)


def names_in(document: Document, text: str) -> list[str]:
    """Candidate names of ``document`` that occur in ``text``, in order of occurrence."""
    found = [(at, name) for name, at in name_runs(text) if name in document.name_set]
    for name in document.table_names:
        at = find_word(text, name) if name in text else -1
        if at >= 0:
            found.append((at, name))
    return list(dict.fromkeys(name for _, name in sorted(found)))


def find_word(text: str, name: str) -> int:
    """Offset of ``name`` in ``text`` as a whole word (not "Lyon" inside "Lyonnais"), else -1."""
    start = text.find(name)
    while start >= 0:
        end = start + len(name)
        if (start == 0 or not text[start - 1].isalnum()) and (
            end == len(text) or not text[end].isalnum()
        ):
            return start
        start = text.find(name, start + 1)
    return -1
