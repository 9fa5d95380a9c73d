"""backup + restore round-trip into an empty database: every row, every file."""

import json
import tarfile
from datetime import timedelta

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from reversion.models import Revision, Version

from articles.backup import EXCLUDED, model_digests
from articles.models import Article
from articles.search import search_articles
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _populate():
    """Articles in every state, tags, an image file, a revision and an admin log."""
    user = factories.UserFactory(username="backup-editor")
    person = factories.PersonFactory(full_name="Jeyhun Bayramov", aliases=["Bayramov"])
    for status in ("draft", "in_review", "archived"):
        article = factories.ArticleFactory(status=status, created_by=user)
        article.people.add(person)
    factories.PublishedArticleFactory(published_at=timezone.now() + timedelta(days=2))
    published = factories.PublishedArticleFactory(title="Ministers sign a plan")
    factories.ArticleImageFactory(article=published)
    # A time with under 1 ms of fraction: the dump writes it as ".000Z".
    Article.objects.filter(pk=published.pk).update(
        created_at=timezone.now().replace(microsecond=500)
    )
    factories.MilestoneFactory()
    revision = Revision.objects.create(
        user=user, comment="First draft", date_created=timezone.now()
    )
    Version.objects.create(
        revision=revision,
        object_id=str(published.pk),
        content_type=ContentType.objects.get_for_model(Article),
        db="default",
        format="json",
        serialized_data=json.dumps([{"model": "articles.article"}]),
        object_repr=str(published),
    )
    LogEntry.objects.log_actions(user.pk, [published], ADDITION)


def _counts():
    return {
        model._meta.label_lower: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in EXCLUDED
        and model._meta.label_lower not in EXCLUDED
    }


def _media():
    return {
        name: default_storage.open(name, "rb").read() for name in _list(default_storage)
    }


def _list(storage, folder=""):
    folders, files = storage.listdir(folder)
    names = [folder + name for name in files]
    for sub in folders:
        names += _list(storage, f"{folder}{sub}/")
    return names


def test_round_trip_keeps_every_row_and_file(tmp_path, settings):
    _populate()
    counts_before, media_before = _counts(), _media()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "out", "w"))

    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "empty-media"
    assert Article.objects.count() == 0
    call_command("restore", str(archive), stdout=open(tmp_path / "out", "w"))

    assert _counts() == counts_before
    assert Article._base_manager.filter(status=Article.Status.DRAFT).exists()
    assert Version.objects.count() == 1 and LogEntry.objects.count() == 1
    assert _media() == media_before and len(media_before) == 1
    # The archive holds no search index; the restore builds it again.
    found = search_articles("ministers plan").hits
    assert [hit.article.title for hit in found] == ["Ministers sign a plan"]


def test_manifest_lists_counts_and_hashes(tmp_path):
    _populate()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "out", "w"))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        tar.extract("data.json", tmp_path, filter="data")
    assert manifest["models"] == model_digests(tmp_path / "data.json")
    assert manifest["models"]["articles.article"]["rows"] == 5
    assert len(manifest["files"]) == 1


def test_restore_refuses_a_database_with_data(tmp_path):
    _populate()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "out", "w"))
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(archive))


def test_restore_refuses_a_tampered_archive(tmp_path):
    _populate()
    archive = tmp_path / "backup.tar.gz"
    call_command("backup", str(archive), stdout=open(tmp_path / "out", "w"))
    folder = tmp_path / "x"
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    data = json.loads((folder / "data.json").read_text())
    next(r for r in data if r["model"] == "articles.article")["fields"]["title"] = "X"
    (folder / "data.json").write_text(json.dumps(data))
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(tampered, "w:gz") as tar:
        for name in ("data.json", "manifest.json", "media"):
            tar.add(folder / name, arcname=name)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(CommandError, match="does not match"):
        call_command("restore", str(tampered))
    assert Article.objects.count() == 0


def test_restore_refuses_garbage(tmp_path):
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("restore", str(garbage))
