"""Shared fixtures: persona users (admin, annotator, viewer, outsider) and the real data set."""

from pathlib import Path

import pytest
from django.contrib.auth.models import Group

SHARED_MINI = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "dacr_bench_v1.0_mini.json"
)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(request):
    """Tasks run in-process in every test, even when CELERY_BROKER_URL is set; only tests
    marked ``worker`` send them through the broker to a real worker process."""
    from dacr_site.celery import app

    previous = (app.conf.task_always_eager, app.conf.task_eager_propagates)
    app.conf.task_always_eager = request.node.get_closest_marker("worker") is None
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous


@pytest.fixture
def mini_path() -> Path:
    """The real DACR-Bench v1.0 mini file; tests that need it skip on a machine without it."""
    if not SHARED_MINI.exists():
        pytest.skip(f"real data not present: {SHARED_MINI} (only on developer machines and CI)")
    return SHARED_MINI


def _user(django_user_model, name: str, role: str | None):
    user = django_user_model.objects.create_user(username=name, password=f"{name}-pass-123")
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin_user(db, django_user_model):
    return _user(django_user_model, "alice", "admin")


@pytest.fixture
def annotator(db, django_user_model):
    return _user(django_user_model, "anna", "annotator")


@pytest.fixture
def viewer(db, django_user_model):
    return _user(django_user_model, "victor", "viewer")


@pytest.fixture
def outsider(db, django_user_model):
    """Logged in but holding no role: sees nothing."""
    return _user(django_user_model, "oscar", None)


@pytest.fixture
def viewer_client(client, viewer):
    client.force_login(viewer)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def annotator_client(client, annotator):
    client.force_login(annotator)
    return client
