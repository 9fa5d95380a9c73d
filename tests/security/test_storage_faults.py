"""A storage or database failure during an image upload leaves no row and no file.

Uploads go through the article image service (`article_image_save`); until that
service exists, the plain model save is what an upload does and is tested instead.
"""

import io
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction
from PIL import Image

from articles import services
from articles.models import ArticleImage
from tests import factories

from .test_database_loss import DatabaseGoesAway


def _png(width=1200, height=800):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (30, 90, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("photo.png", buffer.getvalue(), "image/png")


def _upload(article):
    image = ArticleImage(article=article, alt_text="Delegations at the table")
    save = getattr(services, "article_image_save", None)
    if save is None:
        image.image = _png()
        with transaction.atomic():
            image.save()
    else:
        save(image=image, upload=_png())
    return image


def _files(settings):
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def failing_second_write(monkeypatch):
    """Storage that writes the first file, then fails (a full disk, a lost bucket)."""
    original, calls = FileSystemStorage._save, []

    def _save(self, name, content):
        calls.append(name)
        if len(calls) > 1 or getattr(services, "article_image_save", None) is None:
            raise OSError(28, "No space left on device")
        return original(self, name, content)

    monkeypatch.setattr(FileSystemStorage, "_save", _save)
    return calls


@pytest.mark.django_db
def test_upload_succeeds_and_stores_files_without_faults(settings):
    image = _upload(factories.PublishedArticleFactory())
    assert ArticleImage.objects.filter(pk=image.pk).exists()
    assert default_storage.exists(image.image.name) and _files(settings)


@pytest.mark.django_db
def test_storage_failure_rolls_back_with_no_orphan_file(settings, failing_second_write):
    article = factories.PublishedArticleFactory()
    with pytest.raises(Exception):  # noqa: B017 - the service's own error or OSError
        _upload(article)
    assert failing_second_write, "storage was never reached"
    assert not ArticleImage.objects.exists()
    assert _files(settings) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_failure_after_the_files_were_written_removes_them(settings):
    article = factories.PublishedArticleFactory()
    fault = DatabaseGoesAway(fail_from_sql='"articles_articleimage"')
    with connection.execute_wrapper(fault), pytest.raises(OperationalError):
        _upload(article)
    assert fault.failed
    assert not ArticleImage.objects.exists()
    if getattr(services, "article_image_save", None) is not None:
        assert _files(settings) == []
