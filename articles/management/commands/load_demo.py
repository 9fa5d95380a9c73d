from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.demo_images import ensure_demo_image_files
from articles.models import ArticleImage


class Command(BaseCommand):
    help = "Load the demo data in fixtures/ and draw its images (no downloads)."

    def handle(self, *args, **options):
        fixtures = sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))
        if not fixtures:
            raise CommandError(f"No fixtures found in {settings.FIXTURE_DIRS[0]}.")
        for fixture in fixtures:
            self.stdout.write(f"Loading {fixture.name}...")
            call_command("loaddata", str(fixture), verbosity=0)
        # loaddata writes rows directly; the search index is built afterwards.
        call_command("search_reindex", verbosity=0)
        written = ensure_demo_image_files(ArticleImage.objects.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(fixtures)} fixture file(s); drew {written} demo image(s)."
            )
        )
