"""``python manage.py ingest_paper``: one line per file, exit code 1 when any failed, the
draft challenges written in the DACR-Bench format with ``--out``."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command

from challenges import dacr_format as fmt
from challenges.models import Challenge, Paper
from tests.challenges.paper_support import pdf_factory

pytestmark = pytest.mark.django_db


def test_ingest_paper_refuses_a_missing_file_with_one_line_and_exit_code_1(capsys):
    with pytest.raises(CommandError, match="1 of 1 file\\(s\\) failed"):
        call_command("ingest_paper", "/nonexistent/x.pdf")
    out = capsys.readouterr().out
    expected = "cannot read /nonexistent/x.pdf: No such file or directory"
    assert out == f"failed    /nonexistent/x.pdf: {expected}\n"


def test_ingest_paper_refuses_an_unwritable_out_before_doing_anything(tmp_path):
    with pytest.raises(CommandError, match=r"folder .* does not exist"):
        call_command("ingest_paper", "x.pdf", "--out", str(tmp_path / "no" / "out.json"))
    assert not Paper.objects.exists()


def test_ingest_paper_reports_each_file_and_fails_when_one_failed(tmp_path, capsys):
    factory = pdf_factory()
    good = tmp_path / "good.pdf"
    good.write_bytes(factory.two_column_paper())
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(factory.encrypted(factory.one_column_paper()))
    out = tmp_path / "drafts.json"

    with pytest.raises(CommandError, match="1 of 2 file\\(s\\) failed"):
        call_command("ingest_paper", str(good), str(bad), "--domain", "physics", "--out", str(out))

    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"verified  {good}: ")
    assert "10 questions" in lines[0]
    assert "verification passed" in lines[0]
    assert lines[1].startswith(f"failed    {bad}: ")
    assert "Traceback" not in lines[1]
    assert lines[2].startswith("wrote 1 draft challenge(s)")
    benchmark = fmt.load_benchmark(out)
    (record,) = benchmark.challenges
    assert record.challenge_id.startswith("dacr-paper-")
    assert record.domain == "physics"
    assert json.loads(out.read_text())["challenges"][0]["split"] == "real"


def test_ingest_paper_twice_gives_the_same_paper_and_challenge(tmp_path, capsys):
    path = tmp_path / "p.pdf"
    path.write_bytes(pdf_factory().two_column_paper())
    call_command("ingest_paper", str(path))
    first = capsys.readouterr().out
    call_command("ingest_paper", str(path))
    assert capsys.readouterr().out == first
    assert (Paper.objects.count(), Challenge.objects.count()) == (1, 1)
