"""A trace's document with four kinds of highlight: each conflict's authoritative and
subordinate statements (as ``challenges.highlight`` finds them), the gold evidence (the
statements the questions' reasoning chains rest on) and the model's citations.

Pure: no Django. Statements are located with ``challenges.highlight.DocumentIndex``; what
cannot be found is reported, never guessed. A citation is placed only when it is a real
passage (``MIN_CITATION_WORDS`` words or more): "Table 2" or "Results" would light up an
arbitrary mention.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from challenges import highlight

EVIDENCE = "evidence"
CITATION = "citation"
KINDS = (*highlight.KINDS, EVIDENCE, CITATION)
MIN_CITATION_WORDS = 3


@dataclass(frozen=True)
class Passage:
    """A statement to find for a question: its candidate texts, tried in order (a chain
    step's note, then its fact's quote)."""

    question_id: str
    label: str
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class PlacedPassage:
    question_id: str
    label: str
    kind: str
    text: str
    location: highlight.Location | None


@dataclass(frozen=True)
class TraceDocument:
    paragraphs: tuple[highlight.RenderParagraph, ...]
    conflicts: tuple[highlight.ConflictLocations, ...]
    passages: tuple[PlacedPassage, ...]

    def located(self, kind: str) -> int:
        if kind in highlight.KINDS:
            return sum(getattr(c, kind) is not None for c in self.conflicts)
        return sum(p.location is not None for p in self.passages if p.kind == kind)

    def count(self, kind: str) -> int:
        if kind in highlight.KINDS:
            return len(self.conflicts)
        return sum(1 for p in self.passages if p.kind == kind)

    @property
    def summary(self) -> list[tuple[str, int, int]]:
        """(kind, located, total) for each kind, in legend order."""
        names = {EVIDENCE: "gold evidence", CITATION: "model citations"}
        return [
            (names.get(kind, f"{kind} statements"), self.located(kind), self.count(kind))
            for kind in KINDS
        ]

    @property
    def unlocated(self) -> list[PlacedPassage]:
        return [p for p in self.passages if p.location is None]


def _place(locate: highlight.Locate, passage: Passage, kind: str) -> PlacedPassage:
    for text in passage.candidates:
        if kind == CITATION and len(text.split()) < MIN_CITATION_WORDS:
            continue
        found = locate(text)
        if found is not None:
            return PlacedPassage(passage.question_id, passage.label, kind, text, found)
    shown = next((text for text in passage.candidates if text), "")
    return PlacedPassage(passage.question_id, passage.label, kind, shown, None)


def highlight_trace_document(
    document: str,
    paragraphs: Sequence[highlight.ParagraphBounds],
    conflicts: Sequence[highlight.ConflictStatements],
    evidence: Sequence[Passage],
    citations: Sequence[Passage],
    *,
    locate: highlight.Locate | None = None,
) -> TraceDocument:
    """Locate every conflict's two statements, every evidence passage and every citation,
    and cut the paragraphs into segments carrying all four kinds (they may overlap).
    ``locate`` finds one passage (default: a fresh ``DocumentIndex(document).locate``);
    callers may pass one that remembers its answers, since where a text sits depends only on
    the document, the text and the options."""
    find = locate or highlight.DocumentIndex(document).locate
    conflict_view = highlight.highlight_document(document, paragraphs, conflicts, locate=find)
    spans = [
        highlight.Span(
            hit.start, hit.end, kind, found.label, key=f"{found.key}-{kind}", group=found.key
        )
        for found in conflict_view.conflicts
        for kind in highlight.KINDS
        if (hit := getattr(found, kind)) is not None
    ]
    placed = [_place(find, p, EVIDENCE) for p in evidence]
    placed += [_place(find, p, CITATION) for p in citations]
    seen: set[tuple[str, int, int]] = set()
    for number, passage in enumerate(placed):
        hit = passage.location
        if hit is None or (passage.kind, hit.start, hit.end) in seen:
            continue  # two chain steps quoting the same sentence: one highlight
        seen.add((passage.kind, hit.start, hit.end))
        spans.append(
            highlight.Span(
                hit.start,
                hit.end,
                passage.kind,
                passage.label,
                key=f"{passage.kind}-{number}",
                group=f"question-{passage.question_id}",
            )
        )
    return TraceDocument(
        paragraphs=tuple(highlight.segment_paragraphs(document, paragraphs, spans)),
        conflicts=conflict_view.conflicts,
        passages=tuple(placed),
    )
