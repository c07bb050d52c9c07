from django.urls import path

from challenges import views

app_name = "challenges"

urlpatterns = [
    path("suites/", views.suite_list, name="suite-list"),
    path("suites/<int:suite_id>/export.json", views.suite_export, name="suite-export"),
    path("suites/<int:suite_id>/validity/", views.suite_validity, name="suite-validity"),
    path(
        "suites/<int:suite_id>/validity/compute/",
        views.suite_validity_compute,
        name="suite-validity-compute",
    ),
    path("challenges/", views.challenge_list, name="challenge-list"),
    path("challenges/<str:public_id>/", views.challenge_detail, name="challenge-detail"),
    path("import/", views.benchmark_import_list, name="import-list"),
    path("import/<int:import_id>/", views.benchmark_import_detail, name="import-detail"),
    path(
        "import/<int:import_id>/status.json",
        views.benchmark_import_status,
        name="import-status",
    ),
    path("generate/", views.generation_list, name="generation-list"),
    path("generate/<int:job_id>/", views.generation_detail, name="generation-detail"),
    path(
        "generate/<int:job_id>/status.json",
        views.generation_status,
        name="generation-status",
    ),
]
