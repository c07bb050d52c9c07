"""The trace browser's API: the rows with the list's filters and cursor pages, their facets,
the failure groups and the solver comparison. Hostile parameters get a 400, never a 500."""

import pytest

from traces.models import Audit, Verdict
from traces.selectors_browser import cursor_encode

from .browser_data import Browsed, build_browsed

pytestmark = pytest.mark.django_db

ENDPOINTS = [
    "/api/trace-rows/",
    "/api/trace-rows/facets/",
    "/api/failures/",
    "/api/failures/compare/?compare=lexical,first_mention",
]


@pytest.fixture
def browsed(db) -> Browsed:
    return build_browsed()


@pytest.mark.parametrize(
    "query",
    [
        "cursor=%21%21%21",
        "cursor=" + cursor_encode("newest", "sideways", 1, 1),
        "cursor=" + cursor_encode("newest", "next", 1, 1) + "&sort=least_confident",
        "page_size=100000",
        "page_size=0",
        "page_size=abc",
        "category=conflict_resolution' OR '1'='1",
        "hops=-1",
        "sort=id;DROP",
        "mode=lenient",
        "cell=only_a",
        "compare=lexical",
        "compare=" + "x," * 300,
        "suite=abc",
    ],
)
def test_a_hostile_parameter_gets_a_400_with_a_reason(viewer_client, browsed, query):
    response = viewer_client.get(f"/api/trace-rows/?{query}")
    assert response.status_code == 400
    assert response.json()


def test_unknown_names_and_injection_looking_strings_match_nothing(viewer_client, browsed):
    for query in ("solver=' OR 1=1 --", "domain=nowhere", "challenge=%25", "parse_format=x"):
        response = viewer_client.get(f"/api/trace-rows/?{query}")
        assert response.status_code == 200
        assert response.json()["results"] == []


@pytest.mark.parametrize("url", ENDPOINTS)
def test_who_may_call(client, outsider, viewer, browsed, url):
    assert client.get(url).status_code == 401
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(viewer)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("url", ENDPOINTS)
def test_the_api_is_read_only(admin_client_, browsed, url):
    assert admin_client_.post(url, {}).status_code == 405


def test_cursor_pages_walk_every_row_once(viewer_client, browsed):
    seen, url = [], "/api/trace-rows/?page_size=7&outcome=incorrect"
    while url:
        body = viewer_client.get(url).json()
        seen += [row["id"] for row in body["results"]]
        cursor = body["next_cursor"]
        url = f"/api/trace-rows/?page_size=7&outcome=incorrect&cursor={cursor}" if cursor else ""
    expected = Verdict.objects.filter(mode="strict", decision="incorrect").order_by("-id")
    assert seen == list(expected.values_list("pk", flat=True))


def test_a_row_carries_its_effective_decision(viewer_client, annotator, browsed):
    verdict = Verdict.objects.filter(mode="strict", decision="incorrect").order_by("-id").first()
    Audit.objects.create(
        verdict=verdict, annotator=annotator, decision="correct", previous_decision="incorrect"
    )
    row = viewer_client.get("/api/trace-rows/?audited=yes").json()["results"][0]
    assert row["id"] == verdict.pk
    assert row["decision"] == "incorrect"
    assert row["effective_decision"] == "correct"
    assert row["audit_count"] == 1
    assert row["question_id"] == verdict.question.question_id


def test_facets_groups_and_comparison(viewer_client, browsed):
    facets = viewer_client.get("/api/trace-rows/facets/?mode=reference").json()
    assert facets["total"] == Verdict.objects.filter(mode="reference").count()
    assert facets["approximate"] is False
    assert set(facets["counts"]["solver"]) == {"lexical", "first_mention"}
    groups = viewer_client.get("/api/failures/").json()
    assert groups["failed"] == Verdict.objects.filter(mode="strict", decision="incorrect").count()
    assert sum(cell["failed"] for cell in groups["skill_domain"]) == groups["failed"]
    assert {"category", "domain"} == set(groups["skill_domain"][0]["params"])
    comparison = viewer_client.get("/api/failures/compare/?compare=lexical,first_mention").json()
    assert sum(comparison["cells"].values()) == 30
    assert viewer_client.get("/api/failures/compare/").status_code == 400


def test_the_schema_lists_the_browser_endpoints(viewer_client):
    schema = viewer_client.get("/api/schema/?format=json").json()
    for path in ("/api/trace-rows/", "/api/trace-rows/facets/", "/api/failures/"):
        assert path in schema["paths"]
    assert "/api/failures/compare/" in schema["paths"]
