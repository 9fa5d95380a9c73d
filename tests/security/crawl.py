"""Fetch every discovered URL and hand back what came back."""

from urllib.parse import urlencode

from .routes import public_routes, urls_for


def body_of(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def public_urls(objects, extra_params=()):
    """Every public route filled with every fitting object, plus query variants."""
    urls = []
    for route in public_routes():
        for url in urls_for(route, objects):
            urls.append(url)
            if not route.kwargs:
                urls += [f"{url}?{urlencode(params)}" for params in extra_params]
    return urls


def crawl(client, urls, **headers):
    """{url: (status, body)} for each URL; the test client re-raises any 500."""
    results = {}
    for url in urls:
        response = client.get(url, **headers)
        results[url] = (response.status_code, body_of(response))
    return results
