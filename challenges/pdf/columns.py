"""Reading order: find the gutter of a two-column page, assign lines to columns (or to the
full width), merge the pieces of one printed line into a row, and cut the page into
segments read in order — for each horizontal band, the left column, the right column, then
the full-width rows (title, abstract, wide tables and figures) that close the band."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from challenges.pdf.lines import EXPONENT_BASE_RE, Line

FULL = -1  # column index of a row that spans the page


@dataclass(slots=True)
class Row:
    page: int
    col: int
    lines: list[Line]
    x0: float = 0.0
    y0: float = 0.0
    x1: float = 0.0
    y1: float = 0.0
    text: str = ""
    size: float = 0.0
    bold: bool = False
    math: float = 0.0
    table: int | None = None  # the table this row stands for (its caption and cells)
    font: str = ""
    equation: bool | None = None  # is it a display-math row (decided once, when asked)

    def finish(self) -> Row:
        if len(self.lines) == 1:  # most rows: one line of running text
            line = self.lines[0]
            self.x0, self.y0, self.x1, self.y1 = line.x0, line.y0, line.x1, line.y1
            self.text, self.font, self.size = line.text, line.font, line.size
            self.bold, self.math = line.bold, line.math
            return self
        self.lines.sort(key=lambda line: line.x0)
        self.x0 = min(line.x0 for line in self.lines)
        self.x1 = max(line.x1 for line in self.lines)
        self.y0 = min(line.y0 for line in self.lines)
        self.y1 = max(line.y1 for line in self.lines)
        main = max(self.lines, key=lambda line: len(line.text))
        parts: list[str] = []
        for line in self.lines:
            raised = line.size <= 0.85 * main.size and line.y1 < main.y1 - 0.2 * main.size
            exponent = raised and parts and re.match(r"^[-−]?\d{1,3}$", line.text)
            if exponent and EXPONENT_BASE_RE.search(parts[-1]):
                parts.append("^" + line.text)  # an exponent set as its own line
                continue
            if parts and not parts[-1].endswith(" "):
                parts.append(" ")
            parts.append(line.text)
        self.text = "".join(parts).strip()
        fonts: dict[str, int] = {}
        for line in self.lines:
            fonts[line.font] = fonts.get(line.font, 0) + len(line.text)
        self.font = max(fonts, key=fonts.get)
        weights: dict[float, int] = {}
        bold = math = 0.0
        for line in self.lines:
            weights[line.size] = weights.get(line.size, 0) + len(line.text)
            bold += len(line.text) if line.bold else 0
            math += line.math * len(line.text)
        total = sum(weights.values()) or 1
        self.size = max(weights, key=weights.get)
        self.bold = bold >= 0.8 * total
        self.math = math / total
        return self

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


@dataclass(slots=True)
class Segment:
    """Rows read top to bottom inside one column (or the full width) of one band."""

    page: int
    col: int
    x0: float
    x1: float
    rows: list[Row] = field(default_factory=list)

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def find_gutter(lines: list[Line], width: float) -> tuple[float, float] | None:
    """The empty vertical strip between two columns, as (left edge, right edge), or None
    for a one-column page. Only prose-wide lines vote: table cells and math fragments are
    narrow and would fill the gutter with noise; titles and wide tables cross it, so a few
    crossings are tolerated."""
    prose = [line for line in lines if line.width >= 0.22 * width]
    if len(prose) < 6:
        return None
    size = int(width) + 2
    delta = [0] * (size + 1)
    for line in prose:
        a, b = max(0, int(line.x0) + 1), min(size, int(line.x1))
        if b > a:
            delta[a] += 1
            delta[b] -= 1
    cover, running = [0] * size, 0
    for x in range(size):
        running += delta[x]
        cover[x] = running
    lo, hi = int(0.3 * width), int(0.7 * width)
    least = min(cover[lo:hi])
    best: tuple[int, int] | None = None
    start = None
    for x in range(lo, hi + 1):
        if x < hi and cover[x] == least:
            start = x if start is None else start
        elif start is not None:
            if best is None or x - start > best[1] - best[0]:
                best = (start, x)
            start = None
    if best is None:
        return None
    g0, g1 = best
    left = sum(1 for line in prose if line.x1 <= g0 + 2)
    right = sum(1 for line in prose if line.x0 >= g1 - 2)
    if left < 3 or right < 3 or least > 0.25 * (left + right):
        return None
    return float(g0), float(g1)


def column_of(line: Line, gutter: tuple[float, float] | None) -> int:
    if gutter is None:
        return 0
    g0, g1 = gutter
    if line.x0 < g0 - 3 and line.x1 > g1 + 3:
        return FULL
    return 0 if (line.x0 + line.x1) / 2 < (g0 + g1) / 2 else 1


def build_rows(lines: list[Line], gutter: tuple[float, float] | None) -> list[Row]:
    """Merge lines that sit side by side on one printed line of one column (math
    fragments, table cells, a run-in heading and its text) into rows."""
    rows: list[Row] = []
    open_rows: list[Row] = []
    for line in sorted(lines, key=lambda ln: (ln.y0, ln.x0)):
        col = column_of(line, gutter)
        target = None
        # lines come top-down: a row ending above this line can take no more lines
        open_rows = [row for row in open_rows if row.y1 > line.y0]
        for row in open_rows:
            if row.col != col or row.page != line.page:
                continue
            top, bottom = max(row.y0, line.y0), min(row.y1, line.y1)
            overlap = bottom - top
            if overlap < 0.5 * min(line.height, row.y1 - row.y0):
                continue
            if any(
                _x_overlap(member, line) > max(3.0, 0.7 * min(member.width, line.width))
                for member in row.lines
            ):
                continue
            target = row
            break
        if target is None:
            target = Row(line.page, col, [], y0=line.y0, y1=line.y1)
            rows.append(target)
            open_rows.append(target)
        target.lines.append(line)
        target.y0, target.y1 = min(target.y0, line.y0), max(target.y1, line.y1)
    return [row.finish() for row in rows]


def _x_overlap(a: Line, b: Line) -> float:
    return min(a.x1, b.x1) - max(a.x0, b.x0)


def segments(rows: list[Row], page: int, width: float) -> list[Segment]:
    """Cut a page's rows into segments in reading order."""
    full = sorted((row for row in rows if row.col == FULL), key=lambda row: row.y0)
    groups: list[list[Row]] = []
    column_rows = [row for row in rows if row.col != FULL]
    for row in full:
        if groups:
            last = groups[-1]
            between = any(last[-1].y1 <= r.y0 + 1 and r.y1 <= row.y0 + 1 for r in column_rows)
            if not between:
                last.append(row)
                continue
        groups.append([row])
    keyed: dict[tuple[int, int], list[Row]] = {}
    for row in column_rows:
        band = sum(1 for group in groups if group[-1].y1 <= row.y0 + 2 + 0.5 * row.height)
        keyed.setdefault((2 * band, row.col), []).append(row)
    for index, group in enumerate(groups):
        keyed[(2 * index + 1, FULL)] = group
    extents = _column_extents(rows, width)
    result = []
    for key in sorted(keyed):
        band_rows = sorted(keyed[key], key=lambda row: (row.y0, row.x0))
        x0, x1 = extents.get(key[1], extents[FULL])
        result.append(Segment(page, key[1], x0, x1, band_rows))
    return result


def _column_extents(rows: list[Row], width: float) -> dict[int, tuple[float, float]]:
    """Left and right edges of each column's text, from its prose rows (robust to indents
    and to the odd line that sticks out)."""
    extents: dict[int, tuple[float, float]] = {}
    by_col: dict[int, list[Row]] = {}
    for row in rows:
        by_col.setdefault(row.col, []).append(row)
    every = rows or []
    for col, members in [*by_col.items(), (FULL, every)]:
        if not members:
            continue
        widest = max(row.width for row in members)
        prose = [row for row in members if row.width >= 0.6 * widest] or members
        lefts = sorted(row.x0 for row in prose)
        rights = sorted(row.x1 for row in prose)
        extents[col] = (lefts[len(lefts) // 10], rights[(len(rights) * 9) // 10])
    if FULL not in extents:
        extents[FULL] = (0.0, width)
    return extents
