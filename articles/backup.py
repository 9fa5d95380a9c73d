"""One-file backups: every row (drafts and history included) plus the media files.

The archive is a tar.gz holding `data.json` (dumpdata through each model's base
manager, so no manager can hide drafts), `media/...` and `manifest.json` with the
row count and a content hash per model and a hash per file. Restore loads into an
empty database and checks every count and hash before it reports success.
"""

import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

FORMAT_VERSION = 1
# Rebuilt by `migrate` (content types, permissions) or by the search index
# that `restore` rebuilds (facet keys, the PostgreSQL search tables, which
# SQLite does not have), or worthless once restored (sessions, login-throttling
# counters): never part of a backup.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "articles.facetkeys",
    "articles.searchdocument",
    "articles.searchstrong",
    "sessions",
    "axes",
]
# Created by migrations on an empty database; restore merges them by natural key.
CREATED_BY_MIGRATIONS = {"auth.group"}
CHUNK = 1024 * 1024


class BackupError(Exception):
    """The archive is unreadable or altered, or the target database is not empty."""


def _sha256_file(fileobj):
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def dump_database(path):
    call_command(
        "dumpdata",
        exclude=EXCLUDED,
        use_base_manager=True,
        natural_foreign=True,
        natural_primary=True,
        output=str(path),
        verbosity=0,
    )


# Django's JSON dump keeps milliseconds and writes "12:00:00.000Z" for a time with
# under 1 ms of fraction, which loads and dumps again as "12:00:00Z": the same value.
ZERO_MILLISECONDS = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.000(?=Z|[+-]|$)")


def _canonical_value(field, value):
    if isinstance(value, str):
        return ZERO_MILLISECONDS.sub(r"\1", value)
    if field is not None and field.many_to_many and isinstance(value, list):
        # A set of related rows: engines list them in different orders when the
        # related model's ordering has ties or collates differently.
        return sorted(value, key=lambda item: json.dumps(item, sort_keys=True))
    return value


def _canonical(record):
    model = apps.get_model(record["model"])
    fields = {
        name: _canonical_value(model._meta.get_field(name), value)
        for name, value in record["fields"].items()
    }
    return json.dumps({**record, "fields": fields}, sort_keys=True)


def model_digests(path):
    """Row count and an order-independent content hash per model of a dump file."""
    records = defaultdict(list)
    with open(path, encoding="utf-8") as fh:
        for record in json.load(fh):
            records[record["model"]].append(_canonical(record))
    return {
        label: {
            "rows": len(rows),
            "sha256": hashlib.sha256("\n".join(sorted(rows)).encode()).hexdigest(),
        }
        for label, rows in sorted(records.items())
    }


def media_names(storage=default_storage, folder=""):
    """Every file name in the media storage (works for any Storage, not just disk)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return []
    names = [f"{folder}{name}" for name in files]
    for sub in folders:
        names += media_names(storage, f"{folder}{sub}/")
    return sorted(names)


def _add_bytes(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    tar.addfile(info, io.BytesIO(data))


def backup_create(*, path):
    """Write the archive to `path` (via a temporary file, so a failure leaves none)."""
    path = Path(path)
    with tempfile.TemporaryDirectory() as tmp:
        data_path = Path(tmp) / "data.json"
        dump_database(data_path)
        manifest = {
            "format": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "models": model_digests(data_path),
            "files": {},
        }
        partial = path.with_name(path.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(data_path, arcname="data.json")
            for name in media_names():
                with default_storage.open(name, "rb") as fh:
                    manifest["files"][name] = _sha256_file(fh)
                    fh.seek(0)
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size = default_storage.size(name)
                    tar.addfile(info, fh)
            _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
        os.replace(partial, path)
    return manifest


def _safe_member(member):
    # Never follow links or absolute/parent paths out of the extraction folder.
    name = Path(member.name)
    return member.isfile() and not name.is_absolute() and ".." not in name.parts


def _extract(archive, folder):
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = [m for m in tar.getmembers() if _safe_member(m)]
            tar.extractall(folder, members=members, filter="data")
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupError(f"Cannot read the archive {archive}: {exc}") from exc
    manifest_path = Path(folder) / "manifest.json"
    if not manifest_path.exists() or not (Path(folder) / "data.json").exists():
        raise BackupError("Not a backup archive: manifest.json or data.json missing.")
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def _check_files(folder, manifest):
    for name, expected in manifest["files"].items():
        path = Path(folder) / "media" / name
        if not path.is_file():
            raise BackupError(f"Media file missing from the archive: {name}")
        with open(path, "rb") as fh:
            if _sha256_file(fh) != expected:
                raise BackupError(f"Media file does not match its hash: {name}")


def _check_digests(expected, actual, when):
    for label, digest in expected.items():
        found = actual.get(label, {"rows": 0, "sha256": None})
        if found["rows"] != digest["rows"]:
            raise BackupError(
                f"{when}: {label} has {found['rows']} rows, expected {digest['rows']}."
            )
        if found["sha256"] != digest["sha256"]:
            raise BackupError(f"{when}: {label} content does not match its hash.")


def _require_empty_database(manifest):
    for label in manifest["models"]:
        if label in CREATED_BY_MIGRATIONS:
            continue
        model = apps.get_model(label)
        if model._base_manager.exists():
            raise BackupError(
                f"The database is not empty ({label} has rows); restore only into "
                "a freshly migrated database."
            )


def _restore_media(folder, manifest):
    for name in manifest["files"]:
        if default_storage.exists(name):
            default_storage.delete(name)
        with open(Path(folder) / "media" / name, "rb") as fh:
            saved = default_storage.save(name, File(fh))
        if saved != name:
            raise BackupError(f"Storage renamed {name} to {saved}.")


def _rebuild_search_index():
    """The archive holds no search index (derived data): build it afresh."""
    from articles.models import Article
    from articles.search import reindex_articles

    reindex_articles(Article.objects.values_list("pk", flat=True))


def backup_restore(*, path):
    """Load `path` into an empty database; all rows or none, then copy the media."""
    with tempfile.TemporaryDirectory() as tmp:
        manifest = _extract(path, tmp)
        data_path = Path(tmp) / "data.json"
        _check_digests(manifest["models"], model_digests(data_path), "Archive")
        _check_files(tmp, manifest)
        with transaction.atomic():
            _require_empty_database(manifest)
            call_command("loaddata", str(data_path), verbosity=0)
            _rebuild_search_index()
            check_path = Path(tmp) / "check.json"
            dump_database(check_path)
            _check_digests(manifest["models"], model_digests(check_path), "Restored")
        _restore_media(tmp, manifest)
    return manifest
