"""Text lines as PyMuPDF reports them (``page.get_text("dict")``), reduced to what layout
analysis needs: position, text, dominant font size, boldness and how much of it is set in
math fonts. Rotated lines are kept apart (the arXiv margin stamp is one)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from challenges.pdf.text import clean

_BOLD_FONT_RE = re.compile(r"bold|black|heavy|semibold|demi|medi\b|medium|\bcmbx|-b\b|\.b\b", re.I)
_MATH_FONT_RE = re.compile(
    r"^(?:[A-Z]{6}\+)?(?:cmmi|cmsy|cmex|msbm|msam|rsfs|eufm|stixmath|cambriamath|mtmi|mtsy"
    r"|lmmath|txmi|txsy|pxmi|pxsy|esint|wasy)|math|symbol",
    re.I,
)
_MARKER_RE = re.compile(r"^[\d,\s*†‡§¶∗⋆a-e–-]{1,8}$")
_NUMBER_SUPERSCRIPT_RE = re.compile(r"^[−-]?\d{1,3}$")
# what an exponent follows: a number, a one-letter symbol, or a unit (m², km², s⁻¹)
EXPONENT_BASE_RE = re.compile(
    r"(?:\d|(?<![A-Za-z])[A-Za-z]|(?<![A-Za-z])(?:[cmkμnd]?m|m?s|kg|mg|ml|mL|ft|yr|h))[)]?$"
)


@dataclass(slots=True)
class Span:
    text: str
    x0: float
    x1: float
    size: float
    bold: bool
    superscript: bool  # smaller and raised above the line's baseline


@dataclass(slots=True)
class Line:
    page: int  # 1-based
    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    size: float
    bold: bool
    math: float  # share of characters set in math fonts
    block: int  # PyMuPDF's block number on the page
    spans: list[Span] = field(default_factory=list)
    font: str = ""  # family of the dominant font ("lmroman", "helvetica"; "math")

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0

    @property
    def yc(self) -> float:
        return (self.y0 + self.y1) / 2


@dataclass(slots=True)
class RotatedText:
    page: int
    text: str
    bbox: tuple[float, float, float, float]


def page_lines(page_dict: dict, page_no: int) -> tuple[list[Line], list[RotatedText]]:
    """The horizontal lines of one page and, apart, its rotated text."""
    lines: list[Line] = []
    rotated: list[RotatedText] = []
    for block_no, block in enumerate(page_dict.get("blocks", ())):
        if block.get("type", 0) != 0:
            continue
        for raw in block.get("lines", ()):
            spans = [s for s in raw.get("spans", ()) if s.get("text", "").strip()]
            if not spans:
                continue
            dx, dy = raw.get("dir", (1.0, 0.0))
            if abs(dy) > 0.2 or dx < 0:
                text = clean(" ".join(s["text"] for s in spans)).strip()
                if text:
                    rotated.append(RotatedText(page_no, text, tuple(raw["bbox"])))
                continue
            line = _line(spans, raw["bbox"], page_no, block_no)
            if line is not None:
                lines.append(line)
    return lines, rotated


def _line(raw_spans: list[dict], bbox, page_no: int, block_no: int) -> Line | None:
    if len(raw_spans) == 1:  # most lines of running text: one font, one size
        raw = raw_spans[0]
        text = " ".join(clean(raw["text"]).split())
        if not text:
            return None
        bold_name, is_math, family = _font_info(raw["font"])
        bold = bold_name or bool(raw["flags"] & 16)
        size = round(raw["size"], 1)
        span = Span(text, raw["bbox"][0], raw["bbox"][2], size, bold, False)
        x0, y0, x1, y1 = bbox
        return Line(
            page_no, x0, y0, x1, y1, text, size, bold, float(is_math), block_no, [span], family
        )
    items = []
    weights: dict[float, int] = {}
    for raw in raw_spans:
        text = clean(raw["text"])
        if text.strip():
            size = round(raw["size"], 1)
            items.append((raw, text, size))
            weights[size] = weights.get(size, 0) + len(text)
    if not items:
        return None
    # MuPDF's own superscript flag marks whole runs of ordinary text next to math, so
    # superscripts are judged here: clearly smaller and raised above the main baseline.
    main = max(weights, key=weights.get)
    baseline = next(raw["origin"][1] for raw, _, size in items if size == main)
    spans: list[Span] = []
    bold_chars = math_chars = total = 0
    fonts: dict[str, int] = {}
    for raw, text, size in items:
        bold_name, is_math, family = _font_info(raw["font"])
        raised = size <= 0.85 * main and raw["origin"][1] < baseline - 0.25 * main
        bold = bold_name or bool(raw["flags"] & 16)
        x0, _, x1, _ = raw["bbox"]
        spans.append(Span(text, x0, x1, size, bold, raised))
        count = len(text)
        fonts[family] = fonts.get(family, 0) + count
        total += count
        if bold:
            bold_chars += count
        if is_math:
            math_chars += count
    text = join_spans(spans)
    if not text:
        return None
    x0, y0, x1, y1 = bbox
    return Line(
        page=page_no,
        x0=x0,
        y0=y0,
        x1=x1,
        y1=y1,
        text=text,
        size=main,
        bold=bold_chars >= 0.8 * total,
        math=math_chars / total,
        block=block_no,
        spans=spans,
        font=max(fonts, key=fonts.get),
    )


@functools.lru_cache(maxsize=512)
def _font_info(font: str) -> tuple[bool, bool, str]:
    return bool(_BOLD_FONT_RE.search(font)), bool(_MATH_FONT_RE.search(font)), font_family(font)


def font_family(font: str) -> str:
    """ "ABCDEF+LMRoman10-Regular" → "lmroman"; math fonts → "math"."""
    if _MATH_FONT_RE.search(font):
        return "math"
    name = font.split("+", 1)[-1]
    name = re.split(r"[-,_]", name, maxsplit=1)[0]
    return re.sub(r"\d+|(?:mt|ps|std|pro)$", "", name.lower())


def join_spans(spans: list[Span]) -> str:
    """The spans' text with a space where the gap between two spans is a word space;
    footnote and citation marks dropped, exponents after a number kept as ``^``."""
    merged: list[Span] = []
    for span in spans:  # "−" and "5" of one exponent are often two spans
        last = merged[-1] if merged else None
        if last and last.superscript and span.superscript and span.x0 - last.x1 < 0.3 * span.size:
            merged[-1] = Span(last.text + span.text, last.x0, span.x1, span.size, last.bold, True)
        else:
            merged.append(span)
    parts: list[str] = []
    prev_x1 = None
    prev_size = 0.0
    for span in merged:
        text = span.text
        if span.superscript and parts:
            mark = text.strip()
            so_far = "".join(parts).rstrip()
            if so_far and _MARKER_RE.match(mark):
                if _NUMBER_SUPERSCRIPT_RE.match(mark) and EXPONENT_BASE_RE.search(so_far):
                    parts.append("^" + mark)  # an exponent: 10^5
                    prev_x1 = span.x1
                    continue
                if re.search(r"(?:[A-Za-z]{2}|[.,;:)\]])$", so_far):
                    prev_x1 = span.x1  # a footnote or citation mark
                    continue
        if prev_x1 is not None and parts and not parts[-1].endswith(" "):
            gap = span.x0 - prev_x1
            if gap > 0.15 * max(span.size, prev_size) and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        prev_x1, prev_size = span.x1, span.size
    return " ".join("".join(parts).split())
