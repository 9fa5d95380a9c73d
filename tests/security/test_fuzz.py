"""Search and filter fuzzing: hostile queries never cause a 500, and answer in time.

Targets are every public list route (no URL parameters: home, search, feeds,
sitemap, API lists), discovered at run time. Each example sends one parameter of
the portal and API contract with a value drawn from unicode text, NUL characters,
50,000-character words and operator soup.
"""

import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from articles.filters import ArticleFilterSet

from .routes import public_routes, urls_for

CONTRACT_PARAMS = [
    "q",
    "country",
    "person",
    "organization",
    "event",
    "event_kind",
    "topic",
    "source",
    "language",
    "year",
    "from",
    "to",
    "sort",
    "ordering",
    "page",
    "page_size",
    "limit",
    "offset",
    "cursor",
    "format",
]
PARAMS = sorted(set(CONTRACT_PARAMS) | set(ArticleFilterSet.base_filters))
OPERATORS = [
    "AND", "OR", "NOT", "NEAR", "NEAR/2", '"', "'", "(", ")", "*", "-", "+", "^",
    ":", "\\", "%", "_", "&", "|", "!", "<->", "<2>", "~", "{", "}", "[", "]",
    "title:", "body:", "--", ";", "/*", "*/", "\x00", "''", "\u0259liyev",
]  # fmt: skip
WORDS = ["aliyev", "Bagdad", "Əliyev", "العراق", "Ирак", "energy", "1992", "az"]
TIME_BOUND_SECONDS = 5.0

operator_soup = st.lists(st.sampled_from(OPERATORS + WORDS), max_size=40).map(" ".join)
long_words = st.builds(
    lambda ch, n, tail: ch * n + tail,
    st.sampled_from(["a", "ə", "*", '"', "(", "-", "日"]),
    st.sampled_from([5_000, 50_000]),
    st.sampled_from(["", " OR b", "*", '"']),
)
values = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    operator_soup,
    long_words,
    st.sampled_from(["\x00", "a\x00b", "%00", "-1", "0", "1e308", "9" * 40, ""]),
)
hypothesis_settings = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _list_urls():
    return [url for r in public_routes() if not r.kwargs for url in urls_for(r, [])]


def _fuzz(client, url, params):
    started = time.perf_counter()
    response = client.get(url, params)
    elapsed = time.perf_counter() - started
    assert response.status_code < 500, (url, params)
    assert elapsed < TIME_BOUND_SECONDS, (url, elapsed)
    return response


def test_there_are_list_routes_to_fuzz():
    assert "/search/" in _list_urls()


@pytest.mark.django_db
@pytest.mark.parametrize("url", _list_urls())
@hypothesis_settings
@given(param=st.sampled_from(PARAMS), value=values)
def test_one_hostile_parameter(client, world, url, param, value):
    client.raise_request_exception = True
    _fuzz(client, url, {param: value})


@pytest.mark.django_db
@hypothesis_settings
@given(params=st.dictionaries(st.sampled_from(PARAMS), values, min_size=2, max_size=6))
def test_many_hostile_parameters_on_search(client, world, params):
    _fuzz(client, "/search/", params)
