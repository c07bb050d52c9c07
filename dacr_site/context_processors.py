from dacr_site.roles import Role, user_has_role, user_role


def roles(request):
    """Expose the user's role to templates so navigation shows only what the user can do."""
    user = request.user
    return {
        "user_role": user_role(user),
        "is_annotator": user_has_role(user, Role.ANNOTATOR),
        "is_admin": user_has_role(user, Role.ADMIN),
    }
