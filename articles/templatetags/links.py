"""`{% link %}`: `{% url %}` with the reversed URL remembered per process."""

from django import template

from config.links import link as reversed_link

register = template.Library()


@register.simple_tag
def link(viewname, *args, **kwargs):
    """`{% link "articles:detail" slug=article.slug %}`: what `{% url %}` gives."""
    return reversed_link(viewname, *args, **kwargs)
