from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Load an archive written by `backup` into an empty, migrated database and "
        "check every row count and content hash against its manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="Archive written by `manage.py backup`")

    def handle(self, *args, path, **options):
        try:
            manifest = backup_restore(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(digest["rows"] for digest in manifest["models"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {path}: {rows} rows in {len(manifest['models'])} models "
                f"and {len(manifest['files'])} media files; counts and hashes match."
            )
        )
