"""Page furniture that is not the paper's text: running headers and footers (text repeating
at the same height on many pages), page numbers, line numbers (a column of consecutive
integers in a margin), and the arXiv margin stamp, which is parsed before it is dropped."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise

from challenges.pdf.lines import Line, RotatedText

_PAGE_NUMBER_RE = re.compile(
    r"^(?:page\s*)?[-–—]?\s*(?:\d{1,4}|[ivxlc]{1,7})\s*[-–—]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.I
)
_INTEGER_RE = re.compile(r"^\d{1,5}$")
ARXIV_STAMP_RE = re.compile(
    r"arXiv\s*:\s*(?P<id>\d{4}\s*\.\s*\d{4,5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\s*/\s*\d{7})"
    r"(?:\s*v\s*(?P<version>\d+))?\s*"
    r"(?:\[\s*(?P<category>[a-z][a-z-]*(?:\s*\.\s*[A-Za-z][A-Za-z-]*)?)\s*\])?\s*"
    r"(?P<date>\d{1,2}\s*[A-Z][a-z]{2}\s*\d{4})?"
)


@dataclass(frozen=True)
class ArxivStamp:
    arxiv_id: str
    version: int | None
    category: str
    date: str  # ISO, or ""


def find_arxiv_stamp(
    rotated: list[RotatedText], first_lines: list[Line]
) -> tuple[ArxivStamp | None, set[int]]:
    """The stamp arXiv prints up the left margin of page 1 (rotated text), or, failing
    that, a horizontal line that is nothing but the stamp. Returns the stamp and the ids
    (``id()``) of the horizontal lines it occupied, so they can be dropped."""
    for item in rotated:
        stamp = _parse_stamp(item.text)
        if stamp:
            return stamp, set()
    joined = " ".join(item.text for item in rotated if item.page == 1)
    stamp = _parse_stamp(joined)
    if stamp:
        return stamp, set()
    for line in first_lines:
        match = ARXIV_STAMP_RE.search(line.text)
        if match and match.group("category") and len(line.text) <= len(match.group(0)) + 4:
            return _parse_stamp(line.text), {id(line)}
    return None, set()


def _parse_stamp(text: str) -> ArxivStamp | None:
    match = ARXIV_STAMP_RE.search(text)
    if not match or not (match.group("category") or match.group("version")):
        return None
    arxiv_id = re.sub(r"\s+", "", match.group("id"))
    version = int(match.group("version")) if match.group("version") else None
    category = re.sub(r"\s+", "", match.group("category") or "")
    date = ""
    if match.group("date"):
        raw = re.sub(r"\s+", "", match.group("date"))
        try:
            date = datetime.strptime(raw, "%d%b%Y").date().isoformat()
        except ValueError:
            date = ""
    return ArxivStamp(arxiv_id, version, category, date)


def remove_furniture(pages: list[list[Line]], heights: list[float]) -> list[list[Line]]:
    """Drop running headers/footers, page numbers and line numbers from every page."""
    repeated = _running_lines(pages, heights)
    kept_pages = []
    for lines, height in zip(pages, heights, strict=True):
        numbers = _line_numbers(lines)
        kept = []
        for line in lines:
            if id(line) in repeated or id(line) in numbers:
                continue
            in_margin = line.y1 <= 0.1 * height or line.y0 >= 0.88 * height
            if in_margin and _PAGE_NUMBER_RE.match(line.text.strip()):
                continue
            kept.append(line)
        kept_pages.append(kept)
    return kept_pages


def _running_lines(pages: list[list[Line]], heights: list[float]) -> set[int]:
    """Lines in the top or bottom tenth of a page whose text (digits ignored) recurs at the
    same height on enough pages."""
    count = len(pages)
    if count < 2:
        return set()
    needed = 2 if count <= 3 else max(3, math.ceil(0.1 * count))
    groups: dict[str, list[Line]] = defaultdict(list)
    for lines, height in zip(pages, heights, strict=True):
        for line in lines:
            if line.y1 <= 0.1 * height or line.y0 >= 0.9 * height:
                key = re.sub(r"\d+", "#", line.text.lower()).strip()
                groups[key].append(line)
    found: set[int] = set()
    for members in groups.values():
        if len({line.page for line in members}) < needed:
            continue
        ys = sorted(line.y0 for line in members)
        median = ys[len(ys) // 2]
        close = [line for line in members if abs(line.y0 - median) <= 5]
        if len({line.page for line in close}) >= needed:
            found.update(id(line) for line in close)
    return found


def _line_numbers(lines: list[Line]) -> set[int]:
    """Integers stacked in a column at one x with values mostly rising by one: the line
    numbers of a review copy (a table's column of numbers does not count up like that)."""
    columns: dict[tuple[str, int], list[Line]] = defaultdict(list)
    for line in lines:
        if _INTEGER_RE.match(line.text.strip()):  # left- or right-aligned numbers
            columns["left", round(line.x0 / 4)].append(line)
            columns["right", round(line.x1 / 4)].append(line)
    found: set[int] = set()
    for members in columns.values():
        if len(members) < 5:
            continue
        members.sort(key=lambda line: line.y0)
        values = [int(line.text.strip()) for line in members]
        steps = sum(1 for a, b in pairwise(values) if b - a == 1)
        if steps >= 0.6 * (len(values) - 1):
            found.update(id(line) for line in members)
    return found
