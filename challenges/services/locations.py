"""Locating texts in a challenge's document, remembered in ``LocatedStatement`` rows.

``StoredLocator`` stands in for ``DocumentIndex.locate`` (see ``challenges.highlight``): each
call is answered from what it has read, else from one stored row, else by locating the text
and keeping the answer to be stored by ``save()``. ``prefetch`` reads many answers in one
query, so a page that finds everything stored costs one or two queries and no search.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from django.db.models import Q

from challenges import highlight
from challenges.models import LocatedStatement

# Bump when ``challenges.highlight`` would place a text differently: stored answers of older
# versions then miss (their rows stay, unused).
LOCATOR_VERSION = "1"


class StoredLocator:
    """``DocumentIndex(document).locate`` for one challenge, answers stored per challenge."""

    def __init__(self, challenge_id: int, document: str) -> None:
        self.challenge_id = challenge_id
        self.document = document
        self._document_digest = hashlib.sha256(document.encode()).hexdigest()
        self._index: highlight.DocumentIndex | None = None
        self._known: dict[str, highlight.Location | None] = {}
        self._absent: set[str] = set()  # read and not stored
        self._new: dict[str, tuple[highlight.Location | None, bool]] = {}
        self._options_read = False
        self.searched = 0  # texts located by this object (not found stored)

    def digest(
        self, quote: str, *, near: int | None = None, avoid: Sequence[tuple[int, int]] = ()
    ) -> str:
        payload = json.dumps(
            [LOCATOR_VERSION, self._document_digest, quote.strip(), near, [list(a) for a in avoid]]
        )
        return hashlib.sha256(payload.encode()).hexdigest()

    def prefetch(self, quotes: Iterable[str]) -> None:
        """Read, in one query, the stored answers for these texts (located without options)
        and every stored answer located with options."""
        keys = {self.digest(q) for q in quotes if q.strip()} - self._known.keys()
        self._read(keys, with_options=not self._options_read)

    def __call__(
        self, quote: str, *, near: int | None = None, avoid: Sequence[tuple[int, int]] = ()
    ) -> highlight.Location | None:
        if not quote.strip() or not self.document:
            return None
        key = self.digest(quote, near=near, avoid=avoid)
        options = near is not None or bool(avoid)
        if key not in self._known and key not in self._absent:
            self._read(set() if options else {key}, with_options=options)
        if key not in self._known:
            if self._index is None:
                self._index = highlight.DocumentIndex(self.document)
            found = self._index.locate(quote, near=near, avoid=avoid)
            self.searched += 1
            self._known[key] = found
            self._new[key] = (found, options)
        return self._known[key]

    def _read(self, keys: set[str], *, with_options: bool) -> None:
        if with_options and self._options_read:
            with_options = False
        if not keys and not with_options:
            return
        wanted = Q(digest__in=keys) | Q(with_options=True) if with_options else Q(digest__in=keys)
        rows = LocatedStatement.objects.filter(wanted, challenge_id=self.challenge_id)
        for key, start, end, method, score in rows.values_list(
            "digest", "start", "end", "method", "score"
        ):
            self._known[key] = (
                None if start is None else highlight.Location(start, end, method, score)
            )
        self._absent |= keys - self._known.keys()
        self._options_read = self._options_read or with_options

    def save(self) -> int:
        """Store the answers this object had to search for; returns how many. Another process
        storing the same answer meanwhile is fine: the rows are equal, the first one stays."""
        if not self._new:
            return 0
        LocatedStatement.objects.bulk_create(
            [
                LocatedStatement(
                    challenge_id=self.challenge_id,
                    digest=key,
                    start=found.start if found else None,
                    end=found.end if found else None,
                    method=found.method if found else "",
                    score=found.score if found else 0.0,
                    with_options=options,
                )
                for key, (found, options) in self._new.items()
            ],
            ignore_conflicts=True,
        )
        saved = len(self._new)
        self._new.clear()
        return saved
