from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Newsroom"

    def ready(self):
        from django.db.models.signals import (
            m2m_changed,
            post_delete,
            post_migrate,
            post_save,
        )

        from . import pagecache
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
        # Any committed change to articles or entities starts a new page cache
        # generation (see articles.pagecache).
        post_save.connect(pagecache.on_model_saved_or_deleted)
        post_delete.connect(pagecache.on_model_saved_or_deleted)
        m2m_changed.connect(pagecache.on_many_to_many_changed)
        post_migrate.connect(pagecache.on_database_reset)
