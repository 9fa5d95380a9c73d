"""Template helpers for article images: responsive sources for the portal."""

from django import template
from django.utils.html import format_html_join

from articles.images import RENDITION_WIDTHS, rendition_urls

register = template.Library()

# RENDITION_WIDTHS stays importable from here for templates and views.
__all__ = ["RENDITION_WIDTHS", "image_srcset", "register"]


@register.simple_tag
def image_srcset(article_image):
    """A `srcset` value listing the image's renditions by width (480, 960, 1600
    where the original is wider; the original itself for its own width)."""
    urls = rendition_urls(article_image)
    return format_html_join(", ", "{} {}w", [(url, w) for w, url in urls.items()])
