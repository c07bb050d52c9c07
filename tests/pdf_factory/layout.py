"""The writer behind the factory: lays out a paper the way LaTeX prints one — a full-width
title block, one or two justified columns with TeX-like hyphenation, ligature glyphs,
a running header and page numbers, booktabs tables and centred display equations."""

from __future__ import annotations

from dataclasses import dataclass, field

import pymupdf

PAGE_W, PAGE_H = 612.0, 792.0
MARGIN, TOP, BOTTOM, GUTTER = 54.0, 66.0, 730.0, 24.0
BODY, LEAD = 10.0, 12.0
_LIGATURES = (
    ("ffi", "\ufb03"),
    ("ffl", "\ufb04"),
    ("ff", "\ufb00"),
    ("fi", "\ufb01"),
    ("fl", "\ufb02"),
)


@dataclass
class Heading:
    text: str  # as printed, numbering included: "2.1 Data"
    size: float = 12.0
    centred: bool = False
    italic: bool = False


@dataclass
class Para:
    text: str


@dataclass
class Equation:
    text: str  # "L = α x + β (1)"


@dataclass
class TableSpec:
    caption: str
    rows: list[list[str]]  # the first row is the header
    caption_below: bool = False
    grid: bool = False  # every cell boxed (a Word or HTML table), else booktabs rules


@dataclass
class Front:
    title: str
    authors: str
    affiliation: str = "Department of Synthetic Studies, Example University"
    date: str = ""
    abstract: str = ""
    abstract_heading: bool = True  # REVTeX prints the abstract without one


@dataclass
class _Writer:
    columns: int
    header: str
    ligatures: bool
    odd_glyph: str | None
    doc: pymupdf.Document = field(default_factory=pymupdf.open)
    page: pymupdf.Page | None = None
    writer: pymupdf.TextWriter | None = None
    col: int = 0
    y: float = TOP
    columns_top: float = TOP
    browser: bool = False  # printed by a browser: sans serif, ragged, spaced, unhyphenated
    line_numbers: bool = False  # a review copy's numbers in the margins
    numbered: int = 0
    item: int = -1  # the item being laid out
    placements: list = field(default_factory=list)  # (item, page, column) of every line

    def __post_init__(self):
        self.regular = pymupdf.Font("helv" if self.browser else "tiro")
        self.bold = pymupdf.Font("hebo" if self.browser else "tibo")
        self.italic = pymupdf.Font("tiit")
        self.col_w = (PAGE_W - 2 * MARGIN - (self.columns - 1) * GUTTER) / self.columns
        self.new_page()

    # pages and columns
    def new_page(self) -> None:
        self.flush()
        self.page = self.doc.new_page(width=PAGE_W, height=PAGE_H)
        self.writer = pymupdf.TextWriter(self.page.rect)
        number = str(self.doc.page_count)
        if self.header:
            self.centred(self.header, self.regular, 8, 40)
        self.centred(number, self.regular, 9, 760)
        self.col, self.y, self.columns_top = 0, TOP, TOP

    def flush(self) -> None:
        if self.writer is not None and self.page is not None:
            self.writer.write_text(self.page)
            self.writer = None

    def x0(self) -> float:
        return MARGIN + self.col * (self.col_w + GUTTER)

    def need(self, height: float) -> None:
        if self.y + height <= BOTTOM:
            return
        if self.col + 1 < self.columns:
            self.col += 1
            self.y = self.columns_top
        else:
            self.new_page()

    # text
    def shape(self, text: str) -> str:
        if self.ligatures:
            for plain, glyph in _LIGATURES:
                text = text.replace(plain, glyph)
        if self.odd_glyph:
            text = text.replace(self.odd_glyph, "\ue001")  # renders as an unmapped glyph
        return text

    def put(self, x: float, baseline: float, text: str, font, size: float) -> None:
        self.writer.append((x, baseline), self.shape(text), font=font, fontsize=size)

    def centred(self, text: str, font, size: float, baseline: float, width=None) -> None:
        width = width if width is not None else PAGE_W
        left = (PAGE_W - width) / 2
        x = left + (width - font.text_length(self.shape(text), size)) / 2
        self.put(x, baseline, text, font, size)

    def paragraph(self, text: str, *, x0=None, width=None, size=BODY, indent=10.0, font=None):
        font = font or self.regular
        width = width or self.col_w
        indent = 0.0 if self.browser else indent
        lines = _wrap(text.split(), font, size, width, indent, self.shape, not self.browser)
        for number, words in enumerate(lines):
            self.need(LEAD * size / BODY)
            left = (x0 if x0 is not None else self.x0()) + (indent if number == 0 else 0)
            last = number == len(lines) - 1
            self._justified(words, left, width - (indent if number == 0 else 0), font, size, last)
            self.placements.append((self.item, self.doc.page_count, self.col))
            if self.line_numbers:
                self.numbered += 1
                x = 24.0 if self.col == 0 else PAGE_W - 40.0
                self.put(x, self.y + size, str(self.numbered), self.regular, 7)
            self.y += LEAD * size / BODY
        if self.browser:
            self.y += 8  # paragraphs apart, not indented

    def _justified(self, words, left, width, font, size, last) -> None:
        baseline = self.y + size
        lengths = [font.text_length(self.shape(w), size) for w in words]
        space = font.text_length(" ", size)
        if last or len(words) == 1 or self.browser:
            self.put(left, baseline, " ".join(words), font, size)
            return
        gap = max(space, (width - sum(lengths)) / (len(words) - 1))
        x = left
        for word, length in zip(words, lengths, strict=True):
            self.put(x, baseline, word, font, size)
            x += length + gap


def _wrap(words, font, size, width, indent, shape, hyphenate=True) -> list[list[str]]:
    """Greedy line breaking; a word that does not fit is hyphenated like TeX would (after
    3+ letters, leaving 3+), and a compound breaks after its own hyphen."""
    lines: list[list[str]] = []
    current: list[str] = []
    used = indent
    space = font.text_length(" ", size)
    for word in words:
        length = font.text_length(shape(word), size)
        extra = length + (space if current else 0)
        if used + extra <= width:
            current.append(word)
            used += extra
            continue
        room = width - used - (space if current else 0)
        split = _split(word, font, size, room, shape) if hyphenate else None
        if split:
            head, tail = split
            current.append(head)
            lines.append(current)
            current, used = [tail], font.text_length(shape(tail), size)
        else:
            lines.append(current)
            current, used = [word], length
    if current:
        lines.append(current)
    return [line for line in lines if line]


def _split(word, font, size, room, shape):
    if "-" in word.strip("-"):
        head, _, tail = word.partition("-")
        if head.isalpha() and font.text_length(shape(head + "-"), size) <= room:
            return head + "-", tail
        return None
    core = word.rstrip(".,;:)")
    if len(core) < 7 or not core.isalpha() or not core.islower():
        return None
    for cut in range(len(core) - 3, 2, -1):
        if font.text_length(shape(word[:cut] + "-"), size) <= room:
            return word[:cut] + "-", word[cut:]
    return None


def paper(front: Front, items: list, **options) -> bytes:
    """Lay out ``items`` after a full-width title block (options: see ``paper_layout``)."""
    return paper_layout(front, items, **options)[0]


def paper_layout(
    front: Front,
    items: list,
    *,
    columns: int = 2,
    header: str = "Preprint · Synthetic Paper",
    ligatures: bool = True,
    odd_glyph: str | None = None,
    arxiv_stamp: str | None = None,
    line_numbers: bool = False,
    browser: bool = False,
) -> tuple[bytes, list[tuple[int, int, int]]]:
    """The PDF and where each printed line of a paragraph went: (item index, page, column)."""
    w = _Writer(columns, header, ligatures, odd_glyph, browser=browser)
    w.line_numbers = line_numbers
    w.centred(front.title, w.bold, 17, 96)
    w.centred(front.authors, w.regular, 11, 120)
    w.centred(front.affiliation, w.regular, 9, 134)
    w.y = 140
    if front.date:
        w.centred(front.date, w.regular, 10, 150)
        w.y = 156
    if front.abstract:
        w.y += 10
        if front.abstract_heading:
            w.centred("Abstract", w.bold, 11, w.y + 11)
            w.y += 18
        inner = PAGE_W - 2 * MARGIN - 60
        w.paragraph(front.abstract, x0=MARGIN + 30, width=inner, size=9, indent=0)
    w.y += 14
    w.columns_top = w.y
    if arxiv_stamp:
        w.page.insert_text((32, 560), arxiv_stamp, fontsize=18, rotate=90, color=(0.5, 0.5, 0.5))
    for number, item in enumerate(items):
        w.item = number
        if isinstance(item, Heading):
            w.need(2 * LEAD + item.size + 14)
            w.y += 8
            font = w.italic if item.italic else w.bold
            x = w.x0()
            if item.centred:
                x += (w.col_w - font.text_length(item.text, item.size)) / 2
            w.put(x, w.y + item.size, item.text, font, item.size)
            w.y += item.size + 6
        elif isinstance(item, Para):
            w.paragraph(item.text)
        elif isinstance(item, Equation):
            w.need(3 * LEAD)
            w.y += 6
            x = w.x0() + (w.col_w - w.regular.text_length(item.text, BODY)) / 2
            w.put(x, w.y + BODY, item.text, w.regular, BODY)
            w.y += LEAD + 6
        elif isinstance(item, TableSpec):
            _table(w, item)
    w.flush()
    data = w.doc.tobytes(garbage=3, deflate=True)
    w.doc.close()
    return data, w.placements


def _table(w: _Writer, spec: TableSpec) -> None:
    """A booktabs table (three rules), or with ``grid`` every cell boxed; a "\\n" in a cell
    wraps it onto several lines (the row grows)."""
    size = 9.0
    rows = [[cell.split("\n") for cell in row] for row in spec.rows]
    height = sum(max(len(cell) for cell in row) for row in rows) * 13 + 60
    w.need(height)
    w.y += 6
    if not spec.caption_below:
        w.put(w.x0(), w.y + BODY, spec.caption, w.regular, BODY)
        w.y += LEAD + 6
    left, right = w.x0() + 4, w.x0() + w.col_w - 4
    widths = [
        max(w.regular.text_length(part, size) for row in rows for part in row[i])
        for i in range(len(rows[0]))
    ]
    slack = (right - left - sum(widths)) / max(1, len(widths) - 1)
    xs, x = [], left
    for width in widths:
        xs.append(x)
        x += width + slack
    top = w.y
    pitch = 14 if spec.grid else 11
    w.page.draw_line((left, w.y), (right, w.y), width=0.8)
    for number, row in enumerate(rows):
        for cell, cx in zip(row, xs, strict=True):
            for line_number, part in enumerate(cell):
                baseline = w.y + (10 if spec.grid else 9) + 11 * line_number
                w.put(cx, baseline, part, w.regular, size)
        w.y += pitch + 11 * (max(len(cell) for cell in row) - 1)
        if spec.grid or number == 0:
            w.page.draw_line((left, w.y + 1), (right, w.y + 1), width=0.5)
            w.y += 0 if spec.grid else 3
    if spec.grid:
        edges = [left - 2] + [cx - slack / 2 for cx in xs[1:]] + [right]
        for edge in edges:
            w.page.draw_line((edge, top), (edge, w.y + 1), width=0.5)
    else:
        w.page.draw_line((left, w.y + 1), (right, w.y + 1), width=0.8)
    w.y += 12
    if spec.caption_below:
        w.put(w.x0(), w.y + BODY, spec.caption, w.regular, BODY)
        w.y += LEAD + 6
