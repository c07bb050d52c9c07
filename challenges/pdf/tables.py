"""Tables next to a "Table N" caption.

Only pages with such a caption are searched. From the caption we walk away (down, then up)
over rows that look like table rows — several cells on one printed line, or numbers —
until prose, another caption or a wide gap. The cells come from PyMuPDF's own line split
(it breaks a printed line at wide gaps, which is where a table's columns are); columns are
the cell positions of the fullest rows, multi-row headers are merged into one header row
("CIFAR-10 NMI"), labels printed once for a group of rows ("multirow") are filled down.

When that grid is ragged (rows with missing cells: wrapped cell text?) and the region is
drawn as a grid (vertical rules), ``page.find_tables`` — clipped to the drawn grid, without
PyMuPDF 2's layout model — supplies the cell boxes, and the page's lines fill them. Its own
cell text is not used: it splits "0.705" at the decimal point. On booktabs tables (no
vertical rules) it merges rows, and with the layout model it costs ~0.5 s a page, so the
alignment builder does those.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from challenges.pdf.lines import Line

TABLE_CAPTION_RE = re.compile(
    r"^(?:Table|TABLE|Tab\.)\s*(?P<n>\d{1,3}[A-Za-z]?|[IVXL]{1,6}|[A-Z]\.?\d{1,2}|S\d{1,3})"
    r"\s*(?P<sep>[:.|—–-])?\s*(?P<rest>.*)$"
)
_NUMERIC_RE = re.compile(
    r"^[-+±~≈<>≤≥$€£]*[(\[]?[-+]?(?:\d[\d,]*\.?\d*|\.\d+)[)\]]?(?:%|[*†‡]{1,4}|\^?[a-z]{0,2})?"
    r"(?:\s*(?:±|\+/-|\()\s*[\d.,]+\)?)?$"
)
_BRACKETED_RE = re.compile(r"^[(\[][-+]?[\d.,]+[)\]][*†‡]*$")
_MISSING_RE = re.compile(r"^[-–—]+$|^n/?a$", re.I)


@dataclass
class FoundTable:
    caption_lines: list[Line]
    rows: list[list[str]]
    has_header: bool
    lines: list[Line] = field(default_factory=list)  # the region's lines (cells)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        every = self.caption_lines + self.lines
        return (
            min(line.x0 for line in every),
            min(line.y0 for line in every),
            max(line.x1 for line in every),
            max(line.y1 for line in every),
        )


def is_table_caption(line: Line, first_in_block: bool) -> bool:
    match = TABLE_CAPTION_RE.match(line.text)
    if not match:
        return False
    rest = match.group("rest")
    if match.group("sep") or not rest:
        return True
    label_bold = bool(line.spans) and line.spans[0].bold
    return label_bold or (first_in_block and rest[:1].isupper())


def caption_lines(caption: Line, lines: list[Line]) -> list[Line]:
    """The caption's own lines: its block, from the caption line on, while the lines stay
    in one column under it."""
    same = [
        line
        for line in lines
        if line.page == caption.page
        and line.block == caption.block
        and line.y0 >= caption.y0 - 1
        and line.x0 < caption.x1
        and line.x1 > caption.x0 - 5
    ]
    same.sort(key=lambda line: line.y0)
    out = [caption]
    for line in same:
        if line is caption:
            continue
        if line.y0 - out[-1].y1 > 1.2 * caption.size:
            break
        out.append(line)
    return out


def find_table(
    captions: list[Line], lines: list[Line], x_range: tuple[float, float], body_size: float
) -> tuple[list[list[Line]], bool] | None:
    """The table's rows of cells (each a list of lines) next to the caption, and whether it
    lay below the caption; None when neither side has at least two table-like rows."""
    taken = {id(line) for line in captions}
    x0, x1 = x_range
    candidates = [
        line
        for line in lines
        if id(line) not in taken and x0 - 2 <= (line.x0 + line.x1) / 2 <= x1 + 2
    ]
    top, bottom = captions[0].y0, max(line.y1 for line in captions)
    below = _walk(_rows([ln for ln in candidates if ln.y0 >= bottom - 1]), bottom, 1, x_range)
    above = _walk(_rows([ln for ln in candidates if ln.y1 <= top + 1])[::-1], top, -1, x_range)
    best, is_below = (below, True) if len(below) >= len(above) else (above, False)
    if sum(1 for row in best if len(row) >= 2) < 2:
        return None
    if not is_below:
        best.reverse()
    return best, is_below


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: ln.yc):
        if rows:
            last = rows[-1]
            top, bottom = max(ln.y0 for ln in last), min(ln.y1 for ln in last)
            if min(bottom, line.y1) - max(top, line.y0) >= 0.4 * min(line.height, bottom - top):
                last.append(line)
                continue
        rows.append([line])
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
    return rows


def _walk(rows: list[list[Line]], edge: float, direction: int, x_range) -> list[list[Line]]:
    accepted: list[list[Line]] = []
    pending: list[list[Line]] = []
    last_edge = edge
    pitches: list[float] = []
    width = x_range[1] - x_range[0]
    for row in rows:
        near = min(ln.y0 for ln in row) if direction > 0 else max(ln.y1 for ln in row)
        height = max(ln.height for ln in row)
        gap = (near - last_edge) * direction
        limit = 3.5 * height + 8 if not accepted else max(2.8 * height, 2.5 * _median(pitches))
        if gap > limit:
            break
        text = " ".join(ln.text for ln in row)
        if TABLE_CAPTION_RE.match(text) or re.match(r"^(Figure|Fig\.|FIGURE)\s*\d", text):
            break
        if _is_prose(row, width):
            break
        pitches.append(gap + height)
        far = max(ln.y1 for ln in row) if direction > 0 else min(ln.y0 for ln in row)
        if len(row) >= 2 or _is_numeric(text):
            accepted.extend(pending)
            pending = []
            accepted.append(row)
        elif len(pending) < 2 and row[0].width < 0.6 * width:
            pending.append(row)
        else:
            break
        last_edge = far
    return accepted


def _is_prose(row: list[Line], width: float) -> bool:
    if len(row) != 1:
        return False
    line = row[0]
    return len(line.text.split()) >= 7 and line.width >= 0.5 * width


def _is_numeric(text: str) -> bool:
    return bool(_NUMERIC_RE.match(text.strip())) or bool(_MISSING_RE.match(text.strip()))


def _median(values: list[float]) -> float:
    if not values:
        return 12.0
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def build_grid(rows: list[list[Line]]) -> tuple[list[list[str]], bool]:
    """Cells into columns, headers merged, group labels filled down."""
    cell_rows = [_cells(row) for row in rows]
    slots = _slots(cell_rows)
    grid: list[list[str]] = []
    ys: list[float] = []
    for cells in cell_rows:
        out = [""] * len(slots)
        for cx0, cx1, text in cells:
            index = _best_slot(cx0, cx1, slots)
            out[index] = f"{out[index]} {text}".strip()
        grid.append(out)
    for row in rows:
        ys.append(sum(ln.yc for ln in row) / len(row))
    header_count = _header_count(grid)
    if header_count > 1:
        header = _merge_headers(cell_rows[:header_count], grid[:header_count], slots)
        grid = [header, *grid[header_count:]]
        ys = [ys[0], *ys[header_count:]]
    has_header = header_count >= 1 or len(grid) >= 3
    start = 1 if has_header else 0
    grid, ys = _merge_wrapped(grid, ys, start)
    _fill_group_labels(grid, ys, start)
    grid = [row for row in grid if any(row)]
    keep = [i for i in range(len(slots)) if any(row[i] for row in grid)]
    return [[row[i] for i in keep] for row in grid], has_header


def _cells(row: list[Line]) -> list[tuple[float, float, str]]:
    cells: list[list] = []
    for line in row:
        if cells and line.x0 - cells[-1][1] < 0.45 * line.size:
            cells[-1][1] = max(cells[-1][1], line.x1)
            cells[-1][2] += " " + line.text
        else:
            cells.append([line.x0, line.x1, line.text])
    return [(a, b, t.strip()) for a, b, t in cells]


def _slots(cell_rows: list[list[tuple[float, float, str]]]) -> list[tuple[float, float]]:
    fullest = max(len(cells) for cells in cell_rows)
    basis = [cells for cells in cell_rows if len(cells) == fullest]
    intervals = sorted((a, b) for cells in basis for a, b, _ in cells)
    merged: list[list[float]] = []
    for a, b in intervals:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    if len(merged) < fullest:
        merged = [[a, b] for a, b, _ in basis[0]]
    return [(a, b) for a, b in merged]


def _best_slot(x0: float, x1: float, slots: list[tuple[float, float]]) -> int:
    best, best_score = 0, -1e9
    center = (x0 + x1) / 2
    for index, (a, b) in enumerate(slots):
        overlap = min(x1, b) - max(x0, a)
        score = overlap if overlap > 0 else -abs(center - (a + b) / 2)
        if score > best_score:
            best, best_score = index, score
    return best


def _header_count(grid: list[list[str]]) -> int:
    """Leading rows without numbers outside the first column (at most three)."""
    count = 0
    for row in grid[:4]:
        if any(_is_numeric(cell) and not _MISSING_RE.match(cell) for cell in row[1:] if cell):
            break
        count += 1
    if count == len(grid):  # a table of words: its first row is the header
        return 1
    return min(count, 3)


def _merge_headers(cell_rows, grid, slots) -> list[str]:
    """One header row from several: a header cell printed over a group of columns (fewer
    cells than columns) names every column it is centred over."""
    parts: list[list[str]] = [[] for _ in slots]
    for cells, row in zip(cell_rows, grid, strict=True):
        spread = list(row)
        if len(cells) < len(slots):
            for index, (a, b) in enumerate(slots):
                if spread[index]:
                    continue
                middle = (a + b) / 2
                near = [
                    (abs((cx0 + cx1) / 2 - middle), text)
                    for cx0, cx1, text in cells
                    if abs((cx0 + cx1) / 2 - middle) <= 1.25 * (cx1 - cx0)
                ]
                if near:
                    spread[index] = min(near)[1]
        for index, text in enumerate(spread):
            if text and (not parts[index] or parts[index][-1] != text):
                parts[index].append(text)
    return [" ".join(p) for p in parts]


def _merge_wrapped(grid, ys, start):
    """A row with an empty first cell and no numbers continues the wrapped text of the row
    above."""
    out, out_ys = grid[:start], ys[:start]
    for row, y in zip(grid[start:], ys[start:], strict=True):
        filled = [cell for cell in row if cell]
        numeric = any(_is_numeric(cell) for cell in filled)
        # a row of "(0.012)" under a row of coefficients: their standard errors
        bracketed = bool(filled) and all(_BRACKETED_RE.match(cell) for cell in filled)
        if len(out) > start and not row[0] and any(row) and (not numeric or bracketed):
            out[-1] = [f"{a} {b}".strip() for a, b in zip(out[-1], row, strict=True)]
            continue
        out.append(list(row))
        out_ys.append(y)
    return out, out_ys


def _fill_group_labels(grid, ys, start) -> None:
    """A label printed once beside a group of rows (LaTeX multirow, vertically centred)
    belongs to every row of the group: each unlabelled row with numbers takes the nearest
    label."""
    body = range(start, len(grid))
    labelled = [i for i in body if grid[i][0] and not _is_numeric(grid[i][0])]
    missing = [i for i in body if not grid[i][0] and any(_is_numeric(c) for c in grid[i][1:] if c)]
    if not labelled or not missing or len(grid[0]) < 2:
        return
    for i in missing:
        nearest = min(labelled, key=lambda j: (abs(ys[j] - ys[i]), j > i))
        grid[i][0] = grid[nearest][0]


def is_ragged(rows: list[list[Line]]) -> bool:
    """Many rows with fewer cells than the fullest: wrapped cell text, or a multirow label."""
    fullest = max(len(row) for row in rows)
    short = sum(1 for row in rows[1:] if len(row) < fullest)
    return short > max(1, 0.2 * len(rows))


def _drawings(doc, page_index: int, page) -> list[dict]:
    cache = doc.__dict__.setdefault("_dacr_drawings", {})
    if page_index not in cache:
        cache[page_index] = page.get_drawings()
    return cache[page_index]


def ruled_table(doc, page_index: int, region: list[Line], lines: list[Line]):
    """(rows, has_header, lines used) when the region is drawn as a grid (at least three
    vertical rules) and ``page.find_tables`` finds a table of at least 2×2 there; else None.
    Only the cell boxes come from ``find_tables``: their text is taken from the page's
    lines, because its own text extraction splits numbers at the decimal point."""
    import pymupdf

    x0 = min(ln.x0 for ln in region) - 6
    y0 = min(ln.y0 for ln in region) - 6
    x1 = max(ln.x1 for ln in region) + 6
    y1 = max(ln.y1 for ln in region) + 6
    page = doc.load_page(page_index)
    verticals = 0
    grid = pymupdf.Rect(x0, y0, x1, y1)
    for path in _drawings(doc, page_index, page):
        box = path["rect"]  # a vertical rule's box has no width: no Rect.intersects here
        if box.x1 < x0 or box.x0 > x1 or box.y1 < y0 or box.y0 > y1:
            continue
        if box.height > 0.6 * page.rect.height:
            continue  # a frame around the page, not a table's rule
        before = verticals
        for item in path["items"]:
            if item[0] == "l":
                p1, p2 = item[1], item[2]
                verticals += abs(p1.x - p2.x) < 1 and abs(p1.y - p2.y) > 4
            elif item[0] == "re":
                rect = item[1]
                verticals += rect.width < 2 and rect.height > 4
                verticals += 2 * (rect.width >= 2 and rect.height > 4 and bool(path.get("color")))
        if verticals > before:  # the grid may reach past the rows the text walk accepted
            grid.include_rect(pymupdf.Rect(box.x0 - 1, box.y0 - 1, box.x1 + 1, box.y1 + 1))
    if verticals < 3:
        return None
    found = page.find_tables(clip=grid, use_layout=False)
    best = max(found.tables, key=lambda t: t.row_count * t.col_count, default=None)
    if best is None or best.row_count < 2 or best.col_count < 2:
        return None
    used: list[Line] = []
    rows: list[list[str]] = []
    for table_row in best.rows:
        cells = []
        for cell in table_row.cells:
            if cell is None:
                cells.append("")
                continue
            cx0, cy0, cx1, cy1 = cell
            inside = [
                ln
                for ln in lines
                if cx0 - 1 <= (ln.x0 + ln.x1) / 2 <= cx1 + 1 and cy0 - 1 <= ln.yc <= cy1 + 1
            ]
            inside.sort(key=lambda ln: (round(ln.y0), ln.x0))
            used.extend(inside)
            cells.append(" ".join(ln.text for ln in inside))
        rows.append(cells)
    rows = [row for row in rows if any(row)]
    return (rows, True, used) if len(rows) >= 2 else None
