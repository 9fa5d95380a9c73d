"""The admin Import page and the one-click suggested tags."""

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.importing import article_import
from articles.ingest import MAX_BYTES, extract_text, read_path
from articles.models import Article
from articles.tagging import suggest_for_article
from relations.models import Person
from tests.factories import ArticleFactory, UserFactory, chief_editor, editor

from .world import SEED_FILES, build_world, seed_path

pytestmark = pytest.mark.django_db
IMPORT_URL = reverse("admin:articles_article_import")


def upload(key):
    return SimpleUploadedFile(SEED_FILES[key], seed_path(key).read_bytes())


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def summary_of(response):
    """The last import summary (messages of earlier posts may still be queued)."""
    return [text for text in messages_of(response) if text.startswith("Import:")][-1]


def test_changelist_links_to_the_import_page(client):
    client.force_login(editor())
    response = client.get(reverse("admin:articles_article_changelist"))
    assert IMPORT_URL in response.content.decode()


def test_changelist_shows_and_filters_possible_duplicates(client):
    original = imported("consultations_en")
    text = seed_path("consultations_en").read_text(encoding="utf-8")
    changed = text.replace("visited Iraq for talks", "travelled to Iraq for talks")
    flagged = article_import(item=extract_text(changed, "again.txt")).article
    client.force_login(editor())
    url = reverse("admin:articles_article_changelist")
    page = client.get(url, {"possible_duplicate_of__isempty": "0"}).content.decode()
    assert f"/admin/articles/article/{flagged.pk}/change/" in page
    assert f"/admin/articles/article/{original.pk}/change/" not in page


def test_import_page_shows_the_form(client, django_assert_num_queries):
    client.force_login(editor())
    # session, user, the user's own permissions, the user's group permissions
    # (asked once for the page and the publish field, then cached on the user)
    with django_assert_num_queries(4):
        response = client.get(IMPORT_URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'type="file"' in page and "multiple" in page
    assert 'name="publish"' not in page  # an editor cannot publish


def test_upload_several_files_and_paste_text(client):
    client.force_login(editor())
    pasted = "Talks in the capital\n\nThe ministers met on Monday to discuss trade."
    response = client.post(
        IMPORT_URL,
        {
            "files": [upload("visit"), upload("consultations_de")],
            "text": pasted,
            "publish": "on",  # ignored: an editor has no publish permission
        },
    )
    drafts = reverse("admin:articles_article_changelist") + "?status__exact=draft"
    assert response.status_code == 302 and response.url == drafts
    assert "Import: 3 created, 0 already there" in summary_of(response)
    assert Article.objects.filter(status=Article.Status.DRAFT).count() == 3
    assert Article.objects.filter(title="Talks in the capital").exists()


def test_bad_upload_is_reported_by_name_and_others_still_import(client):
    client.force_login(editor())
    bad = SimpleUploadedFile("scan.txt", b"%PDF-1.7 \x00\x01")
    response = client.post(IMPORT_URL, {"files": [bad, upload("visit")]})
    texts = messages_of(response)
    assert "1 created" in summary_of(response) and "1 failed" in summary_of(response)
    assert any("scan.txt: this is a PDF document" in text for text in texts)
    assert Article.objects.count() == 1


def test_oversized_upload_is_refused_by_name(client):
    client.force_login(editor())
    big = SimpleUploadedFile("big.txt", b"a" * (MAX_BYTES + 1))
    response = client.post(IMPORT_URL, {"files": [big]})
    assert any(
        "big.txt: 5.0 MB is over the 5 MB limit" in t for t in messages_of(response)
    )
    assert Article.objects.count() == 0


def test_second_upload_is_a_duplicate(client):
    client.force_login(editor())
    client.post(IMPORT_URL, {"files": [upload("visit")]})
    response = client.post(IMPORT_URL, {"files": [upload("visit")]})
    assert "0 created, 1 already there" in summary_of(response)
    assert Article.objects.count() == 1


def test_empty_form_is_refused(client):
    client.force_login(editor())
    response = client.post(IMPORT_URL, {"text": "   "})
    assert response.status_code == 200
    assert "Choose at least one file" in response.content.decode()


def test_chief_editor_can_publish_on_import(client):
    client.force_login(chief_editor())
    client.post(IMPORT_URL, {"files": [upload("consultations_en")], "publish": "on"})
    assert Article.objects.get().is_public


def test_import_page_needs_the_add_permission(client):
    client.force_login(UserFactory())  # staff, no groups
    assert client.get(IMPORT_URL).status_code == 403


# ------------------------------------------------------------- suggested tags


@pytest.fixture
def world():
    return build_world()


def imported(key):
    (item,) = read_path(seed_path(key))
    return article_import(item=item).article


def accept(client, article, key):
    url = reverse("admin:articles_article_accept_tags", args=[article.pk])
    return client.post(url, {"accept": key})


def test_change_page_lists_suggestions_with_evidence(client, world):
    article = imported("consultations_en")
    client.force_login(editor())
    page = client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = page.content.decode()
    assert "Suggested tags" in html
    assert f'value="country:{world["IQ"].pk}"' in html
    assert "“Organisation of Islamic Cooperation”" in html
    assert "Yalchin Rafiyev" in html and "Create person" in html


def test_accept_one_tag_in_one_click(client, world, django_assert_num_queries):
    article = imported("consultations_en")
    client.force_login(editor())
    # session, user, article, user and group permissions (5); suggestions: the
    # entity generation, then (entities changed since the last catalog) people,
    # countries, organizations, topics, agreements, events + their countries and
    # participants (9), the article's tags (1 UNION), articles in other languages
    # in the date window and undated (2); accepting: savepoint, tag insert,
    # savepoint, publication state, version claim, article update, two releases (8);
    # search index: savepoint, the article looked up among those with the published
    # status (a draft is not indexed), (SQLite: the delete of its rows in both FTS
    # tables), the delete of its facet keys, release;
    # revision of the saved article: its six tag sets and images serialised, the
    # followed ids, the revision and version rows, with their savepoints (13)
    index_queries = 6
    with django_assert_num_queries(25 + 13 + index_queries):
        response = accept(client, article, f"country:{world['IQ'].pk}")
    assert response.status_code == 302
    article.refresh_from_db()
    assert list(article.countries.all()) == [world["IQ"]]
    assert article.version == 2  # a form opened before cannot drop the new tag
    assert "Accepted: Iraq." in messages_of(response)
    # Accepted tags are no longer suggested; the others still are.
    left = {s.key for s in suggest_for_article(article)}
    assert f"country:{world['IQ'].pk}" not in left
    assert f"country:{world['AZ'].pk}" in left


def test_accept_all_known_tags(client, world):
    article = imported("deputy_visit")
    client.force_login(editor())
    accept(client, article, "all")
    assert set(article.people.all()) == {
        world["khayrullah"],
        world["bayramov"],
        world["rzayev"],
    }
    assert world["consult_2022"] in article.events.all()
    assert not Person.objects.filter(full_name__icontains="Rafiyev").exists()


def test_accept_a_new_person_with_the_position(client, world):
    article = imported("consultations_en")
    client.force_login(editor())
    accept(client, article, "new_person:yalchin-rafiyev")
    person = Person.objects.get(full_name="Yalchin Rafiyev")
    assert person.country == world["AZ"]
    assert person.positions.get().title == "Deputy Foreign Minister"
    assert person in article.people.all()


def test_same_person_in_another_spelling_can_be_merged(client, world):
    world["rafiyev"] = Person.objects.create(full_name="Yalchin Rafiyev")
    article = ArticleFactory(
        title="Talks in Baghdad",
        lead="Deputy Foreign Minister Yalçın Rafiyev held talks in Baghdad.",
    )
    client.force_login(editor())
    accept(client, article, "merge_person:yalcin-rafiyev")
    world["rafiyev"].refresh_from_db()
    assert "Yalçın Rafiyev" in world["rafiyev"].alias_list()
    assert Person.objects.filter(full_name__contains="Rafiyev").count() == 1
    assert world["rafiyev"] in article.people.all()


def test_same_story_in_another_language(client, world):
    english = imported("consultations_en")
    english.countries.set([world["AZ"], world["IQ"]])
    english.events.set([world["consult_2025"]])
    german = imported("consultations_de")
    client.force_login(editor())
    accept(client, german, f"story:{english.pk}")
    german.refresh_from_db()
    assert german.story == english


def test_a_key_that_is_not_suggested_is_refused(client, world):
    article = imported("consultations_en")
    client.force_login(editor())
    response = accept(client, article, f"person:{world['ilham'].pk}")
    assert "no longer applies" in messages_of(response)[0]
    assert article.people.count() == 0


def test_accepting_needs_the_change_permission(client, world):
    article = imported("consultations_en")
    client.force_login(UserFactory())
    assert accept(client, article, "all").status_code == 403
    assert article.countries.count() == 0


def test_accepting_is_post_only(client, world):
    article = imported("consultations_en")
    client.force_login(editor())
    url = reverse("admin:articles_article_accept_tags", args=[article.pk])
    assert client.get(url).status_code == 405


def test_add_page_explains_suggestions_come_after_saving(client):
    client.force_login(editor())
    page = client.get(reverse("admin:articles_article_add"))
    assert page.status_code == 200
    assert "Suggestions appear once the article is saved." in page.content.decode()
