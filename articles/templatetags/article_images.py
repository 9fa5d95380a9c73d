"""Template helpers for article images: responsive sources for the portal."""

from django import template
from django.utils.html import format_html_join

register = template.Library()

RENDITION_WIDTHS = (480, 960, 1600)


@register.simple_tag
def image_srcset(article_image):
    """A `srcset` value listing the image's renditions by width."""
    url = article_image.image.url
    width = article_image.width or RENDITION_WIDTHS[-1]
    return format_html_join(", ", "{} {}w", [(url, width)])
