import factory
import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_article_images_list_their_renditions(anon_client):
    article = factories.PublishedArticleFactory()
    factories.ArticleImageFactory(
        article=article, image=factory.django.ImageField(width=1200, height=600)
    )
    data = anon_client.get(f"/api/articles/{article.slug}/").json()
    renditions = data["images"][0]["renditions"]
    widths = [rendition["width"] for rendition in renditions]
    assert widths == sorted(widths) and widths[0] == 480 and widths[-1] == 1200
    urls = [rendition["url"] for rendition in renditions]
    assert len(set(urls)) == len(urls)
    assert all(url.startswith("http://testserver/media/") for url in urls)
