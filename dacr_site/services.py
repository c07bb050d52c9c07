"""User administration for scripting and the demo seed."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from rest_framework.authtoken.models import Token

from dacr_site.roles import Role


def user_create_or_update(
    *,
    username: str,
    role: Role,
    email: str = "",
    password: str | None = None,
    with_token: bool = False,
    validate: bool = True,
):
    """Create the user (or update an existing one) and give it exactly one role group.

    Admins also get Django admin access (``is_staff``). Returns ``(user, token_key|None)``.
    Raises ``ValueError`` with one readable line on a bad name or a weak password."""
    username = username.strip()
    if not username:
        raise ValueError("the username cannot be empty")
    user_model = get_user_model()
    with transaction.atomic():
        user, _ = user_model.objects.get_or_create(username=username)
        if email:
            user.email = email
        if password is not None:
            if validate:
                try:
                    validate_password(password, user)
                except ValidationError as exc:
                    raise ValueError("password rejected: " + " ".join(exc.messages)) from None
            user.set_password(password)
        elif not user.password:
            user.set_unusable_password()
        user.is_staff = role == Role.ADMIN
        user.is_active = True
        user.save()
        role_names = [r.value for r in Role]
        user.groups.remove(*Group.objects.filter(name__in=role_names))
        user.groups.add(Group.objects.get(name=role.value))
        token = Token.objects.get_or_create(user=user)[0].key if with_token else None
    return user, token
