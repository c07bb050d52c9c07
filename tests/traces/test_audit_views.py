"""The audit pages for every role, with a client that enforces CSRF like a browser."""

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from tests.traces.audit_data import graded_audit_data
from traces.models import Audit, AuditAssignment
from traces.selectors import verdicts_with_effective_decision
from traces.services.audit import audit_assign_double, audit_queue_fill, audit_record

pytestmark = pytest.mark.django_db

PAGES = ["/audit/", "/audit/agreement/"]
WRITES = ["/audit/fill/", "/audit/verdicts/{verdict}/decide/"]


@pytest.fixture
def data():
    return graded_audit_data()


def _csrf_client(user=None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    return client


def _token(client: Client, url: str = "/audit/") -> str:
    html = client.get(url).content.decode()
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def _url(template: str, data) -> str:
    return template.format(verdict=data.confident.pk)


# --- hostile input first --------------------------------------------------------------------


@pytest.mark.parametrize("write", WRITES)
def test_a_post_without_a_csrf_token_is_refused(annotator, data, write):
    client = _csrf_client(annotator)

    response = client.post(_url(write, data), {"decision": "incorrect", "size": "5"})

    assert response.status_code == 403
    assert not Audit.objects.exists()
    assert not AuditAssignment.objects.exists()


@pytest.mark.parametrize("write", WRITES)
def test_a_viewers_post_changes_nothing(viewer, data, write):
    client = _csrf_client(viewer)
    token = _token(client, "/audit/agreement/")

    response = client.post(
        _url(write, data), {"csrfmiddlewaretoken": token, "decision": "incorrect", "size": "5"}
    )

    assert response.status_code == 403
    assert not Audit.objects.exists()
    assert not AuditAssignment.objects.exists()


@pytest.mark.parametrize("write", WRITES)
def test_an_outsiders_post_changes_nothing(outsider, data, write):
    client = _csrf_client()
    client.get("/login/")  # the login form sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    client.force_login(outsider)

    response = client.post(
        _url(write, data), {"csrfmiddlewaretoken": token, "decision": "incorrect", "size": "5"}
    )

    assert response.status_code == 403
    assert not Audit.objects.exists()


@pytest.mark.parametrize("write", WRITES)
def test_an_anonymous_post_is_sent_to_log_in(data, write):
    client = _csrf_client()
    client.get("/login/")
    token = client.cookies["csrftoken"].value

    response = client.post(_url(write, data), {"csrfmiddlewaretoken": token, "size": "5"})

    assert response.status_code == 302
    assert "/login/" in response["Location"]
    assert not AuditAssignment.objects.exists()


@pytest.mark.parametrize("decision", ["", "maybe", "<script>"])
def test_a_bad_decision_is_reported_and_records_nothing(annotator, data, decision):
    client = _csrf_client(annotator)
    token = _token(client)

    response = client.post(
        _url(WRITES[1], data), {"csrfmiddlewaretoken": token, "decision": decision}, follow=True
    )

    assert response.status_code == 200
    assert "Not recorded" in response.content.decode()
    assert "<script>" not in response.content.decode().split("Not recorded")[1][:200]
    assert not Audit.objects.exists()


@pytest.mark.parametrize("size", ["0", "1000", "abc", ""])
def test_a_bad_fill_size_is_reported(annotator, data, size):
    client = _csrf_client(annotator)
    token = _token(client)

    response = client.post(
        "/audit/fill/", {"csrfmiddlewaretoken": token, "size": size}, follow=True
    )

    assert "Queue not filled" in response.content.decode()
    assert not AuditAssignment.objects.exists()


def test_another_annotators_blind_item_is_refused(annotator, admin_user, django_user_model, data):
    bea = django_user_model.objects.create_user(username="bea", password="bea-pass-123")
    bea.groups.add(Group.objects.get(name="annotator"))
    audit_assign_double(verdicts=[data.confident], annotators=[admin_user, bea])
    client = _csrf_client(annotator)
    token = _token(client)

    response = client.post(
        _url(WRITES[1], data), {"csrfmiddlewaretoken": token, "decision": "incorrect"}
    )

    assert response.status_code == 403
    assert not Audit.objects.exists()


def test_a_missing_verdict_is_404(annotator, data):
    client = _csrf_client(annotator)
    token = _token(client)

    response = client.post(
        "/audit/verdicts/999999/decide/", {"csrfmiddlewaretoken": token, "decision": "agree"}
    )

    assert response.status_code == 404


# --- who may read ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES)
def test_an_anonymous_visitor_is_sent_to_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("url", PAGES)
def test_an_outsider_is_refused(client, outsider, url):
    client.force_login(outsider)
    assert client.get(url).status_code == 403


def test_a_viewer_reads_the_agreement_page_but_not_the_queue(viewer_client, data):
    assert viewer_client.get("/audit/").status_code == 403
    response = viewer_client.get("/audit/agreement/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Audit agreement" in html
    assert 'method="post"' not in html.replace('action="/logout/"', "").split("logout-form")[-1]
    assert "Fill my queue" not in html


@pytest.mark.parametrize("persona", ["annotator", "admin_user"])
def test_annotators_and_admins_open_both_pages(client, request, persona, data):
    client.force_login(request.getfixturevalue(persona))
    for url in PAGES:
        assert client.get(url).status_code == 200


# --- the flow -------------------------------------------------------------------------------


def test_an_annotator_fills_the_queue_and_overrides_a_verdict(annotator, data):
    client = _csrf_client(annotator)
    token = _token(client)

    response = client.post("/audit/fill/", {"csrfmiddlewaretoken": token, "size": "3"}, follow=True)
    html = response.content.decode()
    assert "Added 3 item(s)" in html
    # The first item: the disagreement, with both verdicts, the gold and the document.
    assert "What yield did Trial Alpha reach?" in html
    assert "42.5 or 38 percent" in html
    assert "Strict and reference disagree" in html
    assert 'class="audit-mark audit-mark--gold"' in html
    assert 'data-shortcut="i"' in html
    assert "js/audit_keys.js" in html
    assert "<script>" not in html.split("<main")[1].split("</main>")[0]

    first = AuditAssignment.objects.filter(annotator=annotator).order_by("id").first()
    response = client.post(
        f"/audit/verdicts/{first.verdict_id}/decide/",
        {"csrfmiddlewaretoken": token, "decision": "correct", "reason": "hedge is fine here"},
        follow=True,
    )

    assert "Recorded your decision" in response.content.decode()
    audit = Audit.objects.get()
    assert (audit.decision, audit.reason, audit.previous_decision) == (
        "correct",
        "hedge is fine here",
        "incorrect",
    )
    effective = verdicts_with_effective_decision().get(pk=first.verdict_id).effective_decision
    assert effective == "correct"
    assert AuditAssignment.objects.filter(annotator=annotator, audit__isnull=True).count() == 2


def test_the_page_hides_the_other_blind_decision(annotator, admin_user, data):
    audit_assign_double(verdicts=[data.confident], annotators=[annotator, admin_user])
    audit_record(
        verdict=data.confident, annotator=admin_user, decision="incorrect", reason="SECRET-X"
    )
    client = _csrf_client(annotator)

    html = client.get("/audit/").content.decode()

    assert "Blind: another annotator decides this too" in html
    assert "SECRET-X" not in html
    assert "alice" not in html.split("<main")[1]


def test_the_agreement_page_shows_kappa_and_matrices(viewer_client, annotator, data):
    audit_queue_fill(annotator=annotator, size=3)
    audit_record(verdict=data.disagreement, annotator=annotator, decision="agree")
    audit_record(verdict=data.confident, annotator=annotator, decision="incorrect")

    html = viewer_client.get("/audit/agreement/").content.decode()

    assert 'id="confusion-verifier"' in html
    assert 'id="agreement-skill"' in html
    assert 'id="agreement-match-type"' in html
    assert re.search(r'id="count-audits">2<', html)
    reference = viewer_client.get("/audit/agreement/?mode=reference").content.decode()
    assert re.search(r'id="count-audits">0<', reference)


def test_the_trace_page_hides_an_open_blind_decision_from_the_other_annotator(
    annotator, admin_user, data
):
    audit_assign_double(verdicts=[data.confident], annotators=[annotator, admin_user])
    audit_record(
        verdict=data.confident, annotator=admin_user, decision="incorrect", reason="SECRET-Y"
    )
    trace_url = f"/traces/{data.confident.trace_id}/"

    seen_by_other = _csrf_client(annotator).get(trace_url).content.decode()
    seen_by_author = _csrf_client(admin_user).get(trace_url).content.decode()

    assert "SECRET-Y" not in seen_by_other
    assert "SECRET-Y" in seen_by_author
