"""Training API: datasets and runs."""

from django.urls import path

from training import api

urlpatterns = [
    path(
        "training/datasets/",
        api.DatasetListCreateApi.as_view(),
        name="api-training-dataset-list",
    ),
    path(
        "training/datasets/<int:dataset_id>/",
        api.DatasetDetailApi.as_view(),
        name="api-training-dataset-detail",
    ),
    path("training/runs/", api.RunListCreateApi.as_view(), name="api-training-run-list"),
    path(
        "training/runs/<int:run_id>/",
        api.RunDetailApi.as_view(),
        name="api-training-run-detail",
    ),
    path(
        "training/runs/<int:run_id>/cancel/",
        api.RunCancelApi.as_view(),
        name="api-training-run-cancel",
    ),
    path(
        "training/runs/<int:run_id>/evaluate/",
        api.RunEvaluateApi.as_view(),
        name="api-training-run-evaluate",
    ),
]
