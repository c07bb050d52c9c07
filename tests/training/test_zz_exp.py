import time, pytest
from tests.training.support import graded_suite
from traces.models import Verdict
from training.services import dataset_create, dataset_build

@pytest.mark.django_db
def test_x(django_capture_on_commit_callbacks):
    suite = graded_suite("train", ["dacr-t-1","dacr-t-2","dacr-t-3"])
    for v in Verdict.objects.filter(mode="strict").select_related("question", "trace"):
        print(v.trace_id, v.question.question_id, v.decision, v.answer)
    with django_capture_on_commit_callbacks(execute=True):
        ds = dataset_create(name="d", spec={"verdict_rule": "question_correct", "suites": ["train"]})
    ds.refresh_from_db()
    print(ds.status, ds.error, ds.stats, ds.path)
