from django.views.generic import DetailView, ListView

from .models import Article


class PublishedArticlesMixin:
    """Every public view starts from the one definition of public."""

    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().with_cards()


class HomeView(PublishedArticlesMixin, ListView):
    template_name = "articles/home.html"
    context_object_name = "articles"


class SearchView(PublishedArticlesMixin, ListView):
    template_name = "articles/search.html"
    context_object_name = "articles"


class ArticleDetailView(PublishedArticlesMixin, DetailView):
    template_name = "articles/article_detail.html"
    context_object_name = "article"
