"""Where texts sit in a challenge's document: stored answers of the highlighter.

Locating a quote that is not verbatim in a document is a fuzzy search costing tens of
milliseconds, and a trace page highlights dozens of them. Each answer depends only on the
locator's version, the document, the text and the search options, so it is computed once
(after grading, see ``traces.services.highlights``) and kept here under a digest of exactly
those inputs: a changed document or a new locator version simply misses and is located anew.
"""

from django.db import models

from challenges.models.content import Challenge


class LocatedStatement(models.Model):
    challenge = models.ForeignKey(
        Challenge, on_delete=models.CASCADE, related_name="located_statements"
    )
    # sha256 of (locator version, document, text, options): see challenges.services.locations.
    digest = models.CharField(max_length=64)
    # Offsets into the document; both null when the text is not in it.
    start = models.PositiveIntegerField(null=True, blank=True)
    end = models.PositiveIntegerField(null=True, blank=True)
    method = models.CharField(max_length=16, blank=True)
    # Located with search options (near an offset, avoiding spans): a conflict's authoritative
    # statement. Few per challenge; a reader loads them all rather than guess their digests.
    with_options = models.BooleanField(default=False)
    score = models.FloatField(default=1.0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["challenge", "digest"], name="located_statement_unique"
            ),
            models.CheckConstraint(
                condition=(models.Q(start__isnull=True, end__isnull=True))
                | models.Q(start__isnull=False, end__isnull=False, end__gte=models.F("start")),
                name="located_statement_span_valid",
            ),
        ]

    def __str__(self) -> str:
        where = f"{self.start}–{self.end}" if self.start is not None else "not found"
        return f"challenge {self.challenge_id}: {where}"
