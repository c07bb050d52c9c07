"""Find a conflict's two statements in a document and cut the document into render segments.

Pure: no Django. The subordinate statement is planted verbatim, but the authoritative one is
a fact's quote, which in PDF-derived documents is often not verbatim: line breaks, removed
hyphens, curly quotes, private-use glyphs, small edits. ``DocumentIndex.locate`` therefore
tries, in order and stopping at the first hit:

1. ``exact`` — the quote as written (outer whitespace trimmed);
2. ``whitespace`` — ignoring all whitespace;
3. ``normalized`` — ignoring case, accents, punctuation, symbols and hyphenation (only letters
   and digits are compared, after Unicode compatibility folding);
4. ``fuzzy`` — the best window of document tokens whose letters and digits resemble the
   quote's (similarity ≥ ``FUZZY_THRESHOLD``) and that contains every number of the quote.
   A fact quote is about a value, so a window without the value is not the statement.

Levels 2–4 search a normalized copy of the document that remembers, for each character, the
offset it came from, so a hit maps back to a span of the original text. Nothing is ever
highlighted below the threshold: an unlocated statement is reported as such.

``segment_paragraphs`` turns (possibly overlapping) spans into ordered, non-overlapping
segments per paragraph: plain data a template escapes like any other text.
"""

from __future__ import annotations

import bisect
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

AUTHORITATIVE = "authoritative"
SUBORDINATE = "subordinate"
KINDS = (AUTHORITATIVE, SUBORDINATE)

FUZZY_THRESHOLD = 0.8
# Below these sizes a loose match is too likely to be a coincidence.
MIN_NORMALIZED_CHARS = 12
MIN_FUZZY_TOKENS = 4
# A fuzzy window may have a few tokens more or fewer than the quote (half as many as it has,
# at least 3): inserted words lower the similarity anyway, so the threshold still decides.
_FUZZY_SLACK = 3
_FUZZY_CANDIDATES = 8
# A quote none of whose windows shares at least this share of its tokens is not searched
# character by character: at 80% character similarity most of its words must be there
# (a typo or a joined hyphenation costs a token or two, not half of them).
_FUZZY_MIN_SHARED = 0.5
_MAX_OCCURRENCES = 64

_NUMBER = re.compile(r"^\d+$")
_PUNCTUATION = ".,;:!?)]}('\"[{"


@dataclass(frozen=True)
class Location:
    """Where a statement sits: ``document[start:end]``, and which level found it."""

    start: int
    end: int
    method: str
    score: float = 1.0


@dataclass(frozen=True)
class Span:
    """A statement to highlight. ``key`` is unique per span and safe for an HTML id;
    ``group`` names what the span belongs to (its conflict's key)."""

    start: int
    end: int
    kind: str
    label: str
    key: str
    group: str = ""


@dataclass(frozen=True)
class Segment:
    """A run of paragraph text under the same set of highlights.

    ``kinds`` is sorted and empty for plain text; ``opening`` holds the spans that begin at
    this segment (where a label and an anchor go)."""

    text: str
    kinds: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    opening: tuple[Span, ...] = ()

    @property
    def is_highlighted(self) -> bool:
        return bool(self.kinds)


@dataclass(frozen=True)
class RenderParagraph:
    index: int
    section: str
    segments: tuple[Segment, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ParagraphBounds:
    index: int
    start: int
    end: int
    section: str = ""


def _fold(char: str) -> str:
    """Letters and digits of one character, compatibility-decomposed and case-folded, with
    accents dropped: ``"É"`` → ``"e"``, ``"ﬁ"`` → ``"fi"``, ``"⁶"`` → ``"6"``, ``"-"`` → ``""``."""
    if char.isascii():
        return char.lower() if char.isalnum() else ""
    decomposed = unicodedata.normalize("NFKD", char).casefold()
    return "".join(c for c in decomposed if c.isalnum())


class _Folded:
    """A normalized copy of a text with, for each of its characters, the source offset."""

    def __init__(self, text: str, keep) -> None:
        chars: list[str] = []
        origin: list[int] = []
        for offset, char in enumerate(text):
            for piece in keep(char):
                chars.append(piece)
                origin.append(offset)
        self.text = "".join(chars)
        self.origin = origin

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The source span covering normalized characters ``[start, end)``."""
        return self.origin[start], self.origin[end - 1] + 1


def _no_space(char: str) -> str:
    return "" if char.isspace() else char


class DocumentIndex:
    """A document prepared for repeated ``locate`` calls (normalized once, lazily)."""

    def __init__(self, document: str) -> None:
        self.document = document
        self._spaceless: _Folded | None = None
        self._folded: _Folded | None = None
        self._tokens: list[tuple[str, int, int]] | None = None

    # --- the normalized views, built on first use ---------------------------------------

    @property
    def spaceless(self) -> _Folded:
        if self._spaceless is None:
            self._spaceless = _Folded(self.document, _no_space)
        return self._spaceless

    @property
    def folded(self) -> _Folded:
        if self._folded is None:
            self._folded = _Folded(self.document, _fold)
        return self._folded

    @property
    def tokens(self) -> list[tuple[str, int, int]]:
        """(folded token, source start, source end) for each run of letters and digits."""
        if self._tokens is None:
            self._tokens = _tokens(self.document)
        return self._tokens

    # --- locating -------------------------------------------------------------------------

    def locate(
        self,
        quote: str,
        *,
        near: int | None = None,
        avoid: Sequence[tuple[int, int]] = (),
        fuzzy: bool = True,
    ) -> Location | None:
        """Find ``quote`` in the document, or None. Among several equal hits, prefer one that
        does not overlap an ``avoid`` span, then the one nearest the offset ``near``.
        ``fuzzy=False`` stops before the (slow) fuzzy level."""
        quote = quote.strip()
        if not quote or not self.document:
            return None

        def choose(hits: list[tuple[int, int]], method: str) -> Location | None:
            if not hits:
                return None
            start, end = min(hits, key=lambda hit: _preference(hit, near, avoid))
            start, end = _with_edges(self.document, quote, start, end)
            return Location(start, end, method)

        found = choose(_occurrences(self.document, quote, len(quote)), "exact")
        if found:
            return found
        found = choose(self._folded_hits(self.spaceless, "".join(quote.split())), "whitespace")
        if found:
            return found
        needle = "".join(_fold(c) for c in quote)
        if len(needle) >= MIN_NORMALIZED_CHARS:
            found = choose(self._folded_hits(self.folded, needle), "normalized")
            if found:
                return found
        return self._fuzzy(quote, near=near, avoid=avoid) if fuzzy else None

    def _folded_hits(self, folded: _Folded, needle: str) -> list[tuple[int, int]]:
        if not needle:
            return []
        return [
            folded.span(start, start + len(needle))
            for start, _ in _occurrences(folded.text, needle, len(needle))
        ]

    def _fuzzy(
        self, quote: str, *, near: int | None, avoid: Sequence[tuple[int, int]]
    ) -> Location | None:
        wanted = [token for token, _, _ in _tokens(quote)]
        tokens = self.tokens
        size = len(wanted)
        if size < MIN_FUZZY_TOKENS or not tokens:
            return None
        numbers = Counter(token for token in wanted if _NUMBER.match(token))
        target = "".join(wanted)
        best: tuple[float, tuple[int, int]] | None = None
        slack = max(_FUZZY_SLACK, size // 2)
        for begin in _candidate_starts(tokens, wanted):
            for width in range(max(1, size - slack), size + slack + 1):
                window = tokens[begin : begin + width]
                if len(window) < width:
                    break
                if numbers - Counter(token for token, _, _ in window):
                    continue  # a number of the quote is missing: not this statement
                text = "".join(token for token, _, _ in window)
                matcher = difflib.SequenceMatcher(None, target, text, autojunk=False)
                # Two upper bounds of ratio() first (lengths, then character counts): most
                # windows fail one of them without the full matching-blocks computation.
                if (
                    matcher.real_quick_ratio() < FUZZY_THRESHOLD
                    or matcher.quick_ratio() < FUZZY_THRESHOLD
                ):
                    continue
                score = matcher.ratio()
                if score < FUZZY_THRESHOLD:
                    continue
                hit = (window[0][1], window[-1][2])
                if best is None or (score, _neg_preference(hit, near, avoid)) > (
                    best[0],
                    _neg_preference(best[1], near, avoid),
                ):
                    best = (score, hit)
        if best is None:
            return None
        score, (start, end) = best
        start, end = _with_edges(self.document, quote, start, end)
        return Location(start, end, "fuzzy", round(score, 3))


def _with_edges(document: str, quote: str, start: int, end: int) -> tuple[int, int]:
    """Widen a hit over the quote's leading and trailing punctuation where the document has
    exactly that (normalized matching compares letters and digits only, so a final full stop
    or an opening bracket would otherwise be left out)."""
    lead = len(quote) - len(quote.lstrip(_PUNCTUATION))
    if lead and document[max(0, start - lead) : start] == quote[:lead]:
        start -= lead
    trail = len(quote) - len(quote.rstrip(_PUNCTUATION))
    if trail and document[end : end + trail] == quote[len(quote) - trail :]:
        end += trail
    return start, end


def _tokens(text: str) -> list[tuple[str, int, int]]:
    tokens: list[tuple[str, int, int]] = []
    current: list[str] = []
    begin = 0
    for offset, char in enumerate(text):
        folded = _fold(char)
        if folded:
            if not current:
                begin = offset
            current.append(folded)
        elif current:
            tokens.append(("".join(current), begin, offset))
            current = []
    if current:
        tokens.append(("".join(current), begin, len(text)))
    return tokens


def _candidate_starts(tokens: list[tuple[str, int, int]], wanted: list[str]) -> list[int]:
    """Start indexes of the windows sharing the most tokens with the quote (sliding count)."""
    size = len(wanted)
    need = Counter(wanted)
    have: Counter[str] = Counter()
    shared = 0
    scored: list[tuple[int, int]] = []
    for position, (token, _, _) in enumerate(tokens):
        have[token] += 1
        if have[token] <= need.get(token, 0):
            shared += 1
        if position >= size:
            gone = tokens[position - size][0]
            if have[gone] <= need.get(gone, 0):
                shared -= 1
            have[gone] -= 1
        if position >= size - 1 and shared:
            scored.append((shared, position - size + 1))
    if not scored or max(shared for shared, _ in scored) < _FUZZY_MIN_SHARED * size:
        return []
    top = sorted(scored, key=lambda item: (-item[0], item[1]))[:_FUZZY_CANDIDATES]
    # Also try a few shifts around each candidate: the best window may start a little off.
    starts = set()
    for _, start in top:
        for shift in range(-_FUZZY_SLACK, _FUZZY_SLACK + 1):
            if 0 <= start + shift < len(tokens):
                starts.add(start + shift)
    return sorted(starts)


def _occurrences(haystack: str, needle: str, length: int) -> list[tuple[int, int]]:
    hits = []
    at = haystack.find(needle)
    while at >= 0 and len(hits) < _MAX_OCCURRENCES:
        hits.append((at, at + length))
        at = haystack.find(needle, at + 1)
    return hits


def _overlaps(hit: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(hit[0] < end and start < hit[1] for start, end in spans)


def _preference(hit: tuple[int, int], near: int | None, avoid) -> tuple[int, int, int]:
    distance = abs(hit[0] - near) if near is not None else 0
    return (int(_overlaps(hit, avoid)), distance, hit[0])


def _neg_preference(hit: tuple[int, int], near: int | None, avoid) -> tuple[int, ...]:
    return tuple(-part for part in _preference(hit, near, avoid))


def locate(document: str, quote: str, **options) -> Location | None:
    """``DocumentIndex(document).locate(quote, …)`` for a single lookup."""
    return DocumentIndex(document).locate(quote, **options)


# --- segments --------------------------------------------------------------------------------


def segment_paragraphs(
    document: str, paragraphs: Iterable[ParagraphBounds], spans: Iterable[Span]
) -> list[RenderParagraph]:
    """Cut each paragraph into segments at every span boundary inside it.

    Spans may overlap (a segment then carries both kinds) and may cross paragraph breaks
    (each paragraph gets its part; the label goes where the span begins). Offsets outside
    the document are clamped; empty spans are dropped. With no paragraphs, the whole
    document is one paragraph."""
    size = len(document)
    bounds = sorted(
        (
            ParagraphBounds(p.index, _clamp(p.start, size), _clamp(p.end, size), p.section)
            for p in paragraphs
        ),
        key=lambda p: (p.start, p.index),
    ) or [ParagraphBounds(0, 0, size)]
    clean = sorted(
        (
            Span(_clamp(s.start, size), _clamp(s.end, size), s.kind, s.label, s.key, s.group)
            for s in spans
        ),
        key=lambda s: (s.start, s.end, s.kind, s.key),
    )
    clean = [span for span in clean if span.start < span.end]
    starts = [span.start for span in clean]
    rendered = []
    for paragraph in bounds:
        if paragraph.end <= paragraph.start:
            rendered.append(RenderParagraph(paragraph.index, paragraph.section, ()))
            continue
        # Only spans starting before the paragraph ends can touch it.
        limit = bisect.bisect_left(starts, paragraph.end)
        inside = [
            span
            for span in clean[:limit]
            if span.end > paragraph.start and span.start < paragraph.end
        ]
        cuts = {paragraph.start, paragraph.end}
        for span in inside:
            cuts.add(max(span.start, paragraph.start))
            cuts.add(min(span.end, paragraph.end))
        points = sorted(cuts)
        segments = []
        for left, right in pairwise(points):
            active = [span for span in inside if span.start <= left and span.end >= right]
            segments.append(
                Segment(
                    text=document[left:right],
                    kinds=tuple(sorted({span.kind for span in active})),
                    labels=tuple(dict.fromkeys(span.label for span in active)),
                    opening=tuple(span for span in active if span.start == left),
                )
            )
        rendered.append(RenderParagraph(paragraph.index, paragraph.section, tuple(segments)))
    return rendered


def _clamp(value: int, size: int) -> int:
    return min(max(int(value), 0), size)


# --- a challenge's conflicts, end to end -------------------------------------------------------


@dataclass(frozen=True)
class ConflictStatements:
    """What the page knows about one conflict: its id, the two statements' texts, and where
    the file says the authoritative statement sits (a paragraph index, if any)."""

    key: str
    label: str
    authoritative_quote: str
    subordinate_text: str
    authoritative_paragraph: int | None = None


@dataclass(frozen=True)
class ConflictLocations:
    key: str
    label: str
    authoritative: Location | None
    subordinate: Location | None


@dataclass(frozen=True)
class HighlightedDocument:
    paragraphs: tuple[RenderParagraph, ...]
    conflicts: tuple[ConflictLocations, ...]

    def located(self, kind: str) -> int:
        return sum(getattr(conflict, kind) is not None for conflict in self.conflicts)

    @property
    def unlocated(self) -> list[tuple[str, str]]:
        """(conflict label, kind) of every statement that could not be found."""
        return [
            (conflict.label, kind)
            for conflict in self.conflicts
            for kind in KINDS
            if getattr(conflict, kind) is None
        ]


class Locate(Protocol):
    """``DocumentIndex.locate`` of one document, or a stand-in that remembers its answers."""

    def __call__(
        self, quote: str, *, near: int | None = None, avoid: Sequence[tuple[int, int]] = ()
    ) -> Location | None: ...


def highlight_document(
    document: str,
    paragraphs: Sequence[ParagraphBounds],
    conflicts: Sequence[ConflictStatements],
    *,
    locate: Locate | None = None,
) -> HighlightedDocument:
    """Locate both statements of every conflict and segment the paragraphs around them.

    The subordinate statement is found first; the authoritative search then prefers hits
    outside every subordinate statement (a copy of the authoritative sentence inside a
    planted one is not the authority) and near its paragraph. ``locate`` defaults to a fresh
    ``DocumentIndex(document).locate``; callers may pass one that remembers its answers."""
    locate = locate or DocumentIndex(document).locate
    starts = {p.index: p.start for p in paragraphs}
    subordinate = {c.key: locate(c.subordinate_text) for c in conflicts}
    planted = [(hit.start, hit.end) for hit in subordinate.values() if hit]
    results = []
    spans = []
    for conflict in conflicts:
        authoritative = locate(
            conflict.authoritative_quote,
            near=starts.get(conflict.authoritative_paragraph),
            avoid=planted,
        )
        found = ConflictLocations(
            conflict.key, conflict.label, authoritative, subordinate[conflict.key]
        )
        results.append(found)
        for kind in KINDS:
            hit = getattr(found, kind)
            if hit:
                spans.append(
                    Span(
                        hit.start,
                        hit.end,
                        kind,
                        conflict.label,
                        key=f"{conflict.key}-{kind}",
                        group=conflict.key,
                    )
                )
    return HighlightedDocument(
        paragraphs=tuple(segment_paragraphs(document, paragraphs, spans)),
        conflicts=tuple(results),
    )
