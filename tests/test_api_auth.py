"""Who may call the REST API and how: token or session, a role required, never Basic or
anonymous. Also the OpenAPI schema and its offline docs page."""

import base64
import json
import re

import pytest
import yaml
from rest_framework.authtoken.models import Token

from tests.factories import challenge_dict, import_challenges

ENDPOINTS = [
    "/api/suites/",
    "/api/suites/api-suite/",
    "/api/challenges/",
    "/api/challenges/dacr-auth-0001/",
    "/api/traces/",
    "/api/verdicts/",
    "/api/schema/",
    "/api/docs/",
]
DATA_PATHS = [
    "/api/suites/",
    "/api/suites/{name}/",
    "/api/challenges/",
    "/api/challenges/{public_id}/",
    "/api/traces/",
    "/api/traces/{trace_id}/",
    "/api/verdicts/",
    "/api/verdicts/{verdict_id}/",
]


@pytest.fixture
def content(db):
    import_challenges(challenge_dict("dacr-auth-0001"), suite="api-suite")


def _basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


# --- who gets in --------------------------------------------------------------------------


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_with_a_token_challenge(client, content, url):
    response = client.get(url)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_logged_in_user_without_a_role_gets_403(client, outsider, content, url):
    client.force_login(outsider)

    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", ENDPOINTS)
def test_a_viewer_session_gets_in(viewer_client, content, url):
    assert viewer_client.get(url).status_code == 200


@pytest.mark.parametrize("persona", ["viewer", "annotator", "admin_user"])
def test_every_role_can_read(client, content, request, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get("/api/challenges/").json()["count"] == 1


def test_the_browser_login_form_session_works(client, viewer, content):
    # A real login through the page, not force_login: the cookie the browser would hold.
    login = client.post("/login/", {"username": "victor", "password": "victor-pass-123"})
    assert login.status_code == 302

    assert client.get("/api/suites/").json()["results"][0]["name"] == "api-suite"


def test_basic_auth_with_the_right_password_is_refused(client, viewer, content):
    response = client.get(
        "/api/challenges/", HTTP_AUTHORIZATION=_basic("victor", "victor-pass-123")
    )

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_gets_in(client, viewer, content):
    token = Token.objects.create(user=viewer)

    response = client.get("/api/challenges/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200
    assert [c["public_id"] for c in response.json()["results"]] == ["dacr-auth-0001"]


def test_a_token_of_a_user_without_a_role_gets_403(client, outsider, content):
    token = Token.objects.create(user=outsider)

    response = client.get("/api/challenges/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 403


@pytest.mark.parametrize("header", ["Token not-a-real-key", "Token", "Bearer abc"])
def test_a_bad_or_foreign_token_header_gets_401(client, viewer, content, header):
    Token.objects.create(user=viewer)

    assert client.get("/api/challenges/", HTTP_AUTHORIZATION=header).status_code == 401


def test_a_deactivated_users_token_stops_working(client, viewer, content):
    token = Token.objects.create(user=viewer)
    viewer.is_active = False
    viewer.save(update_fields=["is_active"])

    response = client.get("/api/challenges/", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_is_read_only(admin_client_, content, method):
    response = getattr(admin_client_, method)(
        "/api/challenges/", data={}, content_type="application/json"
    )

    assert response.status_code == 405


# --- schema and docs ----------------------------------------------------------------------


def test_a_viewer_gets_the_openapi_3_schema_in_yaml(viewer_client):
    response = viewer_client.get("/api/schema/")

    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert set(DATA_PATHS) <= set(schema["paths"])
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    assert "basicAuth" not in schema["components"]["securitySchemes"]


def test_the_schema_is_served_as_json_on_request(viewer_client):
    response = viewer_client.get("/api/schema/?format=json")

    assert response.status_code == 200
    schema = json.loads(response.content)
    assert schema["openapi"].startswith("3.")
    assert set(DATA_PATHS) <= set(schema["paths"])
    verdict_params = {p["name"] for p in schema["paths"]["/api/verdicts/"]["get"]["parameters"]}
    assert {
        "trace",
        "mode",
        "decision",
        "match_type",
        "conflict_outcome",
        "question_category",
        "solver",
        "page",
    } <= verdict_params


def test_a_token_client_can_fetch_the_schema(client, viewer):
    token = Token.objects.create(user=viewer)

    response = client.get("/api/schema/?format=json", HTTP_AUTHORIZATION=f"Token {token.key}")

    assert response.status_code == 200


def test_the_docs_page_uses_only_our_own_static_files(viewer_client):
    response = viewer_client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger-ui" in html
    assert "/api/schema/" in html
    assets = re.findall(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    for asset in assets:
        assert not re.match(r"(?:https?:)?//", asset), asset
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
    assert not re.search(r"""(?:src|href)=["'](?:https?:)?//""", html)
    # And those files are really there.
    for asset in assets:
        assert viewer_client.get(asset).status_code == 200, asset
