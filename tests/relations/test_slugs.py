import pytest

from relations.slugs import slug_base, transliterate
from tests.factories import ArticleFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("İlham Əliyev", "ilham-eliyev"),
        ("Bağdad və Bakı: ölkələr", "bagdad-ve-baki-oelkeler"),
        ("Çağırış şəhər", "cagiris-seher"),
        ("Außenministerium Gespräche", "aussenministerium-gespraeche"),
        ("Über Öl", "ueber-oel"),
    ],
)
def test_latin_scripts_are_transliterated(text, slug):
    assert slug_base(text) == slug


def test_text_without_latin_letters_gets_a_stable_safe_id():
    first = slug_base("العراق وأذربيجان")
    assert first.startswith("item-") and first == slug_base("العراق وأذربيجان")
    assert first != slug_base("بغداد")


def test_transliterate_keeps_schwa_readable():
    assert transliterate("Əliyev") == "Eliyev"


def test_slug_is_generated_once_and_kept_when_the_title_changes():
    article = ArticleFactory(title="Ministers meet in Baku")
    article.title = "Ministers met in Baku on Monday"
    article.save()
    article.refresh_from_db()
    assert article.slug == "ministers-meet-in-baku"


def test_duplicate_names_get_numbered_slugs():
    slugs = [PersonFactory(full_name="Ali Hasanov").slug for _ in range(3)]
    assert slugs == ["ali-hasanov", "ali-hasanov-2", "ali-hasanov-3"]
