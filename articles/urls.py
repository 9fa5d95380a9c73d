from django.urls import path

from . import feeds, views

app_name = "articles"


def feed_paths(prefix, feed_class, name):
    """An RSS feed at `prefix` and its Atom variant at `prefix`atom/."""
    return [
        path(prefix, feed_class(), name=f"feed-{name}"),
        path(f"{prefix}atom/", feeds.atom(feed_class)(), name=f"feed-{name}-atom"),
    ]


urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("search/suggest/", views.SearchSuggestView.as_view(), name="search_suggest"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="detail"),
    *feed_paths("feeds/latest/", feeds.LatestArticlesFeed, "latest"),
    *feed_paths("feeds/people/<slug:slug>/", feeds.PersonFeed, "person"),
    *feed_paths("feeds/countries/<str:code>/", feeds.CountryFeed, "country"),
    *feed_paths("feeds/relations/<str:codes>/", feeds.RelationFeed, "relation"),
    *feed_paths("feeds/topics/<slug:slug>/", feeds.TopicFeed, "topic"),
]
