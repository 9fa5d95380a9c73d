import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000
# Facet key name -> the Article many-to-many field (as in articles.search.facets).
TAG_KEYS = {
    "country": "countries",
    "person": "people",
    "organization": "organizations",
    "event": "events",
    "topic": "topics",
}


def tag_ids(Article, field, ids):
    """{article id: [tag ids]} of one tag relation for these articles."""
    relation = Article._meta.get_field(field)
    rows = relation.remote_field.through.objects.filter(
        **{f"{relation.m2m_field_name()}_id__in": ids}
    ).values_list(
        f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
    )
    found = {}
    for article_id, tag_id in rows:
        found.setdefault(article_id, []).append(tag_id)
    return found


def keys_of(article, tags):
    keys = [
        f"{name}={pk}"
        for name, field in TAG_KEYS.items()
        for pk in tags[field].get(article.pk, [])
    ]
    if article.source_id is not None:
        keys.append(f"source={article.source_id}")
    keys.append(f"language={article.language}")
    if article.published_at is not None:
        local = timezone.localtime(
            article.published_at, timezone.get_default_timezone()
        )
        keys.append(f"year={local.year}")
    return " ".join(dict.fromkeys(keys))


def fill(apps, schema_editor):
    """Keys for every article with the published status (those the index holds)."""
    Article = apps.get_model("articles", "Article")
    FacetKeys = apps.get_model("articles", "FacetKeys")
    published = Article.objects.filter(status="published").order_by("pk")
    ids = list(published.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        articles = published.filter(pk__in=chunk).only(
            "pk", "source_id", "language", "published_at"
        )
        tags = {field: tag_ids(Article, field, chunk) for field in TAG_KEYS.values()}
        FacetKeys.objects.bulk_create(
            FacetKeys(article_id=article.pk, keys=keys_of(article, tags))
            for article in articles
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_search_strong_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="FacetKeys",
            fields=[
                (
                    "article",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="articles.article",
                    ),
                ),
                ("keys", models.TextField()),
            ],
            options={"verbose_name_plural": "facet keys"},
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
