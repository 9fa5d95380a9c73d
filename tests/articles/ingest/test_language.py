"""Language detection: the model unpacked once (or its feature table read as
float32 rows) scores exactly as the shipped model does."""

import json
import re
from pathlib import Path

import numpy
import py3langid
import pytest
from django.conf import settings

from articles import language_model
from articles.ingest import LANGUAGE_SAMPLE, detect_language
from articles.language_model import Float32Rows, language_identifier


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
    rows = Float32Rows(table)
    index = numpy.array([5, 17, 99_000])
    assert (rows[index] == table[index].astype("float32")).all()
    assert rows.ready.sum() == 3
    assert (rows[numpy.array([17, 18])] == table[[17, 18]]).all()
    assert rows.ready.sum() == 4


def sample_texts():
    texts = [re.sub(r"<[^>]+>", " ", t)[:LANGUAGE_SAMPLE] for t in demo_texts()]
    return texts + ["Der Minister traf seinen Amtskollegen in Baku zu Gesprächen."]


@pytest.fixture
def fresh_identifier(settings, tmp_path):
    """language_identifier() as a new process sees it, with its own cache folder."""
    settings.PORTAL_CACHE_DIR = tmp_path / "cache"
    language_identifier.cache_clear()
    yield
    language_identifier.cache_clear()


def scores_of(identifier):
    return [identifier._decide(text).tolist() for text in sample_texts()]


def test_the_first_process_unpacks_the_model_and_later_ones_map_it(fresh_identifier):
    stock = scores_of(py3langid.langid._load_identifier())
    first = language_identifier()
    folder = language_model.unpacked_folder()
    assert folder.parent == settings.PORTAL_CACHE_DIR
    assert sorted(p.name for p in folder.iterdir()) == [
        "classes.json", "nextmove.npy", "output.npy", "pc.npy", "ptc.npy", "row.npy",
    ]  # fmt: skip
    assert scores_of(first) == stock
    language_identifier.cache_clear()
    later = language_identifier()
    assert later is not first
    assert isinstance(later.nb_ptc, numpy.memmap)
    assert later.nb_ptc.dtype == numpy.float32
    assert scores_of(later) == stock
    # Nothing left of the temporary folder it was written in.
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_a_second_unpacking_at_once_drops_its_copy(fresh_identifier):
    model = language_model.load_model(language_model.SHIPPED_MODEL)
    folder = language_model.unpacked_folder()
    language_model.unpack(model, folder)
    written = (folder / "ptc.npy").stat().st_mtime_ns
    language_model.unpack(model, folder)  # another process lost the race
    assert (folder / "ptc.npy").stat().st_mtime_ns == written
    assert [p.name for p in folder.parent.iterdir()] == [folder.name]


def test_an_unwritable_cache_folder_loads_the_model_as_shipped(
    fresh_identifier, settings, tmp_path, caplog
):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.PORTAL_CACHE_DIR = blocker / "cache"
    identifier = language_identifier()
    assert isinstance(identifier.nb_ptc, Float32Rows)
    assert "Language model loaded as shipped" in caplog.text
    assert {detect_language(text) for text in sample_texts()} == {"en", "de"}


def test_a_damaged_copy_is_not_used(fresh_identifier, caplog):
    language_identifier()
    folder = language_model.unpacked_folder()
    (folder / "classes.json").write_text(json.dumps(["en", "de"]), "utf-8")
    language_identifier.cache_clear()
    identifier = language_identifier()
    assert isinstance(identifier.nb_ptc, Float32Rows)
    assert "does not hold a language model" in caplog.text
