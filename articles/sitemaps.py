"""sitemap.xml: public articles and every entity page (entities are always public)."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.core.paginator import Paginator
from django.db.models import CharField, Count, DateTimeField, Max, Value
from django.db.models.functions import Cast
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
    lastmod_field = None

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
    lastmod_field = "updated_at"

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
    lastmod_field = "updated_at"

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
    lastmod_field = None

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


class KnownSection:
    """A section of the index whose size and newest change were read beforehand."""

    protocol = None

    def __init__(self, limit, count, latest):
        self.paginator = Paginator(range(count), limit)
        self.latest = latest

    def get_latest_lastmod(self):
        return self.latest


def _section_row(name, items, lastmod_field):
    """One UNION branch: (section, number of items, newest change or NULL)."""
    latest = Max(lastmod_field or Cast(Value(None), DateTimeField()))
    return (
        items.order_by()
        .annotate(section=Value(name, output_field=CharField()))
        .values("section")
        .annotate(count=Count("pk"), latest=latest)
        .values_list("section", "count", "latest")
    )


def section_stats(sitemaps):
    """{section: (items, newest change)} for every section, in one query
    (where each section's own paginator and lastmod would cost two)."""
    stats, rows = {}, []
    for name, sitemap in sitemaps.items():
        items = sitemap.items()
        if isinstance(items, list):  # not read from the database
            stats[name] = (len(items), None)
        else:
            rows.append(_section_row(name, items, sitemap.lastmod_field))
    if rows:
        union = rows[0].union(*rows[1:], all=True)
        stats.update((name, (count, latest)) for name, count, latest in union)
    return stats


def sitemap_index(request):
    """/sitemap.xml: Django's index view, given sections whose sizes are known."""
    sitemaps = {
        name: sitemap() if callable(sitemap) else sitemap
        for name, sitemap in SITEMAPS.items()
    }
    stats = section_stats(sitemaps)
    known = {
        name: KnownSection(sitemap.limit, *stats[name])
        for name, sitemap in sitemaps.items()
    }
    return sitemap_views.index(request, known, sitemap_url_name="sitemap-section")
