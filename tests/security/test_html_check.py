"""The active-content finder the XSS tests rely on catches what it must."""

import pytest
from django.http import HttpResponse

from .html_check import html_problems, response_problems

ACTIVE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<a href='java\tscript:alert(1)'>x</a>",
    "<a href=' JavaScript:alert(1)'>x</a>",
    "<form action=javascript:alert(1)>",
]
INERT = [
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "<p title='&quot;&gt;&lt;img src=x onerror=alert(1)&gt;'>x</p>",
    "<a href='https://example.org/javascript:alert'>x</a>",
    "<p>javascript:alert(1)</p>",
]


@pytest.mark.parametrize("html", ACTIVE)
def test_active_content_is_found(html):
    assert html_problems(html)


@pytest.mark.parametrize("html", INERT)
def test_escaped_content_is_not_flagged(html):
    assert not html_problems(html)


def test_feed_description_is_judged_as_html_once_unescaped():
    rss = (
        "<rss><channel><item><title>t</title><description>"
        "&lt;img src=x onerror=alert(1)&gt;</description></item></channel></rss>"
    )
    response = HttpResponse(rss, content_type="application/rss+xml; charset=utf-8")
    assert response_problems(response, response.content)


def test_data_scripts_are_not_code():
    data = '<script type="application/ld+json">{"name": "alert(1)"}</script>'
    assert not html_problems(data)
    assert html_problems(data.replace("application/ld+json", "text/javascript"))


def test_json_html_fields_are_checked():
    response = HttpResponse(
        '{"results": [{"title": "<b>", "snippet": "<img src=x onerror=alert(1)>"}]}',
        content_type="application/json",
    )
    problems = response_problems(response, response.content)
    assert len(problems) == 1 and "snippet" in problems[0]
