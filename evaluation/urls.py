from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("runs/", views.run_list, name="run-list"),
    # Solver names may hold slashes ("org/model"): the path converter keeps them whole.
    path("runs/<path:solver_name>/<int:suite_id>/", views.run_detail, name="run-detail"),
]
