"""Parse an untrusted PDF in a fresh child process with memory, CPU-time and wall-clock
limits.

Why a child: PyMuPDF runs MuPDF's C code on hostile input, where a malformed file can loop,
allocate without bound or crash, and no in-process timeout reaches. The child is a new
interpreter (``python -m challenges.pdf_sandbox``, started with fork+exec), never a fork of
the caller, so a Celery prefork worker that has itself imported PyMuPDF can call this
safely. The child sets ``RLIMIT_AS`` and ``RLIMIT_CPU`` on itself before importing PyMuPDF,
reads the file, and prints one JSON object; the parent enforces the wall clock by killing
the child's process group. Results come back as JSON, not pickle, so a child subverted by
a hostile file cannot make the parent run code.

The parent side imports neither PyMuPDF nor the parser.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from challenges.paper import Block, PaperMetadata, ParsedPaper, Section, Table
from challenges.pdf.errors import PdfRefused

logger = logging.getLogger(__name__)

DEFAULT_TARGET = "challenges.pdf:parse_pdf"
_ROOT = Path(__file__).resolve().parents[1]
_ALLOWED_TARGETS = ("challenges.", "tests.")
_EXIT_MEMORY = 3


def parse_pdf_file(
    path: str | os.PathLike,
    *,
    max_bytes: int = 50 * 2**20,
    max_pages: int = 300,
    memory_mb: int = 1024,
    cpu_seconds: int = 30,
    wall_seconds: float = 60,
    _target: str = DEFAULT_TARGET,
) -> ParsedPaper:
    """Parse the PDF at ``path`` in a sandboxed child; ``PdfRefused`` with one readable line
    for every failure: too big (checked before reading), not a PDF, damaged, encrypted, a
    scan, too many pages, or a parser that ran out of memory, CPU time or wall time, or
    crashed. ``_target`` ("module:function", tests only) replaces ``parse_pdf`` in the child."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PdfRefused("the uploaded file cannot be found or read") from exc
    if size > max_bytes:
        raise PdfRefused(
            f"the file is {_megabytes(size)} MB, more than the limit of {_megabytes(max_bytes)} MB"
        )
    if size == 0:
        raise PdfRefused("the file is empty")
    if not _target.startswith(_ALLOWED_TARGETS):
        raise ValueError(f"not a parser entry point: {_target!r}")
    command = [
        sys.executable,
        "-m",
        "challenges.pdf_sandbox",
        str(path.resolve()),
        f"--max-pages={max_pages}",
        f"--memory-mb={memory_mb}",
        f"--cpu-seconds={cpu_seconds}",
        f"--target={_target}",
    ]
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=_ROOT,
        env=env,
        start_new_session=True,  # its own process group, so a kill reaches any helper too
    )
    try:
        out, err = proc.communicate(timeout=wall_seconds)
    except subprocess.TimeoutExpired:
        _kill(proc)
        proc.communicate()
        raise PdfRefused(f"the parser took longer than {_seconds(wall_seconds)} s") from None
    finally:
        if proc.poll() is None:
            _kill(proc)
    return _result(proc.returncode, out, err, memory_mb=memory_mb, cpu_seconds=cpu_seconds)


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()
    proc.wait()


def _result(code: int, out: bytes, err: bytes, *, memory_mb: int, cpu_seconds: int):
    memory = f"the parser ran out of memory (limit {memory_mb} MB)"
    if code == _EXIT_MEMORY:
        raise PdfRefused(memory)
    if code < 0:
        number = -code
        if number == signal.SIGXCPU:
            raise PdfRefused(f"the parser used more than {cpu_seconds} s of CPU time")
        if number == signal.SIGKILL:
            raise PdfRefused(
                f"the parser was killed, probably out of memory (limit {memory_mb} MB)"
            )
        logger.warning("PDF parser child died with signal %s: %s", number, _tail(err))
        raise PdfRefused(f"the parser crashed on this file ({signal.Signals(number).name})")
    try:
        message = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        message = None
    if not isinstance(message, dict):
        logger.warning("PDF parser child exited %s without a result: %s", code, _tail(err))
        if b"MemoryError" in err:
            raise PdfRefused(memory)
        raise PdfRefused("the parser stopped without a result on this file")
    if message.get("ok"):
        try:
            return paper_from_dict(message["paper"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PdfRefused("the parser returned a malformed result") from exc
    if message.get("kind") == "memory":
        raise PdfRefused(memory)
    raise PdfRefused(str(message.get("reason") or "the PDF could not be parsed"))


def _tail(err: bytes) -> str:
    return err[-2000:].decode("utf-8", "replace")


def _megabytes(size: int) -> str:
    value = size / 2**20
    return f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def _seconds(value: float) -> str:
    return f"{value:g}"


def paper_to_dict(paper: ParsedPaper) -> dict:
    return asdict(paper)


def paper_from_dict(data: dict) -> ParsedPaper:
    """The inverse of ``paper_to_dict`` (JSON turns tuples into lists; this turns them back)."""
    meta = dict(data["metadata"])
    meta["authors"] = tuple(meta.get("authors") or ())
    return ParsedPaper(
        metadata=PaperMetadata(**meta),
        sections=tuple(Section(**s) for s in data["sections"]),
        blocks=tuple(Block(**b) for b in data["blocks"]),
        tables=tuple(
            Table(**{**t, "rows": tuple(tuple(str(c) for c in row) for row in t["rows"])})
            for t in data["tables"]
        ),
        warnings=tuple(data.get("warnings") or ()),
    )


# ---------------------------------------------------------------------------------------
# The child


def _limit(memory_mb: int, cpu_seconds: int) -> None:
    import resource

    memory = memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds + 2))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _load(target: str):
    import importlib

    module_name, _, function = target.partition(":")
    if not module_name.startswith(_ALLOWED_TARGETS):
        raise ValueError(f"not a parser entry point: {target!r}")
    return getattr(importlib.import_module(module_name), function)


def _emit(message: dict) -> None:
    sys.stdout.write(json.dumps(message, ensure_ascii=False))
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m challenges.pdf_sandbox")
    parser.add_argument("path")
    parser.add_argument("--max-pages", type=int, default=300)
    parser.add_argument("--memory-mb", type=int, default=1024)
    parser.add_argument("--cpu-seconds", type=int, default=30)
    parser.add_argument("--target", default=DEFAULT_TARGET)
    args = parser.parse_args(argv)
    _limit(args.memory_mb, args.cpu_seconds)
    # PyMuPDF 2 imports an ONNX layout model and pymupdf4llm at import time; the parser
    # uses neither, and they cost ~0.6 s and ~270 MB of address space in every child.
    sys.modules.setdefault("pymupdf.layout", None)
    sys.modules.setdefault("pymupdf4llm", None)
    try:
        target = _load(args.target)
        with open(args.path, "rb") as handle:
            data = handle.read()
        paper = target(data, max_pages=args.max_pages)
        _emit({"ok": True, "paper": paper_to_dict(paper)})
    except MemoryError:
        _emit({"ok": False, "kind": "memory"})
        return _EXIT_MEMORY
    except PdfRefused as exc:
        _emit({"ok": False, "kind": "refused", "reason": str(exc)})
    except Exception:
        from challenges.pdf.document import is_memory_error

        exc = sys.exc_info()[1]
        if is_memory_error(exc):
            _emit({"ok": False, "kind": "memory"})
            return _EXIT_MEMORY
        import traceback

        traceback.print_exc(file=sys.stderr)  # for the operator's log, never the user
        _emit({"ok": False, "kind": "error", "reason": "the PDF could not be parsed"})
    return 0


if __name__ == "__main__":
    sys.exit(main())
