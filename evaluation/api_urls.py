"""Evaluation API: model specs, runs, metrics, comparisons and leaderboards."""

from django.urls import path

from evaluation import api

urlpatterns = [
    path("models/", api.ModelSpecListCreateApi.as_view(), name="api-model-list"),
    path("evals/", api.EvalRunListCreateApi.as_view(), name="api-eval-list"),
    path("evals/compare/", api.EvalCompareApi.as_view(), name="api-eval-compare"),
    path("evals/<int:run_id>/", api.EvalRunDetailApi.as_view(), name="api-eval-detail"),
    path("evals/<int:run_id>/metrics/", api.EvalRunMetricsApi.as_view(), name="api-eval-metrics"),
    path("evals/<int:run_id>/cancel/", api.EvalRunCancelApi.as_view(), name="api-eval-cancel"),
    path("leaderboard/", api.LeaderboardApi.as_view(), name="api-leaderboard"),
]
