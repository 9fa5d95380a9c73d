"""Admin views of ingestion: the Import page and one-click suggested tags."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from . import services
from .importing import ImportResult, articles_import
from .ingest import MAX_BYTES, IngestError, check_size, extract_any, read_bytes
from .tagging import (
    TAG_FIELDS,
    article_accept_suggestions,
    merge_suggestion,
    suggest_for_article,
)

MAX_FILES = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files if f]


class ImportForm(forms.Form):
    files = MultipleFileField(
        required=False, help_text="Text, HTML or JSON files, up to 5 MB each."
    )
    text = forms.CharField(
        label="Or paste text",
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "cols": 90}),
        max_length=MAX_BYTES,
    )
    source = forms.CharField(
        required=False, max_length=200, help_text="Publisher, when not in the text."
    )
    language = forms.RegexField(
        required=False,
        regex=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$",
        max_length=12,
        help_text="Leave empty to detect it.",
    )
    tag = forms.BooleanField(required=False, label="Apply suggested tags")
    publish = forms.BooleanField(required=False, label="Publish at once")

    def clean(self):
        data = super().clean()
        if not data.get("files") and not (data.get("text") or "").strip():
            raise forms.ValidationError("Choose at least one file or paste some text.")
        if len(data.get("files") or []) > MAX_FILES:
            raise forms.ValidationError(f"At most {MAX_FILES} files at a time.")
        return data


class ArticleImportAdminMixin:
    """Adds /admin/articles/article/import/ and the suggested-tags panel."""

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="articles_article_import"),
            path(
                "<int:pk>/accept-tags/",
                view(require_POST(self.accept_tags_view)),
                name="articles_article_accept_tags",
            ),
        ] + super().get_urls()

    # ------------------------------------------------------------ import page

    def import_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        if not services.can_publish(request.user):
            del form.fields["publish"]
        if request.method == "POST" and form.is_valid():
            results = self._import_all(request, form.cleaned_data)
            self._report(request, results)
            changelist = reverse("admin:articles_article_changelist")
            return HttpResponseRedirect(f"{changelist}?status__exact=draft")
        context = {
            **self.admin_site.each_context(request),
            "title": "Import news items",
            "form": form,
            "opts": self.model._meta,
            "max_files": MAX_FILES,
        }
        return TemplateResponse(request, "admin/articles/article/import.html", context)

    def _import_all(self, request, data):
        items, results = [], []
        for upload in data.get("files") or []:
            try:
                items += _read_upload(upload)
            except IngestError as error:
                results.append(ImportResult(upload.name, "failed", message=str(error)))
        if (data.get("text") or "").strip():
            try:
                items += extract_any(data["text"], "pasted text")
            except IngestError as error:
                failed = ImportResult("pasted text", "failed", message=str(error))
                results.append(failed)
        options = {
            "user": request.user,
            "source_name": data.get("source") or None,
            "language": data.get("language") or None,
            "publish": bool(data.get("publish")),
            "tag": bool(data.get("tag")),
        }
        return results + _import_items(items, options)

    def _report(self, request, results):
        counts = {
            status: sum(1 for r in results if r.status == status)
            for status in ("created", "duplicate", "near_duplicate", "failed")
        }
        level = messages.WARNING if counts["failed"] else messages.SUCCESS
        messages.add_message(
            request,
            level,
            f"Import: {counts['created']} created, {counts['duplicate']} already "
            f"there, {counts['near_duplicate']} flagged as possible duplicates, "
            f"{counts['failed']} failed.",
        )
        for result in results:
            if result.status == "failed":
                messages.error(request, result.message)
            elif result.status == "near_duplicate":
                messages.warning(request, f"{result.name}: {result.message}")

    # ------------------------------------------------------- suggested tags

    def suggested_tags(self, article):
        if not article or not article.pk:
            return "Suggestions appear once the article is saved."
        url = reverse("admin:articles_article_accept_tags", args=[article.pk])
        suggestions = suggest_for_article(article)
        return render_to_string(
            "admin/articles/article/suggested_tags.html",
            {"suggestions": suggestions, "accept_url": url},
        )

    suggested_tags.short_description = "Suggested tags"

    def accept_tags_view(self, request, pk):
        article = get_object_or_404(self.model, pk=pk)
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        chosen = _chosen(suggest_for_article(article), request.POST.get("accept", ""))
        change_url = reverse("admin:articles_article_change", args=[pk])
        if not chosen:
            messages.warning(request, "That suggestion no longer applies.")
            return HttpResponseRedirect(change_url)
        if any(s.kind == "new_person" for s in chosen):
            if not request.user.has_perm("relations.add_person"):
                raise PermissionDenied
        article_accept_suggestions(
            article=article, suggestions=chosen, user=request.user
        )
        labels = ", ".join(s.label for s in chosen)
        messages.success(request, f"Accepted: {labels}.")
        return HttpResponseRedirect(change_url)


def _read_upload(upload):
    # The size Django counted while streaming the upload, checked before reading.
    check_size(upload.size, upload.name)
    return read_bytes(upload.read(MAX_BYTES + 1), upload.name)


def _import_items(items, options):
    try:
        return articles_import(items=items, **options)
    except PermissionDenied as error:
        return [
            ImportResult(item.name, "failed", message=f"{item.name}: {error}")
            for item in items
        ]


def _chosen(suggestions, key):
    """What a posted key names; only what is suggested right now can be accepted."""
    if key == "all":
        return [s for s in suggestions if s.kind in TAG_FIELDS]
    merges = [merge_suggestion(s) for s in suggestions if s.merge_into]
    return [s for s in suggestions + merges if s.key == key][:1]
