"""DRF permissions by role (see ``dacr_site.roles``)."""

from rest_framework.permissions import BasePermission

from dacr_site.roles import Role, user_has_role


class _HasRole(BasePermission):
    role: Role

    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, self.role)


class IsViewer(_HasRole):
    role = Role.VIEWER


class IsAnnotator(_HasRole):
    role = Role.ANNOTATOR


class IsAdmin(_HasRole):
    role = Role.ADMIN


class ViewerReadsAdminWrites:
    """For list-and-create endpoints: GET for viewers, every other method for admins."""

    def get_permissions(self):
        return [IsViewer()] if self.request.method == "GET" else [IsAdmin()]
