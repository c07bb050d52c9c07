"""Every page requires login; the API answers 401/403 itself instead of redirecting."""

from django.conf import settings
from django.contrib.auth.middleware import LoginRequiredMiddleware


class LoginRequiredExceptApiMiddleware(LoginRequiredMiddleware):
    """Django's login-required middleware, except under ``/api/`` where DRF's authentication
    and permission classes answer (a redirect to a login form is useless to an API client)."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith("/api/") or request.path_info.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
