import pytest
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleImage, ArticleTransition
from tests.articles.workflow.admin_util import change_form_data
from tests.articles.workflow.images_util import SVG, picture
from tests.factories import ArticleFactory, SourceFactory, chief_editor, editor

pytestmark = pytest.mark.django_db


def _url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def _load(client, user, article):
    client.force_login(user)
    response = client.get(_url(article))
    assert response.status_code == 200
    return change_form_data(response)


def _saved_by_someone_else(article, **changes):
    other = Article.objects.get(pk=article.pk)
    for name, value in changes.items():
        setattr(other, name, value)
    services.article_save(article=other, user=chief_editor(username="amina"))


def test_change_form_carries_the_loaded_version(client):
    article = ArticleFactory()
    data = _load(client, editor(), article)
    assert data["loaded_version"] == article.version


def _created_through_the_service(**fields):
    article = ArticleFactory.build(source=SourceFactory(), **fields)
    return services.article_save(article=article, user=editor())


def test_stale_save_is_refused_with_what_changed_and_nothing_lost(client):
    article = _created_through_the_service(title="Ministers meet in the capital")
    data = _load(client, editor(), article)
    _saved_by_someone_else(
        article, title="Ministers meet in the capital city <b>today</b>"
    )
    data["body"] = "<p>My careful rewrite of the second paragraph.</p>"
    response = client.post(_url(article), data)

    assert response.status_code == 200  # the form again, not a redirect
    page = response.content.decode()
    assert "amina saved this article" in page and "Nothing was saved" in page
    assert "What changed since you loaded version 1" in page
    # Their change, shown word by word and escaped.
    assert "<ins> city &lt;b&gt;today&lt;/b&gt;</ins>" in page
    # Only their change is listed: my own edit of the body is not "theirs".
    assert "<del>" not in page.split("<tbody>")[1].split("</tbody>")[0]
    # My text is still in the form...
    assert "My careful rewrite of the second paragraph." in page
    # ...and theirs is what is stored.
    stored = Article.objects.get(pk=article.pk)
    assert (
        stored.title.endswith("<b>today</b>") and "careful rewrite" not in stored.body
    )


def test_saving_again_after_the_conflict_keeps_the_editors_text(client):
    article = ArticleFactory()
    data = _load(client, editor(), article)
    _saved_by_someone_else(article, lead="Their new lead.")
    data["body"] = "<p>My version of the body.</p>"
    refused = client.post(_url(article), data)
    data["loaded_version"] = refused.context["adminform"].form["loaded_version"].value()
    data["lead"] = "Their new lead."  # merged by hand
    response = client.post(_url(article), data)
    assert response.status_code == 302
    stored = Article.objects.get(pk=article.pk)
    assert stored.body == "<p>My version of the body.</p>"
    assert stored.lead == "Their new lead." and stored.version == 3


def test_a_save_landing_between_check_and_write_is_also_refused(client, monkeypatch):
    import articles.admin

    article = _created_through_the_service()
    data = _load(client, editor(), article)
    data["title"] = "My title"
    _saved_by_someone_else(article, title="Their title")
    real_check = articles.admin.stale_conflict
    calls = []

    def first_check_misses_it(*args):
        # As if the other save committed just after our check.
        calls.append(args)
        return None if len(calls) == 1 else real_check(*args)

    monkeypatch.setattr(articles.admin, "stale_conflict", first_check_misses_it)
    response = client.post(_url(article), data)
    assert response.status_code == 200 and len(calls) == 2
    page = response.content.decode()
    assert "Nothing was saved" in page and "My title" in page
    assert Article.objects.get(pk=article.pk).title == "Their title"


def test_a_post_without_the_loaded_version_is_refused(client):
    article = ArticleFactory(title="Original")
    data = _load(client, editor(), article)
    del data["loaded_version"]
    data["title"] = "Changed"
    response = client.post(_url(article), data)
    assert response.status_code == 200
    assert "reload the page" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Original"


def test_admin_refuses_a_transition_outside_the_workflow(client):
    article = ArticleFactory()
    data = _load(client, chief_editor(), article)
    data["status"] = Article.Status.ARCHIVED
    response = client.post(_url(article), data)
    assert response.status_code == 200
    assert "cannot go from “Draft” to “Archived”" in response.content.decode()
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_admin_status_change_is_recorded_and_shown(client):
    article = ArticleFactory()
    chief = chief_editor(username="nadia")
    data = _load(client, chief, article)
    data["status"] = Article.Status.PUBLISHED
    assert client.post(_url(article), data).status_code == 302
    record = ArticleTransition.objects.get(article=article)
    assert (record.to_status, record.user) == (Article.Status.PUBLISHED, chief)
    page = client.get(_url(article)).content.decode()
    assert "Status changes" in page and "nadia" in page


def test_bulk_actions_report_refusals_and_change_only_valid_ones(client):
    draft = ArticleFactory()
    published = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=draft.created_at
    )
    client.force_login(chief_editor())
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "archive", "_selected_action": [draft.pk, published.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "cannot go from" in page and "1 article(s) archived" in page
    assert Article.objects.get(pk=draft.pk).status == Article.Status.DRAFT
    assert Article.objects.get(pk=published.pk).status == Article.Status.ARCHIVED


def _with_upload(data, content, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data.update(
        {
            "images-TOTAL_FORMS": "1",
            "images-0-image": SimpleUploadedFile(name, content),
            "images-0-alt_text": "Delegations at the table",
            "images-0-position": "0",
        }
    )
    return data


def test_admin_upload_of_svg_named_png_is_refused(client, settings):
    article = ArticleFactory()
    data = _with_upload(_load(client, editor(), article), SVG, "photo.png")
    response = client.post(_url(article), data)
    assert response.status_code == 200
    assert "not a picture in an accepted format" in response.content.decode()
    assert not ArticleImage.objects.exists()
    assert (
        not list((settings.MEDIA_ROOT).rglob("*.*"))
        if settings.MEDIA_ROOT.exists()
        else True
    )


def test_admin_upload_stores_a_clean_picture(client):
    article = ArticleFactory()
    data = _with_upload(
        _load(client, editor(), article), picture((900, 600), "JPEG"), "x.jpg"
    )
    assert client.post(_url(article), data).status_code == 302
    image = ArticleImage.objects.get(article=article)
    assert image.image.name.endswith(".jpg") and (image.width, image.height) == (
        900,
        600,
    )


def test_storage_failure_in_the_admin_rolls_back_and_keeps_the_text(
    client, settings, monkeypatch
):
    from django.core.files.storage import FileSystemStorage

    article = ArticleFactory(title="Before")
    data = _with_upload(_load(client, editor(), article), picture((900, 600)), "x.png")
    data["title"] = "My new title"

    def broken_save(storage, name, content, **kwargs):
        raise OSError("storage unavailable")

    monkeypatch.setattr(FileSystemStorage, "save", broken_save)
    response = client.post(_url(article), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "could not be stored" in page and "My new title" in page
    stored = Article.objects.get(pk=article.pk)
    assert stored.title == "Before" and stored.version == article.version
    assert not ArticleImage.objects.exists()
    files = (
        list(settings.MEDIA_ROOT.rglob("*.*")) if settings.MEDIA_ROOT.exists() else []
    )
    assert files == []


def test_editors_see_the_status_changes_too(client):
    author = editor(username="rauf")
    article = ArticleFactory()
    services.article_submit_for_review(article=article, user=author)
    client.force_login(author)
    page = client.get(_url(article)).content.decode()
    assert "Status changes" in page and "rauf" in page and "In review" in page
