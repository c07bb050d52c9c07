"""Baseline solvers: hostile input first, then BM25, value reading, the trivial solvers on a
planted conflict, the lexical solver by question shape, and the lexical solver on real data."""

from __future__ import annotations

import math
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evaluation.baselines import BASELINES, BaselineAnswer, answers_for_grading, solve
from evaluation.baselines.bm25 import BM25
from evaluation.baselines.reading import read_document, split_sentences
from evaluation.baselines.values import extract_values, value_after
from traces.grading import ModelAnswer, grade_challenge

NAMES = ("lexical", "first_mention", "last_mention", "hedge_filter")

# An engine-style report: sections, profiles with Key: value blocks, a results table, series
# sentences and two planted conflicts. ARGUS-7's beam energy is stated first with a
# lower-authority cue (10.9) and later with a higher one (12.5); VEGA Prime's signal
# efficiency the other way round (74.6 first, the press release's 91.0 last). ORION-12's run
# duration is stated once, hedged, and true.
REPORT = """Cascade Beamline Programme: Performance of Four Experiments

1. Introduction

The Cascade campaign brought together four experiments that shared the same accelerator \
complex over four years. The report covers four experiments: ARGUS-7, VEGA Prime, ORION-12 \
and TITAN Lite.

This report collects the operating parameters of every experiment in a single place. A \
superseded version of the data dictionary is kept for reference.

2. Methods and data sources

Beam parameters were taken from the accelerator logbook. A preliminary estimate put the beam \
energy of ARGUS-7 at 10.9 GeV.

3. Experiment profiles

The spokesperson of ARGUS-7 is Chen Wei. ARGUS-7 lists drift chamber as its detector type \
(signal efficiency: 88.1%). The operating temperature of ARGUS-7 was 412.5 K. For ARGUS-7, \
the run duration came to 1,250 hours.
Key figures for ARGUS-7:
Readout channel count: 12,450 channels
Magnetic field strength: 3.25 T

VEGA Prime has Amara Okafor as its spokesperson. The detector type of VEGA Prime is silicon \
tracker. The operating temperature of VEGA Prime was 4.2 K. The run duration of VEGA Prime \
was 980 hours.
Key figures for VEGA Prime:
Readout channel count: 40,100 channels
Magnetic field strength: 1.5 T

ORION-12 has Nadia Petrova as its spokesperson. ORION-12 lists silicon tracker as its \
detector type (operating temperature: 77.3 K). A rough estimate gave ORION-12 a run duration \
of roughly 2,010 hours. ORION-12 recorded a signal efficiency of 61.7%.
Key figures for ORION-12:
Readout channel count: 8,800 channels
Magnetic field strength: 0.75 T

The spokesperson of TITAN Lite is Jonas Weber. The detector type of TITAN Lite is drift \
chamber. TITAN Lite recorded a signal efficiency of 93.4%. The operating temperature of TITAN \
Lite was 290.0 K. The run duration of TITAN Lite was 3,400 hours.
Key figures for TITAN Lite:
Readout channel count: 95,000 channels
Magnetic field strength: 11.2 T

4. Results

Table 1: Beam energy, peak luminosity and event rate by experiment.
| Experiment | Beam energy (GeV) | Peak luminosity (Hz/nb) | Event rate (kHz) |
|---|---|---|---|
| ARGUS-7 | 12.5 | 412 | 88.3 |
| VEGA Prime | 30.2 | 655 | 12.9 |
| ORION-12 | 7.7 | 98 | 301.5 |
| TITAN Lite | 41.0 | 870 | 45.0 |

5. Trends over time

The integrated luminosity of ARGUS-7 was 10.2, 14.5, 20.1 and 31.7 in 2021, 2022, 2023 and \
2024 respectively (fb^-1). VEGA Prime recorded a integrated luminosity of 5.5 in 2021, 7.25 in \
2022, 9.0 in 2023 and 11.4 in 2024 (fb^-1).

6. Discussion

Taken together, the experiments span a wide range of beam energies. Measured at steady state, \
the signal efficiency of VEGA Prime was 74.6%. In the final analysis, the beam energy of \
ARGUS-7 was 12.5 GeV.

7. Notes on sources

Figures in this report were compiled from several documents. The press release announced a \
signal efficiency of 91.0% for VEGA Prime."""

ENTITIES = ("ARGUS-7", "VEGA Prime", "ORION-12", "TITAN Lite")
BEAM_ARGUS = "What is the beam energy of ARGUS-7 (in GeV)?"
BEAM_VIA_PERSON = "What is the beam energy of the experiment whose spokesperson is Chen Wei?"
EFFICIENCY_VEGA = "What is the signal efficiency of VEGA Prime?"
RUN_ORION = "What is the run duration of ORION-12 (in hours)?"


def answers(name: str, *questions: str, document: str = REPORT) -> list[BaselineAnswer]:
    result = solve(name, document, [(f"q{i:02d}", q) for i, q in enumerate(questions)])
    return [result[f"q{i:02d}"] for i in range(len(questions))]


def answer(name: str, question: str, document: str = REPORT) -> str:
    return answers(name, question, document=document)[0].answer


def assert_well_formed(result: dict, ids) -> None:
    assert set(result) == set(ids)
    for item in result.values():
        assert isinstance(item, BaselineAnswer)
        assert isinstance(item.answer, str)
        assert isinstance(item.citation, str)
        assert 0.0 <= item.confidence <= 1.0
        assert math.isfinite(item.confidence)


# -- hostile input ---------------------------------------------------------------------------

HOSTILE_DOCUMENTS = [
    "",
    "   \n\n\t\n ",
    "||||\n|---|\n| | |",
    ":::: : :\nKey:\n: value",
    "9" * 5000 + " is the beam energy of ARGUS-7 " + "1" + "0" * 400 + " GeV.",
    "1e308 1e309 -0.0 −∞ NaN nan inf 10^-99999 1,2,3,4,,,,5",
    "温度是多少？ ARGUS-7 的束流能量为 12.5 GeV。\n\nΔ = −0.79 · μ ± σ²",
    "مرحبا بالعالم 12.5 ‏ARGUS-7‏ שלום",
    "e\u0301\u0301\u0301 \u200b\u200d \ufeff 🧪🧪 12.5 GeV \x00\x01\x02",
    "a" * 200_000,
    " ".join(str(i) for i in range(30_000)),
    "1," * 60_000 + "2023 in 2024, 2025 and " * 2_000,
    "| a |\n" * 5_000 + "Key: 1\n" * 5_000,
    ("Table 3. " * 2000) + "Q3 2023 ARGUS-7",
    REPORT.replace("\n", "\r\n"),
]
HOSTILE_QUESTIONS = [
    "",
    " ",
    "?",
    "What",
    "Which?",
    "How many?",
    "What is the of ?",
    "whose whose whose is is is",
    "What is the beam energy of the experiment whose spokesperson is Nobody Atall?",
    "Among , which has the highest ?",
    "What was the 2023 of Q3 in 2023?",
    "温度是多少？",
    "🧪" * 100,
    "What is the " + "very " * 500 + "beam energy of ARGUS-7?",
    BEAM_ARGUS,
]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("document", HOSTILE_DOCUMENTS, ids=range(len(HOSTILE_DOCUMENTS)))
def test_no_baseline_raises_on_hostile_documents_and_questions(name, document):
    ids = [f"q{i}" for i in range(len(HOSTILE_QUESTIONS))]
    result = solve(name, document, list(zip(ids, HOSTILE_QUESTIONS, strict=True)))
    assert_well_formed(result, ids)


@pytest.mark.parametrize("name", NAMES)
def test_an_empty_document_gives_an_empty_answer_to_every_question(name):
    result = solve(name, "", [("q01", BEAM_ARGUS), ("q02", "")])
    assert result == {"q01": BaselineAnswer("", "", 0.0), "q02": BaselineAnswer("", "", 0.0)}


@pytest.mark.parametrize("name", NAMES)
def test_non_string_texts_are_read_as_empty_and_no_questions_give_no_answers(name):
    assert solve(name, REPORT, []) == {}
    result = solve(name, None, [("q01", None), ("q02", 12)])  # type: ignore[arg-type,list-item]
    assert_well_formed(result, ["q01", "q02"])


def test_an_unknown_baseline_is_refused_with_the_known_names():
    with pytest.raises(ValueError, match="unknown baseline 'oracle'") as error:
        solve("oracle", REPORT, [("q01", BEAM_ARGUS)])
    message = str(error.value)
    assert "\n" not in message
    assert all(name in message for name in NAMES)
    with pytest.raises(ValueError, match="unknown baseline"):
        solve(["lexical"], REPORT, [])  # type: ignore[arg-type]


def test_the_package_imports_no_django():
    code = (
        "import sys, evaluation.baselines; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    root = Path(__file__).resolve().parents[2]
    assert subprocess.run([sys.executable, "-c", code], cwd=root, check=False).returncode == 0


def test_the_registry_holds_exactly_the_four_baselines():
    assert tuple(BASELINES) == NAMES
    assert all(solver.name == name and solver.description for name, solver in BASELINES.items())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    document=st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=600)
    | st.builds(lambda a, b: a + REPORT[:2000] + b, st.text(max_size=50), st.text(max_size=50)),
    question=st.text(max_size=120)
    | st.sampled_from([BEAM_ARGUS, BEAM_VIA_PERSON, EFFICIENCY_VEGA, "How many experiments?"]),
)
def test_no_baseline_raises_on_any_text(document, question):
    for name in NAMES:
        assert_well_formed(solve(name, document, [("q", question)]), ["q"])


# -- BM25 ------------------------------------------------------------------------------------

CORPUS = [["cat", "sat", "mat"], ["dog", "sat"], ["cat", "cat", "dog"], []]


def bm25_by_hand(query, document, corpus, k1=1.5, b=0.75):
    """The textbook formula, written out independently of the implementation."""
    n = len(corpus)
    avgdl = sum(len(d) for d in corpus) / n
    total = 0.0
    for term in query:
        held = sum(1 for d in corpus if term in d)
        idf = math.log(1 + (n - held + 0.5) / (held + 0.5))
        f = document.count(term)
        total += idf * f * (k1 + 1) / (f + k1 * (1 - b + b * len(document) / avgdl))
    return total


@pytest.mark.parametrize(
    ("query", "ranking"),
    [
        (["cat"], [2, 0]),  # two mentions beat one in documents of the same length
        (["dog", "sat"], [1, 0, 2]),  # both terms first; a tie goes to the earlier document
        (["mat"], [0]),
        (["dog"], [1, 2]),  # the same count in a shorter document scores higher
        (["unicorn"], []),
        ([], []),
    ],
)
def test_bm25_ranks_a_tiny_corpus_in_the_expected_order(query, ranking):
    index = BM25(CORPUS)
    assert [i for i, _ in index.top(query, 10)] == ranking


def test_bm25_scores_match_the_formula_with_k1_1_5_and_b_0_75():
    index = BM25(CORPUS)
    for query in (["cat"], ["dog", "sat"], ["cat", "mat", "dog"]):
        expected = [bm25_by_hand(query, d, CORPUS) for d in CORPUS]
        assert index.scores(query) == pytest.approx(expected)
    assert index.scores(["cat"])[2] == pytest.approx(math.log(2) * 5 / (2 + 1.5 * 1.375))


def test_bm25_counts_a_repeated_query_term_twice_and_survives_an_empty_corpus():
    index = BM25(CORPUS)
    assert index.scores(["cat", "cat"]) == pytest.approx([2 * s for s in index.scores(["cat"])])
    empty = BM25([])
    assert empty.scores(["cat"]) == []
    assert empty.top(["cat"]) == []
    assert BM25([[], []]).scores(["cat"]) == [0.0, 0.0]


def test_a_grouped_index_scores_like_an_index_over_the_concatenated_groups():
    parts = [["cat", "sat"], ["mat"], ["dog", "sat", "sat"], ["cat"], []]
    group_of = [0, 0, 2, 1, 1]
    grouped = BM25.grouped(BM25(parts), group_of, 3)
    concatenated = BM25([["cat", "sat", "mat"], ["cat"], ["dog", "sat", "sat"]])
    for query in (["cat"], ["sat", "mat"], ["dog", "cat", "cat"], ["unicorn"]):
        assert grouped.scores(query) == pytest.approx(concatenated.scores(query))


# -- reading values --------------------------------------------------------------------------


def texts(sentence, **kwargs):
    return [(v.text, v.unit) for v in extract_values(sentence, **kwargs)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The beam energy of ARGUS-7 was 12.5 GeV.", [("12.5", "GeV")]),
        ("Readout channel count: 12,450 channels", [("12450", "channels")]),
        ("The detector resolution was 3.5%.", [("3.5", "%")]),
        (
            "Its operating temperature was 412.5 K and it ran at 340 °C.",
            [("412.5", "K"), ("340", "°C")],
        ),
        ("The correlation was -0.25 overall.", [("-0.25", "")]),
        ("The correlation was −0.79 overall.", [("-0.79", "")]),
        ("As listed in Table 3, ARGUS-7 has a beam energy of 12.5 GeV.", [("12.5", "GeV")]),
        ("See Figure 2 and Section 4.1 for 7 runs overall.", [("7", "runs")]),
        (
            "The correlation was 0.5 overall and 12 hours later 0.75 respectively.",
            [("0.5", ""), ("12", "hours"), ("0.75", "")],
        ),
        ("Uptime in Q3 was 91.2%.", [("91.2", "%")]),
        (
            "The integrated luminosity of ARGUS-7 was 10.2, 14.5, 20.1 and 31.7 in 2021, 2022, "
            "2023 and 2024 respectively (fb^-1).",
            [("10.2", ""), ("14.5", ""), ("20.1", ""), ("31.7", "")],
        ),
        ("The run duration was 2023 hours.", [("2023", "hours")]),
        ("| ARGUS-7 | 2023 | 412 |", [("2023", ""), ("412", "")]),
        ("The stabiliser group over Z_12 x Z_16 uses H3S and CO2.", []),
        ("A value of 1" + "0" * 400 + " is too large to be a float.", []),
    ],
)
def test_values_carry_their_unit_and_skip_references_periods_and_names(sentence, expected):
    assert texts(sentence) == expected


def test_masked_names_lose_their_digits():
    assert texts("Station 12 recorded 45 mm.", mask=["Station 12"]) == [("45", "mm")]


@pytest.mark.parametrize(
    ("sentence", "attribute", "period", "expected"),
    [
        ("ARGUS-7 ran 1,250 hours with a beam energy of 12.5 GeV.", ("beam", "energy"), "", "12.5"),
        ("ARGUS-7 ran 1,250 hours with a beam energy of 12.5 GeV.", ("run",), "", "1250"),
        ("It reached 12.5 GeV of beam energy.", ("beam", "energy"), "", "12.5"),
        (
            "The integrated luminosity of ARGUS-7 was 10.2, 14.5, 20.1 and 31.7 in 2021, 2022, "
            "2023 and 2024 respectively (fb^-1).",
            ("integrated", "luminosity"),
            "2023",
            "20.1",
        ),
        (
            "VEGA Prime recorded a integrated luminosity of 5.5 in 2021, 7.25 in 2022, 9.0 in "
            "2023 and 11.4 in 2024 (fb^-1).",
            ("integrated", "luminosity"),
            "2022",
            "7.25",
        ),
        ("Beam uptime was 80.1% in Q1 and 91.2% in Q3.", ("beam", "uptime"), "Q3", "91.2"),
    ],
)
def test_the_value_nearest_after_the_attribute_phrase_is_picked(
    sentence, attribute, period, expected
):
    value = value_after(sentence, attribute, period=period)
    assert value is not None
    assert value.text == expected


def test_units_are_sentences_table_rows_and_key_value_lines():
    document = read_document(REPORT)
    kinds = {unit.text: unit.kind for unit in document.units}
    assert kinds["Readout channel count: 40,100 channels"] == "key_value"
    assert kinds["| VEGA Prime | 30.2 | 655 | 12.9 |"] == "row"
    assert kinds["2. Methods and data sources"] == "sentence"
    assert "|---|---|---|---|" not in kinds
    assert set(ENTITIES) <= set(document.names)
    assert document.table_names == frozenset(ENTITIES)
    assert split_sentences("Smith et al. found 3. 2. Results follow e.g. here. Next one.") == [
        "Smith et al. found 3.",
        "2. Results follow e.g. here.",
        "Next one.",
    ]


# -- trivial solvers on a planted conflict ---------------------------------------------------


@pytest.mark.parametrize(
    ("question", "first", "last", "unhedged"),
    [
        (BEAM_ARGUS, "10.9", "12.5", "12.5"),  # the hedged statement comes first
        (EFFICIENCY_VEGA, "74.6", "91.0", "74.6"),  # the hedged statement comes last
        (BEAM_VIA_PERSON, "10.9", "12.5", "12.5"),  # through the bridge: Chen Wei → ARGUS-7
        (RUN_ORION, "2010", "2010", ""),  # stated once, hedged: the filter has nothing left
        ("What is the operating temperature of VEGA Prime (in K)?", "4.2", "4.2", "4.2"),
        ("What was the integrated luminosity of ARGUS-7 in 2023?", "20.1", "20.1", "20.1"),
        ("What is the cooling capacity of ARGUS-7?", "", "", ""),  # no statement at all
    ],
)
def test_trivial_solvers_answer_from_the_first_last_and_first_unhedged_statement(
    question, first, last, unhedged
):
    assert answer("first_mention", question) == first
    assert answer("last_mention", question) == last
    assert answer("hedge_filter", question) == unhedged


def test_trivial_solvers_cite_the_statement_they_used():
    first, last = answers("first_mention", BEAM_ARGUS)[0], answers("last_mention", BEAM_ARGUS)[0]
    assert first.citation.startswith("A preliminary estimate put the beam energy of ARGUS-7")
    assert last.citation.startswith("In the final analysis, the beam energy of ARGUS-7")
    assert first.confidence == last.confidence == 0.5  # two statements of one fact
    empty = answers("hedge_filter", RUN_ORION)[0]
    assert empty == BaselineAnswer("", "", 0.0)


def test_hedge_words_match_whole_words_only():
    # "nearly" is not "early"; the only statement is unhedged, so the filter keeps it.
    document = "The beam energy of ARGUS-7 was nearly 12.5 GeV."
    assert answer("hedge_filter", BEAM_ARGUS, document) == "12.5"
    hedged = "An early projection had the beam energy of ARGUS-7 at 12.5 GeV."
    assert answer("hedge_filter", BEAM_ARGUS, hedged) == ""


# -- lexical solver --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What is the operating temperature of ARGUS-7 (in K)?", "412.5"),
        ("What is the run duration of ARGUS-7 (in hours)?", "1250"),
        ("What is the detector type of VEGA Prime?", "silicon tracker"),
        ("What is the detector type of ARGUS-7?", "drift chamber"),
        ("What is the spokesperson of ORION-12?", "Nadia Petrova"),
        ("What is the readout channel count of VEGA Prime?", "40100"),
        ("What is the magnetic field strength of TITAN Lite (in T)?", "11.2"),
        ("What is the peak luminosity of VEGA Prime (in Hz/nb)?", "655"),  # a table cell
        ("What was the integrated luminosity of ARGUS-7 in 2023 (in fb^-1)?", "20.1"),
        ("What was the integrated luminosity of VEGA Prime in 2022?", "7.25"),
        (
            "What is the operating temperature of the experiment whose spokesperson is "
            "Amara Okafor (in K)?",
            "4.2",
        ),
        ("How many experiments does the report cover?", "4"),
    ],
)
def test_lexical_answers_each_question_shape(question, expected):
    result = answers("lexical", question)[0]
    assert result.answer == expected
    assert result.citation
    assert result.citation in REPORT
    assert 0.0 < result.confidence <= 1.0


def test_lexical_answers_which_questions_with_an_entity_name():
    for question in (
        "Which experiment has the highest event rate?",
        "Among experiments whose detector type is drift chamber, which has the lowest event rate?",
    ):
        assert answer("lexical", question) in ENTITIES


def test_lexical_is_graded_right_by_the_strict_verifier():
    from traces.grading import GoldChallenge, GoldQuestion

    questions = [
        ("q01", "What is the readout channel count of VEGA Prime?", "40,100"),
        ("q02", "What is the detector type of VEGA Prime?", "silicon tracker"),
        ("q03", "What is the beam energy of TITAN Lite (in GeV)?", "41.0"),
    ]
    gold = GoldChallenge(
        "c1",
        "physics",
        "synthetic",
        REPORT,
        tuple(GoldQuestion(qid, "direct_extraction", 1, "easy", g) for qid, _, g in questions),
    )
    result = solve("lexical", REPORT, [(qid, text) for qid, text, _ in questions])
    grading = answers_for_grading(result)
    assert all(isinstance(item, ModelAnswer) for item in grading.values())
    grade = grade_challenge(gold, grading, mode="strict")
    assert [v.correct for v in grade.verdicts] == [True, True, True]


def engine_report(words: int = 4000) -> str:
    """An engine-shaped report of about ``words`` words: profiles, a table, series."""
    prefixes = ("ARGUS", "HELIOS", "KESTREL", "NOVA", "ORION", "PULSAR", "QUARTZ", "RAVEN")
    paragraphs = ["Lattice Beamline Programme: Performance of the Experiments", "1. Introduction"]
    paragraphs.append("The campaign brought together many experiments over four years.")
    rows = []
    n = 0
    while sum(len(p.split()) for p in paragraphs) < words - 200:
        name = f"{prefixes[n % len(prefixes)]}-{n + 2}"
        paragraphs.append(
            f"The spokesperson of {name} is Person {chr(65 + n % 26)}. {name} lists drift "
            f"chamber as its detector type (signal efficiency: {50 + n % 40}.5%). The operating "
            f"temperature of {name} was {100 + n}.5 K. For {name}, the run duration came to "
            f"{1000 + 7 * n:,} hours. A preliminary estimate put the vacuum pressure of {name} "
            f"at {n + 3}.1 nPa. {name} recorded a background fraction of {n % 9}.25%.\n"
            f"Key figures for {name}:\nReadout channel count: {10_000 + 37 * n:,} channels\n"
            f"Magnetic field strength: {n % 11}.5 T"
        )
        rows.append(f"| {name} | {n + 1}.5 | {400 + n} | {n + 10}.3 |")
        n += 1
    paragraphs.append("2. Results")
    paragraphs.append(
        "\n".join(
            [
                "Table 1: Beam energy, peak luminosity and event rate by experiment.",
                "| Experiment | Beam energy (GeV) | Peak luminosity (Hz/nb) | Event rate (kHz) |",
                "|---|---|---|---|",
                *rows,
            ]
        )
    )
    return "\n\n".join(paragraphs)


def test_lexical_solves_a_4000_word_document_quickly():
    document = engine_report(4000)
    assert 3800 <= len(document.split()) <= 4400
    questions = [
        ("q01", "What is the operating temperature of NOVA-5 (in K)?"),
        ("q02", "What is the beam energy of RAVEN-9 (in GeV)?"),
        ("q03", "What is the readout channel count of ORION-6?"),
        ("q04", "Which experiment has the highest event rate?"),
        ("q05", "How many experiments took part?"),
        ("q06", "What is the signal efficiency of the experiment whose spokesperson is Person D?"),
        ("q07", "What is the vacuum pressure of ARGUS-2 (in nPa)?"),
        ("q08", "What is the detector type of HELIOS-3?"),
        ("q09", "By how much does the run duration of NOVA-5 exceed that of ARGUS-2?"),
        ("q10", "What is the magnetic field strength of QUARTZ-8 (in T)?"),
    ]
    solve("lexical", document, questions)  # warm caches once, as a long-running worker would
    best = math.inf
    for _ in range(3):
        # CPU time, so that other processes on a shared machine do not count.
        start = time.process_time()
        result = solve("lexical", document, questions)
        best = min(best, time.process_time() - start)
    assert result["q01"].answer == "103.5"
    assert result["q02"].answer == "8.5"
    assert result["q08"].answer == "drift chamber"
    # The target is well under 20 ms; the bound leaves room for a slow, shared CI machine.
    assert best < 0.2, f"lexical took {best * 1000:.1f} ms on a 4,000-word document"


def test_first_and_last_mention_split_every_engine_conflict_between_its_two_values():
    """The validity report relies on this: on a conflict question the two position solvers
    find both statements, so each answers with a different one of the two values."""
    from challenges.engine import DOMAIN_NAMES as domains
    from challenges.engine import generate_challenge as generate
    from traces.grading.jscompat import js_string

    checked = 0
    for domain in domains:
        record = generate(domain, 7).record
        conflicts = {c.conflict_id: c for c in record.conflicts}
        asked = [(q.question_id, q.text) for q in record.questions if q.conflict_id]
        first = solve("first_mention", record.document_text, asked)
        last = solve("last_mention", record.document_text, asked)
        for question in record.questions:
            if not question.conflict_id:
                continue
            conflict = conflicts[question.conflict_id]
            values = {
                float(js_string(conflict.authoritative_value)),
                float(js_string(conflict.conflicting_value)),
            }
            answered = {float(first[question.question_id].answer or "nan")}
            answered.add(float(last[question.question_id].answer or "nan"))
            assert answered == values, (domain, question.text, answered, values)
            checked += 1
    assert checked >= len(domains)


# -- real data -------------------------------------------------------------------------------


def test_lexical_answers_every_question_of_the_real_mini_file_and_stays_weak(mini_path):
    from challenges.dacr_format import load_benchmark
    from evaluation.metrics import compute_metrics, graded_items
    from traces.gold import gold_from_record

    benchmark = load_benchmark(mini_path)
    items = []
    for record in benchmark.challenges:
        ids = [q.question_id for q in record.questions]
        result = solve(
            "lexical", record.document_text, [(q.question_id, q.text) for q in record.questions]
        )
        assert_well_formed(result, ids)
        gold = gold_from_record(record)
        grade = grade_challenge(gold, answers_for_grading(result), mode="strict")
        items.extend(graded_items(gold, grade))
    assert len(items) == sum(len(r.questions) for r in benchmark.challenges) == 100
    accuracy = compute_metrics(items, mode="strict", with_ci=False)["answer_accuracy"]
    # A reader with no model gets some extractions right and nothing that needs reasoning.
    assert 0.0 < accuracy < 0.6
