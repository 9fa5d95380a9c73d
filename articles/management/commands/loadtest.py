import statistics

from django.core.management.base import BaseCommand, CommandError

from articles.loadtest import LoadTestError, run


class Command(BaseCommand):
    help = (
        "Serve the configured database with gunicorn on 127.0.0.1 and run readers "
        "and editors against it for N seconds; then check every successful save is "
        "in the database. Fails on any error. Creates and removes its own data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=30)
        parser.add_argument("--readers", type=int, default=8)
        parser.add_argument("--editors", type=int, default=3)
        parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")

    def handle(self, *args, seconds, readers, editors, workers, **options):
        if seconds <= 0 or readers < 0 or editors < 0 or workers < 1:
            raise CommandError("Seconds and workers must be positive.")
        try:
            stats, missing, wrong, elapsed = run(
                seconds=seconds, readers=readers, editors=editors, workers=workers
            )
        except (LoadTestError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        self._report(stats, missing, wrong, elapsed)
        if stats.errors or missing or wrong:
            raise CommandError(
                f"{len(stats.errors)} errors, {len(missing)} saves missing, "
                f"{len(wrong)} edits lost. First errors: {stats.errors[:5]}"
            )

    def _report(self, stats, missing, wrong, elapsed):
        total = sum(stats.requests.values())
        latencies = sorted(stats.latencies) or [0]
        p95 = latencies[int(len(latencies) * 0.95) - 1 if len(latencies) > 1 else 0]
        lines = [
            f"duration          {elapsed:.1f} s",
            f"requests          {total} ({total / elapsed:.1f}/s)",
            *(f"  {kind:<16}{n}" for kind, n in sorted(stats.requests.items())),
            f"errors            {len(stats.errors)}",
            f"latency p50/p95   {statistics.median(latencies) * 1000:.0f} / "
            f"{p95 * 1000:.0f} ms",
            f"articles created  {len(stats.created)}",
            f"saves checked     {len(stats.edits)} articles, "
            f"{len(missing)} missing, {len(wrong)} with a lost edit",
        ]
        self.stdout.write("\n".join(lines))
