"""Every route of the project, discovered from the URL resolver at run time.

Tests iterate over these instead of a hand-written list, so a page or endpoint
added later is covered without touching the tests.
"""

import dataclasses
import functools

from django.apps import apps
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

# Routes the crawl must not follow: they change state or only answer POST.
SKIPPED_NAMES = {"admin:logout", "logout"}


@dataclasses.dataclass(frozen=True)
class Route:
    name: str  # namespaced, e.g. "articles:detail"
    pattern: str  # e.g. "articles/<slug:slug>/"
    kwargs: tuple  # names of the URL's parameters
    callback: object
    default_args: dict = dataclasses.field(default_factory=dict, compare=False)

    @property
    def is_admin(self):
        return self.name.startswith("admin:")

    @property
    def is_api(self):
        return self.pattern.startswith("api/")

    @property
    def model(self):
        """The model a view is about, when the view says so."""
        view = self.callback
        for holder in (getattr(view, "view_class", None), getattr(view, "cls", None)):
            queryset = getattr(holder, "queryset", None)
            if queryset is not None:
                return queryset.model
            if getattr(holder, "model", None) is not None:
                return holder.model
        return None


def is_token_login(route):
    """An API endpoint that trades a username and password for a token."""
    from rest_framework.authtoken.views import ObtainAuthToken

    view_class = getattr(route.callback, "cls", None)
    if not isinstance(view_class, type):
        return False
    throttles = getattr(view_class, "throttle_classes", [])
    return issubclass(view_class, ObtainAuthToken) or any(
        getattr(throttle, "scope", None) == "login" for throttle in throttles
    )


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else namespace or ns
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(
                name=name,
                pattern=prefix + str(entry.pattern),
                kwargs=tuple(sorted(entry.pattern.regex.groupindex)),
                callback=entry.callback,
                default_args=entry.default_args,
            )


@functools.cache
def all_routes():
    seen, routes = set(), []
    for route in _walk(get_resolver().url_patterns):
        if route.name in SKIPPED_NAMES or route.name in seen:
            continue
        seen.add(route.name)
        routes.append(route)
    return routes


def public_routes():
    return [r for r in all_routes() if not r.is_admin]


def api_routes():
    return [r for r in all_routes() if r.is_api]


def _candidate_kwargs(route, obj):
    values = {}
    for kwarg in route.kwargs:
        if kwarg in {"pk", "id", "object_id"}:
            values[kwarg] = obj.pk
        elif kwarg == "codes" and hasattr(obj, "url_codes"):
            values[kwarg] = obj.url_codes()
        elif kwarg == "format":
            values[kwarg] = "json"
        elif hasattr(obj, kwarg):
            values[kwarg] = getattr(obj, kwarg)
        else:
            return None
    return values


def urls_for(route, objects):
    """URLs of `route` filled in with each fitting object (or the bare URL)."""
    if not route.kwargs:
        try:
            return [reverse(route.name)]
        except NoReverseMatch:
            return []
    if route.kwargs == ("section",) and "sitemaps" in route.default_args:
        sections = route.default_args["sitemaps"]
        return [reverse(route.name, kwargs={"section": name}) for name in sections]
    model = route.model
    fitting = [o for o in objects if model is None or isinstance(o, model)]
    urls = []
    for obj in fitting:
        kwargs = _candidate_kwargs(route, obj)
        if kwargs is None:
            continue
        try:
            urls.append(reverse(route.name, kwargs=kwargs))
        except NoReverseMatch:
            continue
    return sorted(set(urls))


def admin_urls(objects):
    """Index, changelist, add, change, history and delete of every admin model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        for obj in [o for o in objects if isinstance(o, model)][:2]:
            for view in ("change", "history", "delete"):
                urls.append(reverse(f"{info}_{view}", args=[obj.pk]))
    return urls


def project_models():
    return [
        model
        for app in ("relations", "articles")
        for model in apps.get_app_config(app).get_models()
    ]
