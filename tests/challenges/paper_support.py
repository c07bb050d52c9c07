"""What the paper tests share: the test PDFs and the real papers (which skip, with the
reason, on a machine without ``../shared``)."""

from __future__ import annotations

from pathlib import Path

import pytest

REAL_PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdfs"
REAL_PAPERS = ("contrastive_clustering.pdf", "covid_campus_scenarios.pdf")


def pdf_factory():
    """``tests.pdf_factory``, which makes the test PDFs."""
    from tests import pdf_factory as factory

    return factory


def real_pdf(name: str) -> Path:
    path = REAL_PDFS / name
    if not path.exists():
        pytest.skip(f"real data not present: {path} (only on developer machines and CI)")
    return path
