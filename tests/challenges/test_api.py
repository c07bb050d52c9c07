"""The suites and challenges REST API, as a client sees it."""

import copy

import pytest

from challenges.models import Challenge
from challenges.services import challenge_retire
from tests.factories import challenge_dict, import_challenges

ENGINE_SOURCE = {
    "type": "engine",
    "domain": "physics",
    "seed": "18446744073709551617",
    "engineVersion": "2.1",
}


def _engine_challenge(challenge_id: str) -> dict:
    record = challenge_dict(challenge_id, source=dict(ENGINE_SOURCE))
    record["document"] = {**record["document"], "domain": "physics"}
    return record


def _extraction_only(challenge_id: str) -> dict:
    """A challenge with no conflict and only direct-extraction questions."""
    record = challenge_dict(challenge_id)
    record["traps"] = []
    record["questions"] = [q for q in record["questions"] if q["category"] == "direct_extraction"]
    return record


@pytest.fixture
def catalogue(db):
    """Suite "alpha": a real chemistry challenge, a synthetic physics one and a real one
    without conflicts, in that order; suite "beta": the synthetic one alone."""
    import_challenges(
        challenge_dict("dacr-real-0002"),
        _engine_challenge("dacr-syn-0001"),
        _extraction_only("dacr-real-0001"),
        suite="alpha",
    )
    import_challenges(_engine_challenge("dacr-syn-0001"), suite="beta")


def _ids(response) -> list[str]:
    return [item["public_id"] for item in response.json()["results"]]


# --- suites -------------------------------------------------------------------------------


def test_suite_list_gives_counts_per_suite(viewer_client, catalogue):
    response = viewer_client.get("/api/suites/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    alpha, beta = body["results"]
    assert alpha == {
        "name": "alpha",
        "description": "A suite made by the tests",
        "challenge_count": 3,
        "question_count": 3 + 3 + 2,
        "frozen_at": None,
    }
    assert (beta["name"], beta["challenge_count"], beta["question_count"]) == ("beta", 1, 3)


def test_suite_detail_lists_its_challenges_in_suite_order(viewer_client, catalogue):
    response = viewer_client.get("/api/suites/alpha/")

    assert response.status_code == 200
    body = response.json()
    assert body["challenge_count"] == 3
    assert body["challenges"] == [
        {"position": 1, "public_id": "dacr-real-0002", "version": "1.0"},
        {"position": 2, "public_id": "dacr-syn-0001", "version": "1.0"},
        {"position": 3, "public_id": "dacr-real-0001", "version": "1.0"},
    ]


def test_an_unknown_suite_is_404(viewer_client, catalogue):
    assert viewer_client.get("/api/suites/gamma/").status_code == 404


# --- challenge list -----------------------------------------------------------------------


def test_challenge_list_items_are_compact(viewer_client, catalogue):
    response = viewer_client.get("/api/challenges/")

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    assert _ids(response) == ["dacr-real-0001", "dacr-real-0002", "dacr-syn-0001"]
    synthetic = body["results"][2]
    challenge = Challenge.objects.get(public_id="dacr-syn-0001")
    assert synthetic == {
        "public_id": "dacr-syn-0001",
        "version": "1.0",
        "split": "synthetic",
        "domain": "physics",
        "source": {
            "type": "engine",
            "document_id": "",
            "engine_domain": "physics",
            "engine_seed": "18446744073709551617",
            "engine_version": "2.1",
        },
        "status": "published",
        "word_count": challenge.word_count,
        "question_count": 3,
        "conflict_count": 1,
        "content_hash": challenge.content_hash,
    }
    assert body["results"][0]["conflict_count"] == 0
    assert body["results"][0]["source"]["type"] == "document"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("suite=beta", ["dacr-syn-0001"]),
        ("suite=alpha", ["dacr-real-0002", "dacr-syn-0001", "dacr-real-0001"]),
        ("split=real", ["dacr-real-0001", "dacr-real-0002"]),
        ("split=synthetic", ["dacr-syn-0001"]),
        ("domain=chemistry", ["dacr-real-0001", "dacr-real-0002"]),
        ("domain=physics", ["dacr-syn-0001"]),
        ("domain=economics", []),
        ("category=conflict_resolution", ["dacr-real-0002", "dacr-syn-0001"]),
        ("category=direct_extraction", ["dacr-real-0001", "dacr-real-0002", "dacr-syn-0001"]),
        ("category=computation", []),
        ("status=published", ["dacr-real-0001", "dacr-real-0002", "dacr-syn-0001"]),
        ("status=retired", ["dacr-real-0002"]),
        ("suite=alpha&split=real&category=conflict_resolution", ["dacr-real-0002"]),
    ],
)
def test_challenge_filters_narrow_the_list(viewer_client, catalogue, query, expected):
    if "status" in query:
        challenge_retire(challenge=Challenge.objects.get(public_id="dacr-real-0002"))
        if query == "status=published":
            expected = [e for e in expected if e != "dacr-real-0002"]

    response = viewer_client.get(f"/api/challenges/?{query}")

    assert response.status_code == 200
    assert _ids(response) == expected
    assert response.json()["count"] == len(expected)


@pytest.mark.parametrize("query", ["split=fictional", "status=archived", "category=trivia"])
def test_an_unknown_filter_value_is_400_naming_the_parameter(viewer_client, catalogue, query):
    response = viewer_client.get(f"/api/challenges/?{query}")

    assert response.status_code == 400
    assert query.split("=")[0] in response.json()


def test_challenge_list_paginates_with_links(viewer_client, catalogue):
    first = viewer_client.get("/api/challenges/?page_size=2")
    body = first.json()
    assert body["count"] == 3
    assert _ids(first) == ["dacr-real-0001", "dacr-real-0002"]
    assert body["previous"] is None
    assert body["next"].endswith("/api/challenges/?page=2&page_size=2")

    second = viewer_client.get(body["next"])
    assert _ids(second) == ["dacr-syn-0001"]
    assert second.json()["next"] is None
    assert second.json()["previous"] is not None

    assert viewer_client.get("/api/challenges/?page=9").status_code == 404


def test_challenge_list_pages_hold_fifty_by_default(viewer_client, db):
    import_challenges(*(challenge_dict(f"dacr-bulk-{n:04d}") for n in range(51)), suite="bulk")

    first = viewer_client.get("/api/challenges/").json()

    assert (first["count"], len(first["results"])) == (51, 50)
    assert len(viewer_client.get(first["next"]).json()["results"]) == 1


def test_challenge_list_query_count_does_not_grow_with_the_page(
    viewer_client, db, django_assert_max_num_queries
):
    import_challenges(*(challenge_dict(f"dacr-bulk-{n:04d}") for n in range(30)), suite="bulk")

    # session, user, groups (role), count, page
    with django_assert_max_num_queries(5):
        response = viewer_client.get("/api/challenges/?category=conflict_resolution")

    assert len(response.json()["results"]) == 30


# --- challenge detail ---------------------------------------------------------------------


def test_challenge_detail_gives_the_whole_challenge(viewer_client, catalogue):
    response = viewer_client.get("/api/challenges/dacr-real-0002/")

    assert response.status_code == 200
    body = response.json()
    source = challenge_dict("dacr-real-0002")
    assert body["document_text"] == source["document"]["text"]
    assert body["sections"] == ["Results"]
    assert body["split"] == "real"
    assert body["source"]["document_id"] == "test.txt"
    assert body["content_hash"] == Challenge.objects.get(public_id="dacr-real-0002").content_hash

    for paragraph in body["paragraphs"]:
        assert paragraph["text"] == body["document_text"][paragraph["start"] : paragraph["end"]]
    assert any("preliminary estimate" in p["text"] for p in body["paragraphs"])

    assert [f["fact_id"] for f in body["facts"]] == ["f001", "f002"]
    assert body["facts"][0]["value"] == 42.5
    assert body["facts"][0]["quote"].startswith("Trial Alpha reached a yield")

    (conflict,) = body["conflicts"]
    assert conflict["conflict_id"] == "t000"
    assert conflict["target_fact_id"] == "f001"
    assert (conflict["authoritative_value"], conflict["conflicting_value"]) == (42.5, 38)
    assert conflict["subordinate_text"].startswith("A preliminary estimate")
    assert conflict["subordinate_position"] == "after"

    q01, q02, q03 = body["questions"]
    assert q01 == {
        "question_id": "q01",
        "text": "What yield did Trial Alpha reach?",
        "category": "conflict_resolution",
        "hops": 1,
        "difficulty": "medium",
        "gold_answer": "42.5 percent",
        "aliases": ["42.5%", "42.5"],
        "reasoning_chain": [{"step": 1, "action": "lookup", "factId": "f001", "result": "42.5"}],
        "conflict_id": "t000",
    }
    assert (q02["conflict_id"], q03["category"], q03["aliases"]) == (
        None,
        "direct_extraction",
        ["three"],
    )


def _versioned(version: str, gold: str) -> dict:
    record = copy.deepcopy(challenge_dict("dacr-versioned", version=version))
    record["questions"][1]["goldAnswer"] = gold
    return record


def test_challenge_detail_defaults_to_the_latest_version(viewer_client, db):
    # Numeric order, not string order: 1.10 is later than 1.9.
    import_challenges(_versioned("1.9", "twelve hours"), suite="old")
    import_challenges(_versioned("1.10", "12 h"), suite="new")
    import_challenges(_versioned("1.2", "12 hours"), suite="older")

    latest = viewer_client.get("/api/challenges/dacr-versioned/").json()
    pinned = viewer_client.get("/api/challenges/dacr-versioned/?version=1.9").json()

    assert (latest["version"], latest["questions"][1]["gold_answer"]) == ("1.10", "12 h")
    assert (pinned["version"], pinned["questions"][1]["gold_answer"]) == ("1.9", "twelve hours")
    listed = viewer_client.get("/api/challenges/").json()["results"]
    assert [(c["public_id"], c["version"]) for c in listed] == [
        ("dacr-versioned", "1.10"),
        ("dacr-versioned", "1.2"),
        ("dacr-versioned", "1.9"),
    ]


@pytest.mark.parametrize(
    "url", ["/api/challenges/dacr-nope/", "/api/challenges/dacr-real-0001/?version=7.0"]
)
def test_an_unknown_challenge_or_version_is_404(viewer_client, catalogue, url):
    assert viewer_client.get(url).status_code == 404


def test_challenge_detail_is_a_handful_of_queries(
    viewer_client, catalogue, django_assert_max_num_queries
):
    # session, user, groups, versions, challenge, facts, conflicts, questions
    with django_assert_max_num_queries(8):
        response = viewer_client.get("/api/challenges/dacr-real-0002/")
    assert response.status_code == 200


def test_an_empty_filter_parameter_means_any(viewer_client, catalogue):
    response = viewer_client.get("/api/challenges/?split=&domain=&suite=&category=")

    assert response.status_code == 200
    assert response.json()["count"] == 3


def test_a_suite_name_with_spaces_and_a_slash_is_reachable(viewer_client, db):
    import_challenges(challenge_dict("dacr-named-0001"), suite="DACR-Bench mini/v1.0")

    response = viewer_client.get("/api/suites/DACR-Bench%20mini/v1.0/")

    assert response.status_code == 200
    assert response.json()["name"] == "DACR-Bench mini/v1.0"
    filtered = viewer_client.get("/api/challenges/", {"suite": "DACR-Bench mini/v1.0"})
    assert _ids(filtered) == ["dacr-named-0001"]


# --- drafts -------------------------------------------------------------------------------


def _make_draft(public_id: str, version: str = "1.0") -> None:
    # No service turns a published challenge back into a draft; the engine and the paper
    # builder will create drafts directly. Set the state the API has to cope with.
    Challenge.objects.filter(public_id=public_id, version=version).update(status="draft")


def test_drafts_are_hidden_from_viewers(viewer_client, catalogue):
    _make_draft("dacr-real-0002")

    assert _ids(viewer_client.get("/api/challenges/")) == ["dacr-real-0001", "dacr-syn-0001"]
    assert _ids(viewer_client.get("/api/challenges/?status=draft")) == []
    assert viewer_client.get("/api/challenges/dacr-real-0002/").status_code == 404
    alpha = viewer_client.get("/api/suites/alpha/").json()
    assert (alpha["challenge_count"], alpha["question_count"]) == (2, 5)
    assert [c["public_id"] for c in alpha["challenges"]] == ["dacr-syn-0001", "dacr-real-0001"]


def test_annotators_see_drafts(annotator_client, catalogue):
    _make_draft("dacr-real-0002")

    assert _ids(annotator_client.get("/api/challenges/?status=draft")) == ["dacr-real-0002"]
    assert annotator_client.get("/api/challenges/dacr-real-0002/").json()["status"] == "draft"
    alpha = annotator_client.get("/api/suites/").json()["results"][0]
    assert (alpha["challenge_count"], alpha["question_count"]) == (3, 8)


def test_a_viewers_latest_version_is_the_latest_they_may_read(client, viewer, annotator, db):
    import_challenges(_versioned("1.0", "12 hours"), suite="v1")
    import_challenges(_versioned("2.0", "12 h"), suite="v2")
    _make_draft("dacr-versioned", "2.0")

    client.force_login(viewer)
    assert client.get("/api/challenges/dacr-versioned/").json()["version"] == "1.0"
    assert client.get("/api/challenges/dacr-versioned/?version=2.0").status_code == 404
    client.force_login(annotator)
    assert client.get("/api/challenges/dacr-versioned/").json()["version"] == "2.0"
