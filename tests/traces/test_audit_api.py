"""The audit API: append-only audits, an annotator's queue, agreement; every role."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.traces.audit_data import graded_audit_data
from traces.models import Audit, AuditAssignment
from traces.services.audit import audit_assign_double, audit_queue_fill, audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def data():
    return graded_audit_data()


def _api(user=None, *, csrf: bool = False) -> APIClient:
    client = APIClient(enforce_csrf_checks=csrf)
    if user is not None:
        client.credentials(
            HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}"
        )
    return client


@pytest.fixture
def audit(annotator, data):
    return audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"decision": "maybe"}, "decision:"),
        ({"decision": ""}, "decision:"),
        ({}, "decision:"),
        ({"decision": "agree", "verdict": "x"}, "verdict:"),
        ({"decision": "agree", "verdict": 999999}, "verdict: no verdict 999999"),
        ({"decision": "agree", "reason": "x" * 2001}, "reason:"),
    ],
)
def test_a_bad_audit_is_refused_with_one_line(annotator, data, body, message):
    body = {"verdict": data.confident.pk, **body}
    response = _api(annotator).post("/api/audits/", body, format="json")

    assert response.status_code == 400
    assert response.json()["detail"].startswith(message)
    assert not Audit.objects.exists()


def test_a_viewers_post_changes_nothing(viewer, data):
    response = _api(viewer).post(
        "/api/audits/", {"verdict": data.confident.pk, "decision": "incorrect"}, format="json"
    )
    assert response.status_code == 403
    assert not Audit.objects.exists()


def test_an_outsider_and_an_anonymous_caller_cannot_post(outsider, data):
    body = {"verdict": data.confident.pk, "decision": "incorrect"}
    assert _api(outsider).post("/api/audits/", body, format="json").status_code == 403
    assert _api().post("/api/audits/", body, format="json").status_code == 401
    assert not Audit.objects.exists()


def test_a_session_post_without_csrf_is_refused(annotator, data):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(annotator)

    response = client.post(
        "/api/audits/", {"verdict": data.confident.pk, "decision": "agree"}, format="json"
    )

    assert response.status_code == 403
    assert not Audit.objects.exists()


def test_another_annotators_blind_item_is_refused(annotator, admin_user, django_user_model, data):
    bea = django_user_model.objects.create_user(username="bea", password="bea-pass-123")
    bea.groups.add(Group.objects.get(name="annotator"))
    audit_assign_double(verdicts=[data.confident], annotators=[admin_user, bea])

    response = _api(annotator).post(
        "/api/audits/", {"verdict": data.confident.pk, "decision": "agree"}, format="json"
    )

    assert response.status_code == 403
    assert "blind" in response.json()["detail"]
    assert not Audit.objects.exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
@pytest.mark.parametrize("persona", ["annotator", "admin_user"])
def test_audits_cannot_be_edited_or_deleted_through_the_api(request, persona, audit, method):
    client = _api(request.getfixturevalue(persona))
    body = {"verdict": audit.verdict_id, "decision": "correct"}

    for url in ("/api/audits/", f"/api/audits/{audit.pk}/"):
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == 405, url

    stored = Audit.objects.get()
    assert (stored.pk, stored.decision) == (audit.pk, "incorrect")


@pytest.mark.parametrize("url", ["/api/audit/queue/"])
def test_a_viewer_has_no_queue(viewer, url):
    assert _api(viewer).get(url).status_code == 403


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/api/audits/", "/api/audit/agreement/", "/api/audit/queue/"])
def test_anonymous_gets_401_and_an_outsider_403(outsider, data, url):
    assert _api().get(url).status_code == 401
    assert _api(outsider).get(url).status_code == 403


def test_a_viewer_lists_the_audits_of_a_verdict(viewer, audit, data):
    response = _api(viewer).get(f"/api/audits/?verdict={data.confident.pk}")

    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert row == {
        "id": audit.pk,
        "verdict": data.confident.pk,
        "annotator": "anna",
        "decision": "incorrect",
        "reason": "",
        "previous_decision": "correct",
        "created_at": row["created_at"],
    }
    assert _api(viewer).get(f"/api/audits/?verdict={data.disagreement.pk}").json()["count"] == 0
    assert _api(viewer).get(f"/api/audits/{audit.pk}/").json()["decision"] == "incorrect"
    assert _api(viewer).get("/api/audits/?verdict=abc").status_code == 400


def test_an_annotator_creates_an_audit_and_reads_their_queue(annotator, data):
    audit_queue_fill(annotator=annotator, size=3)
    client = _api(annotator)

    queue = client.get("/api/audit/queue/").json()
    assert queue["count"] == 3
    first = queue["results"][0]
    assert (first["verdict"], first["kind"], first["mode"]) == (
        data.disagreement.pk,
        "disagreement",
        "strict",
    )

    response = client.post(
        "/api/audits/",
        {"verdict": first["verdict"], "decision": "correct", "reason": "hedge accepted"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert response["Location"] == f"/api/audits/{body['id']}/"
    assert (body["decision"], body["previous_decision"], body["reason"]) == (
        "correct",
        "incorrect",
        "hedge accepted",
    )
    assert client.get("/api/audit/queue/").json()["count"] == 2
    assert AuditAssignment.objects.get(verdict_id=first["verdict"]).audit_id == body["id"]
    verdict = client.get(f"/api/verdicts/{first['verdict']}/").json()
    assert verdict["effective_decision"] == "correct"


def test_a_blind_decision_is_hidden_from_the_other_annotator_and_viewers(
    annotator, admin_user, viewer, data
):
    audit_assign_double(verdicts=[data.confident], annotators=[annotator, admin_user])
    audit_record(verdict=data.confident, annotator=admin_user, decision="incorrect")
    url = f"/api/audits/?verdict={data.confident.pk}"

    assert _api(annotator).get(url).json()["count"] == 0
    assert _api(viewer).get(url).json()["count"] == 0
    assert _api(admin_user).get(url).json()["count"] == 1

    _api(annotator).post(
        "/api/audits/", {"verdict": data.confident.pk, "decision": "agree"}, format="json"
    )
    assert _api(viewer).get(url).json()["count"] == 2


def test_the_agreement_report(viewer, annotator, data):
    audit_record(verdict=data.disagreement, annotator=annotator, decision="agree")
    audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")
    audit_record(verdict=data.low_confidence, annotator=annotator, decision="gold_wrong")

    response = _api(viewer).get("/api/audit/agreement/")

    assert response.status_code == 200
    report = response.json()
    assert (report["mode"], report["audits"], report["audited_items"]) == ("strict", 3, 3)
    overall = report["overall"]
    assert overall["verifier"]["labels"] == ["correct", "incorrect"]
    # verifier correct → annotator incorrect once; verifier incorrect → incorrect once.
    assert overall["verifier"]["matrix"] == [[0, 1], [0, 1]]
    assert overall["accuracy"]["gold_wrong"] == 1
    assert overall["accuracy"]["precision"] == 0.0
    assert overall["accuracy"]["recall"] is None
    assert overall["annotators"]["kappa"] is None
    assert _api(viewer).get("/api/audit/agreement/?mode=nope").status_code == 400


def test_the_schema_lists_the_audit_endpoints_and_no_writes_but_create(viewer_client):
    schema = viewer_client.get("/api/schema/?format=json").json()

    assert set(schema["paths"]["/api/audits/"]) == {"get", "post"}
    assert set(schema["paths"]["/api/audits/{audit_id}/"]) == {"get"}
    assert set(schema["paths"]["/api/audit/queue/"]) == {"get"}
    assert set(schema["paths"]["/api/audit/agreement/"]) == {"get"}
