from django.urls import path

from traces import views, views_failures

app_name = "traces"

urlpatterns = [
    path("traces/", views.trace_list, name="trace-list"),
    path("traces/<int:trace_id>/", views.trace_detail, name="trace-detail"),
    path("failures/", views_failures.failure_explorer, name="failure-explorer"),
]
