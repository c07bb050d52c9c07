"""What the paper tests share: the real pipeline (parser and challenge builder) and the test
PDFs. The pipeline tests skip, with the reason, while those modules are missing; once they are
present the tests run against them (an import error inside them fails, it does not skip)."""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

import pytest

REAL_PDFS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "pdfs"
REAL_PAPERS = ("contrastive_clustering.pdf", "covid_campus_scenarios.pdf")

PIPELINE_MODULES = ("challenges.pdf_sandbox", "challenges.paper_challenge")


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except ModuleNotFoundError:  # a parent package is missing
        return True


def require_pipeline() -> None:
    """Skip unless the PDF parser's sandbox and the challenge builder are present."""
    missing = [module for module in PIPELINE_MODULES if _missing(module)]
    if missing:
        pytest.skip(f"not landed yet: {', '.join(missing)} (PDF parsing and challenge building)")
    for module in PIPELINE_MODULES:
        importlib.import_module(module)


def pdf_factory():
    """``tests/pdf_factory.py``, which makes the test PDFs; skip while it is missing."""
    if _missing("tests.pdf_factory"):
        pytest.skip("not landed yet: tests/pdf_factory.py (the test PDFs)")
    return importlib.import_module("tests.pdf_factory")


def real_pdf(name: str) -> Path:
    path = REAL_PDFS / name
    if not path.exists():
        pytest.skip(f"real data not present: {path} (only on developer machines and CI)")
    return path
