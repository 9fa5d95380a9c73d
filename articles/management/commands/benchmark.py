from django.conf import settings
from django.core.management.base import BaseCommand

from benchmarks import report, runner


class Command(BaseCommand):
    help = (
        "Measure search latency against the naive icontains way, SQL queries per "
        "page, import throughput, index size and req/s under gunicorn + wrk; "
        "writes JSON and Markdown."
    )

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="Fewer, shorter runs.")
        parser.add_argument(
            "--output", default=str(settings.BASE_DIR / "benchmarks" / "out")
        )
        parser.add_argument(
            "--no-http",
            action="store_true",
            help="Skip the gunicorn + wrk section (it needs a database on disk).",
        )
        parser.add_argument(
            "--only",
            action="append",
            choices=runner.SECTIONS,
            help="Measure only this section (repeatable), e.g. --only import.",
        )

    def handle(self, *args, quick, output, no_http, only, **options):
        results = runner.run(
            quick=quick, http=not no_http, out=self.stdout.write, only=only
        )
        json_path, md_path = report.write(results, output)
        self.stdout.write(md_path.read_text("utf-8"))
        self.stdout.write(self.style.SUCCESS(f"wrote {json_path} and {md_path}"))
