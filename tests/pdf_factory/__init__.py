"""PDFs for tests and benchmarks, written with PyMuPDF's own writer: papers laid out like
LaTeX prints them (one or two justified columns, hyphenated line ends, ligature glyphs,
running headers, page numbers, booktabs tables, display equations, an arXiv stamp), and
hostile files (not a PDF, truncated, mutated, encrypted, a scan, page and decompression
bombs). Every function returns bytes; nothing is read from disk.

``paper(...)`` takes a list of items — ``Heading``, ``Para``, ``Equation``, ``TableSpec`` —
so a test knows exactly what text it wrote and can compare it with what was parsed.
"""

from tests.pdf_factory.hostile import (
    cpu_burner_parser,
    crashing_parser,
    decompression_bomb,
    encrypted,
    hanging_parser,
    html_page,
    memory_hog_parser,
    mutated,
    page_bomb,
    scan,
    text_file,
    truncated,
)
from tests.pdf_factory.layout import Equation, Front, Heading, Para, TableSpec, paper, paper_layout
from tests.pdf_factory.papers import (
    ONE_COLUMN_FRONT,
    REVTEX_FRONT,
    TWO_COLUMN_FRONT,
    one_column_items,
    one_column_paper,
    revtex_items,
    revtex_paper,
    sentences,
    two_column_items,
    two_column_paper,
)

__all__ = [
    "ONE_COLUMN_FRONT",
    "REVTEX_FRONT",
    "TWO_COLUMN_FRONT",
    "Equation",
    "Front",
    "Heading",
    "Para",
    "TableSpec",
    "cpu_burner_parser",
    "crashing_parser",
    "decompression_bomb",
    "encrypted",
    "hanging_parser",
    "html_page",
    "memory_hog_parser",
    "mutated",
    "one_column_items",
    "one_column_paper",
    "page_bomb",
    "paper",
    "paper_layout",
    "revtex_items",
    "revtex_paper",
    "scan",
    "sentences",
    "text_file",
    "truncated",
    "two_column_items",
    "two_column_paper",
]
