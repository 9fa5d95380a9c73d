"""Filter keys: each index row names its article's tags, its events' kinds, its
source, language and year, so a search filtered by them is answered by the
full-text index alone, with the same results as reading the tag tables and the
article rows."""

import datetime

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.filters import ArticleFilterSet, tagged
from articles.models import Article
from articles.search import backends, search_articles
from articles.search.backends import FTS_TABLE, STRONG_TABLE, filter_keys
from articles.search.keys import KEY_PREFIX, filter_key, lookup_key
from articles.search.query import published_base
from articles.services import article_save, article_set_tags
from relations.services import entity_save
from tests.factories import (
    CountryFactory,
    EventFactory,
    PersonFactory,
    SourceFactory,
    TopicFactory,
    chief_editor,
)

pytestmark = pytest.mark.django_db
sqlite_only = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the SQLite engine"
)
# Each engine's two index tables: (table, what holds the keys, the row's id).
INDEX_TABLES = {
    "sqlite": [(FTS_TABLE, "keys", "rowid"), (STRONG_TABLE, "keys", "rowid")],
    "postgresql": [
        (backends.DOCUMENTS, "vector", "article_id"),
        (backends.STRONG, "strong", "article_id"),
    ],
}


def keys_of(filters):
    base, error, _ = published_base(filters)
    assert error is None
    return filter_keys(base)


def test_the_keys_are_read_off_keyed_filters(aliyev, azerbaijan):
    person = filter_key("people", aliyev.pk)
    country = filter_key("countries", "az")
    assert keys_of({"person": aliyev.slug}) == ([person], True)
    assert keys_of({"country": "az"}) == ([country], True)
    assert keys_of({"country": "az", "person": aliyev.slug}) == (
        [country, person],
        True,
    )
    # The article's own source, language and year have keys too.
    source = SourceFactory()
    assert keys_of({"source": source.slug, "language": "en", "year": "2019"}) == (
        [
            filter_key("source", source.pk),
            filter_key("language", "en"),
            filter_key("year", 2019),
        ],
        True,
    )
    assert keys_of({"person": aliyev.slug, "language": "EN"}) == (
        [person, filter_key("language", "en")],
        True,
    )
    # And the kinds of its events.
    assert keys_of({"person": aliyev.slug, "event_kind": "state_visit"}) == (
        [person, f"{KEY_PREFIX}eventkindstatevisit"],
        True,
    )
    # Other filters stay with the search; the keys still narrow it.
    assert keys_of({"person": aliyev.slug, "from": "2019-01-01"}) == (
        [person],
        False,
    )
    assert keys_of({"to": "2019-01-01"}) == ([], False)
    # A language the tokenizer would split has no key.
    assert keys_of({"language": "pt-br"}) == ([], False)


def test_a_year_in_another_time_zone_has_no_key():
    # The keys hold the year in the site's time zone (TIME_ZONE): a filter
    # meaning another zone's year is read from the articles.
    with timezone.override("Asia/Baku"):
        assert keys_of({"year": "2019"}) == ([], False)
    with timezone.override(timezone.get_default_timezone()):
        assert keys_of({"year": "2019"}) == ([filter_key("year", 2019)], True)


def test_the_keys_of_a_callers_queryset(aliyev):
    person = filter_key("people", aliyev.pk)
    # As the portal and the API pass their FilterSet's queryset.
    filterset = ArticleFilterSet(
        {"person": aliyev.slug}, queryset=Article.objects.published()
    )
    assert filterset.is_valid()
    assert keys_of(filterset.qs) == ([person], True)
    # The same tag through a join of the caller's own: no key.
    assert keys_of(Article.objects.filter(people=aliyev)) == ([], False)
    # A date bound of the caller's own is not the "public" check.
    bounded = Article.objects.filter(published_at__lte=timezone.now())
    assert keys_of(tagged(bounded, "people", aliyev)) == ([person], False)
    # Neither is a status of the caller's own.
    drafts = Article.objects.filter(status=Article.Status.DRAFT)
    assert keys_of(tagged(drafts, "people", aliyev)) == ([person], False)
    # The keys of other articles than those selected are not theirs.
    tagged_articles = tagged(Article.objects.all(), "people", aliyev)
    originals = tagged_articles.values("possible_duplicate_of")
    assert keys_of(Article.objects.filter(pk__in=originals)) == ([], False)
    # Keys under NOT, or of a slice of the tagged articles, are not kept.
    tagged_ids = tagged(Article.objects.all(), "people", aliyev).values("pk")
    assert keys_of(Article.objects.exclude(pk__in=tagged_ids)) == ([], False)
    sliced = tagged(Article.objects.order_by("pk"), "people", aliyev)[:1]
    assert keys_of(sliced) == ([], False)
    # Nor are those of a union, whose own conditions are in its parts.
    union = tagged(Article.objects.all(), "people", aliyev).union(
        Article.objects.filter(title="Border talks")
    )
    assert keys_of(union) == ([], False)


def test_only_plain_letters_and_digits_make_a_key():
    assert filter_key("countries", "AZ") == f"{KEY_PREFIX}countriesaz"
    assert filter_key("people", 17) == f"{KEY_PREFIX}people17"
    # The tokenizer would split these; such a filter reads the tag table.
    assert filter_key("countries", "A.") is None
    assert filter_key("countries", "Ä1") is None


def test_a_lookup_has_a_key_when_one_names_its_entities():
    assert lookup_key("countries", {"code": "AZ"}) == f"{KEY_PREFIX}countriesaz"
    assert lookup_key("people", {"pk": 17}) == f"{KEY_PREFIX}people17"
    # An event's kind names every event of that kind.
    assert (
        lookup_key("events", {"kind": "state_visit"})
        == f"{KEY_PREFIX}eventkindstatevisit"
    )
    assert lookup_key("people", {"slug": "ilham-aliyev"}) is None
    assert lookup_key("topics", {"kind": "trade"}) is None
    assert lookup_key("events", {"kind": "summit", "slug": "g20"}) is None


def index_keys(article):
    """The keys in each of the article's index rows."""
    found = []
    with connection.cursor() as cursor:
        for table, column, pk in INDEX_TABLES[connection.vendor]:
            if connection.vendor == "sqlite":
                cursor.execute(
                    f"SELECT {column} FROM {table} WHERE {pk} = %s", [article.pk]
                )
                found.append(set(cursor.fetchone()[0].split()))
            else:
                cursor.execute(
                    f"SELECT lexeme FROM {table}, unnest({column}) "
                    f"WHERE {pk} = %s AND starts_with(lexeme, %s)",
                    [article.pk, KEY_PREFIX],
                )
                found.append({lexeme for (lexeme,) in cursor.fetchall()})
    return found


def own_keys(article, year):
    return {
        filter_key("source", article.source_id),
        filter_key("language", "en"),
        filter_key("year", year),
    }


def test_an_index_row_carries_the_keys_of_its_tags(publish, aliyev, azerbaijan):
    topic = TopicFactory()
    visits = [EventFactory(kind="state_visit"), EventFactory(kind="state_visit")]
    published_at = datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC)
    article = publish(
        title="Border talks",
        published_at=published_at,
        tags={"people": [aliyev], "topics": [topic], "events": visits},
    )
    own = own_keys(article, 2019)
    expected = {
        filter_key("people", aliyev.pk),
        filter_key("topics", topic.pk),
        filter_key("events", visits[0].pk),
        filter_key("events", visits[1].pk),
        f"{KEY_PREFIX}eventkindstatevisit",
    }
    assert index_keys(article) == [expected | own] * 2
    article_set_tags(article=article, people=[], countries=[azerbaijan], events=[])
    expected = {filter_key("countries", "az"), filter_key("topics", topic.pk)}
    assert index_keys(article) == [expected | own] * 2


def test_a_new_event_kind_filters_at_once(publish):
    event = EventFactory(kind="summit")
    article = publish(title="Border talks", tags={"events": [event]})
    event.kind = "signing"
    entity_save(entity=event)
    for kind, found in (("signing", [article]), ("summit", [])):
        results = search_articles("border", filters={"event_kind": kind})
        assert [hit.article for hit in results.hits] == found


def test_an_index_row_follows_its_articles_source_language_and_year(publish):
    article = publish(
        title="Border talks",
        published_at=datetime.datetime(2019, 12, 31, 23, tzinfo=datetime.UTC),
    )
    article.refresh_from_db()
    article.source = SourceFactory()
    article.language = "de"
    article.published_at = datetime.datetime(2020, 1, 1, 1, tzinfo=datetime.UTC)
    article_save(article=article, user=chief_editor())
    expected = {
        filter_key("source", article.source_id),
        filter_key("language", "de"),
        filter_key("year", 2020),
    }
    assert index_keys(article) == [expected] * 2
    for filters, found in (
        ({"year": "2020", "language": "de"}, [article]),
        ({"year": "2019"}, []),
        ({"language": "en"}, []),
    ):
        results = search_articles("border", filters=filters)
        assert [hit.article for hit in results.hits] == found, filters


def test_the_year_key_is_the_sites_year(publish):
    # 23:30 UTC on New Year's Eve is already the next year in Baku.
    moment = datetime.datetime(2019, 12, 31, 23, 30, tzinfo=datetime.UTC)
    with override_settings(TIME_ZONE="Asia/Baku"):
        article = publish(title="Border talks", published_at=moment)
        assert filter_key("year", 2020) in index_keys(article)[0]
        for year, found in (("2020", [article]), ("2019", [])):
            results = search_articles("border", filters={"year": year})
            assert [hit.article for hit in results.hits] == found, year


def test_a_new_country_code_filters_at_once(publish):
    country = CountryFactory(code="XA")
    article = publish(title="Border talks", tags={"countries": [country]})
    country.code = "XB"
    entity_save(entity=country)
    for code, found in (("xb", [article]), ("xa", [])):
        results = search_articles("border", filters={"country": code})
        assert [hit.article for hit in results.hits] == found


def test_no_query_reaches_a_key(publish, aliyev):
    publish(title="Border talks", tags={"people": [aliyev]})
    for text in (filter_key("people", aliyev.pk), f"people{aliyev.pk}"):
        assert search_articles(text).total == 0


@pytest.fixture
def tagged_corpus(publish, unpublished):
    """Articles over three people and two countries in several combinations,
    drafts and a scheduled article tagged alike."""
    countries = [CountryFactory(code="XA"), CountryFactory(code="XB")]
    people = [PersonFactory() for _ in range(3)]
    sources = [SourceFactory(), SourceFactory()]
    events = [
        EventFactory(kind="state_visit"),
        EventFactory(kind="state_visit"),
        EventFactory(kind="summit"),
    ]
    newest = timezone.now() - datetime.timedelta(days=1)
    for number in range(30):
        publish(
            title=f"Border talks {number}",
            body=f"<p>Border crossings and harbour works, round {number}.</p>",
            # Over three years or more, whatever the day the test runs.
            published_at=newest - datetime.timedelta(days=40 * number),
            language=("en", "de")[number % 5 == 0],
            source=sources[number % 3 == 0],
            tags={
                "countries": countries[: number % 3],
                "people": people[number % 4 :],
                "events": events[number % 5 : number % 5 + 2],
            },
        )
    for article in unpublished(title="Border talks unseen", source=sources[0]):
        article_set_tags(
            article=article, people=people, countries=countries, events=events
        )
    return {
        "person": [person.slug for person in people],
        "country": ["xa", "xb"],
        "source": [source.slug for source in sources],
        "year": [str((newest - datetime.timedelta(days=400)).year)],
    }


FILTERS = [
    lambda c: {"person": c["person"][0]},
    lambda c: {"country": c["country"][1]},
    lambda c: {"person": c["person"][2], "country": c["country"][0]},
    lambda c: {"person": c["person"][1], "language": "en"},
    lambda c: {"language": "de"},
    lambda c: {"source": c["source"][1]},
    lambda c: {"year": c["year"][0]},
    lambda c: {"year": c["year"][0], "country": c["country"][1]},
    lambda c: {"source": c["source"][0], "from": "2000-01-01"},
    lambda c: {"event_kind": "state_visit"},
    lambda c: {"event_kind": "summit", "person": c["person"][0]},
    lambda c: (
        ArticleFilterSet(
            {"person": c["person"][1]}, queryset=Article.objects.published()
        ).qs
    ),
]


def searched(query, filters, sort):
    results = search_articles(query, filters=filters, sort=sort, page_size=100)
    facets = {
        name: [(v.value, v.count) for v in values]
        for name, values in results.facets.items()
    }
    return [hit.article.pk for hit in results.hits], results.total, facets


@pytest.mark.parametrize("candidates", [1000, 3])
@pytest.mark.parametrize("make_filters", FILTERS)
def test_keys_find_what_the_tag_tables_find(
    tagged_corpus, monkeypatch, candidates, make_filters
):
    # With 3 ranking candidates, "border" is ranked in tiers (see backends).
    monkeypatch.setattr(backends, "RANK_CANDIDATES", candidates)
    filters = make_filters(tagged_corpus)
    for query in ("border", "harbour round", "talks 17", "absent"):
        for sort in ("relevance", "date"):
            keyed = searched(query, filters, sort)
            with monkeypatch.context() as unkeyed:
                unkeyed.setattr(
                    type(backends.backend()),
                    "with_keys",
                    lambda self, base, groups, restricted: (groups, restricted),
                )
                unkeyed_found = searched(query, filters, sort)
            if candidates < 30 and sort == "relevance":
                # In tiers the keyed search ranks the best of the filtered
                # matches first, the other the best of all that the filters
                # keep: the same articles, not always in the same order.
                keyed = (sorted(keyed[0]), *keyed[1:])
                unkeyed_found = (sorted(unkeyed_found[0]), *unkeyed_found[1:])
            assert unkeyed_found == keyed, (query, sort)


def test_a_tag_filter_reads_no_tag_table(tagged_corpus):
    for sort in ("relevance", "date"):
        with CaptureQueriesContext(connection) as queries:
            results = search_articles(
                "border", filters={"person": tagged_corpus["person"][0]}, sort=sort
            )
        assert results.total > 0
        statements = " ".join(query["sql"] for query in queries)
        assert KEY_PREFIX in statements
        index = INDEX_TABLES[connection.vendor][0][0]
        engine = [q["sql"] for q in queries if index in q["sql"]]
        assert engine and all("articles_article_people" not in sql for sql in engine)


def fts_columns(table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table} LIMIT 0")
        return [column[0] for column in cursor.description]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migrations_write_the_keys_of_existing_articles(publish, aliyev):
    from django.core.management import call_command

    summit = EventFactory(kind="summit")
    article = publish(
        title="Border talks",
        published_at=datetime.datetime(2019, 5, 1, 12, tzinfo=datetime.UTC),
        tags={"people": [aliyev], "events": [summit]},
    )
    publish(title="Border talks elsewhere")
    tags = {filter_key("people", aliyev.pk), filter_key("events", summit.pk)}
    added = own_keys(article, 2019) | {f"{KEY_PREFIX}eventkindsummit"}
    sqlite = connection.vendor == "sqlite"
    call_command("migrate", "articles", "0013" if sqlite else "0014", verbosity=0)
    if sqlite:
        assert fts_columns(FTS_TABLE) == ["title", "names", "lead", "body"]
    else:
        assert index_keys(article) == [set(), set()]
    assert search_articles("border").total == 2
    # 0014 (SQLite) and 0015 (PostgreSQL): the tags' keys.
    call_command("migrate", "articles", "0015", verbosity=0)
    assert index_keys(article) == [tags] * 2
    results = search_articles("border", filters={"person": aliyev.slug}, sort="date")
    assert [hit.article for hit in results.hits] == [article]
    # 0016: the event kinds', the source's, the language's and the year's.
    call_command("migrate", verbosity=0)
    assert index_keys(article) == [tags | added] * 2
    for filters in (
        {"year": "2019"},
        {"person": aliyev.slug, "language": "en"},
        {"event_kind": "summit"},
    ):
        results = search_articles("border", filters=filters, sort="date")
        assert [hit.article for hit in results.hits] == [article]
    assert search_articles("border").total == 2
    if sqlite:
        assert fts_columns(FTS_TABLE) == ["title", "names", "lead", "body", "keys"]
        # The rank weights are kept, the keys' 0.
        weights = {
            FTS_TABLE: "bm25(10.0, 5.0, 2.0, 1.0, 0.0)",
            STRONG_TABLE: "bm25(10.0, 5.0, 2.0, 0.0)",
        }
        with connection.cursor() as cursor:
            for table, rank in weights.items():
                cursor.execute(f"SELECT v FROM {table}_config WHERE k = 'rank'")
                assert cursor.fetchone() == (rank,)
    # Undone, 0016 takes away its own keys only.
    call_command("migrate", "articles", "0015", verbosity=0)
    assert index_keys(article) == [tags] * 2
    call_command("migrate", verbosity=0)
    assert index_keys(article) == [tags | added] * 2
