"""The part of a document around a question's gold answer and a model's answer, cut into
segments a template marks up. Pure: no Django."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

GOLD = "gold"
ANSWER = "answer"


@dataclass(frozen=True)
class ExcerptSegment:
    text: str
    kind: str | None = None  # GOLD, ANSWER or None (plain text)


@dataclass(frozen=True)
class Excerpt:
    segments: tuple[ExcerptSegment, ...]
    starts_mid: bool  # text was cut before the excerpt
    ends_mid: bool  # text was cut after it
    found: tuple[str, ...]  # which of GOLD/ANSWER were located


def _spans(document: str, needle: str) -> list[tuple[int, int]]:
    needle = needle.strip()
    if len(needle) < 2:
        return []
    # Case-insensitive, any run of whitespace for a space, on word edges where the needle
    # starts or ends with a word character ("3" must not light up inside "13").
    pattern = r"\s+".join(re.escape(part) for part in needle.split())
    if needle[0].isalnum():
        pattern = r"(?<!\w)" + pattern
    if needle[-1].isalnum():
        pattern += r"(?!\w)"
    return [m.span() for m in re.finditer(pattern, document, flags=re.IGNORECASE)]


def document_excerpt(
    document: str,
    *,
    gold: Sequence[str],
    answer: str | None,
    radius: int = 320,
) -> Excerpt:
    """The window of ``document`` around the first place a gold form (gold answer or alias)
    occurs, widened to take in the answer when it occurs nearby; with every occurrence of
    either inside the window marked. Without any match: the document's opening."""
    marks: list[tuple[int, int, str]] = []
    for form in gold:
        marks += [(s, e, GOLD) for s, e in _spans(document, form)]
    answer_marks = [(s, e, ANSWER) for s, e in _spans(document, answer or "")]
    anchor = min(marks or answer_marks or [(0, 0, "")])[0]
    start = max(0, anchor - radius)
    end = min(len(document), anchor + radius)
    near_answers = [m for m in answer_marks if abs(m[0] - anchor) <= 3 * radius]
    if near_answers and marks:
        start = max(0, min(start, near_answers[0][0] - radius // 2))
        end = min(len(document), max(end, near_answers[0][1] + radius // 2))
    # Snap the cut to whitespace so words are not split.
    if start > 0:
        space = document.rfind(" ", max(0, start - 40), start)
        start = space + 1 if space >= 0 else start
    if end < len(document):
        space = document.find(" ", end, end + 40)
        end = space if space >= 0 else end
    inside = sorted(
        (m for m in marks + answer_marks if m[0] >= start and m[1] <= end),
        key=lambda m: (m[0], m[2] != GOLD),
    )
    segments: list[ExcerptSegment] = []
    cursor = start
    for mark_start, mark_end, kind in inside:
        if mark_start < cursor:  # overlapping marks: the first (gold) wins
            continue
        if mark_start > cursor:
            segments.append(ExcerptSegment(document[cursor:mark_start]))
        segments.append(ExcerptSegment(document[mark_start:mark_end], kind))
        cursor = mark_end
    if cursor < end:
        segments.append(ExcerptSegment(document[cursor:end]))
    return Excerpt(
        segments=tuple(segments),
        starts_mid=start > 0,
        ends_mid=end < len(document),
        found=tuple(k for k, ms in ((GOLD, marks), (ANSWER, answer_marks)) if ms),
    )
