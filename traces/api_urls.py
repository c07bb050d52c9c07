from django.urls import path

from traces import api

urlpatterns = [
    path("traces/", api.TraceListApi.as_view(), name="api-trace-list"),
    path("traces/<int:trace_id>/", api.TraceDetailApi.as_view(), name="api-trace-detail"),
    path("verdicts/", api.VerdictListApi.as_view(), name="api-verdict-list"),
    path("verdicts/<int:verdict_id>/", api.VerdictDetailApi.as_view(), name="api-verdict-detail"),
]
