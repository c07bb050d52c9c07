"""Training pages: datasets and runs."""

from django.urls import path

from training import views, views_datasets

app_name = "training"

urlpatterns = [
    path("training/", views.run_list, name="run-list"),
    path("training/datasets/", views_datasets.dataset_list, name="dataset-list"),
    path(
        "training/datasets/<int:dataset_id>/",
        views_datasets.dataset_detail,
        name="dataset-detail",
    ),
    path(
        "training/datasets/<int:dataset_id>/train/",
        views_datasets.dataset_train,
        name="dataset-train",
    ),
    path("training/runs/<int:run_id>/", views.run_detail, name="run-detail"),
    path("training/runs/<int:run_id>/log.json", views.run_log, name="run-log"),
    path("training/runs/<int:run_id>/cancel/", views.run_cancel, name="run-cancel"),
    path("training/runs/<int:run_id>/evaluate/", views.run_evaluate, name="run-evaluate"),
]
