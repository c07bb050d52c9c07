"""PDF parsing: hostile files are refused with one readable line (the sandboxed run is in
test_pdf_sandbox.py), and papers — generated here with PyMuPDF's writer, and the two real ones in
../shared when present — come out with the right text, reading order, sections, tables,
equations and metadata. Pure: no database."""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

import pymupdf
import pytest

from challenges.paper import ParsedPaper
from challenges.pdf import PdfRefused, parse_pdf
from challenges.pdf.text import Vocabulary, apply_glyph_map, clean, join_lines, repair_odd_glyphs
from tests import pdf_factory as factory

SHARED_PDFS = Path(__file__).resolve().parents[3] / "shared" / "data" / "pdfs"


@pytest.fixture(scope="module")
def two_column() -> bytes:
    return factory.two_column_paper()


@pytest.fixture(scope="module")
def two_column_parsed(two_column) -> ParsedPaper:
    return parse_pdf(two_column)


@pytest.fixture(scope="module")
def one_column_parsed() -> ParsedPaper:
    return parse_pdf(factory.one_column_paper())


def _shared(name: str) -> bytes:
    path = SHARED_PDFS / name
    if not path.exists():
        pytest.skip(f"real paper not present: {path} (only where ../shared/data/pdfs exists)")
    return path.read_bytes()


def _refusal(data: bytes, **kwargs) -> str:
    with pytest.raises(PdfRefused) as caught:
        parse_pdf(data, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert "Traceback" not in message
    return message


def _paragraphs(paper: ParsedPaper) -> list[str]:
    return [block.text for block in paper.blocks if block.kind == "paragraph"]


# ---------------------------------------------------------------------------------------
# Hostile input, in-process


def test_it_refuses_a_text_file_whatever_its_name():
    assert _refusal(factory.text_file()) == "not a PDF: the file is plain text, not a PDF document"


def test_it_refuses_an_html_page_saved_as_pdf():
    assert (
        _refusal(factory.html_page()) == "not a PDF: the file is an HTML page, not a PDF document"
    )


def test_it_refuses_empty_bytes():
    assert _refusal(b"") == "the file is empty"


@pytest.mark.parametrize("fraction", [0.05, 0.4, 0.7, 0.95])
def test_it_refuses_a_truncated_pdf(two_column, fraction):
    message = _refusal(factory.truncated(two_column, fraction))
    assert "truncated" in message or "damaged" in message


def test_it_refuses_a_pdf_encrypted_with_a_user_password(two_column, two_column_parsed):
    assert "password" in _refusal(factory.encrypted(two_column))
    # encrypted with only an owner password (printing/copying rules): it opens and reads
    assert parse_pdf(factory.encrypted(two_column, user_password="")) == two_column_parsed


def test_it_refuses_a_scan_without_a_text_layer():
    assert "no text layer" in _refusal(factory.scan())


def test_it_refuses_a_page_count_bomb_before_reading_pages():
    started = time.perf_counter()
    message = _refusal(factory.page_bomb(400), max_pages=300)
    assert message == "the PDF has 400 pages, more than the limit of 300"
    assert time.perf_counter() - started < 5


def test_every_mutated_pdf_parses_or_is_refused_in_process(two_column):
    """Fast screen of many mutations; the sandboxed run below also guards against hangs."""
    rng = random.Random(20240501)
    outcomes = []
    for _ in range(40):
        data = factory.mutated(two_column, rng, edits=rng.randint(1, 40))
        try:
            outcomes.append(parse_pdf(data))
        except PdfRefused as exc:  # anything else fails the test
            outcomes.append(exc)
    refusals = [str(o) for o in outcomes if isinstance(o, PdfRefused)]
    assert all(message and "\n" not in message for message in refusals)
    assert len(refusals) < len(outcomes)  # most small edits still leave a readable paper


# ---------------------------------------------------------------------------------------
# Text repair


def test_it_repairs_ligatures_accents_and_tex_control_glyphs():
    assert clean("speciﬁc eﬃcient ﬂow oﬀ") == "specific efficient flow off"
    assert clean("Hyv¨arinen and Erd˝os").startswith("Hyvärinen")
    assert clean("the \x0crst de\x0cnition") == "the first definition"
    assert clean("x² stays, ½ stays") == "x² stays, ½ stays"  # NFKC only where it is safe


def test_it_joins_hyphenated_line_ends_but_keeps_compounds():
    vocabulary = Vocabulary(["the cluster-level loss", "a specific case", "cross entropy"])
    assert join_lines(["To be spe-", "cific, the"], vocabulary) == "To be specific, the"
    assert join_lines(["the cluster-", "level head"], vocabulary) == "the cluster-level head"
    assert join_lines(["on CIFAR-", "10 and"], vocabulary) == "on CIFAR-10 and"
    assert join_lines(["the instance-", "and cluster-level"], vocabulary) == (
        "the instance- and cluster-level"
    )
    assert join_lines(["the cross-", "entropy loss"], vocabulary) == "the cross-entropy loss"


def test_it_guesses_what_a_private_use_glyph_stands_for():
    texts = [
        "a speci\ue03cc result",
        "the \ue03crst \ue03cgure",
        "signi\ue03ccant and e\ue03dcient",
    ]
    mapping = repair_odd_glyphs(texts, Vocabulary(texts))
    assert mapping == {"\ue03c": "fi", "\ue03d": "ffi"}
    assert apply_glyph_map(texts[2], mapping) == "significant and efficient"
    assert apply_glyph_map("sum \ufffdN of", mapping) == "sum \ufffdN of"  # not in a word


# ---------------------------------------------------------------------------------------
# Generated papers


def test_one_column_paper_has_its_numbered_section_tree(one_column_parsed):
    paper = one_column_parsed
    tree = [(s.number, s.title, s.level, s.parent) for s in paper.sections]
    assert tree == [
        ("", "Abstract", 1, None),
        ("1", "Introduction", 1, None),
        ("2", "Data", 1, None),
        ("2.1", "Sample Construction", 2, 2),
        ("2.2", "Variables", 2, 2),
        ("3", "Results", 1, None),
        ("4", "Conclusion", 1, None),
    ]
    assert paper.blocks[0].kind == "heading"
    assert paper.blocks[0].section is None
    assert paper.blocks[0].text == "Price Responses in a Synthetic Labor Market"
    meta = paper.metadata
    assert meta.authors == ("Jane Doe", "John Roe")
    assert meta.date == "2022-06-01"
    assert meta.abstract.startswith("We estimate how wages respond to a price shock")
    assert meta.page_count == 2
    assert meta.arxiv_id == ""
    table, regressions = paper.tables  # a Word-style grid: cells from find_tables' boxes
    assert table.caption == "Table 1: Summary statistics of the firm panel."
    assert table.rows[0] == ("Variable", "Mean", "Std. dev.", "Observations")
    assert ("Price growth (%)", "2.2", "", "57,600") in table.rows
    assert table.rows[-1] == ("Share of firms that changed prices (%)", "41.0", "12.5", "57,600")
    assert regressions.rows == (  # standard errors join their coefficients
        ("", "(1)", "(2)"),
        ("Price growth", "0.421*** (0.051)", "0.398*** (0.060)"),
        ("Union share", "", "0.112** (0.048)"),
        ("Observations", "57,600", "57,600"),
    )
    assert meta.domain == "economics"
    source = [
        i.text for i in factory.one_column_items(random.Random(3)) if isinstance(i, factory.Para)
    ]
    assert _paragraphs(paper)[1:] == source  # [0] is the abstract
    assert all(b.index == i for i, b in enumerate(paper.blocks))
    assert [b.page for b in paper.blocks] == sorted(b.page for b in paper.blocks)


def test_two_column_paper_reads_in_order_with_joined_paragraphs(two_column, two_column_parsed):
    paper = two_column_parsed
    items = factory.two_column_items(random.Random(7))
    source = [i.text for i in items if isinstance(i, factory.Para) and not i.text.startswith("[")]
    _, placements = factory.paper_layout(factory.TWO_COLUMN_FRONT, items)
    where: dict[int, set] = {}
    for item, page, column in placements:
        where.setdefault(item, set()).add((page, column))
    assert any({p for p, _ in spots} == {1, 2} for spots in where.values()), "no page break"
    assert any(len({c for _, c in spots}) == 2 for spots in where.values()), "no column break"
    # every paragraph exactly as written: hyphenated line ends joined, ligatures repaired,
    # paragraphs cut by a column or page break joined, in reading order
    assert _paragraphs(paper)[1:] == source
    raw = pymupdf.open(stream=two_column, filetype="pdf")
    printed = "\n".join(page.get_text(flags=pymupdf.TEXT_PRESERVE_LIGATURES) for page in raw)
    assert re.search(r"[a-z]-\n[a-z]", printed), "the test paper should hyphenate line ends"
    assert "ﬁ" in printed
    assert "ﬁ" not in paper.document()


def test_two_column_paper_drops_page_furniture_and_references(two_column_parsed):
    text = two_column_parsed.document()
    assert "Preprint" not in text
    assert "Synthetic Paper" not in text
    assert not any(re.fullmatch(r"\d+", b.text) for b in two_column_parsed.blocks)
    assert "arXiv" not in text
    assert "A study of signals" not in text
    assert [s.title for s in two_column_parsed.sections][-1] == "References"


def test_two_column_paper_sections_table_and_equation(two_column_parsed):
    paper = two_column_parsed
    assert [(s.number, s.title, s.level) for s in paper.sections][:5] == [
        ("", "Abstract", 1),
        ("1", "Introduction", 1),
        ("2", "Method", 1),
        ("2.1", "Training Details", 2),
        ("3", "Results", 1),
    ]
    (table,) = paper.tables
    assert table.caption == "Table 1: Accuracy (%) on the four benchmarks."
    assert table.rows == (
        ("Method", "Alpha", "Beta", "Gamma"),
        ("Baseline", "71.2", "64.8", "58.3"),
        ("Ours", "91.4", "85.0", "77.9"),
        ("Oracle", "97.5", "93.1", "90.2"),
    )
    assert paper.sections[table.section].title == "Results"
    (table_block,) = [b for b in paper.blocks if b.kind == "table"]
    assert table_block.text == table.text()
    assert table_block.table == 0
    assert not any("91.4 85.0" in t for t in _paragraphs(paper))  # cells left the prose
    kinds = [b.kind for b in paper.blocks]
    at = kinds.index("equation")
    assert paper.blocks[at].text == "L = α · Lins + β · Lclu (1)"
    assert paper.blocks[at - 1].text.endswith("The overall loss is defined as")
    assert paper.blocks[at + 1].text.startswith("where α and β weight the two terms")


def test_two_column_paper_metadata_from_the_arxiv_stamp(two_column_parsed):
    meta = two_column_parsed.metadata
    assert meta.title == "Contrastive Signals in Synthetic Benchmarks"
    assert meta.authors == ("Ada Lovelace", "Alan Turing", "Grace Hopper")
    assert (meta.arxiv_id, meta.arxiv_version, meta.arxiv_category, meta.arxiv_date) == (
        "2101.01234",
        2,
        "cs.LG",
        "2021-01-05",
    )
    assert meta.date == "2021-03-03"
    assert meta.domain == "cs_ai"
    assert meta.abstract.startswith("We study how contrastive signals behave")


def test_line_numbers_of_a_review_copy_are_dropped():
    items = factory.two_column_items(random.Random(7))
    paper = parse_pdf(factory.paper(factory.TWO_COLUMN_FRONT, items, line_numbers=True))
    source = [i.text for i in items if isinstance(i, factory.Para) and not i.text.startswith("[")]
    assert _paragraphs(paper)[1:] == source


def test_revtex_style_paper_with_roman_sections_and_no_reference_heading():
    paper = parse_pdf(factory.revtex_paper())
    tree = [(s.number, s.title, s.level, s.parent) for s in paper.sections]
    assert tree == [
        ("I", "INTRODUCTION", 1, None),
        ("II", "MODEL", 1, None),
        ("A", "Hamiltonian", 2, 1),
        ("1", "Anisotropy", 3, 2),
        ("B", "Linear spin-wave theory", 2, 1),
        ("III", "RESULTS", 1, None),
        ("IV", "CONCLUSION", 1, None),
    ]
    meta = paper.metadata
    assert meta.abstract.startswith("We compute the spin-wave spectrum")  # no "Abstract" heading
    assert meta.date == "2021-03-03"  # "(Dated: March 3, 2021)"
    assert meta.domain == "physics"
    assert paper.tables[0].caption == "TABLE I. Fitted exchange parameters."
    assert paper.tables[0].rows[1] == ("J1", "1.80", "0.05")
    source = [
        i.text
        for i in factory.revtex_items(random.Random(5))
        if isinstance(i, factory.Para) and not i.text.startswith("[")
    ]
    assert _paragraphs(paper)[1:] == source
    assert "Phys. Rev." not in paper.document()  # the unheaded reference list is left out


def test_a_browser_print_with_unmapped_ligature_glyphs_reads_back_word_for_word():
    """Sans serif, ragged right, paragraphs spaced rather than indented, no hyphenation, and
    a font whose "fi" glyph has no Unicode mapping (as some Chromium/Manubot prints do)."""
    items = factory.two_column_items(random.Random(7))
    data = factory.paper(
        factory.TWO_COLUMN_FRONT,
        items,
        columns=1,
        browser=True,
        ligatures=False,
        odd_glyph="fi",
        header="",
    )
    printed = pymupdf.open(stream=data, filetype="pdf")[0].get_text()
    assert "arti\x00cial" in printed or "arti\ufffdcial" in printed
    paper = parse_pdf(data)
    source = [i.text for i in items if isinstance(i, factory.Para) and not i.text.startswith("[")]
    assert _paragraphs(paper)[1:] == source
    assert [s.label for s in paper.sections][1:4] == [
        "1 Introduction",
        "2 Method",
        "2.1 Training Details",
    ]
    assert paper.tables[0].rows[2] == ("Ours", "91.4", "85.0", "77.9")


# ---------------------------------------------------------------------------------------
# The real papers


def test_contrastive_clustering_paper():
    paper = parse_pdf(_shared("contrastive_clustering.pdf"))
    meta = paper.metadata
    assert meta.title == "Contrastive Clustering"
    assert meta.authors[0] == "Yunfan Li"
    assert meta.authors[-1] == "Xi Peng"
    assert len(meta.authors) == 6
    assert meta.abstract.startswith(
        "In this paper, we propose an online clustering method called Contrastive Clustering"
    )
    assert meta.domain == "cs_ai"
    assert meta.page_count == 9
    assert meta.arxiv_id == ""  # the authors' preprint carries no arXiv stamp
    top = [s.title for s in paper.sections if s.level == 1]
    assert top == [
        "Abstract",
        "Introduction",
        "Related Work",
        "Method",
        "Experiments",
        "Conclusion",
        "Acknowledgments",
        "Broader Impact",
        "References",
    ]
    titles = [s.title for s in paper.sections]
    assert titles.index("Contrastive Learning") < titles.index("Deep Clustering")
    assert "Comparisons with State of the Arts" in titles
    captions = [t.caption.split(":")[0] for t in paper.tables]
    assert captions == ["Table 1", "Table 2", "Table 3", "Table 4", "Table 5"]
    datasets = paper.tables[0]
    assert ("CIFAR-10", "Train+Test", "60,000", "10") in datasets.rows
    assert ("Tiny-ImageNet", "Train", "100,000", "200") in datasets.rows
    results = paper.tables[1]
    assert results.header[:4] == ("Dataset Metrics", "CIFAR-10 NMI", "CIFAR-10 ACC", "CIFAR-10 ARI")
    assert results.header[-3:] == ("Tiny-ImageNet NMI", "Tiny-ImageNet ACC", "Tiny-ImageNet ARI")
    ours = next(row for row in results.rows if row[0] == "CC(Ours)")
    assert ours[:4] == ("CC(Ours)", "0.705", "0.790", "0.637")
    text = paper.document()
    assert "To be specific, for a given dataset" in text  # "spe-|ciﬁc" joined
    assert "Hyvärinen" in text
    assert "Copyright" not in text
    assert "Krizhevsky, A.; Hinton" not in text
    intro = next(b for b in paper.blocks if b.text.startswith("As one of the most fundamental"))
    assert "takes the clustering results as supervisory signals" in intro.text  # column break
    assert "as the backbone network. To examine how much our model" in text  # sentence-end break
    assert "CIFAR-10. When no data augmentation is applied" in text  # page break past Figure 4


def test_covid_campus_paper():
    paper = parse_pdf(_shared("covid_campus_scenarios.pdf"))
    meta = paper.metadata
    assert meta.title == "Scenario analysis for an outbreak of COVID-19 on a university campus"
    assert meta.authors == ("John M. Drake",)
    assert meta.date == "2020-08-15"
    assert meta.abstract.startswith("Significant uncertanties remain concerning the opening")
    assert meta.domain == "medicine"
    assert meta.page_count == 10
    titles = [s.title for s in paper.sections]
    expected = [
        "Abstract",
        "Executive Summary",
        "Model",
        "Implementation",
        "Interventions & Compliance",
        "Initial condition",
        "Simulated outbreak",
        "Discussion",
        "References",
    ]
    assert [t for t in titles if t in expected] == expected
    text = paper.document()
    assert "Working paper" not in text
    assert not any(re.fullmatch(r"\d+", b.text) for b in paper.blocks)
    assert "staff (20.0%)" in text
    assert "β = 1.3761468 × 10^-5" in text
    assert any(b.kind == "equation" and "˙S = -β" in b.text for b in paper.blocks)
    assert any(b.kind == "list" and "6,181 tests per day" in b.text for b in paper.blocks)
