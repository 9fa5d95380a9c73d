"""The news: publishers, articles and their images."""

import hashlib

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.lookups import LessThanOrEqual
from django.urls import reverse
from django.utils import timezone

from config.links import link
from relations.models import Agreement, Country, Event, Organization, Person, Topic
from relations.slugs import unique_slug


class Source(models.Model):
    """A publisher whose reporting an article summarises or reproduces."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    url = models.URLField(blank=True)
    country = models.ForeignKey(
        Country,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sources",
    )
    default_language = models.CharField(max_length=12, default="en")

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:search") + f"?source={self.slug}"


class PublicBy(LessThanOrEqual):
    """`published_at <= now` as `public_condition` asks it. A lookup of its own
    (the same SQL as `lte`), so the search can tell the definition of public
    from a caller's own date bound (`articles.search.backends.filter_keys`)."""

    lookup_name = "public_by"

    def get_rhs_op(self, connection, rhs):
        return connection.operators["lte"] % rhs


def public_condition(through=""):
    """The one definition of public: published, and its publication time passed.

    `through` reaches the article from another model ("articles__" from a tag),
    so a count can test the joined article's own columns instead of asking
    whether its id is among the public ones (which PostgreSQL cannot hash at a
    million articles and then checks row by row).
    """
    return Q(
        **{
            f"{through}status": Article.Status.PUBLISHED,
            f"{through}published_at__public_by": timezone.now(),
        }
    )


class ArticleQuerySet(models.QuerySet):
    def published(self):
        """Public articles (`public_condition`)."""
        return self.filter(public_condition())

    def mentioning(self, entity):
        """Articles tagged with `entity` (person, country, organization, event...)."""
        field = TAG_FIELDS_BY_MODEL[type(entity)]
        return self.filter(**{field: entity})

    def with_cards(self):
        """What a result card shows, in a fixed number of queries."""
        return self.select_related("source").prefetch_related("countries", "people")

    def for_cards(self):
        """Articles to show as cards: with their source, without their body
        (by far the largest field, and on PostgreSQL stored apart; a card never
        shows it)."""
        return self.select_related("source").defer("body")


ArticleManager = models.Manager.from_queryset(ArticleQuerySet)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        ARCHIVED = "archived", "Archived"

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=80, unique=True, blank=True)
    lead = models.TextField(blank=True)
    body = models.TextField(blank=True, help_text="Sanitised HTML.")
    language = models.CharField(
        max_length=12, default="en", help_text="BCP 47 code: en, de, az."
    )
    source = models.ForeignKey(
        Source, null=True, blank=True, on_delete=models.PROTECT, related_name="articles"
    )
    source_url = models.URLField("original URL", max_length=500, blank=True)
    byline = models.CharField(max_length=200, blank=True)
    dateline_place = models.CharField(max_length=120, blank=True)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=(
            "Public once published and this time has passed; "
            "a future time schedules it."
        ),
    )

    people = models.ManyToManyField(Person, blank=True, related_name="articles")
    countries = models.ManyToManyField(Country, blank=True, related_name="articles")
    organizations = models.ManyToManyField(
        Organization, blank=True, related_name="articles"
    )
    events = models.ManyToManyField(Event, blank=True, related_name="articles")
    agreements = models.ManyToManyField(Agreement, blank=True, related_name="articles")
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")

    story = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="versions",
        help_text=(
            "The original article when this one is the same story in another language."
        ),
    )

    # Set on import when the text is nearly the same as an earlier article's.
    possible_duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="An earlier article with nearly the same text: merge or clear.",
    )
    photo_credit = models.CharField(
        max_length=300, blank=True, help_text="Credits of the photos of the original."
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    content_hash = models.CharField(max_length=64, blank=True, editable=False)

    objects = ArticleManager()

    class Meta:
        ordering = ["-published_at", "-id"]
        permissions = [
            ("publish_article", "Can publish, schedule and archive articles")
        ]
        constraints = [
            # Import idempotence: one article per imported text.
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="article_content_hash_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_time",
            ),
        ]
        indexes = [
            # published(): status filter + newest first (home page, feeds, sitemap).
            models.Index(
                fields=["status", "-published_at"], name="article_status_published"
            ),
            # Search facets and filters by language.
            models.Index(
                fields=["language", "-published_at"], name="article_language_published"
            ),
            # The newest articles of a language (near-duplicate check on import):
            # without it, a language with few articles reads the whole table.
            models.Index(fields=["language", "-id"], name="article_language_recent"),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, self.title)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return link("articles:detail", slug=self.slug)

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def story_root(self):
        return self.story or self

    def compute_content_hash(self):
        return content_hash(self.title, self.body)


def content_hash(title, body):
    """Hash of the normalised text: the same item imported twice hashes the same."""
    normalised = " ".join(f"{title}\n{body}".split()).casefold()
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


class SearchRow(models.Model):
    """A PostgreSQL search index row of an article with the published status.

    Narrow tables of their own, so counting, ranking and newest-first selection
    never read the wide article table. They exist only on PostgreSQL (SQLite
    keeps its index in FTS5 tables): migration `0011_search_documents` creates
    them with a foreign key ON DELETE CASCADE and a trigger that keeps a row's
    time and presence in step with its article. Written by the search backend's
    SQL (`articles/search/backends.py`), never through these models.
    """

    # DO_NOTHING: the database removes the row; on SQLite there is no table.
    article = models.OneToOneField(
        Article,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The article's publication time, so "public now" needs no article row.
    published_at = models.DateTimeField()

    class Meta:
        abstract = True
        # Django leaves these models out on other engines (migrations, flush,
        # dumpdata, test database serialization).
        required_db_vendor = "postgresql"
        ordering = ["-published_at", "-article"]

    def __str__(self):
        return f"search row of article {self.article_id}"

    def get_absolute_url(self):
        return reverse("articles:detail", kwargs={"slug": self.article.slug})


class SearchDocument(SearchRow):
    """Every field: matching and counting. The vector (about 7 KB) is kept out of
    line, so a row is about 60 bytes and a count reads a few hundred pages."""

    # Title A, entity names B, lead C, body D.
    vector = SearchVectorField()

    class Meta(SearchRow.Meta):
        db_table = "articles_searchdoc"
        # vector @@ query: every count and match. No pending list: every search
        # would scan all of it (see migration 0011).
        indexes = [
            GinIndex(fields=["vector"], name="searchdoc_vector_gin", fastupdate=False)
        ]


class SearchStrong(SearchRow):
    """The strong fields only, ranking a common term's best matches. The vector
    (about 1 KB) stays in the row: ranking reads it for each match."""

    # Title A, entity names B, lead C.
    strong = SearchVectorField()

    class Meta(SearchRow.Meta):
        db_table = "articles_searchstrong"
        # strong @@ query: the ranked tier of a common term.
        indexes = [
            GinIndex(fields=["strong"], name="searchstrong_gin", fastupdate=False)
        ]


Article._meta.get_field("published_at").register_lookup(PublicBy)

TAG_FIELDS_BY_MODEL = {
    Person: "people",
    Country: "countries",
    Organization: "organizations",
    Event: "events",
    Agreement: "agreements",
    Topic: "topics",
}
# Every tag relation of an article, in one fixed order.
TAG_FIELDS = tuple(TAG_FIELDS_BY_MODEL.values())


class FacetKeys(models.Model):
    """The values a published article adds to the search facets, as one line
    ("country=3 person=17 event=5 topic=2 source=1 language=en year=2019"),
    written with its search index row (articles.search.facets)."""

    article = models.OneToOneField(
        Article, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    keys = models.TextField()

    class Meta:
        verbose_name_plural = "facet keys"

    def __str__(self):
        return self.keys


def article_image_path(instance, filename):
    # Uploaded names are never trusted: the service renames before saving.
    return f"articles/{filename}"


class ArticleImage(models.Model):
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="images"
    )
    image = models.ImageField(
        upload_to=article_image_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(null=True, editable=False)
    height = models.PositiveIntegerField(null=True, editable=False)
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    alt_text = models.CharField(
        max_length=300, help_text="Describes the image for readers who cannot see it."
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["article", "position", "id"]

    def __str__(self):
        return self.alt_text

    def get_absolute_url(self):
        return self.article.get_absolute_url()


class ArticleTransition(models.Model):
    """One change of an article's publication state: who, when, from what to what."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(max_length=12, choices=Article.Status.choices)
    to_status = models.CharField(max_length=12, choices=Article.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["article", "at", "id"]
        indexes = [
            # The admin's transition panel reads one article's records in order.
            models.Index(fields=["article", "at"], name="transition_article_at"),
        ]

    def __str__(self):
        return (
            f"{self.get_from_status_display()} → {self.get_to_status_display()}"
            f" ({self.at:%Y-%m-%d %H:%M})"
        )

    def get_absolute_url(self):
        return reverse("admin:articles_article_change", args=[self.article_id])
