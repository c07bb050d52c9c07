from django.urls import path

from challenges import views, views_papers, views_review

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
    path(
        "challenges/<str:public_id>/review/",
        views_review.challenge_review,
        name="challenge-review",
    ),
    path(
        "challenges/<str:public_id>/review/questions/add/",
        views_review.review_question_add_view,
        name="review-question-add",
    ),
    path(
        "challenges/<str:public_id>/review/questions/<str:question_id>/edit/",
        views_review.review_question_edit_view,
        name="review-question-edit",
    ),
    path(
        "challenges/<str:public_id>/review/questions/<str:question_id>/drop/",
        views_review.review_question_drop_view,
        name="review-question-drop",
    ),
    path(
        "challenges/<str:public_id>/review/questions/<str:question_id>/approve/",
        views_review.review_question_approve_view,
        name="review-question-approve",
    ),
    path(
        "challenges/<str:public_id>/review/publish/",
        views_review.review_publish_view,
        name="review-publish",
    ),
    path("papers/", views_papers.paper_list, name="paper-list"),
    path("papers/<int:paper_id>/", views_papers.paper_detail, name="paper-detail"),
    path("papers/<int:paper_id>/status.json", views_papers.paper_status, name="paper-status"),
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
