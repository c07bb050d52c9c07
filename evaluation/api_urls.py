"""Evaluation API: model specs, runs, comparisons."""

urlpatterns: list = []
