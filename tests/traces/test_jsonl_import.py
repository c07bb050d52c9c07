"""Bulk trace import as JSON Lines: the reader, the all-or-nothing service, the API and the
``import_traces`` command. Hostile files first."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client

from challenges.models import Challenge
from tests.factories import challenge_dict, import_challenges
from traces.jsonl_import import MAX_PROBLEMS_KEPT, read_traces_jsonl
from traces.models import Solver, Trace, Verdict
from traces.services.bulk_import import TraceImportRefused, traces_import_jsonl

URL = "/api/traces/import/"
GOOD_ANSWERS = {
    "q01": {"answer": "42.5 percent", "citation": "Trial Alpha reached", "confidence": 0.9},
    "q02": {"answer": "12 hours", "citation": "", "confidence": 0.8},
    "q03": {"answer": "5", "citation": None, "confidence": None},
}
RAW_OUTPUT = 'Reasoning first.\n```json\n{"q01": "38", "q02": "12 hours", "q03": "3"}\n```'


def line(**fields) -> dict:
    return {"challengeId": "dacr-j-1", "solver": "model-a", "answers": GOOD_ANSWERS, **fields}


def jsonl(*items) -> bytes:
    return "\n".join(i if isinstance(i, str) else json.dumps(i) for i in items).encode()


def reasons(data: bytes) -> dict[int | None, str]:
    return {p.line: p.reason for p in read_traces_jsonl(data).problems}


# --- the reader, hostile input ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        ("{not json", "not valid JSON"),
        ("[1, 2]", "not a JSON object but an array"),
        ('"just text"', "not a JSON object but a string"),
        (json.dumps({"solver": "m", "answers": {}}), "missing 'challengeId'"),
        (json.dumps({"challengeId": "dacr-j-1", "answers": {}}), "missing 'solver'"),
        (json.dumps(line(model="gpt")), "unknown key 'model' (did you mean 'solver'?)"),
        (json.dumps(line(challengeId=7)), "'challengeId' must be a string, not a number"),
        (json.dumps(line(solver="   ")), "'solver' is empty"),
        (json.dumps(line(solver="x" * 129)), "'solver' is longer than 128 characters"),
        (json.dumps(line(version=1.0)), "'version' must be a string, not a number"),
        (json.dumps(line(output="text")), "either 'output'"),
        (json.dumps({"challengeId": "dacr-j-1", "solver": "m"}), "either 'output'"),
        (json.dumps(line(answers=[1])), "'answers' must be an object"),
        (json.dumps(line(answers={"q01": "42.5"})), "answers['q01'] must be an object"),
        (json.dumps(line(answers={"q01": {"answer": 42.5}})), "answer must be a string or null"),
        (json.dumps(line(answers={"q01": {"answer": "a", "why": 1}})), "unknown key 'why'"),
        (json.dumps(line(answers={"q01": {"confidence": "high"}})), "number in [0, 1] or null"),
        (json.dumps(line(answers={"q01": {"confidence": 1.5}})), "must be in [0, 1]"),
        (json.dumps(line(answers={"q01": {"confidence": True}})), "not a boolean"),
        (
            json.dumps(line(answers={"q01": {"confidence": 0.5}})).replace("0.5", "1e999"),
            "in [0, 1]",
        ),
        (
            '{"challengeId": "dacr-j-1", "solver": "m", "answers": {"q01": {"confidence": NaN}}}',
            "NaN is not a JSON number",
        ),
        (
            '{"challengeId": "dacr-j-1", "solver": "m", "output": "a", "output": "b"}',
            "the key 'output' appears twice",
        ),
        (json.dumps(line(prompt_tokens=-1)), "'prompt_tokens' must be between 0"),
        (json.dumps(line(latency_ms=2.5)), "'latency_ms' must be a whole number"),
        (json.dumps(line(completion_tokens="12")), "must be a whole number, not a string"),
        (json.dumps(line(prompt_tokens=2**40)), "must be between 0"),
        (
            json.dumps({"challengeId": "dacr-j-1", "solver": "m", "output": "a\x00b"}),
            "'output' contains a NUL character",
        ),
        ('{"challengeId": "dacr-j-1", "solver": "m", "output": "\\ud800"}', "unpaired"),
        ("[" * 100_000 + "]" * 100_000, "not"),
        ("1" * 5000, "not"),
    ],
)
def test_each_kind_of_bad_line_is_reported_with_its_number_and_reason(bad, expected):
    good = json.dumps(line())
    problems = reasons(jsonl(good, bad, good))
    assert list(problems) == [2]
    assert expected in problems[2]


def test_every_bad_line_is_reported_not_just_the_first():
    data = jsonl(line(), "{", line(), line(answers=[]), "", line(solver=""))
    read = read_traces_jsonl(data)
    assert [(p.line, str(p).split(":")[0]) for p in read.problems] == [
        (2, "line 2"),
        (4, "line 4"),
        (6, "line 6"),
    ]
    assert read.problem_count == 3
    assert [t.line for t in read.traces] == [1, 3]


def test_binary_garbage_is_refused_line_by_line_without_raising():
    garbage = bytes(range(256)) * 40 + b"\n\xff\xfe\x00\x00junk\n\x89PNG\r\n\x1a\n"
    read = read_traces_jsonl(garbage)
    assert read.problem_count >= 3
    assert not read.traces
    assert any("not UTF-8" in p.reason for p in read.problems)


def test_an_over_long_line_is_refused_without_being_parsed():
    huge = json.dumps(line(output="x" * 5_000_000, answers=None) | {"answers": None})
    read = read_traces_jsonl(jsonl(line(), huge), max_line_bytes=4 * 1024 * 1024)
    assert read.problems[0].line == 2
    assert "bytes long; the limit is" in read.problems[0].reason


@pytest.mark.parametrize("data", [b"", b"\n\n  \r\n\t\n", b"\xef\xbb\xbf"])
def test_an_empty_file_is_a_problem_of_the_whole_file(data):
    read = read_traces_jsonl(data)
    assert [(p.line, str(p)) for p in read.problems] == [
        (None, "the file holds no traces (it is empty or only blank lines)")
    ]


def test_blank_lines_crlf_and_a_leading_bom_are_accepted_and_lines_keep_their_numbers():
    data = b"\xef\xbb\xbf" + jsonl(line()).replace(b"\n", b"") + b"\r\n\r\n   \r\n"
    data += jsonl(line(solver="model-b", prompt_tokens=10, latency_ms=1200.0)) + b"\r\n"
    read = read_traces_jsonl(data)
    assert read.problem_count == 0
    assert [(t.line, t.solver) for t in read.traces] == [(1, "model-a"), (4, "model-b")]
    assert read.traces[1].latency_ms == 1200


def test_a_bom_in_the_middle_of_the_file_is_refused():
    data = jsonl(line()) + b"\n\xef\xbb\xbf" + jsonl(line())
    assert "byte-order mark" in reasons(data)[2]


def test_json_line_separators_inside_strings_do_not_split_a_line():
    item = {"challengeId": "dacr-j-1", "solver": "m", "output": "a\u2028b\x0cc\u0085d"}
    data = json.dumps(item, ensure_ascii=False).encode()
    read = read_traces_jsonl(data)
    assert read.problem_count == 0
    assert read.traces[0].output == "a\u2028b\x0cc\u0085d"


def test_a_million_bad_lines_are_all_counted_but_only_the_first_are_kept():
    read = read_traces_jsonl(b"{\n" * 1_000_000)
    assert read.problem_count == 1_000_000
    assert len(read.problems) == MAX_PROBLEMS_KEPT


# --- the service: all or nothing ---------------------------------------------------------------


@pytest.fixture
def challenges(db):
    import_challenges(challenge_dict("dacr-j-1"), challenge_dict("dacr-j-2"), suite="j")
    return Challenge.objects.filter(public_id__startswith="dacr-j-")


def assert_nothing_written():
    assert Trace.objects.count() == 0
    assert Verdict.objects.count() == 0
    assert Solver.objects.count() == 0


def test_unknown_challenges_versions_and_question_ids_are_reported_by_line(challenges):
    data = jsonl(
        line(),
        line(challengeId="dacr-x"),
        line(version="9.9"),
        line(answers={"q99": {"answer": "a"}}),
        line(challengeId="dacr-j-2", version="1.0"),
        "{",
    )
    with pytest.raises(TraceImportRefused) as refused:
        traces_import_jsonl(data=data, user=None)
    assert [(p.line, p.reason) for p in refused.value.problems] == [
        (2, "unknown challenge 'dacr-x'"),
        (3, "challenge 'dacr-j-1' has no version '9.9' (1.0)"),
        (4, "dacr-j-1 v1.0 has no question 'q99' (it has q01, q02, q03)"),
        (6, "not valid JSON (Expecting property name enclosed in double quotes at column 2)"),
    ]
    message = str(refused.value)
    assert message.startswith("4 problems, nothing was imported: line 2: unknown challenge")
    assert_nothing_written()


def test_a_file_whose_only_bad_line_is_line_1000_writes_nothing(challenges):
    items = [line(solver=f"model-{n % 5}", answers={"q01": {"answer": str(n)}}) for n in range(999)]
    data = jsonl(*items, line(challengeId="dacr-nope"))
    with pytest.raises(TraceImportRefused) as refused:
        traces_import_jsonl(data=data, user=None)
    assert [p.line for p in refused.value.problems] == [1000]
    assert_nothing_written()


def test_the_message_lists_the_first_ten_problems_and_counts_the_rest(challenges):
    data = jsonl(*(["{"] * 25))
    with pytest.raises(TraceImportRefused) as refused:
        traces_import_jsonl(data=data, user=None)
    message = str(refused.value)
    assert message.startswith("25 problems, nothing was imported: line 1:")
    assert "line 10:" in message
    assert "line 11:" not in message
    assert message.endswith("(and 15 more)")
    assert refused.value.problem_count == 25


def test_a_valid_file_is_recorded_and_graded_in_both_modes(challenges):
    data = jsonl(
        line(prompt_tokens=1200, completion_tokens=80, latency_ms=950),
        {"challengeId": "dacr-j-2", "solver": "model-b", "output": RAW_OUTPUT},
    )
    result = traces_import_jsonl(data=data, user=None)
    assert (result.traces_created, result.traces_unchanged, result.graded) == (2, 0, 12)
    by_solver = {t.solver.name: t for t in Trace.objects.select_related("solver")}
    assert by_solver["model-a"].prompt_tokens == 1200
    assert by_solver["model-a"].parse_format == "dacr_predictions"
    assert by_solver["model-b"].answers["q01"]["answer"] == "38"
    assert Solver.objects.get(name="model-b").kind == "imported"
    strict = {
        v.question.question_id: v
        for v in Verdict.objects.filter(trace=by_solver["model-b"], mode="strict")
    }
    assert strict["q01"].decision == "incorrect"
    assert strict["q01"].conflict_outcome == "fell_for_planted"
    assert strict["q02"].decision == "correct"


def test_importing_the_same_file_twice_adds_nothing(challenges):
    data = jsonl(line(), line(challengeId="dacr-j-2"), line())
    first = traces_import_jsonl(data=data, user=None)
    assert (first.traces_created, first.traces_unchanged) == (2, 1)
    again = traces_import_jsonl(data=data, user=None)
    assert (again.traces_created, again.traces_unchanged, again.graded) == (0, 3, 0)
    assert Trace.objects.count() == 2
    assert Verdict.objects.count() == 12


def test_without_a_version_the_published_one_is_used_and_two_drafts_are_ambiguous(challenges):
    import_challenges(challenge_dict("dacr-j-1", version="2.0"), suite="j2")
    Challenge.objects.filter(public_id="dacr-j-1", version="2.0").update(status="draft")
    traces_import_jsonl(data=jsonl(line()), user=None)
    assert Trace.objects.get().challenge.version == "1.0"
    Challenge.objects.filter(public_id="dacr-j-1").update(status="draft")
    with pytest.raises(TraceImportRefused, match=r"has several versions \(1.0, 2.0\); give"):
        traces_import_jsonl(data=jsonl(line(solver="model-z")), user=None)


# --- the command -------------------------------------------------------------------------------


def test_the_command_prints_one_line_per_problem_and_writes_nothing(challenges, tmp_path, capsys):
    path = tmp_path / "traces.jsonl"
    path.write_bytes(jsonl(line(), "{", line(challengeId="dacr-x")))
    with pytest.raises(CommandError, match="2 bad line"):
        call_command("import_traces", str(path))
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith("line 2: not valid JSON")
    assert err[1] == "line 3: unknown challenge 'dacr-x'"
    assert_nothing_written()


def test_the_command_imports_a_valid_file_and_says_what_it_did(challenges, tmp_path, capsys):
    path = tmp_path / "traces.jsonl"
    path.write_bytes(jsonl(line(), line(challengeId="dacr-j-2")))
    call_command("import_traces", str(path))
    assert capsys.readouterr().out.strip() == (
        "2 traces created, 0 already recorded, 12 verdicts written"
    )


# --- the API: roles, CSRF, size, refusal shape -------------------------------------------------


def upload(client, data: bytes, **extra):
    return client.post(URL, {"file": SimpleUploadedFile("t.jsonl", data)}, **extra)


def test_anonymous_gets_401_and_a_viewer_403_and_nothing_is_written(challenges, client, viewer):
    assert upload(client, jsonl(line())).status_code == 401
    client.force_login(viewer)
    assert upload(client, jsonl(line())).status_code == 403
    assert Trace.objects.count() == 0


def test_an_annotator_imports_by_multipart_and_again_gets_200(challenges, annotator_client):
    response = upload(annotator_client, jsonl(line(), line(challengeId="dacr-j-2")))
    assert response.status_code == 201
    assert response.json() == {"traces_created": 2, "traces_unchanged": 0, "graded": 12}
    again = upload(annotator_client, jsonl(line(), line(challengeId="dacr-j-2")))
    assert again.status_code == 200
    assert again.json()["traces_created"] == 0


def test_an_admin_imports_a_raw_ndjson_body(challenges, admin_client_):
    response = admin_client_.post(URL, jsonl(line()), content_type="application/x-ndjson")
    assert response.status_code == 201
    assert Trace.objects.get().source == "api"


def test_bad_lines_come_back_as_a_list_with_numbers_and_reasons(challenges, annotator_client):
    response = upload(annotator_client, jsonl(line(), line(answers=[]), line(challengeId="x")))
    assert response.status_code == 400
    body = response.json()
    assert body["problem_count"] == 2
    assert body["problems"] == [
        {"line": 2, "reason": "'answers' must be an object of question id → answer, not an array"},
        {"line": 3, "reason": "unknown challenge 'x'"},
    ]
    assert body["detail"].startswith("2 problems, nothing was imported: line 2:")
    assert_nothing_written()


def test_an_empty_upload_and_a_missing_file_are_refused(challenges, annotator_client):
    empty = upload(annotator_client, b"")
    assert empty.status_code == 400
    assert empty.json() == {
        "detail": "file: The submitted file is empty.",
        "problem_count": 0,
        "problems": [],
    }
    blank = upload(annotator_client, b"\n\n")
    assert blank.json()["problems"] == [
        {"line": None, "reason": "the file holds no traces (it is empty or only blank lines)"}
    ]
    missing = annotator_client.post(URL, {})
    assert missing.status_code == 400
    assert missing.json()["detail"] == "file: No file was submitted."
    # The test client drops the content type of an empty body; a real client sends it.
    ndjson = "application/x-ndjson"
    raw_empty = annotator_client.post(URL, b"", content_type=ndjson, CONTENT_TYPE=ndjson)
    assert raw_empty.status_code == 400
    assert raw_empty.json()["problem_count"] == 1


def test_a_body_over_the_limit_is_refused_from_its_content_length(
    challenges, annotator_client, settings
):
    settings.DACR_MAX_TRACES_IMPORT_BYTES = 1000
    data = jsonl(*[line(solver=f"m{n}") for n in range(1000)])  # past the multipart slack
    response = annotator_client.post(URL, data, content_type="application/x-ndjson")
    assert response.status_code == 413
    assert "the limit is" in response.json()["detail"]
    assert_nothing_written()


def test_session_authentication_requires_the_csrf_token(challenges, annotator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(annotator)
    refused = upload(client, jsonl(line()))
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert Trace.objects.count() == 0
    token = "a" * 32
    client.cookies["csrftoken"] = token
    accepted = upload(client, jsonl(line()), HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201
