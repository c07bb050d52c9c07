"""Rows → units: headings, paragraphs, list items, display equations, captions, footnotes,
figure text and tables, in reading order; then paragraphs that run on into the next column
or page (past any figure, table or footnote in between) are joined."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from challenges.pdf.columns import Row, Segment
from challenges.pdf.headings import (
    Heading,
    is_known_title,
    is_reference_title,
    split_number,
    title_case_words,
)
from challenges.pdf.lines import join_spans
from challenges.pdf.text import ends_sentence, word_set, words

FLOATS = frozenset({"caption", "table", "footnote", "figure"})
CAPTION_RE = re.compile(
    r"^(?:Figure|Fig\.|FIG\.|FIGURE|Table|TABLE|Algorithm|Listing|Scheme|Chart|Box|Exhibit)"
    r"\s*(?:\d{1,3}[A-Za-z]?|[IVXL]{1,6}|[A-Z]\.?\d{1,2}|S\d{1,3})\s*(?:[:.|—–-]|$)"
)
_BULLET_RE = re.compile(
    r"^(?:[•●◦▪▫■□‣⁃∙·*]|[-–—](?=\s)|\(?[a-z]\)|\(?[ivx]{1,4}\)|\(\d{1,2}\))\s*\S"
)
_EQ_NUMBER_RE = re.compile(r"\(\s*(?:[A-Z]?\d{1,3}[a-z]?|[A-Z]\.\d{1,3})\s*\)\s*$")
_MATH_CHARS = frozenset("=+×÷·∑∏∫√≤≥≈≠∈∉⊂⊆∪∩∀∃∂∇∞→←↔⇒⇔∝∼≡⊤⊥∥^_|") | frozenset(
    chr(c) for c in range(0x391, 0x3CA)
)
_MATH_CHARS_RE = re.compile("[" + re.escape("".join(sorted(_MATH_CHARS))) + "]")
_LONG_WORD_RE = re.compile(r"[A-Za-z]{4,}")
_MATH_WORDS = word_set(
    """where exp log max min argmax argmin softmax sigmoid tanh sin cos tan lim sup inf
    subject"""
)
_RUN_IN_EXCLUDED = re.compile(
    r"^(theorem|lemma|proof|definition|remark|note|example|corollary|proposition|assumption|"
    r"step|case|claim|input|output|require|ensure|algorithm|fig|figure|table|hypothesis|"
    r"conjecture|problem|question|answer|q\d|a\d)\b",
    re.I,
)
_BOXED_RE = re.compile(r"^(?:Algorithm|Listing|Box)\s*\d")
_SUBFIGURE_RE = re.compile(r"^\(?[a-h]\)\s")
_INLINE_ABSTRACT_RE = re.compile(r"^(abstract|summary)\s*[—–:.-]\s*(?=\S)", re.I)


@dataclass
class Context:
    body_size: float
    normal_gap: float  # usual white space between two lines of a paragraph
    indented_paragraphs: bool
    page_heights: list[float]
    body_font: str = ""
    after_references: bool = False  # a bare "A Title" is an appendix heading from here on


@dataclass
class Unit:
    kind: str
    rows: list[Row]
    segment: Segment
    heading: Heading | None = None
    table: int | None = None
    lines: list[str] = field(default_factory=list)
    segment_end: bool = False  # the last unit of its segment, floats aside

    @property
    def page(self) -> int:
        return self.rows[0].page if self.rows else self.segment.page

    @property
    def text(self) -> str:
        return " ".join(self.lines)


def group_segment(segment: Segment, ctx: Context) -> list[Unit]:
    units: list[Unit] = []
    cur: Unit | None = None
    prev: Row | None = None
    tail = _footnote_tail(segment, ctx)
    for index, row in enumerate(segment.rows):
        if row.table is not None:
            units.append(Unit("table", [row], segment, table=row.table))
            cur, prev = None, row
            continue
        if cur is not None and _continues(cur, row, prev, segment, ctx):
            cur.rows.append(row)
            cur.lines.append(row.text)
            prev = row
            continue
        cur = _start_unit(row, prev, segment, ctx, index in tail, units)
        prev = row
    for unit in units:
        _mark_figure_text(unit, ctx)
    for unit in reversed(units):
        if unit.kind not in FLOATS:
            unit.segment_end = True
            break
    return units


def _start_unit(row, prev, segment, ctx, in_tail, units) -> Unit:
    text = row.text
    if CAPTION_RE.match(text):
        unit = Unit("caption", [row], segment, lines=[text])
    elif in_tail:
        unit = Unit("footnote", [row], segment, lines=[text])
    elif (heading := _heading(row, prev, segment, ctx, units)) is not None:
        unit = Unit("heading", [row], segment, heading=heading, lines=[text])
        ctx.after_references = ctx.after_references or is_reference_title(heading.title)
    elif is_equation_row(row, segment):
        unit = Unit("equation", [row], segment, lines=[text])
    else:
        run_in = _run_in_heading(row, segment)
        abstract = _INLINE_ABSTRACT_RE.match(text)
        if run_in is not None:
            heading, rest = run_in
            units.append(Unit("heading", [row], segment, heading=heading, lines=[heading.title]))
            text = rest
        elif abstract and not prev_is_abstract_heading(units):
            title = abstract.group(1).capitalize()
            heading = Heading("", title, "", row.size, row.bold)
            units.append(Unit("heading", [row], segment, heading=heading, lines=[title]))
            text = text[abstract.end() :]
        kind = "list" if _BULLET_RE.match(text) else "paragraph"
        unit = Unit(kind, [row], segment, lines=[text])
    units.append(unit)
    return unit


def prev_is_abstract_heading(units: list[Unit]) -> bool:
    return bool(units) and units[-1].kind == "heading" and units[-1].heading.title == "Abstract"


def _continues(cur: Unit, row: Row, prev: Row, segment: Segment, ctx: Context) -> bool:
    text = row.text
    if cur.kind in ("table", "figure"):
        return False
    if cur.kind == "caption" and _BOXED_RE.match(cur.lines[0]):
        # an algorithm or listing box: everything down to the next clear gap
        return row.y0 - prev.y1 <= ctx.normal_gap + 0.8 * max(row.size, prev.size)
    if cur.kind == "heading":
        # a heading set on two lines (a long title, a section title that wraps)
        head = cur.rows[-1]
        wraps = (
            abs(row.size - head.size) < 0.3
            and row.bold == head.bold
            and (row.bold or row.size >= ctx.body_size + 0.9)
            and row.y0 - head.y1 < 0.6 * row.size
            and not ends_sentence(head.text)
            and not text.rstrip().endswith(".")
            and not split_number(text)[2]
            and len(cur.text.split()) + len(text.split()) <= 20
            and not cur.heading.run_in
            and title_case_words(cur.heading.title + " " + text)
        )
        if wraps:
            cur.heading.title = f"{cur.heading.title} {text}"
        return wraps
    if cur.kind == "equation":
        if row.y0 - prev.y1 > 1.2 * ctx.body_size:
            return False
        return is_equation_row(row, segment) or (len(words(text)) == 0 and len(text) <= 12)
    if CAPTION_RE.match(text) or is_equation_row(row, segment):
        return False
    if cur.kind == "footnote":
        return True
    size = max(row.size, prev.size)
    if row.y0 - prev.y1 > ctx.normal_gap + 0.45 * size:
        return False
    if abs(row.size - prev.size) > 0.9 and row.math < 0.3 and prev.math < 0.3:
        return False
    short = prev.x1 < segment.x1 - max(0.1 * segment.width, 2.5 * prev.size)
    if short and ends_sentence(prev.text):
        return False
    if _BULLET_RE.match(text) and (cur.kind == "list" or ends_sentence(prev.text)):
        return False
    indent = row.x0 - segment.x0
    indented = cur.kind == "paragraph" and 0.6 * row.size < indent < 6 * row.size
    if (
        indented
        and prev.x0 < row.x0 - 0.5 * row.size
        and (text[:1].isupper() or text[:1].isdigit())
    ):
        return False  # a new paragraph's first line
    if cur.kind == "list" and row.x0 < cur.rows[0].x0 - 0.3 * row.size:
        return False
    return not (short and row.bold and not prev.bold)


def is_equation_row(row: Row, segment: Segment) -> bool:
    if row.equation is None:
        row.equation = _is_equation_row(row, segment)
    return row.equation


def _is_equation_row(row: Row, segment: Segment) -> bool:
    text = row.text
    if len(text) > 220 or CAPTION_RE.match(text):
        return False
    symbols = len(_MATH_CHARS_RE.findall(text))
    if not symbols and row.math < 0.5:
        return False
    plain = [w for w in _LONG_WORD_RE.findall(text) if w.lower() not in _MATH_WORDS]
    displayed = row.x0 >= segment.x0 + 1.5 * row.size or bool(_EQ_NUMBER_RE.search(text))
    if not displayed:
        return not plain and (symbols >= 4 or (row.math >= 0.3 and symbols >= 1))
    if row.math >= 0.5 and len(plain) <= 2:
        return True
    numbered = bool(_EQ_NUMBER_RE.search(text)) and ("=" in text or "≤" in text or "≥" in text)
    if numbered and symbols >= 2 and len(plain) <= 3 and len(text) <= 120:
        return True
    if symbols >= 2 and len(plain) <= 1:
        return True
    return symbols >= 1 and not plain and ("=" in text or "≤" in text) and len(text) <= 80


def _heading(row, prev, segment, ctx, units) -> Heading | None:
    text = row.text.strip()
    if len(text) > 150 or row.math > 0.3 or not text[:1].isalnum():
        return None
    number, title, scheme = split_number(text, appendix_context=ctx.after_references)
    if not title[:1].isalpha() or not title_case_words(title):
        return None
    if not number and text.endswith("."):
        return None
    emphasised = row.bold or row.size >= ctx.body_size + 0.9
    size = max(row.size, prev.size) if prev else row.size
    gap_above = prev is None or row.y0 - prev.y1 > ctx.normal_gap + 0.3 * size
    mid_sentence = prev is not None and not gap_above and not ends_sentence(prev.text)
    if mid_sentence and not (units and units[-1].kind == "heading"):
        return None  # a line inside a running sentence, however it is set
    known = is_known_title(title)
    upper = title.isupper() and len(title) > 3
    if number:
        ok = emphasised or upper or (gap_above and row.width < 0.7 * segment.width)
    else:
        ok = ((emphasised or upper) and len(title.split()) <= 14) or (known and gap_above)
    if not ok:
        return None
    return Heading(number, title, scheme, row.size, row.bold)


def _mark_figure_text(unit: Unit, ctx: Context) -> None:
    """Sub-figure labels ("(a) 0 epoch") become captions; labels and tick marks inside a
    figure (a few words, no sentence, small or short lines) become figure text, which is
    dropped. Both are floats, so they do not cut a running paragraph."""
    if unit.kind not in ("paragraph", "list") or not unit.lines:
        return
    text = " ".join(unit.lines)
    small = all(row.size <= ctx.body_size - 0.5 for row in unit.rows)
    if small and _SUBFIGURE_RE.match(text):
        unit.kind = "caption"
        return
    if unit.lines[0][:1].islower() or ends_sentence(text) or len(words(text)) > 30:
        return
    short = all(row.width < 0.45 * unit.segment.width for row in unit.rows)
    numeric = sum(ch.isdigit() for ch in text) > 0.3 * max(1, len(text.replace(" ", "")))
    foreign = ctx.body_font and all(row.font not in (ctx.body_font, "math") for row in unit.rows)
    if (
        (small and ctx.body_size - max(r.size for r in unit.rows) >= 0.9)
        or (short and (len(unit.rows) > 1 or numeric))
        or (foreign and not any(row.bold for row in unit.rows))
    ):
        unit.kind = "figure"


def _run_in_heading(row: Row, segment: Segment) -> tuple[Heading, str] | None:
    """A bold lead-in that starts a paragraph ("Datasets We evaluate…")."""
    if row.x0 > segment.x0 + 2 * row.size:
        return None
    spans = [span for line in row.lines for span in line.spans]
    split = 0
    while split < len(spans) and (spans[split].bold or spans[split].superscript):
        split += 1
    lead = join_spans(spans[:split])
    rest = join_spans(spans[split:])
    if not lead or not rest or len(lead) > 80 or len(lead.split()) > 8 or "," in lead:
        return None
    if not (lead.endswith((".", ":")) or rest[:1].isupper()):
        return None  # a bold phrase running into the sentence, not a lead-in heading
    title = lead.rstrip(".:—–- ")
    if not title or not title[0].isupper() or _RUN_IN_EXCLUDED.match(title):
        return None
    if not any(ch.isalpha() for ch in title) or not title_case_words(title):
        return None
    number, clean_title, scheme = split_number(title)
    heading = Heading(number, clean_title, scheme, row.size, True, run_in=True)
    return heading, rest


def _footnote_tail(segment: Segment, ctx: Context) -> set[int]:
    """Indices of the footnotes closing a column: small-type rows in the lower half of the
    page, set off from the text above by a gap or a change of size (an abstract in small
    type that runs down the page is not set off, so it stays text)."""
    rows = segment.rows
    height = ctx.page_heights[segment.page - 1]
    start = len(rows)
    while start > 0:
        row = rows[start - 1]
        if row.size <= 0.92 * ctx.body_size and row.y0 > 0.5 * height and row.math < 0.5:
            start -= 1
        else:
            break
    for index in range(max(start, 1), len(rows)):
        row, above = rows[index], rows[index - 1]
        gap = row.y0 - above.y1 > ctx.normal_gap + 0.4 * max(row.size, above.size)
        if gap or abs(row.size - above.size) > 0.9:
            return set(range(index, len(rows)))
    return set()


def join_continuations(units: list[Unit], ctx: Context) -> list[Unit]:
    """Join a paragraph cut by a column or page break (floats in between are moved after
    it). A paragraph runs on when its last line does not end a sentence, or when the next
    piece starts in lower case, or — in documents that indent new paragraphs — when the
    next piece is not indented."""
    out: list[Unit] = []
    deferred: list[Unit] = []
    open_unit: Unit | None = None
    for unit in units:
        if unit.kind in FLOATS:
            (deferred if open_unit is not None else out).append(unit)
            continue
        if open_unit is not None and unit.kind == "paragraph" and _runs_on(open_unit, unit, ctx):
            open_unit.rows.extend(unit.rows)
            open_unit.lines.extend(unit.lines)
            open_unit.segment, open_unit.segment_end = unit.segment, unit.segment_end
            unit = open_unit
        else:
            out.extend(deferred)
            deferred = []
            out.append(unit)
        open_unit = unit if unit.kind in ("paragraph", "list") else None
        if open_unit is not None and not open_unit.segment_end:
            open_unit = None
            out.extend(deferred)
            deferred = []
    out.extend(deferred)
    return out


def _runs_on(first: Unit, second: Unit, ctx: Context) -> bool:
    if first.segment is second.segment:
        return False
    last, head = first.rows[-1], second.rows[0]
    text = second.lines[0] if second.lines else head.text
    if text[:1].islower():
        return True
    if not ends_sentence(first.lines[-1] if first.lines else last.text):
        return True
    indented = head.x0 - second.segment.x0 > 0.6 * head.size
    full = last.x1 >= first.segment.x1 - max(0.1 * first.segment.width, 2.5 * last.size)
    return ctx.indented_paragraphs and full and not indented
