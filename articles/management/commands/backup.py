from django.core.management.base import BaseCommand

from articles.backup import backup_create


class Command(BaseCommand):
    help = (
        "Write every row (drafts, history and revisions included) and every media "
        "file into one tar.gz archive with a manifest of row counts and hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive to write, e.g. backup.tar.gz")

    def handle(self, *args, path, **options):
        manifest = backup_create(path=path)
        rows = sum(digest["rows"] for digest in manifest["models"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {path}: {rows} rows in {len(manifest['models'])} models, "
                f"{len(manifest['files'])} media files."
            )
        )
