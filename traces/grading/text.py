"""Strict-mode text handling shared by the strict verifier and its citation score."""

from __future__ import annotations

import re
import unicodedata

from traces.grading.numbers import prepare_numeric_text
from traces.grading.reference import normalize_reference

_TOKEN = re.compile(r"[^\W_]+(?:[.,'’][^\W_]+)*")


def normalize_strict(text: str) -> str:
    """Public normalisation, then NFKC folding with superscript powers kept as ``^n``."""
    if text.isascii():
        return normalize_reference(text)  # NFKC and the numeric rewrites leave ASCII alone
    folded = unicodedata.normalize("NFKC", prepare_numeric_text(text))
    return normalize_reference(folded)


def tokenize(normalized: str) -> list[str]:
    """Whole-word tokens; dots and commas inside a token stay ("1,963", "msu.edu")."""
    return _TOKEN.findall(normalized)
