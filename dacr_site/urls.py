from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="challenges:suite-list"), name="home"),
    path(
        "login/",
        login_not_required(auth_views.LoginView.as_view(redirect_authenticated_user=True)),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("api/", include("dacr_site.api_urls")),
    path("", include("challenges.urls")),
    path("", include("traces.urls")),
    path("", include("traces.urls_audit")),
    path("", include("evaluation.urls")),
    path("", include("training.urls")),
]
