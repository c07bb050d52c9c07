"""Shared fixtures: persona users (admin, annotator, viewer, outsider), the real data set and
a real celery worker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
SHARED_MINI = ROOT.parent / "shared" / "data" / "dacr_bench_v1.0_mini.json"


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


@pytest.fixture(autouse=True)
def _fresh_cache():
    """An empty cache per test: cached counts are keyed on row ids, which a new test database
    hands out again."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def mini_path() -> Path:
    """The real DACR-Bench v1.0 mini file; tests that need it skip on a machine without it."""
    if not SHARED_MINI.exists():
        pytest.skip(f"real data not present: {SHARED_MINI} (only on developer machines and CI)")
    return SHARED_MINI


def _user(django_user_model, name: str, role: str | None):
    user = django_user_model.objects.create_user(username=name, password=f"{name}-pass-123")
    if role:
        # get_or_create: a transactional test before this one may have flushed the groups
        # the migration made.
        user.groups.add(Group.objects.get_or_create(name=role)[0])
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


# --- a real celery worker (tests marked ``worker``) ------------------------------------------


def _database_url() -> str:
    db = connection.settings_dict
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = f"{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}"
    return f"postgres://{user}{password}@{host}/{db['NAME']}"


@pytest.fixture
def worker():
    """A real ``celery worker`` process on the ``default`` and ``gpu`` queues, against the
    configured broker and this test's PostgreSQL database; skips without a broker or on
    SQLite."""
    if not settings.CELERY_BROKER_URL:
        pytest.skip("CELERY_BROKER_URL is not set: no broker for a real worker")
    if connection.vendor != "postgresql":
        pytest.skip("a real worker needs a database another process can open (PostgreSQL)")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dacr_site.settings",
        "DATABASE_URL": _database_url(),
        "DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    log_path = Path(settings.MEDIA_ROOT) / f"celery-worker-{os.getpid()}.log"
    log_file = log_path.open("w")
    # The log goes to a file, not a pipe nobody drains (a full pipe would block the worker).
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "dacr_site",
            "worker",
            "--queues",
            "default,gpu",
            "--concurrency",
            "1",
            "--pool",
            "prefork",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--purge",
            "--loglevel",
            "INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while "ready." not in log_path.read_text() and process.poll() is None:
        if time.monotonic() > deadline:
            break
        time.sleep(0.2)
    if "ready." not in log_path.read_text():
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("celery worker did not start:\n" + log_path.read_text()[-3000:])
    yield process
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
    log_file.close()
