"""PDF ingestion: ``parse_pdf(data) -> ParsedPaper`` and ``PdfRefused``.

Pure (no Django). Uses PyMuPDF, which is not thread-safe and runs untrusted files in C:
callers in a server go through ``challenges.pdf_sandbox.parse_pdf_file``, which runs this
in a fresh child process with memory, CPU and wall-clock limits. ``parse_pdf`` is imported
lazily so that catching ``PdfRefused`` does not load PyMuPDF.
"""

from challenges.pdf.errors import PdfRefused

__all__ = ["PdfRefused", "parse_pdf"]


def __getattr__(name: str):
    if name == "parse_pdf":
        from challenges.pdf.document import parse_pdf

        return parse_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
