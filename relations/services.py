"""Writes to the world model that other data depends on."""

from django.db import transaction


def _names(entity):
    if hasattr(entity, "all_names"):
        return entity.all_names()
    return [str(entity)]


@transaction.atomic
def entity_save(*, entity):
    """Save a person, country, organization, event, agreement or topic.

    When its name or aliases changed, the articles tagged with it are reindexed in
    the same transaction, so a new spelling is searchable at once. That costs one
    index write per tagged article.
    """
    from articles.models import Article
    from articles.search import reindex_articles

    model = type(entity)
    before = model.objects.filter(pk=entity.pk).first() if entity.pk else None
    entity.save()
    if before is None or _names(before) == _names(entity):
        return entity
    tagged = Article.objects.mentioning(entity).values_list("pk", flat=True)
    reindex_articles(tagged)
    return entity
