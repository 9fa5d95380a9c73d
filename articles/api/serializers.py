"""Articles as JSON: tags as small objects, images with renditions, other languages."""

from django.db import transaction
from django.db.models.manager import BaseManager
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from relations.models import Agreement, Country, Event, Organization, Person, Topic

from ..images import rendition_urls
from ..models import Article, ArticleImage, Source
from ..services import article_save, article_set_tags, can_publish
from .links import load_links

# Tag fields of an article and the model each one points to.
TAG_MODELS = {
    "people": Person,
    "countries": Country,
    "organizations": Organization,
    "events": Event,
    "agreements": Agreement,
    "topics": Topic,
}


def absolute(request, url):
    return request.build_absolute_uri(url) if request else url


class TagSerializer(serializers.Serializer):
    """Any tagged entity, reduced to what a link needs."""

    id = serializers.IntegerField(read_only=True)
    name = serializers.SerializerMethodField()
    slug = serializers.CharField(read_only=True)
    url = serializers.SerializerMethodField()

    def get_name(self, entity) -> str:
        return str(entity)

    def get_url(self, entity) -> str:
        return absolute(self.context.get("request"), entity.get_absolute_url())

    def to_representation(self, entity):
        # The four fields above, written out: an API page of twenty articles
        # shows well over a hundred tags, and going field by field through
        # DRF's machinery cost more than all four values together. The test
        # suite holds this equal to the generic path.
        return {
            "id": entity.pk,
            "name": self.get_name(entity),
            "slug": entity.slug,
            "url": self.get_url(entity),
        }


class RenditionSerializer(serializers.Serializer):
    width = serializers.IntegerField(allow_null=True)
    url = serializers.CharField()


class ImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    renditions = serializers.SerializerMethodField()

    class Meta:
        model = ArticleImage
        fields = ["id", "url", "width", "height", "alt_text", "caption", "credit"]
        fields += ["renditions"]

    def get_url(self, image) -> str:
        return absolute(self.context.get("request"), image.image.url)

    @extend_schema_field(RenditionSerializer(many=True))
    def get_renditions(self, image):
        # The portal's widths (made once, then reused), as its srcset lists them.
        request = self.context.get("request")
        return [
            {"width": width, "url": absolute(request, url)}
            for width, url in sorted(rendition_urls(image).items())
        ]


class VersionLinkSerializer(serializers.Serializer):
    """The same story in another language."""

    id = serializers.IntegerField()
    language = serializers.CharField()
    title = serializers.CharField()
    slug = serializers.CharField()
    url = serializers.CharField()


class HighlightSerializer(serializers.Serializer):
    """Escaped HTML with matched words in <mark>, present only on `q=` results."""

    title = serializers.CharField()
    snippet = serializers.CharField()


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "slug", "url", "country", "default_language"]


def other_language_versions(article):
    """Published siblings of `article` in its story, from prefetched rows only."""
    root = article.story
    if root is None:
        siblings = list(article.public_versions)
    else:
        siblings = [root] if root.is_public else []
        siblings += [a for a in root.public_versions if a.pk != article.pk]
    return siblings


def tag_ids_field(name):
    """Write side of a tag: a list of ids, validated against the tagged model."""
    return serializers.PrimaryKeyRelatedField(
        source=name,
        queryset=TAG_MODELS[name].objects.all(),
        many=True,
        write_only=True,
        required=False,
    )


class ArticleListSerializer(serializers.ListSerializer):
    def to_representation(self, data):
        articles = list(data.all() if isinstance(data, BaseManager) else data)
        load_links(articles)  # one query for the links of every row
        return super().to_representation(articles)


class ArticleSerializer(serializers.ModelSerializer):
    """Reads show tags as objects; writes take tag ids in `<tag>_ids` fields."""

    # Reading tags and other-language versions costs one query per call, for a
    # whole page in a list (see links.load_links).

    url = serializers.SerializerMethodField()
    source = SourceSerializer(read_only=True, allow_null=True)
    source_id = serializers.PrimaryKeyRelatedField(
        source="source",
        queryset=Source.objects.all(),
        write_only=True,
        required=False,
        allow_null=True,
    )
    story_id = serializers.PrimaryKeyRelatedField(
        source="story",
        queryset=Article.objects.all(),
        required=False,
        allow_null=True,
        help_text="The original article when this one is the same story in another "
        "language.",
    )
    people = TagSerializer(many=True, read_only=True)
    countries = TagSerializer(many=True, read_only=True)
    organizations = TagSerializer(many=True, read_only=True)
    events = TagSerializer(many=True, read_only=True)
    agreements = TagSerializer(many=True, read_only=True)
    topics = TagSerializer(many=True, read_only=True)
    people_ids = tag_ids_field("people")
    countries_ids = tag_ids_field("countries")
    organizations_ids = tag_ids_field("organizations")
    events_ids = tag_ids_field("events")
    agreements_ids = tag_ids_field("agreements")
    topics_ids = tag_ids_field("topics")
    images = ImageSerializer(many=True, read_only=True)
    other_languages = serializers.SerializerMethodField()
    highlight = serializers.SerializerMethodField()
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text="Required on update: the version the change is based on.",
    )

    class Meta:
        model = Article
        fields = [
            "id",
            "url",
            "slug",
            "title",
            "lead",
            "body",
            "language",
            "source",
            "source_id",
            "source_url",
            "byline",
            "dateline_place",
            "status",
            "published_at",
            "story_id",
            *TAG_MODELS,
            *[f"{name}_ids" for name in TAG_MODELS],
            "images",
            "other_languages",
            "highlight",
            "version",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["slug", "created_at", "updated_at"]
        list_serializer_class = ArticleListSerializer

    def get_url(self, article) -> str:
        return absolute(self.context.get("request"), article.get_absolute_url())

    @extend_schema_field(VersionLinkSerializer(many=True))
    def get_other_languages(self, article):
        return [
            {
                "id": other.pk,
                "language": other.language,
                "title": other.title,
                "slug": other.slug,
                "url": self.get_url(other),
            }
            for other in other_language_versions(article)
        ]

    @extend_schema_field(HighlightSerializer(allow_null=True))
    def get_highlight(self, article):
        return self.context.get("highlights", {}).get(article.pk)

    def to_representation(self, article):
        load_links([article])  # no query when a list has loaded them
        data = super().to_representation(article)
        if article.story is not None and not article.story.is_public:
            # An unpublished original is not even hinted at to the public.
            data["story_id"] = data["story_id"] if self._sees_drafts() else None
        return data

    def _sees_drafts(self):
        request = self.context.get("request")
        return bool(request and request.user.has_perm("articles.change_article"))

    def validate_story_id(self, story):
        if story is not None and self.instance and story.pk == self.instance.pk:
            raise serializers.ValidationError("An article cannot be its own story.")
        return story

    def validate(self, data):
        if self.instance is not None and "version" not in data:
            raise serializers.ValidationError(
                {"version": ["Send the version your change is based on."]}
            )
        published = data.get("status") == Article.Status.PUBLISHED
        if published and not data.get("published_at", self._current_published_at()):
            # Publishing without a time means now, as in the admin's publish action.
            user = self.context["request"].user
            data["published_at"] = timezone.now() if can_publish(user) else None
        return data

    def _current_published_at(self):
        return self.instance.published_at if self.instance else None

    def create(self, validated_data):
        return self._save(Article(), validated_data)

    def update(self, instance, validated_data):
        return self._save(instance, validated_data)

    def _save(self, article, data):
        """Plain fields, then the service's checks (version, publishing), then tags,
        all in one transaction: a refused write leaves nothing behind."""
        tags = {name: data.pop(name) for name in TAG_MODELS if name in data}
        expected = data.pop("version", None)
        for field, value in data.items():
            setattr(article, field, value)
        with transaction.atomic():
            article_save(
                article=article,
                user=self.context["request"].user,
                expected_version=expected,
            )
            if tags:
                # Through the service: the search index learns the new names.
                article_set_tags(article=article, **tags)
        return article


def with_api_relations(queryset):
    """The rows ArticleSerializer shows with their source, story and images: two
    queries; the serializer adds the links (tags, other languages) in one more."""
    return queryset.select_related("source", "story").prefetch_related("images")
