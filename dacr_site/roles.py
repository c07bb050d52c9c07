"""Roles are Django groups created by a migration. They nest: admin ⊇ annotator ⊇ viewer."""

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    ANNOTATOR = "annotator", "Annotator"
    ADMIN = "admin", "Admin"


_RANK = {Role.VIEWER: 1, Role.ANNOTATOR: 2, Role.ADMIN: 3}


def user_role(user) -> Role | None:
    """The highest role a user holds, or None (anonymous, inactive or in no role group)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMIN
    cached = getattr(user, "_dacr_role", "unset")
    if cached != "unset":
        return cached
    names = set(user.groups.values_list("name", flat=True))
    role = max((r for r in Role if r.value in names), key=_RANK.__getitem__, default=None)
    user._dacr_role = role
    return role


def user_has_role(user, role: Role) -> bool:
    """True when the user's highest role is at least ``role``."""
    held = user_role(user)
    return held is not None and _RANK[held] >= _RANK[role]
