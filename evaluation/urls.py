from django.urls import path

from evaluation import views, views_runs

app_name = "evaluation"

urlpatterns = [
    path("runs/", views.run_list, name="run-list"),
    # Solver names may hold slashes ("org/model"): the path converter keeps them whole.
    path("runs/<path:solver_name>/<int:suite_id>/", views.run_detail, name="run-detail"),
    path("evals/", views_runs.eval_list, name="eval-list"),
    path("evals/models/", views_runs.model_spec_page, name="model-specs"),
    path("evals/compare/", views_runs.eval_compare, name="eval-compare"),
    path(
        "evals/compare/export.<str:fmt>",
        views_runs.eval_compare_export,
        name="eval-compare-export",
    ),
    path("evals/<int:run_id>/", views_runs.eval_detail, name="eval-detail"),
    path("evals/<int:run_id>/status/", views_runs.eval_status, name="eval-status"),
    path("evals/<int:run_id>/cancel/", views_runs.eval_cancel, name="eval-cancel"),
    path("evals/<int:run_id>/export.<str:fmt>", views_runs.eval_export, name="eval-export"),
    path(
        "suites/<int:suite_id>/leaderboard/",
        views_runs.suite_leaderboard,
        name="suite-leaderboard",
    ),
]
