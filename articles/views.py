from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from relations.models import BilateralRelation, Event, Topic

from .models import Article
from .related import related_articles, story_versions


class PublishedArticlesMixin:
    """Every public view starts from the one definition of public."""

    paginate_by = settings.PORTAL_PAGE_SIZE

    def get_queryset(self):
        return Article.objects.published().with_cards()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"
    paginate_by = 12
    sidebar_size = 6

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        events = Event.objects.select_related("host_country")
        return super().get_context_data(
            recent_events=events.filter(start_date__lte=today)[: self.sidebar_size],
            upcoming_events=events.filter(start_date__gt=today).order_by("start_date")[
                : self.sidebar_size
            ],
            relations=BilateralRelation.objects.select_related(
                "country_a", "country_b"
            ),
            topics=topics_with_counts()[:20],
            **kwargs,
        )


def topics_with_counts():
    """Topics with their number of public articles, busiest first (one query)."""
    public = Q(articles__in=Article.objects.published().values("pk"))
    return Topic.objects.annotate(
        article_count=Count("articles", filter=public)
    ).order_by("-article_count", "name")


class SearchView(PublishedArticlesMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "articles"


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    """One public article; drafts and scheduled ones are absent, hence 404."""

    template_name = "articles/article_detail.html"
    context_object_name = "article"

    def get_queryset(self):
        return (
            Article.objects.published()
            .select_related("source")
            .prefetch_related(
                "images",
                "people",
                "countries",
                "organizations",
                "events",
                "agreements",
                "topics",
            )
        )

    def get_context_data(self, **kwargs):
        article = self.object
        canonical = self.request.build_absolute_uri(article.get_absolute_url())
        images = list(article.images.all())
        return super().get_context_data(
            canonical_url=canonical,
            images=images,
            versions=story_versions(article),
            related=related_articles(article),
            pairs=pairs_among(article.countries.all()),
            json_ld=news_article_json_ld(self.request, article, canonical, images),
            **kwargs,
        )


def pairs_among(countries):
    """Followed country pairs formed by the tagged countries (their timelines)."""
    ids = [country.pk for country in countries]
    if not ids:
        return []
    return BilateralRelation.objects.filter(
        country_a__in=ids, country_b__in=ids
    ).select_related("country_a", "country_b")


def news_article_json_ld(request, article, canonical, images):
    """schema.org NewsArticle data; the template escapes it for a script element."""
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": article.language,
        "datePublished": article.published_at.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "mainEntityOfPage": canonical,
        "about": [
            {"@type": "Person", "name": p.full_name} for p in article.people.all()
        ],
    }
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.source:
        data["publisher"] = {"@type": "Organization", "name": article.source.name}
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if images:
        data["image"] = [request.build_absolute_uri(img.image.url) for img in images]
    return data


@require_safe
@cache_control(max_age=86400, public=True)
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /api/",
        f"Sitemap: {sitemap}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")
