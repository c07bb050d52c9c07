from django.urls import path

from traces import views

app_name = "traces"

urlpatterns = [
    path("traces/", views.trace_list, name="trace-list"),
    path("traces/<int:trace_id>/", views.trace_detail, name="trace-detail"),
]
