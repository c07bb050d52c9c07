"""Facts of a parsed paper: hostile input first, then each kind of fact, located and quoted.

Pure: no database. Papers are built by hand (``paper_fixtures``); the two real PDFs are used
when ``challenges.pdf`` and ``../shared/data/pdfs`` are there."""

from __future__ import annotations

import pytest

from challenges.facts import (
    KINDS,
    PaperTooThin,
    QuantityIndex,
    competing,
    extract_facts,
    quantity_phrase,
    require_substance,
)
from challenges.paper import Block, PaperMetadata, ParsedPaper, Table
from challenges.paper_challenge import build_paper_challenge
from challenges.paper_tables import table_columns, table_groups, table_rows
from challenges.paper_text import read_number, spellings, write_like
from tests.challenges.paper_fixtures import (
    Part,
    epi_paper,
    ml_paper,
    paper_from_outline,
    real_paper,
)

FILLER = (
    "The remaining discussion describes the setting in general terms without any figures, "
    "so that the paper is long enough to be considered at all by the challenge builder. "
) * 4


def _one_section(*paragraphs: str, tables=(), title="A short note") -> ParsedPaper:
    return paper_from_outline(
        title=title,
        authors=["A. Author"],
        parts=[Part("1", "Body", list(paragraphs), list(tables))],
    )


def _facts(*paragraphs: str, kind: str | None = None, tables=()):
    facts = extract_facts(_one_section(*paragraphs, tables=tables))
    return [f for f in facts if kind is None or f.kind == kind]


# --- hostile and edge input ------------------------------------------------------------------


def test_an_empty_paper_has_no_facts_and_is_refused_in_one_line():
    empty = ParsedPaper(PaperMetadata(), (), ())
    assert extract_facts(empty) == ()
    with pytest.raises(PaperTooThin) as caught:
        build_paper_challenge(empty, challenge_id="dacr-empty")
    assert "\n" not in str(caught.value)
    assert str(caught.value) == "the paper has no text (no blocks were parsed)"


def test_a_paper_of_blank_blocks_is_refused():
    blank = ParsedPaper(PaperMetadata(), (), (Block(0, "paragraph", "   ", 1),))
    with pytest.raises(PaperTooThin, match="no text"):
        require_substance(blank)


def test_a_short_paper_is_refused_with_its_word_count():
    with pytest.raises(PaperTooThin, match=r"the paper has \d+ words; at least 300 needed"):
        build_paper_challenge(_one_section("Too short to matter."), challenge_id="dacr-short")


def test_a_paper_with_no_numbers_is_refused_not_crashed():
    paper = _one_section(FILLER, FILLER, FILLER)
    assert not [f for f in extract_facts(paper) if f.is_numeric]
    with pytest.raises(PaperTooThin, match="usable numbers"):
        build_paper_challenge(paper, challenge_id="dacr-prose")


def test_unicode_text_is_read_without_crashing_and_quotes_stay_verbatim():
    paper = _one_section(
        "Le Réseau Neuronal Profond (RNP) est évalué sur 12 jeux de données… The ﬁnal model "
        "uses a learning rate of 0.001 and τ = 0.5 — with “curly quotes” and a non\u00a0breaking "
        "space. We evaluate on 7 benchmark datasets from Zürich.",
        FILLER,
    )
    facts = extract_facts(paper)
    assert {"RNP", "benchmark datasets"} <= {f.entity for f in facts}
    for fact in facts:
        assert fact.quote in paper.blocks[fact.block].text


@pytest.mark.parametrize(
    "text",
    [
        "Results for 2019 and 2020 appear in Table 2 and Section 3.1 of the appendix.",
        "We use CIFAR-10, ResNet34 and STL-10 as in [17] and (Smith 2019).",
        "From 210 to 1618 imported infections may be expected in the first week.",
        "Thus 0.2 × 0.65 + 0.4 × 0.75 = 0.69 of transmission is removed by masks.",
        "There are 3,500 to 14,000 symptomatic cases and version 2.1.3 of the code.",
    ],
)
def test_numbers_that_state_no_fact_are_not_facts(text):
    assert not [f for f in _facts(text) if f.is_numeric]


@pytest.mark.parametrize(
    "rows",
    [
        (),
        (("Method", "NMI"),),
        (("Method", "NMI", "ACC"), ("A", "0.5"), ("B",), ("C", "–", "n/a")),
        (("", ""), ("", "")),
    ],
)
def test_ragged_empty_and_header_only_tables_do_not_crash(rows):
    paper = _one_section(FILLER, tables=[("Table 1: Odd.", [list(r) for r in rows])])
    facts = extract_facts(paper)
    assert all(f.kind != "table_cell" or f.value == 0.5 for f in facts)


# --- each kind of fact -----------------------------------------------------------------------


def test_acronym_definitions_give_the_short_form_and_its_full_name():
    facts = _facts(
        "We propose an online method called Contrastive Clustering (CC), evaluated with "
        "Normalized Mutual Information (NMI). Individuals are Susceptible (S) in 2020 (2020).",
        kind="acronym",
    )
    assert {(f.entity, f.value) for f in facts} == {
        ("CC", "Contrastive Clustering"),
        ("NMI", "Normalized Mutual Information"),
    }


@pytest.mark.parametrize(
    ("text", "entity", "value", "written"),
    [
        (
            "We evaluate the method on six challenging image datasets.",
            "challenging image datasets",
            6,
            "six",
        ),
        (
            "CC remarkably outperforms 17 competitive clustering methods.",
            "competitive clustering methods",
            17,
            "17",
        ),
        ("The training proceeds in three stages: a, b and c.", "stages", 3, "three"),
        ("A total of 1,204 residents and 856 staff were included.", "residents", 1204, "1,204"),
    ],
)
def test_counts_are_read_in_digits_and_in_words(text, entity, value, written):
    (fact,) = [f for f in _facts(text, kind="count") if f.entity == entity]
    assert (fact.value, fact.value_text, fact.attribute) == (value, written, "count")


def test_filler_counts_are_kept_for_ambiguity_but_not_worth_a_question():
    facts = _facts("We give two reasons and run two experiments in three stages.", kind="count")
    assert {f.entity: f.substantial for f in facts} == {
        "reasons": False,
        "experiments": False,
        "stages": True,
    }


@pytest.mark.parametrize(
    ("text", "entity", "attribute", "value", "unit"),
    [
        (
            "In particular, CC achieves an NMI of 0.705 on the CIFAR-10 dataset.",
            "CC on the CIFAR-10 dataset",
            "NMI",
            0.705,
            "",
        ),
        (
            "The incubation period is assumed to be 2 days in all scenarios.",
            "in all scenarios",
            "incubation period",
            2,
            "days",
        ),
        (
            "The overall attack rate among residents was 23.4% in that season.",
            "in that season",
            "overall attack rate among residents",
            23.4,
            "%",
        ),
        (
            "The dimensionality of the row space is set to 128 to keep information.",
            "",
            "dimensionality of the row space",
            128,
            "",
        ),
        (
            "We obtain R0 = 2.81 for the model with testing but no interventions.",
            "for the model with testing but no interventions",
            "R0",
            2.81,
            "",
        ),
    ],
)
def test_results_carry_their_metric_entity_and_unit(text, entity, attribute, value, unit):
    (fact,) = _facts(text, kind="result")
    assert (fact.entity, fact.attribute, fact.value, fact.unit) == (entity, attribute, value, unit)
    assert fact.value_text in fact.quote


def test_table_cells_are_row_column_value_with_units_from_the_header():
    rows = [
        ["Age group", "Cases", "Attack rate (%)"],
        ["Staff", "71", "8.3"],
        ["85+", "133", "28.6"],
    ]
    facts = _facts(FILLER, kind="table_cell", tables=[("Table 1: Cases.", rows)])
    cells = {(f.entity, f.attribute): (f.value, f.unit) for f in facts}
    assert cells == {
        ("Staff", "Cases"): (71, ""),
        ("Staff", "Attack rate"): (8.3, "%"),
        ("85+", "Cases"): (133, ""),
        ("85+", "Attack rate"): (28.6, "%"),
    }
    assert all(f.quote.startswith("| ") for f in facts)


def test_stacked_headers_are_joined_and_grouped_rows_named_with_their_group():
    stacked = Table(
        0,
        "Table 2: x",
        (
            ("Dataset", "CIFAR-10", "", "STL-10"),
            ("Metrics", "NMI", "ACC", "NMI"),
            ("PICA", "0.591", "0.696", "0.611"),
        ),
        1,
    )
    assert table_columns(stacked) == (
        ["Dataset Metrics", "CIFAR-10 NMI", "CIFAR-10 ACC", "STL-10 NMI"],
        2,
    )
    grouped = Table(
        1,
        "Table 5: y",
        (
            ("Dataset", "Backbone", "NMI"),
            ("CIFAR-10", "ResNet18", "0.650"),
            ("", "ResNet34", "0.705"),
            ("ImageNet-10", "ResNet18", "0.851"),
        ),
        1,
    )
    assert [label for label, _, _ in table_rows(grouped)] == [
        "ResNet18 (CIFAR-10)",
        "ResNet34 (CIFAR-10)",
        "ResNet18 (ImageNet-10)",
    ]
    assert table_groups(grouped)["ResNet34 (CIFAR-10)"] == ("CIFAR-10", "ResNet34")


def test_a_repeated_row_label_makes_its_cells_unusable():
    rows = [["Method", "NMI"], ["A", "0.5"], ["A", "0.6"], ["B", "0.7"]]
    facts = _facts(FILLER, kind="table_cell", tables=[("Table 1: z.", rows)])
    assert [(f.entity, f.value) for f in facts] == [("B", 0.7)]


def test_dates_are_iso_and_metadata_comes_from_the_stamp_and_first_page():
    facts = extract_facts(ml_paper())
    meta = {f.attribute: f.value for f in facts if f.kind == "metadata"}
    assert meta == {
        "title": "Contrastive Clustering",
        "number of authors": 6,
        "arXiv primary category": "cs.CV",
        "submission date": "2020-09-21",
    }
    (released,) = [f for f in facts if f.kind == "date"]
    assert (released.value, released.value_text) == ("2020-09-21", "21 September 2020")
    assert {f.attribute: f.value for f in extract_facts(epi_paper()) if f.kind == "metadata"}[
        "date"
    ] == "2019-11-04"


def test_enumerations_must_list_as_many_items_as_they_announce():
    (stages,) = _facts(
        "Training proceeds in three stages: augmentation, projection and contrastive optimisation.",
        kind="enumeration",
    )
    assert stages.value == ("augmentation", "projection", "contrastive optimisation")
    assert stages.value_text == "augmentation, projection and contrastive optimisation"
    assert not _facts(
        "We use six datasets, including CIFAR-10/100, STL-10 and ImageNet.", kind="enumeration"
    )


@pytest.mark.parametrize("paper", [ml_paper(), epi_paper(), epi_paper(with_tables=False)])
def test_every_fact_is_located_and_quoted_verbatim_with_its_value(paper):
    facts = extract_facts(paper)
    assert {f.kind for f in facts} <= set(KINDS)
    assert [f.fact_id for f in facts] == [f"f{i:03d}" for i in range(1, len(facts) + 1)]
    for fact in facts:
        block = paper.blocks[fact.block]
        assert fact.quote in block.text, fact
        assert fact.value_text in fact.quote, fact
        assert fact.section == block.section


def test_the_ml_fixture_yields_every_kind_of_fact():
    facts = extract_facts(ml_paper())
    assert {f.kind for f in facts} == set(KINDS)
    found = {(f.kind, f.entity, f.attribute): f.value for f in facts}
    assert found[("acronym", "CC", "full name")] == "Contrastive Clustering"
    assert found[("count", "challenging image datasets", "count")] == 6
    assert found[("result", "CC on the CIFAR-10 dataset", "NMI")] == 0.705
    assert found[("table_cell", "CC (Ours)", "NMI")] == 0.705
    assert found[("table_cell", "Tiny-ImageNet", "Samples")] == 100_000


def test_facts_in_references_are_skipped():
    assert not [f for f in extract_facts(ml_paper()) if "ICML" in f.quote]


def test_extraction_is_deterministic():
    assert extract_facts(ml_paper()) == extract_facts(ml_paper())


# --- ambiguity and naming --------------------------------------------------------------------


def test_a_quantity_stated_with_two_values_is_ambiguous_and_a_broader_one_too():
    facts = _facts(
        "We obtain R0 = 2.81 for the model with testing but no interventions. Later R0 = 3.0 "
        "in the notional case. The PRCC value of 0.99 and PRCC values of 0.83 differ.",
        FILLER,
    )
    index = QuantityIndex(facts)
    by_entity = {(f.attribute, f.entity): f for f in facts if f.kind == "result"}
    specific = by_entity[("R0", "for the model with testing but no interventions")]
    assert not competing(specific, index)
    assert competing(by_entity[("R0", "in the notional case")], index) == []
    assert competing(by_entity[("PRCC value", "")], index)  # "values" is the same quantity


def test_quantities_are_named_for_sentences():
    facts = {(f.kind, f.entity, f.attribute): f for f in extract_facts(ml_paper())}
    assert quantity_phrase(facts[("result", "CC on the CIFAR-10 dataset", "NMI")]) == (
        "the NMI of CC on the CIFAR-10 dataset"
    )
    assert quantity_phrase(facts[("table_cell", "CC (Ours)", "ACC")]) == "the ACC of CC"
    assert quantity_phrase(facts[("table_cell", "STL-10", "Samples")]) == (
        "the number of samples of STL-10"
    )


# --- numbers as written ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "value", "rewritten"),
    [
        ("six", 8, "eight"),
        ("Six", 4, "Four"),
        ("0.705", 0.81, "0.810"),
        ("6,181", 7020, "7,020"),
        ("12", 15, "15"),
        ("1.0", 0.8, "0.8"),
    ],
)
def test_a_planted_number_is_written_like_the_true_one(written, value, rewritten):
    assert write_like(value, read_number(written)) == rewritten


def test_spellings_include_javascripts_string_of_the_json_number():
    assert {"0.640", "0.64"} <= spellings(read_number("0.640"))
    assert {"six", "6"} <= spellings(read_number("six"))
    assert {"6,181", "6181"} <= spellings(read_number("6,181"))


# --- real papers -----------------------------------------------------------------------------


def test_the_real_ml_paper_yields_its_headline_facts():
    facts = extract_facts(real_paper("contrastive_clustering"))
    found = {(f.kind, f.entity, f.attribute): f.value for f in facts}
    assert found[("acronym", "CC", "full name")] == "Contrastive Clustering"
    assert found[("count", "competitive clustering methods", "count")] == 17
    assert found[("count", "challenging image datasets", "count")] == 6
    assert any(f.kind == "result" and f.value == 0.705 and "CIFAR-10" in f.entity for f in facts)
    assert len([f for f in facts if f.kind == "table_cell"]) > 100


def test_the_real_epidemiology_paper_yields_its_parameters():
    facts = extract_facts(real_paper("covid_campus_scenarios"))
    found = {(f.kind, f.attribute): (f.value, f.unit) for f in facts if f.kind == "result"}
    assert found[("result", "incubation period")] == (4, "days")
    assert found[("result", "contagious period of asymptomatic individuals")] == (14, "days")
    assert ("acronym", "PRCC") in {(f.kind, f.entity) for f in facts}
