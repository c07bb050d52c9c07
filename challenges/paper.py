"""What a parsed paper is: plain dataclasses shared by the PDF parser, the fact extractor,
the conflict planter, the question writer and the services.

Pure: no Django, no PyMuPDF. ``challenges.pdf`` produces a ``ParsedPaper``; everything
downstream reads it. ``ParsedPaper.document()`` is the canonical text a challenge is made
of: the title, then every block in reading order, blocks separated by blank lines, so that
``Block.index`` is the paragraph index of the DACR-Bench format.
"""

from __future__ import annotations

from dataclasses import dataclass, field

BLOCK_KINDS = ("heading", "paragraph", "equation", "table", "caption", "list")


@dataclass(frozen=True)
class PaperMetadata:
    title: str = ""
    authors: tuple[str, ...] = ()
    abstract: str = ""
    arxiv_id: str = ""  # "2009.09687" (new style) or "hep-th/9901001" (old style)
    arxiv_version: int | None = None
    arxiv_category: str = ""  # primary category, "cs.CV"
    arxiv_date: str = ""  # ISO date "2020-12-23" from the margin stamp, else ""
    date: str = ""  # ISO date from the first page or the PDF metadata when no stamp
    page_count: int = 0
    domain: str = ""  # inferred: one of the engine's domains, or ""


@dataclass(frozen=True)
class Section:
    """A heading: ``number`` as printed ("3.2", "A", "" when unnumbered), ``level`` 1 for
    top-level sections, ``parent`` the index of the enclosing section or None."""

    index: int
    number: str
    title: str
    level: int
    parent: int | None = None

    @property
    def label(self) -> str:
        return f"{self.number} {self.title}".strip()


@dataclass(frozen=True)
class Table:
    """A table as rows of cell texts (the first row is the header when ``has_header``),
    with its caption ("Table 2: …") and where it sits."""

    index: int
    caption: str
    rows: tuple[tuple[str, ...], ...]
    page: int
    section: int | None = None
    has_header: bool = True

    @property
    def header(self) -> tuple[str, ...]:
        return self.rows[0] if self.rows and self.has_header else ()

    @property
    def body(self) -> tuple[tuple[str, ...], ...]:
        return self.rows[1:] if self.has_header else self.rows

    def text(self) -> str:
        """The table as the document shows it: caption, then one ``| a | b |`` line a row."""
        lines = [self.caption] if self.caption else []
        lines.extend("| " + " | ".join(row) + " |" for row in self.rows)
        return "\n".join(lines)


@dataclass(frozen=True)
class Block:
    """One paragraph-level unit in reading order. ``section`` is the index of the section it
    belongs to (None before the first heading); ``table`` the index of the table a
    ``table`` block shows."""

    index: int
    kind: str
    text: str
    page: int
    section: int | None = None
    table: int | None = None


@dataclass(frozen=True)
class ParsedPaper:
    metadata: PaperMetadata
    sections: tuple[Section, ...]
    blocks: tuple[Block, ...]
    tables: tuple[Table, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    def section_label(self, index: int | None) -> str:
        if index is None:
            return "Front matter"
        return self.sections[index].label

    def document(self) -> str:
        """The blocks' texts joined by blank lines (block ``i`` is paragraph ``i``)."""
        return "\n\n".join(block.text for block in self.blocks)

    @property
    def word_count(self) -> int:
        return sum(len(block.text.split()) for block in self.blocks)
