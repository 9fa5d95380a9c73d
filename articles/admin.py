from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from . import images, services
from .admin_import import ArticleImportAdminMixin
from .history_admin import HistoryAdminMixin
from .models import Article, ArticleImage, Source
from .search import index_article
from .stale import stale_conflict


@admin.register(Source)
class SourceAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ["name", "url", "country", "default_language"]
    list_select_related = ["country"]
    search_fields = ["name", "url"]
    autocomplete_fields = ["country"]


class ArticleImageForm(forms.ModelForm):
    """Checks an uploaded picture before anything is stored (see articles.images)."""

    # A plain file field: Django's image field would open the upload with Pillow
    # before our size check; articles.images does every check, in order.
    image = forms.FileField()

    class Meta:
        model = ArticleImage
        fields = ["image", "alt_text", "caption", "credit", "position"]

    prepared = None

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if upload and "image" in self.changed_data:
            try:
                self.prepared = images.image_prepare(upload)
            except images.ImageRejected as error:
                raise ValidationError(error.messages) from error
            # The model reads its dimensions from the clean bytes, never the upload.
            return ContentFile(
                self.prepared.data, name=f"new.{self.prepared.extension}"
            )
        return upload


class ArticleImageInlineFormSet(forms.BaseInlineFormSet):
    storage_error = None

    def clean(self):
        super().clean()
        if self.storage_error:
            raise ValidationError(self.storage_error)


class ArticleImageInline(admin.StackedInline):
    model = ArticleImage
    form = ArticleImageForm
    formset = ArticleImageInlineFormSet
    extra = 0
    fields = ["image", "alt_text", "caption", "credit", "position"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.storage_error = getattr(request, "image_storage_error", None)
        return formset


class ArticleAdminForm(forms.ModelForm):
    """Carries the version the editor loaded, so a save over someone else's
    newer save is refused instead of silently overwriting it."""

    loaded_version = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=1
    )
    user = None  # set per request by ArticleAdmin.get_form

    class Meta:
        model = Article
        fields = ["title"]  # the admin passes the full list from its fieldsets

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            self._check_version(cleaned.get("loaded_version"))
        if "status" in cleaned:
            self._check_transition(cleaned["status"])
            if cleaned.get("status") == Article.Status.PUBLISHED:
                # Publishing without a time means now (the model requires one).
                cleaned["published_at"] = cleaned.get("published_at") or timezone.now()
        return cleaned

    def _check_version(self, loaded):
        if loaded is None:
            raise ValidationError(
                "The form did not say which version of the article it was loaded "
                "with; reload the page and make the change again."
            )
        self.conflict = stale_conflict(self.instance, loaded, self.cleaned_data)
        if self.conflict:
            # The next save is a deliberate choice made after seeing the changes.
            self.data = self.data.copy()
            self.data[self.add_prefix("loaded_version")] = self.conflict.current
            raise ValidationError(self.conflict.message)

    def _check_transition(self, to_status):
        stored = Article.objects.filter(pk=self.instance.pk).values("status").first()
        before = stored["status"] if stored else Article.Status.DRAFT
        try:
            services.transition_check(
                from_status=before, to_status=to_status, user=self.user
            )
        except (services.InvalidTransitionError, PermissionDenied) as error:
            self.add_error("status", str(error))


@admin.register(Article)
class ArticleAdmin(ArticleImportAdminMixin, HistoryAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    change_form_template = "admin/articles/article/change_form.html"
    # The default lookup (admin/articles/article/change_list.html, then the stock
    # one): no "recover deleted" link, since articles are not recovered that way.
    change_list_template = None
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
        "status_changes",
        "version",
        "created_by",
        "updated_by",
        "created_at",
        "updated_at",
    ]
    inlines = [ArticleImageInline]
    actions = ["send_to_review", "return_to_draft", "publish", "unpublish", "archive"]
    fieldsets = [
        (
            "Content",
            {"fields": ["title", "slug", "lead", "body", "language", "loaded_version"]},
        ),
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
        (
            "Publication",
            {"fields": ["status", "published_at", "public_link", "status_changes"]},
        ),
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

    @admin.display(description="Status changes")
    def status_changes(self, article):
        """The workflow record, read-only: written only by the services."""
        if not article.pk:
            return "—"
        rows = [
            (
                timezone.localtime(change.at).strftime("%Y-%m-%d %H:%M"),
                change.get_from_status_display(),
                change.get_to_status_display(),
                change.user or "—",
                change.note,
            )
            for change in article.transitions.select_related("user")
        ]
        if not rows:
            return "None yet."
        return format_html(
            '<table class="status-changes"><thead><tr><th>When</th><th>From</th>'
            "<th>To</th><th>By</th><th>Note</th></tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "",
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                rows,
            ),
        )

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not services.can_publish(request.user):
            fields += ["status", "published_at"]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not services.can_publish(request.user):
            for name in ["publish", "unpublish", "archive"]:
                actions.pop(name, None)
        return actions

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Outside the revision block: a failed attempt leaves no revision behind.
        return self._retrying(
            super().change_view, request, object_id, form_url, extra_context
        )

    def add_view(self, request, form_url="", extra_context=None):
        return self._retrying(super().add_view, request, form_url, extra_context)

    def _retrying(self, view, request, *args):
        """Run the admin view; when the write fails after validation (a save by
        someone else in between, or a storage failure), everything was rolled
        back, and running it again shows the form with the reason and the
        editor's text."""
        try:
            return view(request, *args)
        except services.StaleVersionError:
            return view(request, *args)
        except images.ImageStorageError as error:
            request.image_storage_error = str(error)
            return view(request, *args)

    def save_model(self, request, obj, form, change):
        loaded = form.cleaned_data.get("loaded_version") if change else None
        try:
            services.article_save(
                article=obj, user=request.user, expected_version=loaded
            )
        except PermissionDenied as error:
            messages.error(request, str(error))
            raise

    def save_related(self, request, form, formsets, change):
        # Tags are saved after the article; the index needs their names too. The
        # admin wraps the whole change in one transaction.
        super().save_related(request, form, formsets, change)
        index_article(form.instance)

    def save_formset(self, request, form, formset, change):
        if formset.model is not ArticleImage:
            return super().save_formset(request, form, formset, change)
        formset.save(commit=False)
        for image in formset.deleted_objects:
            services.article_image_delete(image=image)
        for image_form in formset.forms:
            if image_form in formset.deleted_forms or not image_form.has_changed():
                continue
            image = image_form.instance
            image.article = form.instance
            services.article_image_save(
                image=image, upload=image_form.prepared, user=request.user
            )

    def _run_each(self, request, queryset, service, done):
        """Apply `service` to each article; report successes and refusals."""
        count = 0
        for article in queryset:
            try:
                with transaction.atomic():
                    service(article=article, user=request.user)
                count += 1
            except (services.InvalidTransitionError, PermissionDenied) as error:
                self.message_user(request, f"“{article}”: {error}", messages.WARNING)
        self.message_user(request, f"{count} article(s) {done}.", messages.SUCCESS)

    @admin.action(description="Send selected articles to review")
    def send_to_review(self, request, queryset):
        self._run_each(
            request, queryset, services.article_submit_for_review, "sent to review"
        )

    @admin.action(description="Return selected articles to draft")
    def return_to_draft(self, request, queryset):
        self._run_each(
            request, queryset, services.article_return_to_draft, "returned to draft"
        )

    @admin.action(description="Publish selected articles now", permissions=["publish"])
    def publish(self, request, queryset):
        def publish_now(*, article, user):
            services.article_publish(article=article, user=user, at=timezone.now())

        self._run_each(request, queryset, publish_now, "published")

    @admin.action(
        description="Unpublish selected articles (back to draft)",
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._run_each(request, queryset, services.article_unpublish, "unpublished")

    @admin.action(description="Archive selected articles", permissions=["publish"])
    def archive(self, request, queryset):
        self._run_each(request, queryset, services.article_archive, "archived")

    def has_publish_permission(self, request):
        return services.can_publish(request.user)

    def history_restore(self, request, obj, version):
        return services.article_restore(article=obj, version=version, user=request.user)

    def has_recover_permission(self, request):
        # A deleted article would come back without the workflow checks.
        return False
