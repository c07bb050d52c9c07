"""Refuse an over-large upload from its Content-Length, before Django reads the body."""

from __future__ import annotations

# Room for the multipart envelope and the other form fields around the file.
_MULTIPART_SLACK = 64 * 1024


def upload_size_refusal(request, *, limit: int) -> str | None:
    """A one-line reason when the request body is larger than a file of ``limit`` bytes could
    make it, else None. Call it before touching ``request.POST`` or ``request.FILES``: a
    200 MB upload is then refused without being written to a temporary file."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return "the request has an invalid Content-Length"
    if length > limit + _MULTIPART_SLACK:
        return f"the upload is {length / 1e6:.1f} MB; the limit is {limit / 1e6:.1f} MB"
    return None
