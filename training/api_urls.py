"""Training API: datasets and runs."""

urlpatterns: list = []
