"""The PDF sandbox: ``parse_pdf_file`` parses in a fresh child process with memory, CPU
and wall-clock limits, returns the same paper as an in-process parse, and turns every way a
hostile file or a stuck parser can fail into one readable ``PdfRefused`` line. Pure: no
database."""

from __future__ import annotations

import random
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from challenges.paper import ParsedPaper
from challenges.pdf import PdfRefused, parse_pdf
from challenges.pdf_sandbox import paper_from_dict, paper_to_dict, parse_pdf_file
from tests import pdf_factory as factory

SHARED_PDFS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pdfs"
TIGHT = {"memory_mb": 512, "cpu_seconds": 10, "wall_seconds": 30}


@pytest.fixture(scope="module")
def two_column() -> bytes:
    return factory.two_column_paper()


@pytest.fixture(scope="module")
def two_column_parsed(two_column) -> ParsedPaper:
    return parse_pdf(two_column)


def test_it_refuses_a_text_file_named_pdf(tmp_path):
    notes = tmp_path / "notes.pdf"
    notes.write_bytes(factory.text_file())
    with pytest.raises(PdfRefused, match="not a PDF: the file is plain text"):
        parse_pdf_file(notes, **TIGHT)


def test_sandbox_returns_the_same_paper_as_in_process(tmp_path, two_column, two_column_parsed):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    assert parse_pdf_file(path, **TIGHT) == two_column_parsed
    assert paper_from_dict(paper_to_dict(two_column_parsed)) == two_column_parsed


def test_sandbox_refuses_a_file_over_the_size_limit_without_reading_it(tmp_path, monkeypatch):
    path = tmp_path / "big.pdf"
    path.write_bytes(b"%PDF-1.7\n" + b"0" * 5000)

    def no_child(*args, **kwargs):
        raise AssertionError("a child process was started for an oversized file")

    monkeypatch.setattr("challenges.pdf_sandbox.subprocess.Popen", no_child)
    with pytest.raises(PdfRefused, match=r"^the file is 0\.0 MB, more than the limit of 0\.0 MB$"):
        parse_pdf_file(path, max_bytes=1000)


def test_sandbox_survives_fifty_mutated_pdfs(tmp_path, two_column):
    """Every mutation either parses or is refused with one line; none hangs or escapes."""
    sources = [two_column]
    real = SHARED_PDFS / "contrastive_clustering.pdf"
    if real.exists():
        sources.append(real.read_bytes())
    rng = random.Random(7)
    paths = []
    for number in range(50):
        path = tmp_path / f"mutant-{number}.pdf"
        path.write_bytes(factory.mutated(sources[number % len(sources)], rng, rng.randint(1, 60)))
        paths.append(path)

    def outcome(path):
        try:
            return parse_pdf_file(path, memory_mb=512, cpu_seconds=10, wall_seconds=20)
        except PdfRefused as exc:
            return exc

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(outcome, paths))
    for result in results:
        assert isinstance(result, ParsedPaper | PdfRefused)
        if isinstance(result, PdfRefused):
            assert str(result)
            assert "\n" not in str(result)
            assert "Traceback" not in str(result)
    assert any(isinstance(r, ParsedPaper) for r in results)
    assert any(isinstance(r, PdfRefused) for r in results)


def test_sandbox_refuses_a_decompression_bomb_within_its_limits(tmp_path):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(factory.decompression_bomb(300))
    assert path.stat().st_size < 2 * 2**20  # small on disk, hundreds of MB inflated
    started = time.perf_counter()
    with pytest.raises(PdfRefused) as caught:
        parse_pdf_file(path, memory_mb=512, cpu_seconds=2, wall_seconds=20)
    assert str(caught.value) in (
        "the parser used more than 2 s of CPU time",
        "the parser ran out of memory (limit 512 MB)",
    )
    assert time.perf_counter() - started < 15


def test_sandbox_kills_a_parser_that_hangs(tmp_path, two_column):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    started = time.perf_counter()
    with pytest.raises(PdfRefused, match=r"^the parser took longer than 2 s$"):
        parse_pdf_file(path, wall_seconds=2, _target="tests.pdf_factory:hanging_parser")
    assert time.perf_counter() - started < 6


def test_sandbox_stops_a_parser_that_eats_memory(tmp_path, two_column):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    with pytest.raises(PdfRefused, match=r"^the parser ran out of memory \(limit 400 MB\)$"):
        parse_pdf_file(path, memory_mb=400, _target="tests.pdf_factory:memory_hog_parser")


def test_sandbox_stops_a_parser_that_spins(tmp_path, two_column):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    with pytest.raises(PdfRefused, match=r"^the parser used more than 1 s of CPU time$"):
        parse_pdf_file(path, cpu_seconds=1, _target="tests.pdf_factory:cpu_burner_parser")


def test_sandbox_reports_a_crashed_parser_in_one_line(tmp_path, two_column):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    with pytest.raises(PdfRefused, match=r"^the parser crashed on this file \(SIGSEGV\)$"):
        parse_pdf_file(path, _target="tests.pdf_factory:crashing_parser")


def test_sandbox_only_runs_parser_entry_points_of_this_project(tmp_path, two_column):
    path = tmp_path / "paper.pdf"
    path.write_bytes(two_column)
    with pytest.raises(ValueError, match="not a parser entry point"):
        parse_pdf_file(path, _target="os:system")
