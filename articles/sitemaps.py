"""sitemap.xml: public articles and every entity page (entities are always public)."""

from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from relations.models import (
    Agreement,
    BilateralRelation,
    Country,
    Event,
    Organization,
    Person,
    Topic,
)

from .models import Article


class HomeSitemap(Sitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["articles:home"]

    def location(self, item):
        return reverse(item)


# Rendering a URL entry costs about 0.4 ms: pages of 1,000 answer in well under
# a second, where the protocol's 50,000 would take about 20 s.
PAGE_SIZE = 1000


class ArticleSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8
    limit = PAGE_SIZE

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("-id")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # The index asks for the newest change; one aggregate, not every row.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]


class EntitySitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.6
    limit = PAGE_SIZE

    def __init__(self, model):
        self.model = model

    def items(self):
        return self.model.objects.order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        return self.model.objects.aggregate(latest=Max("updated_at"))["latest"]


class RelationSitemap(EntitySitemap):
    """Country pairs have no change time of their own: no lastmod."""

    lastmod = None

    def items(self):
        return BilateralRelation.objects.select_related(
            "country_a", "country_b"
        ).order_by("pk")

    def get_latest_lastmod(self):
        return None


SITEMAPS = {
    "home": HomeSitemap,
    "articles": ArticleSitemap,
    "people": EntitySitemap(Person),
    "countries": EntitySitemap(Country),
    "organizations": EntitySitemap(Organization),
    "events": EntitySitemap(Event),
    "agreements": EntitySitemap(Agreement),
    "topics": EntitySitemap(Topic),
    "relations": RelationSitemap(BilateralRelation),
}
