import pytest
from django.urls import reverse
from evaluation.services import model_spec_create
from tests.factories import challenge_dict, import_challenges
from challenges.models import Suite
from evaluation.services import eval_run_create

pytestmark = pytest.mark.django_db

def test_pages(admin_client_, django_capture_on_commit_callbacks):
    import_challenges(challenge_dict("dacr-p-1"), challenge_dict("dacr-p-2"), suite="p")
    suite = Suite.objects.get(name="p")
    spec = model_spec_create(name="lexical", runner="lexical", settings={})
    with django_capture_on_commit_callbacks(execute=True):
        a = eval_run_create(model_spec=spec, suite=suite)
        b = eval_run_create(model_spec=spec, suite=suite)
    for url in [reverse("evaluation:eval-list"), reverse("evaluation:model-specs"), reverse("evaluation:eval-detail", args=[a.pk]), reverse("evaluation:eval-detail", args=[a.pk])+"?mode=reference",
                reverse("evaluation:eval-compare")+f"?a={a.pk}&b={b.pk}", reverse("evaluation:eval-compare")+f"?a={a.pk}&b={b.pk}&cell=both_wrong",
                reverse("evaluation:suite-leaderboard", args=[suite.pk]), reverse("evaluation:eval-export", args=[a.pk, "md"]), reverse("evaluation:eval-export", args=[a.pk, "csv"]), reverse("evaluation:eval-export", args=[a.pk, "json"]), reverse("evaluation:eval-export", args=[a.pk, "predictions"]),
                reverse("evaluation:eval-compare-export", args=["md"])+f"?a={a.pk}&b={b.pk}", reverse("evaluation:eval-status", args=[a.pk])]:
        r = admin_client_.get(url)
        assert r.status_code == 200, (url, r.status_code, r.content[:2000])
