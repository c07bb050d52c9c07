"""``parse_pdf``: read every page once (text only), drop page furniture, find tables next to
their captions, put the rest in reading order, group it into units, and hand the units to
``structure`` for the title, front matter, section tree and blocks."""

from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

import pymupdf

from challenges.paper import ParsedPaper
from challenges.pdf.columns import FULL, Row, Segment, build_rows, column_of, find_gutter, segments
from challenges.pdf.furniture import ArxivStamp, find_arxiv_stamp, remove_furniture
from challenges.pdf.lines import Line, page_lines
from challenges.pdf.opening import TEXT_FLAGS, PdfRefused, open_document
from challenges.pdf.structure import assemble
from challenges.pdf.tables import (
    FoundTable,
    build_grid,
    caption_lines,
    find_table,
    is_ragged,
    is_table_caption,
    ruled_table,
)
from challenges.pdf.text import ends_sentence
from challenges.pdf.units import Context, group_segment, join_continuations

# A page of a scanned paper has no text layer (or a stamp of a few words): below this many
# characters per page on average the file is refused as a scan.
MIN_CHARS_PER_PAGE = 80

logger = logging.getLogger(__name__)
_NOT_PARAGRAPH_START_RE = re.compile(
    r"^(?:\[\d{1,3}\]|\d{1,3}\.\s|[A-Z][\w'’-]+,\s+(?:[A-Z]\.|[A-Z][a-z]+,?\s+[A-Z]\.))|"
    r"^(?:Figure|Fig\.|FIG\.|Table|TABLE|Algorithm)\s*(?:\d|[IVXL]+\b)"
)


@dataclass
class Pages:
    lines: list[list[Line]]
    widths: list[float]
    heights: list[float]
    stamp: ArxivStamp | None = None
    warnings: list[str] = field(default_factory=list)


def parse_pdf(data: bytes, *, max_pages: int = 300) -> ParsedPaper:
    """Parse a PDF into a ``ParsedPaper``; ``PdfRefused`` (one readable line) when the file
    is not a PDF, damaged, password-protected, a scan without text, or over ``max_pages``.
    Any other failure on a malformed file is also reported as ``PdfRefused`` (the cause is
    logged); running out of memory raises ``MemoryError``."""
    doc = open_document(data, max_pages=max_pages)
    try:
        return _parse(doc)
    except (PdfRefused, MemoryError):
        raise
    except Exception as exc:
        if is_memory_error(exc):
            raise MemoryError("MuPDF could not allocate memory") from exc
        logger.warning("PDF parser failure", exc_info=True)
        raise PdfRefused(
            "the PDF could not be parsed: its content is malformed or laid out in a way the "
            "parser cannot read"
        ) from exc
    finally:
        doc.close()


def is_memory_error(exc: BaseException | None) -> bool:
    """MuPDF reports a failed allocation as its own exception type; look through the chain."""
    seen = 0
    while exc is not None and seen < 10:
        text = f"{type(exc).__name__} {exc}".lower()
        if isinstance(exc, MemoryError) or "errormemory" in text or "malloc" in text:
            return True
        if "out of memory" in text or "cannot allocate" in text:
            return True
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return False


def _parse(doc: pymupdf.Document) -> ParsedPaper:
    pages = _read_pages(doc)
    info = doc.metadata or {}
    gutters = _gutters(pages)
    body_size = _body_size(pages.lines)
    tables = _find_tables(doc, pages, gutters, body_size)
    all_segments: list[Segment] = []
    for index, lines in enumerate(pages.lines):
        rows = build_rows(lines, gutters[index])
        rows.extend(_table_rows(tables, index + 1, gutters[index]))
        all_segments.extend(segments(rows, index + 1, pages.widths[index]))
    ctx = _context(all_segments, body_size, pages.heights)
    ctx.body_font = _body_font(pages.lines)
    units = []
    for segment in all_segments:
        units.extend(group_segment(segment, ctx))
    units = join_continuations(units, ctx)
    return assemble(
        units=units,
        tables=tables,
        info=info,
        stamp=pages.stamp,
        page_count=len(pages.lines),
        body_size=body_size,
        warnings=pages.warnings,
    )


def _read_pages(doc: pymupdf.Document) -> Pages:
    all_lines: list[list[Line]] = []
    rotated = []
    widths, heights = [], []
    chars = 0
    for index in range(doc.page_count):
        try:
            page = doc.load_page(index)
            rect = page.rect
            page_dict = page.get_text("dict", flags=TEXT_FLAGS)
        except Exception as exc:  # MuPDF raises several types for damaged content
            if is_memory_error(exc):
                raise MemoryError("MuPDF could not allocate memory") from exc
            raise PdfRefused(f"page {index + 1} cannot be read: the PDF is damaged") from exc
        lines, page_rotated = page_lines(page_dict, index + 1)
        chars += sum(len(line.text) for line in lines)
        all_lines.append(lines)
        rotated.extend(page_rotated)
        widths.append(rect.width)
        heights.append(rect.height)
    if chars < MIN_CHARS_PER_PAGE * doc.page_count:
        if getattr(doc, "is_repaired", False):
            raise PdfRefused("the PDF is damaged (perhaps truncated): almost no text can be read")
        raise PdfRefused(
            "the PDF has no text layer (it looks like a scan); upload a PDF with selectable text"
        )
    stamp, stamp_lines = find_arxiv_stamp(rotated, all_lines[0])
    if stamp_lines:
        all_lines[0] = [line for line in all_lines[0] if id(line) not in stamp_lines]
    pages = Pages(remove_furniture(all_lines, heights), widths, heights, stamp)
    if getattr(doc, "is_repaired", False):
        pages.warnings.append("the PDF was damaged and has been repaired while reading it")
    return pages


def _gutters(pages: Pages) -> list[tuple[float, float] | None]:
    """Each page's gutter; a page too sparse to show one borrows the document's usual
    gutter when its lines do not cross it."""
    found = [find_gutter(lines, w) for lines, w in zip(pages.lines, pages.widths, strict=True)]
    usual = Counter(round((g[0] + g[1]) / 20) for g in found if g)
    if not usual or sum(usual.values()) < 0.4 * len(found):
        return found
    key = usual.most_common(1)[0][0]
    model = next(g for g in found if g and round((g[0] + g[1]) / 20) == key)
    for index, gutter in enumerate(found):
        if gutter is not None:
            continue
        lines = pages.lines[index]
        prose = [ln for ln in lines if ln.width >= 0.15 * pages.widths[index]]
        crossing = sum(1 for ln in prose if ln.x0 < model[0] - 3 and ln.x1 > model[1] + 3)
        sides = {0, 1} <= {column_of(ln, model) for ln in prose}
        if prose and sides and crossing <= 0.1 * len(prose):
            found[index] = model
    return found


def _body_size(pages: list[list[Line]]) -> float:
    sizes: Counter[float] = Counter()
    for lines in pages:
        for line in lines:
            sizes[round(line.size * 2) / 2] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def _body_font(pages: list[list[Line]]) -> str:
    fonts: Counter[str] = Counter()
    for lines in pages:
        for line in lines:
            fonts[line.font] += len(line.text)
    return fonts.most_common(1)[0][0] if fonts else ""


def _find_tables(doc, pages: Pages, gutters, body_size: float) -> list[FoundTable]:
    tables: list[FoundTable] = []
    for index, lines in enumerate(pages.lines):
        first_in_block = {}
        for line in lines:
            if line.block not in first_in_block or line.y0 < first_in_block[line.block].y0:
                first_in_block[line.block] = line
        captions = [ln for ln in lines if is_table_caption(ln, first_in_block[ln.block] is ln)]
        if not captions:
            continue
        taken: set[int] = set()
        for caption in captions:
            if id(caption) in taken:
                continue
            own = caption_lines(caption, lines)
            x_range = _table_x_range(caption, lines, gutters[index], pages.widths[index])
            available = [ln for ln in lines if id(ln) not in taken]
            found = find_table(own, available, x_range, body_size)
            taken.update(id(ln) for ln in own)
            if found is None:
                continue
            cells, _ = found
            region = [ln for row in cells for ln in row]
            rows, has_header = build_grid(cells)
            if is_ragged(cells):  # wrapped cells? a drawn grid would say where cells end
                ruled = ruled_table(doc, index, region, available)
                if ruled is not None:
                    rows, has_header, region = ruled  # lines outside its cells stay text
            if len(rows) < 2:
                continue
            taken.update(id(ln) for ln in region)
            tables.append(FoundTable(own, rows, has_header, region))
        if taken:
            pages.lines[index] = [ln for ln in lines if id(ln) not in taken]
    return tables


def _table_x_range(caption: Line, lines: list[Line], gutter, width: float):
    left = min((ln.x0 for ln in lines), default=0.0)
    right = max((ln.x1 for ln in lines), default=width)
    col = column_of(caption, gutter)
    if gutter is None or col == FULL:
        return left, right
    middle = (gutter[0] + gutter[1]) / 2
    return (left, middle) if col == 0 else (middle, right)


def _table_rows(tables: list[FoundTable], page: int, gutter) -> list[Row]:
    rows = []
    for index, table in enumerate(tables):
        if table.caption_lines[0].page != page:
            continue
        every = table.caption_lines + table.lines
        x0 = min(ln.x0 for ln in every)
        x1 = max(ln.x1 for ln in every)
        probe = Line(page, x0, 0, x1, 0, "", 0, False, 0, -1)
        row = Row(page, column_of(probe, gutter), list(table.caption_lines))
        row.finish()
        row.x0, row.x1 = x0, x1
        row.y0, row.y1 = table.bbox[1], table.bbox[3]
        row.table = index
        rows.append(row)
    return rows


def _context(all_segments: list[Segment], body_size: float, heights: list[float]) -> Context:
    gaps: list[float] = []
    indented = flush = 0
    for segment in all_segments:
        rows = segment.rows
        for prev, row in pairwise(rows):
            if abs(row.size - body_size) < 0.6 and abs(prev.size - body_size) < 0.6:
                gap = row.y0 - prev.y1
                if -2 < gap < body_size:
                    gaps.append(gap)
            body = abs(row.size - body_size) < 0.6 and not row.lines[0].spans[0].bold
            if body and _NOT_PARAGRAPH_START_RE.match(row.text):
                continue  # captions and reference entries start flush in any style
            if body and ends_sentence(prev.text) and row.text[:1].isupper():
                indent = row.x0 - segment.x0
                if 0.6 * row.size < indent < 4 * row.size:
                    indented += 1
                elif abs(indent) < 0.3 * row.size:
                    short = prev.x1 < segment.x1 - max(0.1 * segment.width, 2.5 * prev.size)
                    flush += short
    gaps.sort()
    normal_gap = gaps[len(gaps) // 2] if gaps else 0.2 * body_size
    return Context(body_size, max(0.0, normal_gap), indented >= flush, heights)
