"""Hostile files, and stand-ins for a parser that hangs, eats memory, spins or crashes
(run in the sandbox's child through its test-only ``_target``)."""

from __future__ import annotations

import random
import zlib

import pymupdf

from tests.pdf_factory.layout import PAGE_H, PAGE_W
from tests.pdf_factory.papers import one_column_paper


def text_file() -> bytes:
    return b"These are lecture notes saved as notes.pdf, but they are plain text.\n" * 20


def html_page() -> bytes:
    return (
        b"<!DOCTYPE html>\n<html><head><title>Download</title></head>"
        b"<body><p>Your PDF is ready.</p></body></html>\n"
    )


def truncated(data: bytes, fraction: float = 0.4) -> bytes:
    return data[: int(len(data) * fraction)]


def mutated(data: bytes, rng: random.Random, edits: int = 20) -> bytes:
    """Random byte flips, insertions, deletions and duplicated runs."""
    buf = bytearray(data)
    for _ in range(edits):
        where = rng.randrange(len(buf))
        action = rng.random()
        if action < 0.5:
            buf[where] = rng.randrange(256)
        elif action < 0.7:
            buf[where:where] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif action < 0.9:
            del buf[where : where + rng.randint(1, 64)]
        else:
            end = min(len(buf), where + rng.randint(1, 256))
            buf[where:where] = buf[where:end]
    return bytes(buf)


def encrypted(data: bytes, user_password: str = "secret") -> bytes:
    doc = pymupdf.open(stream=data, filetype="pdf")
    out = doc.tobytes(
        encryption=pymupdf.PDF_ENCRYPT_AES_256,
        user_pw=user_password,
        owner_pw="owner-" + user_password,
    )
    doc.close()
    return out


def scan(data: bytes | None = None, pages: int = 2) -> bytes:
    """A scanned paper: each page only an image of a rendered page, no text layer."""
    source = pymupdf.open(stream=data or one_column_paper(), filetype="pdf")
    out = pymupdf.open()
    for index in range(min(pages, source.page_count)):
        pix = source[index].get_pixmap(dpi=50)
        page = out.new_page(width=PAGE_W, height=PAGE_H)
        page.insert_image(page.rect, pixmap=pix)
    result = out.tobytes(deflate=True)
    source.close()
    out.close()
    return result


def page_bomb(pages: int = 400) -> bytes:
    doc = pymupdf.open()
    for number in range(pages):
        doc.new_page(width=300, height=300).insert_text((40, 60), f"Page {number + 1} of many.")
    data = doc.tobytes(garbage=1, deflate=True)
    doc.close()
    return data


def decompression_bomb(megabytes: int = 300) -> bytes:
    """One page whose content stream is a small Flate stream that inflates to
    ``megabytes`` MB of text-showing operators (tens of millions of glyphs)."""
    doc = pymupdf.open()
    page = doc.new_page(width=300, height=300)
    page.insert_text((40, 60), "A page that looks small.")
    xref = page.get_contents()[0]
    chunk = (
        b"BT /helv 1 Tf 10 10 Td "
        + b"(aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa) Tj " * 2000
        + b"ET\n"
    )
    squeeze = zlib.compressobj(9)
    parts = []
    for _ in range(megabytes * 2**20 // len(chunk)):
        parts.append(squeeze.compress(chunk))
    parts.append(squeeze.flush())
    doc.update_stream(xref, b"".join(parts), compress=False)
    doc.xref_set_key(xref, "Filter", "/FlateDecode")
    data = doc.tobytes()
    doc.close()
    return data


def hanging_parser(data: bytes, *, max_pages: int = 300):
    """A stand-in for a parser stuck in C code (for the sandbox's wall-clock test)."""
    import time

    while True:
        time.sleep(1)


def memory_hog_parser(data: bytes, *, max_pages: int = 300):
    """A stand-in for a parser that allocates without bound."""
    hoard = []
    while True:
        hoard.append(bytearray(50 * 2**20))


def cpu_burner_parser(data: bytes, *, max_pages: int = 300):
    """A stand-in for a parser looping forever in computation."""
    value = 0
    while True:
        value = (value * 31 + 7) % 1_000_003


def crashing_parser(data: bytes, *, max_pages: int = 300):
    """A stand-in for MuPDF crashing on a malformed file."""
    import os
    import signal

    os.kill(os.getpid(), signal.SIGSEGV)
