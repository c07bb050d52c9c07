"""Locating statements in a document and cutting it into render segments (pure, no database)."""

import json

import pytest

from challenges import dacr_format as fmt
from challenges.highlight import (
    AUTHORITATIVE,
    SUBORDINATE,
    ConflictStatements,
    DocumentIndex,
    ParagraphBounds,
    Span,
    highlight_document,
    locate,
    segment_paragraphs,
)

DOC = (
    "Trial Alpha reached a yield of 42.5 percent at\nsteady state (Table 2).\n\n"
    "A preliminary estimate put the yield of Trial Alpha at 38 percent.\n\n"
    "EPR’s argument was based on two premises: (1) a criterion for an “element of reality” "
    "and (2) no action-ata-distance."
)


def found(document: str, quote: str, **options) -> tuple[str, str] | None:
    hit = locate(document, quote, **options)
    return (document[hit.start : hit.end], hit.method) if hit else None


# --- locate -------------------------------------------------------------------------------------


def test_an_exact_quote_is_found_as_written():
    quote = "A preliminary estimate put the yield of Trial Alpha at 38 percent."
    assert found(DOC, quote) == (quote, "exact")


def test_a_quote_across_a_line_break_is_found_ignoring_whitespace():
    assert found(DOC, "yield of 42.5 percent at steady   state") == (
        "yield of 42.5 percent at\nsteady state",
        "whitespace",
    )


def test_curly_quotes_and_a_lost_hyphen_are_found_ignoring_punctuation():
    quote = (
        "EPR's argument was based on two premises: (1) a criterion for an 'element of "
        "reality' and (2) no action-at-a-distance."
    )
    text, method = found(DOC, quote)
    assert method == "normalized"
    assert text.startswith("EPR’s argument")
    assert text.endswith("action-ata-distance.")  # the full stop is kept


def test_case_accents_and_ligatures_do_not_matter_when_normalized():
    document = "The ﬁnal CAFÉ measurement gave 10⁶ counts."
    assert found(document, "the final cafe measurement gave 106 counts") == (
        "The ﬁnal CAFÉ measurement gave 10⁶ counts",
        "normalized",
    )


def test_a_lightly_edited_quote_is_found_approximately():
    document = (
        "Introduction. Our results are based on four well-performing CMIP6 models, evaluated "
        "against the ERA5 reanalysis for 1980 to 2014. Other text follows here."
    )
    quote = "results based on four CMIP6 models, evaluated against ERA5 reanalysis 1980 to 2014"
    hit = locate(document, quote)
    assert hit is not None
    assert hit.method == "fuzzy"
    assert hit.score >= 0.8
    located = document[hit.start : hit.end]
    assert located.startswith("results are based on four")
    assert located.endswith("1980 to 2014")


def test_a_near_miss_without_the_quoted_number_is_not_highlighted():
    document = (
        "Overall score (gpt-4.1-mini)\nAblation best (gpt-5-mini)\nRetrieval Agent accuracy\n\n"
        "91.69%\n93.0%\n93.2%"
    )
    assert locate(document, "Ablation best (gpt-5-mini) 93.0%") is None


def test_a_look_alike_with_a_different_value_is_not_the_statement():
    # The planted statement resembles the authoritative one; only its number differs.
    document = "Early on, the yield of Trial Alpha at steady state was put at 38 percent."
    assert locate(document, "the yield of Trial Alpha at steady state was 42.5 percent") is None


def test_an_unrelated_quote_is_not_located():
    assert locate(DOC, "The catalyst degraded after twelve cycles in the reactor") is None


@pytest.mark.parametrize("quote", ["", "   ", "\n\t"])
def test_an_empty_quote_is_not_located(quote):
    assert locate(DOC, quote) is None


def test_an_empty_document_locates_nothing():
    assert locate("", "anything at all") is None


def test_a_quote_longer_than_the_document_is_not_located():
    assert locate("short text", "short text " * 50) is None


def test_a_short_quote_is_only_matched_exactly():
    # "12 h" folded to "12h" would match inside "112 h": short quotes stay exact.
    assert locate("The run took 112 h.", "12-h") is None
    assert found("It ran for 12 h.", "12 h") == ("12 h", "exact")


def test_unicode_text_maps_back_to_the_right_offsets():
    document = "Ωmega 😀 résumé — naïve coöperation at 3 µm, then ß-decay Straße."
    quote = "RESUME naive cooperation at 3 μm then ss decay"
    hit = locate(document, quote)
    assert hit is not None
    assert document[hit.start : hit.end] == "résumé — naïve coöperation at 3 µm, then ß-decay"


def test_among_equal_hits_the_one_outside_the_avoided_span_and_nearest_wins():
    document = "alpha beta gamma. alpha beta gamma. alpha beta gamma."
    first, second, third = 0, 18, 36
    assert locate(document, "alpha beta gamma").start == first
    assert locate(document, "alpha beta gamma", near=40).start == third
    assert locate(document, "alpha beta gamma", avoid=[(0, 17)]).start == second
    # Avoiding every hit still finds one rather than nothing.
    assert locate(document, "alpha beta gamma", avoid=[(0, len(document))]) is not None


def test_an_index_answers_many_lookups_on_one_document():
    index = DocumentIndex(DOC)
    assert index.locate("Trial Alpha reached a yield").method == "exact"
    assert index.locate("trial alpha reached a yield of 42.5").method == "normalized"
    assert index.locate("Trial Alpha reached a yield of 42.5 percent at steady").method == (
        "whitespace"
    )


# --- segments -----------------------------------------------------------------------------------

TEXT = "0123456789\n\nabcdefghij"
PARAGRAPHS = [ParagraphBounds(0, 0, 10, "One"), ParagraphBounds(1, 12, 22, "Two")]


def span(start, end, kind=AUTHORITATIVE, label="t000", key=None):
    return Span(start, end, kind, label, key or f"{label}-{kind}", group=label)


def plain(paragraph):
    return [(s.text, s.kinds) for s in paragraph.segments]


def test_without_spans_each_paragraph_is_one_plain_segment():
    rendered = segment_paragraphs(TEXT, PARAGRAPHS, [])
    assert [plain(p) for p in rendered] == [[("0123456789", ())], [("abcdefghij", ())]]
    assert [p.section for p in rendered] == ["One", "Two"]


def test_overlapping_spans_become_ordered_non_overlapping_segments():
    rendered = segment_paragraphs(TEXT, PARAGRAPHS, [span(2, 6), span(4, 8, SUBORDINATE, "t001")])
    assert plain(rendered[0]) == [
        ("01", ()),
        ("23", (AUTHORITATIVE,)),
        ("45", (AUTHORITATIVE, SUBORDINATE)),
        ("67", (SUBORDINATE,)),
        ("89", ()),
    ]
    segments = rendered[0].segments
    assert [s.key for s in segments[1].opening] == ["t000-authoritative"]
    assert [s.key for s in segments[2].opening] == ["t001-subordinate"]
    assert segments[2].labels == ("t000", "t001")
    assert "".join(s.text for s in segments) == TEXT[0:10]


def test_identical_spans_of_both_kinds_share_one_segment():
    rendered = segment_paragraphs(
        TEXT, PARAGRAPHS, [span(0, 10, SUBORDINATE), span(0, 10, AUTHORITATIVE)]
    )
    assert plain(rendered[0]) == [("0123456789", (AUTHORITATIVE, SUBORDINATE))]
    assert len(rendered[0].segments[0].opening) == 2


def test_a_span_across_a_paragraph_break_is_split_and_labelled_once():
    rendered = segment_paragraphs(TEXT, PARAGRAPHS, [span(8, 15)])
    assert plain(rendered[0])[-1] == ("89", (AUTHORITATIVE,))
    assert plain(rendered[1])[0] == ("abc", (AUTHORITATIVE,))
    assert rendered[0].segments[-1].opening
    assert not rendered[1].segments[0].opening


def test_out_of_range_and_empty_spans_are_clamped_or_dropped():
    rendered = segment_paragraphs(TEXT, PARAGRAPHS, [span(-5, 3), span(20, 99), span(5, 5)])
    assert plain(rendered[0])[0] == ("012", (AUTHORITATIVE,))
    assert plain(rendered[1])[-1] == ("ij", (AUTHORITATIVE,))
    assert all(segment.text for p in rendered for segment in p.segments)


def test_a_document_without_paragraphs_is_one_paragraph():
    rendered = segment_paragraphs("hello world", [], [span(6, 11)])
    assert plain(rendered[0]) == [("hello ", ()), ("world", (AUTHORITATIVE,))]


def test_markup_in_the_text_is_kept_as_text_for_the_template_to_escape():
    text = "<script>alert(1)</script>"
    rendered = segment_paragraphs(text, [ParagraphBounds(0, 0, len(text))], [span(8, 16)])
    assert "".join(s.text for s in rendered[0].segments) == text


# --- end to end ---------------------------------------------------------------------------------


def test_both_statements_of_a_conflict_are_located_and_segmented():
    paragraphs = [
        ParagraphBounds(p.index, p.start, p.end, p.section) for p in fmt.split_paragraphs(DOC)
    ]
    result = highlight_document(
        DOC,
        paragraphs,
        [
            ConflictStatements(
                key="conflict-0",
                label="t000",
                authoritative_quote="Trial Alpha reached a yield of 42.5 percent at steady state",
                subordinate_text=(
                    "A preliminary estimate put the yield of Trial Alpha at 38 percent."
                ),
                authoritative_paragraph=0,
            ),
            ConflictStatements(
                key="conflict-1",
                label="t001",
                authoritative_quote="not in this document at all, nowhere",
                subordinate_text="neither is this planted sentence of some length",
            ),
        ],
    )
    assert result.located(AUTHORITATIVE) == 1
    assert result.located(SUBORDINATE) == 1
    assert result.unlocated == [("t001", AUTHORITATIVE), ("t001", SUBORDINATE)]
    kinds = [s.kinds for p in result.paragraphs for s in p.segments if s.kinds]
    assert kinds == [(AUTHORITATIVE,), (SUBORDINATE,)]


def test_the_authoritative_quote_prefers_a_copy_outside_the_planted_statement():
    document = (
        "Holon Lattice achieves parameters 465, 10, 11 using the technique.\n\n"
        "Holon Lattice achieves parameters 465, 10, 11 using the technique. But it was 12."
    )
    paragraphs = [ParagraphBounds(0, 0, 66), ParagraphBounds(1, 68, len(document))]
    result = highlight_document(
        document,
        paragraphs,
        [
            ConflictStatements(
                "conflict-0",
                "t000",
                "Holon Lattice achieves parameters 465, 10, 11",
                document[68:],
            )
        ],
    )
    assert result.conflicts[0].authoritative.start == 0
    assert result.conflicts[0].subordinate.start == 68


def test_the_real_mini_file_locates_every_subordinate_and_most_authoritative_statements(
    mini_path,
):
    benchmark = fmt.load_benchmark(mini_path)
    counts = {AUTHORITATIVE: 0, SUBORDINATE: 0}
    methods: dict[str, int] = {}
    total = 0
    for challenge in benchmark.challenges:
        facts = {fact.fact_id: fact for fact in challenge.facts}
        paragraphs = [
            ParagraphBounds(p.index, p.start, p.end, p.section)
            for p in fmt.split_paragraphs(challenge.document_text, challenge.facts)
        ]
        result = highlight_document(
            challenge.document_text,
            paragraphs,
            [
                ConflictStatements(
                    key=f"conflict-{n}",
                    label=conflict.conflict_id,
                    authoritative_quote=facts[conflict.target_fact_id].quote,
                    subordinate_text=conflict.subordinate_text,
                    authoritative_paragraph=facts[conflict.target_fact_id].paragraph_index,
                )
                for n, conflict in enumerate(challenge.conflicts)
            ],
        )
        total += len(result.conflicts)
        for kind in counts:
            counts[kind] += result.located(kind)
        for conflict in result.conflicts:
            if conflict.authoritative:
                method = conflict.authoritative.method
                methods[method] = methods.get(method, 0) + 1
        # Segments cover each paragraph exactly: nothing lost, nothing duplicated.
        for paragraph, bounds in zip(result.paragraphs, paragraphs, strict=True):
            rebuilt = "".join(segment.text for segment in paragraph.segments)
            assert rebuilt == challenge.document_text[bounds.start : bounds.end]
    assert total == 17
    assert counts[SUBORDINATE] == 17
    assert counts[AUTHORITATIVE] >= 16, json.dumps(methods)
