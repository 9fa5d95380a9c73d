"""Language detection: the feature table read as float32 rows scores exactly as the
model does."""

import json
import re
from pathlib import Path

import numpy
import py3langid
from django.conf import settings

from articles.ingest import (
    LANGUAGE_SAMPLE,
    _Float32Rows,
    detect_language,
    language_identifier,
)


def demo_texts():
    path = Path(settings.BASE_DIR) / "fixtures" / "02_articles.json"
    rows = json.loads(path.read_text("utf-8"))
    return [
        "\n".join([r["fields"]["title"], r["fields"]["lead"], r["fields"]["body"]])
        for r in rows
        if r["model"] == "articles.article"
    ]


def test_scores_are_those_of_the_stock_model():
    stock = py3langid.langid._load_identifier()
    assert stock.nb_ptc.dtype.name == "float16"
    texts = [re.sub(r"<[^>]+>", " ", t)[:LANGUAGE_SAMPLE] for t in demo_texts()]
    texts += ["Der Minister traf seinen Amtskollegen in Baku zu Gesprächen."]
    for text in texts:
        assert (language_identifier()._decide(text) == stock._decide(text)).all()
    assert {detect_language(text) for text in texts} == {"en", "de"}


def test_too_little_text_has_no_language():
    assert detect_language("Baku, 21 April") == ""


def test_table_rows_are_converted_when_first_read():
    table = py3langid.langid._load_identifier().nb_ptc
    rows = _Float32Rows(table)
    index = numpy.array([5, 17, 99_000])
    assert (rows[index] == table[index].astype("float32")).all()
    assert rows.ready.sum() == 3
    assert (rows[numpy.array([17, 18])] == table[[17, 18]]).all()
    assert rows.ready.sum() == 4
