"""The markup a page repeats many times, written in Python: article cards,
search result cards and the search page's facet lists.

Lists of articles (the home page, an article's related coverage, entity pages,
search results) show a card per article. Rendered through an included
template, a card took about 0.35 ms: some thirty variable lookups, each through
the template engine's resolution rules, and every value through Django's lazy-
aware escaping. Here each value is escaped once with the standard library's
`html.escape` (what Django's `escape` calls) unless it is already safe HTML, as
autoescaping does, and a card costs a fraction of that: on a search page with
twenty results that was a sixth of the server's time; its facet lists, some
sixty links, another twentieth. `{% article_card %}`, `{% search_hit %}` and
`{% search_facets %}` (articles/templatetags/portal.py) put them on a page.
"""

import html

from django.template.defaultfilters import truncatewords
from django.utils.dates import MONTHS
from django.utils.safestring import SafeData, mark_safe
from django.utils.timezone import localtime

from .taglists import tags_of

SEPARATOR = '<span class="meta__sep" aria-hidden="true"> · </span>'
CARD_PEOPLE = 4
LEAD_WORDS = 40


def esc(value):
    """`value` as HTML text: escaped, unless it is already safe HTML."""
    if isinstance(value, SafeData):
        return str(value)
    return html.escape(str(value))


def published(article):
    """The <time> element of the article's publication date, or ''.

    The same text as the template filters `date:'c'` and `date:"j F Y"` in
    the current time zone (month names translated).
    """
    if not article.published_at:
        return ""
    when = localtime(article.published_at)
    day = f"{when.day} {MONTHS[when.month]} {when.year}"
    return f'<time datetime="{esc(when.isoformat())}">{esc(day)}</time>'


def article_card(article, *, featured=False, heading_level=3):
    """A card: title, date, source, language, the lead and the main tags."""
    level = int(heading_level)
    source = f"{SEPARATOR}{esc(article.source.name)}" if article.source else ""
    meta = (
        f"{published(article)}{source}{SEPARATOR}"
        f'<abbr class="lang" title="Language">{esc(article.language.upper())}</abbr>'
    )
    lead = ""
    if article.lead:
        words = truncatewords(article.lead, LEAD_WORDS)
        lead = f'\n  <p class="card__lead">{esc(words)}</p>'
    return mark_safe(
        f'<article class="card{" card--featured" if featured else ""}" '
        f'lang="{esc(article.language)}">\n'
        f'  <h{level} class="card__title"><a href="{esc(article.get_absolute_url())}">'
        f"{esc(article.title)}</a></h{level}>\n"
        f'  <p class="meta">{meta}</p>{lead}{_card_tags(article)}\n'
        "</article>"
    )


def _card_tags(article):
    """The card's countries and its first people, as a list of links."""
    countries = [
        ("tag--country", country.get_absolute_url(), country.name)
        for country in tags_of(article, "countries")
    ]
    people = [
        ("tag--person", person.get_absolute_url(), person.full_name)
        for person in list(tags_of(article, "people"))[:CARD_PEOPLE]
    ]
    if not countries and not people:
        return ""
    items = "".join(
        f'<li><a class="tag {kind}" href="{esc(url)}">{esc(name)}</a></li>'
        for kind, url, name in countries + people
    )
    return f'\n  <ul class="tags" aria-label="Tagged">{items}</ul>'


def search_hit(hit):
    """A search result: the title and a snippet with the matched words marked
    (`hit.title_html` and `hit.snippet_html` are safe HTML already)."""
    article = hit.article
    url = esc(article.get_absolute_url())
    source = f" · {esc(article.source.name)}" if article.source else ""
    snippet = ""
    if hit.snippet_html:
        snippet = f'\n  <p class="snippet">{esc(hit.snippet_html)}</p>'
    return mark_safe(
        f'<article class="card search-hit" lang="{esc(article.language)}">\n'
        f'  <h3><a href="{url}">{esc(hit.title_html)}</a></h3>\n'
        f'  <p class="meta">{published(article)}{source} · {esc(article.language)}</p>'
        f"{snippet}{_hit_tags(article)}\n"
        "</article>"
    )


def _hit_tags(article):
    """The result's people, then its countries, as links."""
    groups = [
        ", ".join(
            f'<a href="{esc(tag.get_absolute_url())}">{esc(tag)}</a>' for tag in tags
        )
        for tags in (tags_of(article, "people"), tags_of(article, "countries"))
    ]
    links = " · ".join(group for group in groups if group)
    return f'\n  <p class="tags">{links}</p>' if links else ""


def search_facets(groups, search_url, *, partial=False, scope=0):
    """The search page's "Narrow the results" lists, or '' without any.

    `groups`: [{"label", "links": [{"label", "count", "url", "active"}]}] as
    the search view builds them; each link's `url` is the query string to
    append to `search_url`.
    """
    if not groups:
        return ""
    note = ""
    if partial:
        covered = f"Counts cover the first {int(scope)} matches."
        note = f'\n  <p class="facet-note">{covered}</p>'
    sections = "".join(_facet_section(group, search_url) for group in groups)
    return mark_safe(
        '<nav class="search-facets" aria-labelledby="search-facets-heading">\n  '
        '<h2 id="search-facets-heading" class="facets-heading">Narrow the results</h2>'
        f"{note}{sections}\n</nav>"
    )


def _facet_section(group, search_url):
    items = "".join(_facet_item(link, search_url) for link in group["links"])
    return (
        f'\n  <section class="facet">\n    <h3>{esc(group["label"])}</h3>\n'
        f"    <ul>{items}\n    </ul>\n  </section>"
    )


def _facet_item(link, search_url):
    current, selected = "", ""
    if link["active"]:
        current = ' aria-current="true" class="active"'
        selected = ' <span class="visually-hidden">(selected; follow to remove)</span>'
    return (
        f'\n      <li><a href="{esc(search_url + link["url"])}"{current}>'
        f'{esc(link["label"])}</a> <span class="count">({int(link["count"])})</span>'
        f"{selected}</li>"
    )
