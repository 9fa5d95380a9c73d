import pytest
from django.core.cache import cache
from django.core.files.storage import FileSystemStorage, default_storage
from django.template import Context, Template
from PIL import Image

from articles import images, services
from articles.models import ArticleImage
from tests.articles.workflow.images_util import picture, upload
from tests.factories import ArticleFactory, ArticleImageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def _stored(size):
    image = ArticleImage(article=ArticleFactory(), alt_text="Delegations")
    return services.article_image_save(image=image, upload=upload(picture(size)))


def test_upload_writes_renditions_beside_the_original():
    stored = _stored((2000, 1000))
    for width in images.RENDITION_WIDTHS:
        name = images.rendition_name(stored.image.name, width)
        assert name.rsplit("/", 1)[0] == stored.image.name.rsplit("/", 1)[0]
        with default_storage.open(name, "rb") as handle:
            assert Image.open(handle).size == (width, width // 2)


def test_renditions_are_never_wider_than_the_original():
    stored = _stored((700, 350))
    assert default_storage.exists(images.rendition_name(stored.image.name, 480))
    assert not default_storage.exists(images.rendition_name(stored.image.name, 960))
    assert list(images.rendition_urls(stored)) == [480, 700]


def test_second_call_creates_nothing_new(monkeypatch):
    stored = _stored((2000, 1000))
    assert images.renditions_create(stored.image.name) == []
    saves = []
    monkeypatch.setattr(FileSystemStorage, "save", lambda *a, **k: saves.append(a))
    images.rendition_urls(stored)
    images.rendition_urls(stored)
    assert saves == []


def test_missing_renditions_are_made_once_then_reused(monkeypatch):
    image = ArticleImageFactory(image__width=1200, image__height=600)
    real_save = FileSystemStorage.save
    saves = []

    def counting_save(storage, name, content, **kwargs):
        saves.append(name)
        return real_save(storage, name, content, **kwargs)

    monkeypatch.setattr(FileSystemStorage, "save", counting_save)
    first = images.rendition_urls(image)
    cache.clear()
    second = images.rendition_urls(image)
    assert len(saves) == 2  # 480 and 960; 1600 would upscale
    assert first == second and list(first) == [480, 960, 1200]


def test_srcset_tag_lists_every_rendition_url():
    stored = _stored((2000, 1000))
    rendered = Template("{% load article_images %}{% image_srcset image %}").render(
        Context({"image": stored})
    )
    stem = stored.image.name.rsplit("/", 1)[1].split(".")[0]
    for width in (480, 960, 1600):
        assert f"/media/articles/{stem}-{width}w.png {width}w" in rendered
    assert f"/media/articles/{stem}.png 2000w" in rendered


def test_srcset_escapes_what_it_prints():
    image = ArticleImageFactory()
    image.image.name = 'articles/"onerror=alert(1).png'
    rendered = Template("{% load article_images %}{% image_srcset image %}").render(
        Context({"image": image})
    )
    assert '"onerror' not in rendered
