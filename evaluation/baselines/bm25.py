"""Okapi BM25 over a fixed list of token lists, built once and queried many times.

For a query Q and a document D of |D| tokens, with N documents of mean length avgdl:

    score(D, Q) = Σ_{q ∈ Q} idf(q) · f(q, D) · (k1 + 1) / (f(q, D) + k1 · (1 − b + b · |D| / avgdl))
    idf(q)      = ln(1 + (N − n(q) + 0.5) / (n(q) + 0.5))

with k1 = 1.5 and b = 0.75, f(q, D) the count of q in D and n(q) the number of documents
holding q. The idf is the non-negative form (as in Lucene): a term found in most documents
adds a little instead of subtracting. A term repeated in the query counts once per repeat, as
in the classic sum. Pure; no tokenisation here — callers pass tokens.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

K1 = 1.5
B = 0.75


class BM25:
    """An index over ``corpus`` (a list of token lists); ``scores`` and ``top`` query it."""

    def __init__(self, corpus: Sequence[Sequence[str]], *, k1: float = K1, b: float = B):
        # One pass that only appends: term counts per document are taken at query time, for
        # the few terms a query has, instead of for every term of every document up front.
        postings: dict[str, list[int]] = {}
        for index, tokens in enumerate(corpus):
            for term in tokens:
                docs = postings.get(term)
                if docs is None:
                    postings[term] = [index]
                else:
                    docs.append(index)
        self._setup([len(tokens) for tokens in corpus], k1, b)
        self._postings = postings
        self._parent: tuple[BM25, Sequence[int]] | None = None

    @classmethod
    def grouped(cls, parts: BM25, group_of: Sequence[int], groups: int) -> BM25:
        """An index whose documents are groups of ``parts``' documents (paragraphs made of
        their sentences): it scores exactly as ``BM25`` over each group's concatenated
        tokens, without a second pass over the tokens. ``group_of[i]`` is document i's
        group, in range(groups)."""
        index = cls.__new__(cls)
        lengths = [0] * groups
        for part, length in enumerate(parts.lengths):
            lengths[group_of[part]] += length
        index._setup(lengths, parts.k1, parts.b)
        index._postings = {}
        index._parent = (parts, group_of)
        return index

    def _setup(self, lengths: list[int], k1: float, b: float) -> None:
        self.k1, self.b = k1, b
        self.size = len(lengths)
        self.lengths = lengths
        self.avgdl = sum(lengths) / self.size if self.size else 0.0
        self._counts: dict[str, dict[int, int]] = {}
        # The length normalisation depends only on the document: compute it once.
        self._norm = [
            k1 * (1 - b + b * (length / self.avgdl if self.avgdl else 0.0)) for length in lengths
        ]

    def _occurrences(self, term: str) -> Sequence[int]:
        """The document of every occurrence of ``term``, one entry per occurrence."""
        if self._parent is None:
            return self._postings.get(term, ())
        parts, group_of = self._parent
        return [group_of[part] for part in parts._occurrences(term)]

    def _term_counts(self, term: str) -> dict[int, int]:
        counts = self._counts.get(term)
        if counts is None:
            counts = self._counts[term] = dict(Counter(self._occurrences(term)))
        return counts

    def holding(self, term: str) -> frozenset[int]:
        """The documents that hold ``term``."""
        return frozenset(self._term_counts(term))

    def idf(self, term: str) -> float:
        """ln(1 + (N − n + 0.5) / (n + 0.5)) for a term held by n of the N documents."""
        held = len(self._term_counts(term))
        return math.log(1 + (self.size - held + 0.5) / (held + 0.5))

    def sparse_scores(self, query: Sequence[str]) -> dict[int, float]:
        """Score of every document that holds at least one query term."""
        scores: dict[int, float] = {}
        k1, norm = self.k1, self._norm
        for term in query:
            counts = self._term_counts(term)
            if not counts:
                continue
            idf = self.idf(term)
            for index, count in counts.items():
                gain = idf * count * (k1 + 1) / (count + norm[index])
                scores[index] = scores.get(index, 0.0) + gain
        return scores

    def scores(self, query: Sequence[str]) -> list[float]:
        """Score of every document, in corpus order (0.0 where no query term occurs)."""
        dense = [0.0] * self.size
        for index, score in self.sparse_scores(query).items():
            dense[index] = score
        return dense

    def top(self, query: Sequence[str], n: int = 10) -> list[tuple[int, float]]:
        """The ``n`` best (index, score) pairs with a positive score, best first; ties go to
        the earlier document."""
        ranked = sorted(self.sparse_scores(query).items(), key=lambda item: (-item[1], item[0]))
        return [(index, score) for index, score in ranked[: max(0, n)] if score > 0]
