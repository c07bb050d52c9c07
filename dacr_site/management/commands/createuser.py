"""python manage.py createuser NAME --role annotator [--password-env VAR] [--token]."""

import os

from django.core.management.base import BaseCommand, CommandError

from dacr_site.roles import Role
from dacr_site.services import user_create_or_update


class Command(BaseCommand):
    help = "Create or update a user with a role (viewer, annotator, admin); for scripting."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env",
            default="DACR_PASSWORD",
            help="environment variable holding the password (default DACR_PASSWORD); "
            "without it the user cannot log in with a password",
        )
        parser.add_argument("--token", action="store_true", help="print an API token")

    def handle(self, *args, **options):
        password = os.environ.get(options["password_env"]) or None
        try:
            user, token = user_create_or_update(
                username=options["username"],
                role=Role(options["role"]),
                email=options["email"],
                password=password,
                with_token=options["token"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"user {user.username!r} saved with role {options['role']}")
        if password is None and not user.has_usable_password():
            self.stdout.write(f"no password set (set ${options['password_env']} to set one)")
        if token:
            self.stdout.write(f"API token: {token}")
