"""View decorators and mixins that check a role (login itself is enforced by middleware)."""

from functools import wraps

from django.contrib.auth.mixins import UserPassesTestMixin
from django.core.exceptions import PermissionDenied

from dacr_site.roles import Role, user_has_role


def role_required(role: Role):
    def decorator(view_func):
        @wraps(view_func)
        def wrapper(request, *args, **kwargs):
            if not user_has_role(request.user, role):
                raise PermissionDenied(f"This page needs the {role.label.lower()} role.")
            return view_func(request, *args, **kwargs)

        return wrapper

    return decorator


class RoleRequiredMixin(UserPassesTestMixin):
    required_role: Role = Role.VIEWER
    raise_exception = True

    def test_func(self) -> bool:
        return user_has_role(self.request.user, self.required_role)
