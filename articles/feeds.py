"""RSS and Atom feeds of public articles: latest, per person, country, pair, topic."""

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape

from relations.models import Country, Person, Topic
from relations.views import RelationDetailView, country_code

from .models import Article

FEED_SIZE = 30


class LatestArticlesFeed(Feed):
    title = "Latest foreign relations news"
    description = "The newest published articles."

    def link(self, obj=None):
        return reverse("articles:home")

    def articles(self, obj):
        return Article.objects.published()

    def items(self, obj=None):
        return self.articles(obj).select_related("source")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS descriptions and Atom summaries are HTML to feed readers; the lead is
        # plain text, so markup typed into it must arrive as text.
        return escape(item.lead)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        return item.byline or (item.source.name if item.source else None)

    def item_guid(self, item):
        return f"article-{item.pk}"

    item_guid_is_permalink = False


class EntityFeed(LatestArticlesFeed):
    """Articles tagging one entity; `model` and the URL keyword name the entity."""

    model = None
    lookup = "slug"

    def get_object(self, request, **kwargs):
        value = kwargs[self.lookup]
        return get_object_or_404(self.model, **{self.lookup: value})

    def title(self, obj):
        return f"News about {obj}"

    def description(self, obj):
        return f"Published articles tagged with {obj}."

    def link(self, obj):
        return obj.get_absolute_url()

    def articles(self, obj):
        return Article.objects.published().mentioning(obj)


class PersonFeed(EntityFeed):
    model = Person


class TopicFeed(EntityFeed):
    model = Topic


class CountryFeed(EntityFeed):
    model = Country
    lookup = "code"

    def get_object(self, request, code):
        return get_object_or_404(Country, code=country_code(code))


class RelationFeed(EntityFeed):
    """Articles tagged with both countries of a pair (codes in either order)."""

    def get_object(self, request, codes):
        view = RelationDetailView(kwargs={"codes": codes})
        return view.get_object()

    def title(self, obj):
        return f"News about relations between {obj.country_a} and {obj.country_b}"

    def description(self, obj):
        return (
            f"Published articles tagged with both {obj.country_a} and {obj.country_b}."
        )

    def articles(self, obj):
        published = Article.objects.published()
        return published.filter(countries=obj.country_a).filter(countries=obj.country_b)


def atom(feed_class):
    """The Atom variant of an RSS feed class."""
    return type(
        f"Atom{feed_class.__name__}",
        (feed_class,),
        {"feed_type": Atom1Feed, "subtitle": feed_class.description},
    )
