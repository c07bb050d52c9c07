"""python manage.py serve_baseline --port P [--host 127.0.0.1] [--inject-faults 429,500,sleep:2]."""

from django.core.management.base import BaseCommand, CommandError

from evaluation.baseline_server import check_fault, serve


class Command(BaseCommand):
    help = (
        "Serve the lexical baseline as an OpenAI-compatible chat-completions endpoint, so the "
        "http runner (or any OpenAI client) can be tried with no model. Ctrl-C stops it."
    )

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, required=True, help="port to listen on (0: any)")
        parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
        parser.add_argument(
            "--inject-faults",
            default="",
            help="for testing clients: comma-separated faults played one per request, in "
            "order — a status 400-599 (429 carries Retry-After: 0), sleep:SECONDS, or drop",
        )

    def handle(self, *args, **options):
        if not 0 <= options["port"] <= 65535:
            raise CommandError("--port: must be between 0 and 65535")
        raw_faults = [part for part in options["inject_faults"].split(",") if part.strip()]
        try:
            faults = [check_fault(fault) for fault in raw_faults]
        except ValueError as exc:
            raise CommandError(f"--inject-faults: {exc}") from None

        def announce(url: str) -> None:
            self.stdout.write(f"Lexical baseline listening; http runner base_url: {url}")
            if faults:
                self.stdout.write(f"Injected faults, one per request: {', '.join(faults)}")
            self.stdout.flush()

        try:
            serve(options["host"], options["port"], faults, on_listening=announce)
        except OSError as exc:
            raise CommandError(
                f"cannot listen on {options['host']}:{options['port']}: {exc}"
            ) from None
