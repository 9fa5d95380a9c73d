import io

import pytest
from django.core.files.storage import FileSystemStorage, default_storage
from PIL import Image

from articles import images, services
from articles.models import ArticleImage
from tests.articles.workflow.images_util import (
    ELF,
    HTML_TAIL,
    SVG,
    jpeg_rotated,
    jpeg_with_gps,
    picture,
    png_claiming,
    upload,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def _stored_files(settings):
    root = settings.MEDIA_ROOT
    return (
        sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []
    )


def _save(data, name="photo.png"):
    image = ArticleImage(article=ArticleFactory(), alt_text="A meeting")
    return services.article_image_save(image=image, upload=upload(data, name))


def test_pixel_flood_is_refused_before_decoding(settings, monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(Image.Image, "load", no_decoding)
    with pytest.raises(images.ImageRejected, match="too many pixels"):
        _save(png_claiming(20000, 20000))
    assert not ArticleImage.objects.exists()
    assert _stored_files(settings) == []


def test_cap_is_below_pillows_own_limit():
    assert images.MAX_PIXELS < Image.MAX_IMAGE_PIXELS
    with pytest.raises(images.ImageRejected, match="too many pixels"):
        images.image_prepare(io.BytesIO(png_claiming(8000, 6000)))


@pytest.mark.parametrize("name", ["drawing.svg", "drawing.png"])
def test_svg_is_refused_whatever_its_name(settings, name):
    with pytest.raises(images.ImageRejected, match="not a picture"):
        _save(SVG, name)
    assert _stored_files(settings) == []


def test_renamed_executable_is_refused(settings):
    with pytest.raises(images.ImageRejected, match="not a picture"):
        _save(ELF, "holiday.jpg")
    assert _stored_files(settings) == []


def test_other_picture_formats_are_refused():
    with pytest.raises(images.ImageRejected, match="BMP files are not accepted"):
        images.image_prepare(io.BytesIO(picture(format_name="BMP")))


def test_oversize_bytes_are_refused_before_opening(monkeypatch):
    def no_opening(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Image, "open", no_opening)
    big = upload(b"\xff\xd8" + b"\x00" * 2048, "big.jpg")
    with pytest.raises(images.ImageRejected, match="the limit is"):
        images.image_prepare(big, max_bytes=1024)


def test_empty_and_truncated_files_are_refused():
    with pytest.raises(images.ImageRejected, match="empty"):
        images.image_prepare(upload(b"", "empty.png"))
    damaged = picture((300, 300), "JPEG")[:400]
    with pytest.raises(images.ImageRejected):
        images.image_prepare(upload(damaged, "cut.jpg"))


def test_jpeg_with_appended_html_is_stored_without_it():
    stored = _save(picture(format_name="JPEG") + HTML_TAIL, "photo.jpg")
    with default_storage.open(stored.image.name, "rb") as handle:
        data = handle.read()
    assert b"<html" not in data and b"script" not in data
    assert data.endswith(b"\xff\xd9")  # the JPEG end marker is the last thing


def test_exif_gps_is_stripped():
    stored = _save(jpeg_with_gps(), "phone.jpg")
    with default_storage.open(stored.image.name, "rb") as handle:
        data = handle.read()
    reopened = Image.open(io.BytesIO(data))
    assert not reopened.getexif().get_ifd(0x8825)
    assert b"CameraMaker" not in data and b"Exif" not in data


def test_orientation_is_applied_before_metadata_is_dropped():
    stored = _save(jpeg_rotated(), "portrait.jpg")
    assert (stored.width, stored.height) == (40, 80)
    with default_storage.open(stored.image.name, "rb") as handle:
        assert Image.open(handle).size == (40, 80)


@pytest.mark.parametrize(
    ("format_name", "extension"),
    [("JPEG", "jpg"), ("PNG", "png"), ("WEBP", "webp"), ("GIF", "gif")],
)
def test_accepted_formats_are_stored_under_generated_names(format_name, extension):
    stored = _save(picture(format_name=format_name), "../../etc/My Photo.exe")
    name = stored.image.name
    assert name.startswith("articles/") and name.endswith(f".{extension}")
    assert "Photo" not in name and ".." not in name
    assert len(name.split("/")[-1].split(".")[0]) == 32  # a uuid hex
    with default_storage.open(name, "rb") as handle:
        assert Image.open(handle).format == format_name


def test_storage_failure_leaves_no_row_and_no_file(settings, monkeypatch):
    real_save = FileSystemStorage.save
    calls = []

    def failing_save(storage, name, content, **kwargs):
        calls.append(name)
        if len(calls) == 2:  # the original is written, the first rendition fails
            raise OSError("disk full")
        return real_save(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", failing_save)
    with pytest.raises(images.ImageStorageError, match="could not be stored"):
        _save(picture((1000, 500)))
    assert len(calls) == 2
    assert not ArticleImage.objects.exists()
    assert _stored_files(settings) == []


def test_replacing_a_picture_removes_the_old_files(
    settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        stored = _save(picture((1000, 500)))
    old = stored.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.article_image_save(image=stored, upload=upload(picture((600, 300))))
    assert not default_storage.exists(old)
    assert not default_storage.exists(images.rendition_name(old, 480))
    assert default_storage.exists(stored.image.name)
