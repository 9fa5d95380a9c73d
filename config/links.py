"""URLs of the portal's views, reversed once per process.

A page links to the same views with the same arguments over and over (the
header's menu, the tags on every card); `reverse()` walks the URLconf each
time, which took a measurable share of rendering a page. `link()` answers what
`reverse()` answers, remembered per URLconf and script prefix for the most
recent LIMIT combinations of arguments. `{% link %}` (articles/templatetags/
links.py) is `{% url %}` through it.
"""

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

LIMIT = 20_000


def link(viewname, *args, **kwargs):
    """reverse(viewname, args=args, kwargs=kwargs), remembered."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    try:
        key = (args, tuple(sorted(kwargs.items())))
        hash(key)
    except TypeError:  # an argument that is not a plain value
        return reverse(viewname, urlconf=urlconf, args=args, kwargs=kwargs)
    return _reversed(urlconf, get_script_prefix(), viewname, *key)


@functools.lru_cache(maxsize=LIMIT)
def _reversed(urlconf, prefix, viewname, args, kwargs):
    # `prefix` is read by reverse() itself; it is part of the key only.
    return reverse(viewname, urlconf=urlconf, args=args, kwargs=dict(kwargs))


@receiver(setting_changed)
def _forget_on_new_urls(setting, **kwargs):
    # Tests swap URLconfs; Django clears its own URL caches the same way.
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
