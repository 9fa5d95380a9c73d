from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import post_delete

        from .history import register_models
        from .search.indexing import unindex_deleted_article

        register_models()
        # A deleted article leaves the index in the same transaction, however
        # it was deleted (admin, API, a queryset's delete()).
        post_delete.connect(
            unindex_deleted_article,
            sender="articles.Article",
            dispatch_uid="unindex_deleted_article",
        )
