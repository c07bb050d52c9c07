"""How a parsed table reads: column labels from stacked headers, row labels (grouped rows
included), numeric cells.

Pure: no Django, no PyMuPDF. Shared by the fact extractor and the question writer.
"""

from __future__ import annotations

import re

from challenges.paper import Table
from challenges.paper_text import read_number

_MISSING = frozenset({"", "-", "–", "—", "n/a", "na", "n.a.", "/", "×", "?"})


def table_columns(table: Table) -> tuple[list[str], int]:
    """Column labels (spanning header cells carried right, stacked header rows joined:
    "CIFAR-10 NMI") and how many leading rows are header rows."""
    rows = [list(row) for row in table.rows]
    if not rows:
        return [], 0
    width = max(len(row) for row in rows)
    header_rows = 1 if table.has_header else 0
    # further rows with no number in them are header rows too ("Metrics | NMI | ACC | ARI")
    while header_rows < len(rows) and not any(cell_number(c) for c in rows[header_rows][1:]):
        header_rows += 1
    labels = [""] * width
    for row in rows[:header_rows]:
        carried = ""
        for i in range(width):
            cell = row[i].strip() if i < len(row) else ""
            carried = cell or (carried if i else "")
            if carried and i and carried not in labels[i].split(" "):
                labels[i] = f"{labels[i]} {carried}".strip()
            elif i == 0 and cell:
                labels[0] = f"{labels[0]} {cell}".strip()
    return labels, header_rows


def table_rows(table: Table) -> list[tuple[str, list[str], tuple[str, ...]]]:
    """(row label, cells, original row) for each body row. The label is the first cell; in
    a grouped table (rows are variants within groups, "CIFAR-10" then "ResNet18",
    "ResNet34"…) it names both: "ResNet18 (CIFAR-10)"."""
    return [(label, cells, row) for label, cells, row, _ in _rows(table)]


def table_groups(table: Table) -> dict[str, tuple[str, str]]:
    """For a grouped table, each row label's (group, variant); empty for a plain table."""
    return {label: where for label, _, _, where in _rows(table) if where is not None}


def _rows(table: Table):
    _, header_rows = table_columns(table)
    body = [[c.strip() for c in row] for row in table.rows[header_rows:]]
    grouped = _grouped(body)
    group = ""
    for cells, row in zip(body, table.rows[header_rows:], strict=True):
        if not cells or cell_number(cells[0]) is not None:
            continue
        where = None
        label = cells[0]
        if grouped:
            group = cells[0] or group
            where = (group, cells[1])
            label = f"{cells[1]} ({group})" if group else cells[1]
        if label:
            yield label, cells, row, where


def _grouped(body: list[list[str]]) -> bool:
    """Rows are variants within groups: a blank first cell continues the group above, or
    the first column repeats its labels while the second names the variant."""
    blank = any(
        len(cells) > 2 and not cells[0] and cells[1] and cell_number(cells[1]) is None
        for cells in body
    )
    firsts = [cells[0] for cells in body if cells and cells[0]]
    repeated = len(set(firsts)) < len(firsts) and all(
        len(cells) > 2 and cells[1] and cell_number(cells[1]) is None for cells in body
    )
    return blank or repeated


def cell_number(cell: str):
    cell = cell.strip().strip("*").replace("\u2212", "-")
    if cell.lower() in _MISSING:
        return None
    match = re.fullmatch(r"([+-]?)(\d[\d,]*(?:\.\d+)?)\s*(%?)(?:\s*[±(].*)?", cell)
    if not match or match.group(1):
        return None
    number = read_number(match.group(2))
    return (number, match.group(3), match.group(2)) if number else None


def split_unit(label: str) -> tuple[str, str]:
    """ "Attack rate (%)" → ("Attack rate", "%")."""
    match = re.fullmatch(r"(.+?)\s*\((%|[A-Za-zµμ°/]{1,8})\)", label)
    return (match.group(1), match.group(2)) if match else (label, "")


def row_quote(text: str, row: tuple[str, ...]) -> str | None:
    """The row as the block shows it: its ``| a | b |`` line, else the line holding all its
    cells."""
    line = "| " + " | ".join(row) + " |"
    if line in text:
        return line
    cells = [c.strip() for c in row if c.strip()]
    for candidate in text.splitlines():
        if cells and all(c in candidate for c in cells):
            return candidate.strip()
    return None


def table_number(table: Table) -> str:
    """The table's printed number ("Table 2: …" → "2"), else its position."""
    match = re.match(r"\s*Table\s+([A-Z]?\d+|[IVX]+)", table.caption or "", re.IGNORECASE)
    return match.group(1) if match else str(table.index + 1)
