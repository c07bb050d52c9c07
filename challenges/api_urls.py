from django.urls import path

from challenges import api

urlpatterns = [
    path("suites/", api.SuiteListApi.as_view(), name="api-suite-list"),
    # Suite names are free text; ``path`` lets one contain a slash.
    path("suites/<path:name>/", api.SuiteDetailApi.as_view(), name="api-suite-detail"),
    path("challenges/", api.ChallengeListApi.as_view(), name="api-challenge-list"),
    path(
        "challenges/<str:public_id>/",
        api.ChallengeDetailApi.as_view(),
        name="api-challenge-detail",
    ),
]
