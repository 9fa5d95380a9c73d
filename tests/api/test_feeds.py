"""Bulk reads: NDJSON and CSV exports, and the events calendar."""

import csv
import datetime
import io
import json

from django.http import StreamingHttpResponse

from relations.api.calendar import escape_text, fold
from tests import factories


def body(response):
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode("utf-8")


def test_ndjson_export_is_one_article_per_line(anon_client, db):
    country = factories.CountryFactory(code="AZ")
    article = factories.PublishedArticleFactory(title="Baku talks", language="de")
    article.countries.add(country)
    factories.PublishedArticleFactory(language="en")
    response = anon_client.get("/api/articles/export.ndjson?language=de")
    assert response["Content-Type"] == "application/x-ndjson"
    rows = [json.loads(line) for line in body(response).splitlines()]
    assert [(r["title"], r["countries"]) for r in rows] == [("Baku talks", ["AZ"])]


def test_csv_export_quotes_and_defuses_formulas(anon_client, db):
    factories.PublishedArticleFactory(
        title='=HYPERLINK("https://evil.example")', lead='Says "hello", then, goes'
    )
    response = anon_client.get("/api/articles/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    header, row = list(csv.reader(io.StringIO(body(response))))
    record = dict(zip(header, row, strict=True))
    assert record["title"] == '\'=HYPERLINK("https://evil.example")'
    assert record["lead"] == 'Says "hello", then, goes'


def test_export_with_a_bad_filter_is_a_400_before_streaming(anon_client, db):
    response = anon_client.get("/api/articles/export.csv?person=nobody-at-all")
    assert response.status_code == 400
    assert response.json()["errors"]["person"]


def test_ics_escapes_and_folds(anon_client, db):
    host = factories.CountryFactory(name="Azerbaijan")
    event = factories.EventFactory(
        title="Talks; trade, energy\\culture",
        city="Baku",
        host_country=host,
        start_date=datetime.date(2024, 4, 20),
        end_date=datetime.date(2024, 4, 21),
        description="Line one\nLine two " + "ə" * 60,
    )
    text = body(anon_client.get("/api/events.ics"))
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "SUMMARY:Talks\\; trade\\, energy\\\\culture\r\n" in text
    assert "LOCATION:Baku\\, Azerbaijan\r\n" in text
    assert "DTSTART;VALUE=DATE:20240420\r\n" in text
    assert "DTEND;VALUE=DATE:20240422\r\n" in text  # exclusive end
    assert f"UID:event-{event.pk}@testserver\r\n" in text
    for line in text.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = text.replace("\r\n ", "")
    assert "DESCRIPTION:Line one\\nLine two " + "ə" * 60 + "\r\n" in unfolded


def test_escape_and_fold_units():
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    assert escape_text("bell\x07") == "bell"
    folded = fold("X" * 200)
    assert folded.endswith("\r\n")
    assert [len(part) for part in folded[:-2].split("\r\n ")] == [75, 74, 51]
