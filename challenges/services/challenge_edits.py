"""Edits to challenges. Drafts can change; published challenges cannot."""

from __future__ import annotations

from django.db import transaction

from challenges import dacr_format as fmt
from challenges.models import Challenge
from challenges.services.records import challenge_to_record


class ChallengeImmutableError(ValueError):
    """The challenge is published (or retired) and its content cannot change."""


def challenge_lock_draft(challenge: Challenge) -> Challenge:
    """The challenge's row, locked for the rest of the transaction; raises
    ``ChallengeImmutableError`` when it is not a draft. Every edit starts here."""
    locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if locked.status != Challenge.Status.DRAFT:
        raise ChallengeImmutableError(
            f"{locked.public_id} v{locked.version} is {locked.status}; its content cannot change "
            "(make a new version instead)"
        )
    return locked


_locked = challenge_lock_draft


def challenge_rehash(challenge: Challenge) -> Challenge:
    """Recompute a locked draft's content hash after its rows changed."""
    challenge.content_hash = fmt.content_hash(challenge_to_record(challenge))
    challenge.save(update_fields=["content_hash", "updated_at"])
    return challenge


def challenge_update_document(*, challenge: Challenge, document_text: str) -> Challenge:
    """Replace a draft's document text and refresh its content hash."""
    if not document_text.strip():
        raise ValueError("the document text cannot be empty")
    with transaction.atomic():
        locked = _locked(challenge)
        locked.document_text = document_text
        locked.word_count = len(document_text.split())
        paragraphs = fmt.split_paragraphs(document_text)
        locked.paragraph_count = len(paragraphs)
        locked.paragraphs = [
            {"index": p.index, "section": p.section, "start": p.start, "end": p.end}
            for p in paragraphs
        ]
        locked.content_hash = fmt.content_hash(challenge_to_record(locked))
        locked.save()
    return locked


def challenge_publish(*, challenge: Challenge) -> Challenge:
    """Publish a draft: its content hash is recomputed and from now on it cannot change."""
    with transaction.atomic():
        locked = _locked(challenge)
        locked.content_hash = fmt.content_hash(challenge_to_record(locked))
        locked.status = Challenge.Status.PUBLISHED
        locked.save(update_fields=["content_hash", "status", "updated_at"])
    return locked


def challenge_retire(*, challenge: Challenge) -> Challenge:
    """Retire a challenge: it stays readable (traces refer to it) but leaves new suites."""
    Challenge.objects.filter(pk=challenge.pk).update(status=Challenge.Status.RETIRED)
    challenge.refresh_from_db(fields=["status"])
    return challenge
