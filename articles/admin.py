from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.html import format_html

from . import services
from .admin_import import ArticleImportAdminMixin
from .models import Article, ArticleImage, Source
from .search import index_article


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "url", "country", "default_language"]
    list_select_related = ["country"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["country"]


class ArticleImageInline(admin.StackedInline):
    model = ArticleImage
    extra = 0
    fields = ["image", "alt_text", "caption", "credit", "position"]


@admin.register(Article)
class ArticleAdmin(ArticleImportAdminMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "status",
        "language",
        "source",
        "published_at",
        "updated_at",
        "possible_duplicate_of",
    ]
    list_filter = [
        "status",
        "language",
        "source",
        ("countries", admin.RelatedOnlyFieldListFilter),
        ("people", admin.RelatedOnlyFieldListFilter),
        "published_at",
        ("possible_duplicate_of", admin.EmptyFieldListFilter),
    ]
    list_select_related = ["source", "possible_duplicate_of"]
    search_fields = ["title", "lead", "byline"]
    date_hierarchy = "published_at"
    autocomplete_fields = [
        "source",
        "people",
        "countries",
        "organizations",
        "events",
        "agreements",
        "topics",
        "story",
        "possible_duplicate_of",
    ]
    readonly_fields = [
        "suggested_tags",
        "public_link",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ArticleImageInline]
    actions = ["send_to_review", "publish", "archive"]
    fieldsets = [
        ("Content", {"fields": ["title", "slug", "lead", "body", "language"]}),
        (
            "Tags",
            {
                "fields": [
                    "people",
                    "countries",
                    "organizations",
                    "events",
                    "agreements",
                    "topics",
                    "story",
                    "suggested_tags",
                ]
            },
        ),
        ("Publication", {"fields": ["status", "published_at", "public_link"]}),
        (
            "Provenance",
            {
                "fields": [
                    "source",
                    "source_url",
                    "byline",
                    "dateline_place",
                    "photo_credit",
                    "possible_duplicate_of",
                    "version",
                    "created_by",
                    "updated_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    @admin.display(description="Public page")
    def public_link(self, article):
        if not article.pk:
            return "—"
        note = "" if article.is_public else " (visible to the public once published)"
        return format_html(
            '<a href="{}">{}</a>{}',
            article.get_absolute_url(),
            article.get_absolute_url(),
            note,
        )

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += ["status", "published_at"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.can_publish(request.user):
            actions.pop("publish", None)
            actions.pop("archive", None)
        return actions

    def save_model(self, request, obj, form, change):
        try:
            services.article_save(article=obj, user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
            raise

    def save_related(self, request, form, formsets, change):
        # Tags are saved after the article; the index needs their names too. The
        # admin wraps the whole change in one transaction.
        super().save_related(request, form, formsets, change)
        index_article(form.instance)

    @admin.action(description="Send selected articles to review")
    def send_to_review(self, request, queryset):
        count = sum(
            1
            for article in queryset
            if services.article_submit_for_review(article=article, user=request.user)
        )
        self.message_user(request, f"{count} article(s) sent to review.")

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        for article in queryset:
            services.article_publish(
                article=article, user=request.user, at=timezone.now()
            )
        self.message_user(
            request, f"{queryset.count()} article(s) published.", messages.SUCCESS
        )

    @admin.action(description="Archive selected articles", permissions=["publish"])
    def archive(self, request, queryset):
        for article in queryset:
            services.article_archive(article=article, user=request.user)
        self.message_user(
            request, f"{queryset.count()} article(s) archived.", messages.SUCCESS
        )

    def has_publish_permission(self, request):
        return services.can_publish(request.user)
