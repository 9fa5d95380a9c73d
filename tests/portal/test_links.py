"""`link()` and `{% link %}` answer exactly what `reverse()` and `{% url %}` do."""

import pytest
from django.template import Context, Template
from django.urls import clear_script_prefix, include, path, reverse, set_script_prefix

from config.links import link

# (view name, args, kwargs) the public templates and models link to.
TARGETS = [
    ("articles:home", (), {}),
    ("articles:search", (), {}),
    ("articles:feed-latest", (), {}),
    ("articles:feed-latest-atom", (), {}),
    ("sitemap", (), {}),
    ("articles:detail", (), {"slug": "talks-in-baku-2"}),
    ("articles:feed-person-atom", ("farid-karimov",), {}),
    ("articles:feed-relation", ("az-iq",), {}),
    ("relations:person", (), {"slug": "farid-karimov"}),
    ("relations:country", (), {"code": "az"}),
    ("relations:relation", (), {"codes": "az-iq"}),
]

# This module doubles as a URLconf with the portal's pages elsewhere.
urlpatterns = [path("elsewhere/", include("articles.urls"))]


@pytest.mark.parametrize(("name", "args", "kwargs"), TARGETS)
def test_link_is_reverse(name, args, kwargs):
    expected = reverse(name, args=args, kwargs=kwargs)
    assert link(name, *args, **kwargs) == expected
    assert link(name, *args, **kwargs) == expected  # remembered


def test_the_tag_renders_what_url_renders():
    body = (
        "{{% {tag} 'articles:home' %}}|{{% {tag} 'relations:person' slug=p %}}|"
        "{{% {tag} 'articles:feed-relation' s as rss %}}{{{{ rss }}}}|"
        "{{% {tag} 'articles:search' %}}?q=<b>"
    )
    context = {"p": "farid-karimov", "s": "az&iq"}
    with_url = Template(body.format(tag="url")).render(Context(context))
    with_link = Template("{% load links %}" + body.format(tag="link")).render(
        Context(context)
    )
    assert with_link == with_url
    assert "/feeds/relations/az&amp;iq/" in with_link  # escaped, as {% url %} does


def test_a_script_prefix_is_part_of_the_link():
    link("articles:home")
    set_script_prefix("/portal/")
    try:
        assert link("articles:home") == "/portal/" == reverse("articles:home")
    finally:
        clear_script_prefix()
    assert link("articles:home") == "/"


def test_another_urlconf_is_not_answered_from_memory(settings):
    assert link("articles:home") == "/"
    settings.ROOT_URLCONF = __name__
    assert link("articles:home") == "/elsewhere/" == reverse("articles:home")


def test_models_link_to_their_pages(world):
    assert world.article.get_absolute_url() == reverse(
        "articles:detail", kwargs={"slug": world.article.slug}
    )
    assert world.minister.get_absolute_url() == f"/people/{world.minister.slug}/"
    assert world.north.get_absolute_url() == "/countries/nl/"
    assert world.relation.get_absolute_url() == "/relations/nl-so/"
