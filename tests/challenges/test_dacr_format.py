"""The pure DACR-Bench reader and writer: hostile input first, then the real mini file."""

import json

import pytest

from challenges import dacr_format as fmt
from tests.factories import benchmark_dict, challenge_dict


def parse(data) -> fmt.BenchmarkFile:
    return fmt.parse_benchmark(json.dumps(data))


def error_of(data) -> str:
    with pytest.raises(fmt.DacrFormatError) as caught:
        fmt.parse_benchmark(data if isinstance(data, (str, bytes)) else json.dumps(data))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_it_refuses_malformed_json_with_line_and_column():
    assert "line 1 column" in error_of('{"challenges": [}')


def test_it_says_a_truncated_file_is_truncated():
    text = json.dumps(benchmark_dict())
    assert error_of(text[: len(text) // 2]).startswith("file is truncated")


def test_it_refuses_an_empty_file_and_non_utf8_bytes():
    assert error_of("   ") == "file is empty"
    assert "not UTF-8" in error_of(b"\xff\xfe\x00{")


def test_it_refuses_a_wrong_top_level_shape():
    assert "top level must be an object" in error_of([1, 2])
    assert "no 'challenges' list" in error_of({"name": "x"})
    assert "'challenges' must be a list" in error_of({"challenges": {}})


def test_it_refuses_nan_and_an_unknown_version():
    assert "NaN" in error_of('{"challenges": [], "x": NaN}')
    assert "version '9.0' is not supported" in error_of({"version": "9.0", "challenges": []})


def test_it_names_the_challenge_missing_its_document():
    broken = challenge_dict("dacr-x-1")
    del broken["document"]
    assert error_of(benchmark_dict(broken)) == "challenge dacr-x-1: 'document' is missing"


def test_it_names_the_question_pointing_to_a_missing_trap():
    broken = challenge_dict("dacr-x-2")
    broken["questions"][1]["targetsTrap"] = "t009"
    assert error_of(benchmark_dict(broken)) == (
        "challenge dacr-x-2, question q02: targetsTrap 't009' names no trap of this challenge"
    )


def test_it_refuses_duplicate_challenge_ids_naming_both_positions():
    message = error_of(benchmark_dict(challenge_dict("dup"), challenge_dict("dup")))
    assert message == "challenge dup (version 1.0) appears twice, at positions 1 and 2"


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda c: c["questions"][0].update(category="guessing"), "unknown category 'guessing'"),
        (lambda c: c["questions"][0].update(hops=0), "hops must be a positive integer"),
        (lambda c: c["questions"][0].update(difficulty="extreme"), "difficulty must be one of"),
        (lambda c: c["questions"][1].update(questionId="q01"), "questionId appears twice"),
        (lambda c: c["traps"][0].update(targetFactId="f999"), "names no fact of this challenge"),
        (lambda c: c["source"].update(type="oracle"), "source.type must be"),
        (lambda c: c["source"].update(seed="12ab"), "is not a decimal integer"),
        (lambda c: c.update(split="imaginary"), "split must be 'real' or 'synthetic'"),
        (lambda c: c["document"].update(text="  "), "document.text is missing or empty"),
        (lambda c: c.update(questions=[]), "has no questions"),
        (lambda c: c["facts"][0].pop("value"), "'value' is missing"),
        (lambda c: c["questions"][0].update(goldAnswerAliases="42"), "must be a list of strings"),
    ],
)
def test_it_names_the_field_at_fault(mutate, expected):
    broken = challenge_dict("dacr-bad")
    mutate(broken)
    message = error_of(benchmark_dict(broken))
    assert expected in message
    assert "dacr-bad" in message


def test_category_aliases_map_to_conflict_resolution():
    record = challenge_dict()
    record["questions"][0]["category"] = "conflict_targeted"
    question = parse(benchmark_dict(record)).challenges[0].questions[0]
    assert question.category == "conflict_resolution"
    assert question.source_category == "conflict_targeted"


def test_v10_split_comes_from_the_source_and_v11_split_is_read():
    engine = challenge_dict("e1", source={"type": "engine", "domain": "physics", "seed": "7"})
    assert parse(benchmark_dict(engine)).challenges[0].split == "synthetic"
    assert parse(benchmark_dict(challenge_dict("d1"))).challenges[0].split == "real"
    declared = challenge_dict("d2", split="synthetic")
    assert parse(benchmark_dict(declared, version="1.1")).challenges[0].split == "synthetic"


def test_a_twenty_digit_seed_survives_exactly_even_as_a_json_number():
    seed = "315162854152001501857296811462525977818"
    challenge = json.dumps(
        challenge_dict("e2", source={"type": "engine", "domain": "physics", "seed": 0})
    ).replace('"seed": 0', f'"seed": {seed}')
    as_number = f'{{"challenges": [{challenge}]}}'
    record = fmt.parse_benchmark(as_number).challenges[0]
    assert record.engine_seed == seed
    assert fmt.challenge_to_dict(record)["source"]["seed"] == seed


def test_unknown_keys_are_carried_through_export():
    record = challenge_dict("x-extra", reviewer="kim")
    record["facts"][0]["confidence"] = 0.5
    record["facts"][0]["location"]["page"] = 3
    record["questions"][0]["notes"] = ["n"]
    record["traps"][0]["trapLocation"]["cue"] = "preliminary"
    data = benchmark_dict(record)
    data["license"] = "CC-BY"
    written = fmt.benchmark_to_dict(parse(data), version="1.0")
    assert written["challenges"][0] == record
    assert written["license"] == "CC-BY"


def test_progress_is_reported_per_challenge():
    seen = []
    data = benchmark_dict(challenge_dict("a"), challenge_dict("b"))
    fmt.parse_benchmark(json.dumps(data), progress=lambda done, total: seen.append((done, total)))
    assert seen == [(1, 2), (2, 2)]


def test_the_size_limit_is_checked_before_reading(tmp_path):
    path = tmp_path / "big.json"
    path.write_bytes(b" " * 2_000_001)
    with pytest.raises(fmt.DacrFormatError, match=r"big.json is 2.0 MB; the limit is 1.0 MB"):
        fmt.load_benchmark(path, max_bytes=1_000_000)


def test_the_real_mini_file_reads_and_writes_back_identically(mini_path):
    original = json.loads(mini_path.read_text(encoding="utf-8"))
    benchmark = fmt.parse_benchmark(mini_path.read_bytes())
    assert len(benchmark.challenges) == 10
    assert sum(len(c.questions) for c in benchmark.challenges) == 100
    assert sum(len(c.conflicts) for c in benchmark.challenges) == 17
    written = fmt.benchmark_to_dict(benchmark, version="1.0")
    assert written["challenges"] == original["challenges"]
    assert fmt.parse_benchmark(fmt.dump_benchmark(benchmark)).challenges == benchmark.challenges


def test_paragraphs_follow_blank_lines_and_inherit_sections():
    facts = (fmt.FactRecord("f1", "e", "a", 1, "numerical", section="Results", paragraph_index=1),)
    paragraphs = fmt.split_paragraphs("Title\n\nOne.\n\nTwo.", facts)
    assert [(p.index, p.section) for p in paragraphs] == [(0, ""), (1, "Results"), (2, "Results")]
    assert "Title\n\nOne.\n\nTwo."[paragraphs[2].start : paragraphs[2].end] == "Two."
