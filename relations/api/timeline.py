"""A country pair's timeline for the API: milestones, events, agreements and
published articles concerning both countries, oldest first."""

from articles.models import Article

from ..models import Agreement, Event

# Each kind is capped to its most recent rows, so a busy pair stays one bounded read.
PER_KIND = 50


def _both(queryset, field, relation):
    first, second = relation.country_a_id, relation.country_b_id
    return queryset.filter(**{field: first}).filter(**{field: second})


def _item(kind, date, title, url, precision="day"):
    return {
        "kind": kind,
        "date": date,
        "precision": precision,
        "title": title,
        "url": url,
    }


def relation_timeline(relation):
    """Four queries, whatever the pair: one per kind of item."""
    items = [
        _item("milestone", m.date, m.title, None, m.precision)
        for m in relation.milestones.all()
    ]
    events = _both(Event.objects.all(), "countries", relation)
    items += [
        _item("event", e.start_date, e.title, e.get_absolute_url())
        for e in events.order_by("-start_date")[:PER_KIND]
    ]
    agreements = _both(Agreement.objects.exclude(signed_on=None), "parties", relation)
    items += [
        _item("agreement", a.signed_on, a.title, a.get_absolute_url())
        for a in agreements.order_by("-signed_on")[:PER_KIND]
    ]
    articles = _both(Article.objects.published(), "countries", relation)
    items += [
        _item("article", a.published_at.date(), a.title, a.get_absolute_url())
        for a in articles.order_by("-published_at").only(
            "title", "slug", "published_at"
        )[:PER_KIND]
    ]
    return sorted(items, key=lambda item: (item["date"], item["kind"]))
