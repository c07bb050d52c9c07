"""python manage.py locate_highlights [--solver NAME] [--suite NAME]."""

from django.core.management.base import BaseCommand, CommandError

from challenges.models import Suite
from dacr_site.progress import ProgressBar
from traces.models import Solver, Trace
from traces.services import traces_highlights_locate


class Command(BaseCommand):
    help = (
        "Store where every highlighted statement of the traces' pages sits in its document "
        "(grading does this for new traces; run it for traces graded before, or after a "
        "locator change). Stored answers are not searched again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--solver", help="only this solver's traces")
        parser.add_argument("--suite", help="only traces of this suite's challenges")

    def handle(self, *args, **options):
        traces = Trace.objects.all()
        if options["solver"]:
            if not Solver.objects.filter(name=options["solver"]).exists():
                raise CommandError(f"--solver: no solver named {options['solver']!r}")
            traces = traces.filter(solver__name=options["solver"])
        if options["suite"]:
            suite = Suite.objects.filter(name=options["suite"]).first()
            if suite is None:
                raise CommandError(f"--suite: no suite named {options['suite']!r}")
            traces = traces.filter(challenge__memberships__suite=suite)
        bar = ProgressBar(self.stderr, what="challenges")
        report = traces_highlights_locate(
            trace_ids=traces.values_list("pk", flat=True).distinct(), progress=bar
        )
        bar.done()
        self.stdout.write(
            f"{report.challenges} challenges: {report.searched} statements located and stored "
            "(the rest were stored already)"
        )
