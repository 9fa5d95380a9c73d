import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from reversion.models import Version

from articles import history, services
from articles.models import Article
from relations.models import Person
from tests.articles.workflow.admin_util import change_form_data
from tests.factories import (
    ArticleFactory,
    CountryFactory,
    PersonFactory,
    SourceFactory,
    chief_editor,
    editor,
)

pytestmark = pytest.mark.django_db


def _article(**fields):
    article = ArticleFactory.build(source=SourceFactory(), **fields)
    return services.article_save(article=article, user=editor(username="leyla"))


def _edit(article, user=None, **fields):
    for name, value in fields.items():
        setattr(article, name, value)
    return services.article_save(article=article, user=user or editor())


def _versions(obj):
    return list(history.versions_for(obj))  # newest first


def test_every_save_stores_a_version_with_its_author():
    article = _article(title="First title")
    _edit(article, title="Second title")
    versions = _versions(article)
    assert len(versions) == 2
    assert versions[1].field_dict["title"] == "First title"
    assert versions[1].revision.user.username == "leyla"
    assert versions[0].field_dict["version"] == 2


def test_tags_are_part_of_the_version_but_entities_are_not_copied():
    country = CountryFactory(name="Freedonia")
    article = _article()
    article.countries.add(country)
    _edit(article, title="Tagged")
    latest = _versions(article)[0]
    assert latest.field_dict["countries"] == [country.pk]
    assert not Version.objects.get_for_object(country).exists()


def test_diff_between_any_two_versions_is_per_field_and_escaped():
    article = _article(title="Talks in the capital", lead="Old lead.")
    _edit(article, title="Talks <script>alert(1)</script> in the capital")
    _edit(article, lead="New lead.")
    third, second, first = _versions(article)
    changes = history.changes_between(
        Article, history.version_values(first), history.version_values(third)
    )
    by_field = {change.name: change.html for change in changes}
    assert set(by_field) == {"title", "lead"}
    assert "<ins> &lt;script&gt;alert(1)&lt;/script&gt;</ins>" in by_field["title"]
    assert "<script>" not in by_field["title"]
    assert "<del>Old</del><ins>New</ins>" in by_field["lead"]
    between_first_two = history.changes_between(
        Article, history.version_values(first), history.version_values(second)
    )
    assert [change.name for change in between_first_two] == ["title"]


def test_restore_brings_content_and_tags_back_as_a_new_version():
    kept, dropped = CountryFactory(), CountryFactory()
    article = _article(title="Original title", body="<p>Original body.</p>")
    article.countries.add(kept)
    _edit(article, title="Original title")  # version 2 holds the tag
    article.countries.set([dropped])
    _edit(article, title="Rewritten", body="<p>Rewritten.</p>")
    target = _versions(article)[1]

    services.article_restore(article=article, version=target, user=editor())

    stored = Article.objects.get(pk=article.pk)
    assert (stored.title, stored.body) == ("Original title", "<p>Original body.</p>")
    assert list(stored.countries.all()) == [kept]
    assert stored.version == 4 and len(_versions(article)) == 4


def test_restore_keeps_the_publication_state():
    article = _article(title="Draft title")
    services.article_publish(article=article, user=chief_editor())
    oldest = _versions(article)[-1]
    assert oldest.field_dict["status"] == Article.Status.DRAFT
    services.article_restore(article=article, version=oldest, user=editor())
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_restore_is_refused_on_a_stale_version():
    article = _article(title="One")
    _edit(Article.objects.get(pk=article.pk), title="Two")
    with pytest.raises(services.StaleVersionError):
        services.article_restore(
            article=article, version=_versions(article)[-1], user=editor()
        )
    assert Article.objects.get(pk=article.pk).title == "Two"


def test_restore_refuses_a_version_of_another_object():
    article, other = _article(), _article()
    with pytest.raises(ValueError):
        services.article_restore(
            article=article, version=_versions(other)[0], user=editor()
        )


def _history_url(obj, version=None):
    opts = obj._meta
    if version is None:
        return reverse(
            f"admin:{opts.app_label}_{opts.model_name}_history", args=[obj.pk]
        )
    return reverse(
        f"admin:{opts.app_label}_{opts.model_name}_revision", args=[obj.pk, version.pk]
    )


def test_admin_history_lists_versions_and_shows_a_diff(client):
    article = _article(title="Before <em>x</em>")
    _edit(article, title="After")
    client.force_login(editor())
    listing = client.get(_history_url(article)).content.decode()
    oldest = _versions(article)[-1]
    assert _history_url(article, oldest) in listing and "leyla" in listing
    page = client.get(_history_url(article, oldest)).content.decode()
    assert "<del>Before &lt;em&gt;x&lt;/em&gt;</del><ins>After</ins>" in page


def test_admin_compares_two_chosen_versions(client):
    article = _article(title="A", lead="L1")
    _edit(article, title="B")
    _edit(article, lead="L2")
    newest, middle, oldest = _versions(article)
    client.force_login(editor())
    url = _history_url(article, oldest) + f"?compare={middle.pk}"
    table = client.get(url).content.decode().split("<tbody>")[1].split("</tbody>")[0]
    assert "<del>A</del><ins>B</ins>" in table and "L2" not in table


def test_admin_diff_page_query_count(client, django_assert_num_queries):
    article = _article(title="A")
    _edit(article, title="B")
    oldest = _versions(article)[-1]
    client.force_login(editor())
    # session, user, the article, the user's permissions (direct and by group),
    # the chosen version with its revision and user, the current tags (6 m2m
    # reads), the version list with revisions and users. Only the title changed,
    # so no related name is looked up for the diff.
    with django_assert_num_queries(13):
        response = client.get(_history_url(article, oldest))
    assert response.status_code == 200


def test_admin_restore_goes_through_the_service(client):
    article = _article(title="Old")
    _edit(article, title="New")
    client.force_login(editor())
    response = client.post(_history_url(article, _versions(article)[-1]))
    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Old" and stored.version == 3


def test_admin_restore_cannot_publish_for_an_editor(client):
    article = _article(title="Published later")
    services.article_publish(article=article, user=chief_editor())
    published_version = _versions(article)[0]
    services.article_unpublish(article=article, user=chief_editor())
    client.force_login(editor())
    client.post(_history_url(article, published_version))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_reversion_whole_revision_recovery_is_closed_for_articles(client):
    article = _article()
    client.force_login(chief_editor())
    response = client.get(reverse("admin:articles_article_recoverlist"))
    assert response.status_code == 403
    assert Article.objects.filter(pk=article.pk).exists()


def test_entity_history_and_restore_in_the_admin(client):
    person = PersonFactory(full_name="Yalchin Rafiyev")
    client.force_login(chief_editor())
    url = reverse("admin:relations_person_change", args=[person.pk])
    data = change_form_data(client.get(url))
    assert client.post(url, data).status_code == 302
    data = change_form_data(client.get(url))
    data["full_name"] = "Yalchin Rafiev"
    data["positions-0-title"] = "Deputy Minister of Foreign Affairs"
    assert client.post(url, data).status_code == 302
    versions = _versions(person)
    assert len(versions) == 2
    page = client.get(_history_url(person, versions[1])).content.decode()
    assert "<del>Rafiyev</del><ins>Rafiev</ins>" in page
    assert client.post(_history_url(person, versions[1])).status_code == 302
    assert Person.objects.get(pk=person.pk).full_name == "Yalchin Rafiyev"
    assert len(_versions(person)) == 3


def test_editor_cannot_restore_without_change_permission(client):
    article = _article(title="Old")
    _edit(article, title="New")
    viewer = editor(username="viewer")
    viewer.groups.clear()
    from django.contrib.auth.models import Permission

    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    client.force_login(viewer)
    response = client.post(_history_url(article, _versions(article)[-1]))
    assert response.status_code == 403
    assert Article.objects.get(pk=article.pk).title == "New"


def test_entity_restore_refuses_articles():
    article = _article()
    with pytest.raises(ValueError):
        history.entity_restore(version=_versions(article)[0])
    with pytest.raises(PermissionDenied):
        services.transition_check(
            from_status="draft", to_status="published", user=editor()
        )


def test_admin_history_list_query_count_and_escaping(client, django_assert_num_queries):
    article = _article(title="<script>alert('t')</script> Talks")
    for n in range(3):
        _edit(article, lead=f"Lead {n}")
    client.force_login(editor())
    # session, user, the article, the user's permissions (direct and by group),
    # the versions with their revisions and users (one query for any number),
    # and the admin log entries Django's own history view reads.
    with django_assert_num_queries(7):
        response = client.get(_history_url(article))
    page = response.content.decode()
    assert page.count("/history/") >= 4  # one link per version
    assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_deleted_entity_is_recovered_from_its_last_version(client):
    from relations.models import Topic

    client.force_login(chief_editor())
    add = client.post(reverse("admin:relations_topic_add"), {"name": "Energy"})
    assert add.status_code == 302
    topic = Topic.objects.get(name="Energy")
    version = _versions(topic)[0]
    topic.delete()
    listing = client.get(reverse("admin:relations_topic_recoverlist"))
    assert "Energy" in listing.content.decode()
    url = reverse("admin:relations_topic_recover", args=[version.pk])
    assert "Energy" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert Topic.objects.filter(name="Energy").exists()


def test_article_list_offers_no_recovery_link(client):
    client.force_login(chief_editor())
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "recoverlink" not in page
    topics = client.get(reverse("admin:relations_topic_changelist")).content.decode()
    assert "recoverlink" in topics


def test_restore_skips_what_was_deleted_since():
    gone_source, gone_person = SourceFactory(), PersonFactory()
    article = _article()
    article.source = gone_source
    article.people.add(gone_person)
    _edit(article, title="With the old source")
    target = _versions(article)[0]
    current_source = SourceFactory()
    _edit(article, source=current_source, title="Moved")
    article.people.clear()
    gone_person.delete()
    Article.objects.filter(pk=article.pk).update(source=current_source)
    gone_source.delete()
    services.article_restore(article=article, version=target, user=editor())
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "With the old source"
    assert stored.source == current_source and not stored.people.exists()


def test_entity_restore_runs_the_admins_own_save(client, monkeypatch):
    from relations.admin import TopicAdmin

    client.force_login(chief_editor())
    client.post(reverse("admin:relations_topic_add"), {"name": "Trade"})
    from relations.models import Topic

    topic = Topic.objects.get(name="Trade")
    url = reverse("admin:relations_topic_change", args=[topic.pk])
    client.post(url, {"name": "Trade and transit", "slug": topic.slug})
    saved = []
    monkeypatch.setattr(
        TopicAdmin, "save_model", lambda self, r, obj, f, c: saved.append(obj.name)
    )
    client.post(_history_url(topic, _versions(topic)[-1]))
    assert saved == ["Trade"]
    assert Topic.objects.get(pk=topic.pk).name == "Trade"


def test_registration_is_ours_not_derived_from_the_admin_inlines():
    import reversion

    options = reversion.revisions._get_options(Article)
    assert options.follow == ("images",)  # not the status-change records
    assert "search_vector" not in options.fields and "people" in options.fields
