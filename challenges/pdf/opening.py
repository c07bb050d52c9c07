"""Opening a PDF and refusing what cannot be parsed, with one readable line saying why."""

from __future__ import annotations

import pymupdf

from challenges.pdf.errors import PdfRefused

__all__ = ["TEXT_FLAGS", "PdfRefused", "open_document"]

# Text only: the default "dict" flags also extract images, which makes it ~5x slower.
# Ligatures are not preserved (MuPDF expands them), unknown glyphs come out as U+FFFD.
TEXT_FLAGS = pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_WHITESPACE

_SNIFF = (
    (b"<!doctype html", "an HTML page"),
    (b"<html", "an HTML page"),
    (b"<?xml", "an XML file"),
    (b"\x89png", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"pk\x03\x04", "a ZIP archive (perhaps a Word or LaTeX source file)"),
    (b"{\\rtf", "an RTF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"%!ps", "a PostScript file"),
)

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)
if hasattr(pymupdf, "no_recommend_layout"):
    pymupdf.no_recommend_layout()  # find_tables would print an advertisement otherwise


def open_document(data: bytes, *, max_pages: int) -> pymupdf.Document:
    """The opened document, or ``PdfRefused`` for: not a PDF (by content, whatever the
    name says), damaged beyond opening, password-protected, empty, or over the page limit."""
    data = bytes(data)
    if not data.strip():
        raise PdfRefused("the file is empty")
    if b"%PDF-" not in data[:1024]:
        raise PdfRefused(f"not a PDF: the file is {_describe(data)}, not a PDF document")
    try:
        doc = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # MuPDF raises several types for damaged files
        raise PdfRefused("the PDF is damaged and cannot be opened") from exc
    try:
        if doc.needs_pass:
            raise PdfRefused("the PDF is protected by a password; upload a copy without a password")
        if getattr(doc, "is_repaired", False) and b"%%EOF" not in data[-4096:]:
            raise PdfRefused(
                "the PDF is truncated (the end of the file is missing); upload the complete file"
            )
        count = doc.page_count
        if count == 0:
            raise PdfRefused("the PDF has no pages (it is truncated or damaged)")
        if count > max_pages:
            raise PdfRefused(f"the PDF has {count} pages, more than the limit of {max_pages}")
    except PdfRefused:
        doc.close()
        raise
    except Exception as exc:
        doc.close()
        raise PdfRefused("the PDF is damaged and cannot be read") from exc
    return doc


def _describe(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    for magic, name in _SNIFF:
        if head.startswith(magic) or (magic in (b"<html", b"<!doctype html") and magic in head):
            return name
    try:
        data[:4096].decode("utf-8")
    except UnicodeDecodeError:
        return "binary data"
    return "plain text"
