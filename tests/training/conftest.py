"""Fixtures of the training app's database tests: the tiny checkpoint (built once), graded
suites to learn from and to evaluate on, and helpers that run a job's task in-process when
its transaction commits."""

from __future__ import annotations

import pytest

from tests.tiny_model import build_tiny_model
from tests.training.support import EVAL_IDS, TRAIN_IDS, graded_suite
from training.models import TrainingDataset, TrainingRun
from training.services import dataset_create, training_run_create


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Each test writes its datasets and runs under its own media root, so a test sees only
    the files it wrote (outside ``tmp_path``, which some tests list)."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory):
    return build_tiny_model(tmp_path_factory.mktemp("tiny-model") / "model")


@pytest.fixture
def train_suite(db):
    """Three chemistry challenges with the lexical baseline's graded traces (q02 and q03
    right, q01 fell for the planted value)."""
    return graded_suite("train-suite", TRAIN_IDS, domain="chemistry")


@pytest.fixture
def eval_suite(db):
    """Two physics challenges, kept apart from the training suite."""
    return graded_suite("eval-suite", EVAL_IDS, domain="physics")


@pytest.fixture
def build_now(django_capture_on_commit_callbacks):
    """Create a dataset and run its build in-process when the transaction commits."""

    def build(**kwargs) -> TrainingDataset:
        with django_capture_on_commit_callbacks(execute=True):
            dataset = dataset_create(**kwargs)
        dataset.refresh_from_db()
        return dataset

    return build


@pytest.fixture
def train_now(django_capture_on_commit_callbacks):
    """Create a training run and run its task in-process when the transaction commits."""

    def start(**kwargs) -> TrainingRun:
        with django_capture_on_commit_callbacks(execute=True):
            run = training_run_create(**kwargs)
        run.refresh_from_db()
        return run

    return start
