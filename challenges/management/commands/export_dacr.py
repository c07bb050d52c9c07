"""python manage.py export_dacr --suite NAME --out FILE: write a suite as a DACR-Bench file."""

from django.core.management.base import BaseCommand, CommandError

from challenges import dacr_format as fmt
from challenges.models import Suite
from challenges.services import suite_export_to_path


class Command(BaseCommand):
    help = "Export a suite in the DACR-Bench format (v1.1 by default)."

    def add_arguments(self, parser):
        parser.add_argument("--suite", required=True, help="suite name")
        parser.add_argument("--out", required=True, help="output file (written atomically)")
        parser.add_argument(
            "--format-version", default=fmt.WRITE_VERSION, choices=fmt.SUPPORTED_VERSIONS
        )

    def handle(self, *args, **options):
        suite = Suite.objects.filter(name=options["suite"]).first()
        if suite is None:
            names = ", ".join(Suite.objects.values_list("name", flat=True)[:10]) or "none"
            raise CommandError(f"no suite named {options['suite']!r} (suites: {names})")
        try:
            size = suite_export_to_path(
                suite=suite, path=options["out"], version=options["format_version"]
            )
        except OSError as exc:
            raise CommandError(f"cannot write {options['out']}: {exc.strerror or exc}") from None
        count = suite.memberships.count()
        self.stdout.write(f"wrote {count} challenges ({size:,} bytes) to {options['out']}")
