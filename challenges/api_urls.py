from django.urls import path

from challenges import api, api_generation, api_papers

urlpatterns = [
    path("suites/", api.SuiteListApi.as_view(), name="api-suite-list"),
    # Suite names are free text; ``path`` lets one contain a slash. The validity route comes
    # first, or the detail route would take "<name>/validity" for a name.
    path(
        "suites/<path:name>/validity/",
        api_generation.SuiteValidityApi.as_view(),
        name="api-suite-validity",
    ),
    path("suites/<path:name>/", api.SuiteDetailApi.as_view(), name="api-suite-detail"),
    path("challenges/", api.ChallengeListApi.as_view(), name="api-challenge-list"),
    path(
        "challenges/<str:public_id>/",
        api.ChallengeDetailApi.as_view(),
        name="api-challenge-detail",
    ),
    path(
        "generations/",
        api_generation.GenerationCreateApi.as_view(),
        name="api-generation-create",
    ),
    path("papers/", api_papers.PaperCreateApi.as_view(), name="api-paper-create"),
    path("papers/<int:paper_id>/", api_papers.PaperDetailApi.as_view(), name="api-paper-detail"),
    path(
        "generations/<int:job_id>/",
        api_generation.GenerationDetailApi.as_view(),
        name="api-generation-detail",
    ),
]
