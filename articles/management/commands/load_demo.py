import json
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.demo_images import ensure_demo_image_files
from articles.models import Article, ArticleImage
from articles.search import reindex_articles


def demo_fixture_paths():
    """Every JSON file of the demo, in name order (01_..., 02_...: dependency order)."""
    return sorted(Path(settings.FIXTURE_DIRS[0]).glob("*.json"))


def fixture_rows(path):
    try:
        rows = json.loads(path.read_text(encoding="utf-8"))
        return [(item["model"], item["pk"], item["fields"]) for item in rows]
    except (ValueError, TypeError, KeyError) as error:
        raise CommandError(f"{path.name} is not a fixture file: {error}") from None


def slug_conflicts(paths):
    """Rows the demo would overwrite that are not demo rows (same pk, other slug)."""
    conflicts = []
    for path in paths:
        for label, pk, fields in fixture_rows(path):
            if "slug" not in fields:
                continue
            model = apps.get_model(label)
            existing = model._base_manager.filter(pk=pk).exclude(slug=fields["slug"])
            if existing.exists():
                conflicts.append(f"{label} #{pk}")
    return conflicts


def index_demo_articles():
    """Index the loaded articles: loaddata saves rows raw, past the services."""
    return reindex_articles(Article.objects.values_list("pk", flat=True))


class Command(BaseCommand):
    help = "Load the demo data in fixtures/ and draw its images (no downloads)."

    def handle(self, *args, **options):
        paths = demo_fixture_paths()
        if not paths:
            raise CommandError(f"No fixtures found in {settings.FIXTURE_DIRS[0]}.")
        conflicts = slug_conflicts(paths)
        if conflicts:
            # Fixtures carry explicit primary keys: loading them over other
            # content would silently replace it.
            raise CommandError(
                "The database already holds other content under the demo's ids "
                f"({', '.join(conflicts[:5])}); load the demo into an empty database."
            )
        self.stdout.write(f"Loading {', '.join(path.name for path in paths)}...")
        # One transaction: a broken file leaves nothing behind, index included.
        with transaction.atomic():
            call_command("loaddata", *map(str, paths), verbosity=0)
            index_demo_articles()
        written = ensure_demo_image_files(ArticleImage.objects.all())
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {len(paths)} fixture file(s); drew {written} demo image(s)."
            )
        )
