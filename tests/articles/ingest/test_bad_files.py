"""Untrusted files: clear errors naming the file, and other formats that work."""

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from articles.ingest import (
    BINARY_SIGNATURES,
    MAX_BYTES,
    IngestError,
    _refuse_binary,
    read_bytes,
    read_path,
)


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def _error(path):
    with pytest.raises(IngestError) as caught:
        read_path(path)
    message = str(caught.value)
    assert str(path) in message
    return message


def test_binary_file(tmp_path):
    path = _write(tmp_path, "photo.txt", b"\x00\x01\x02binary\x00" * 100)
    assert "binary" in _error(path)


def test_image_renamed_as_text(tmp_path):
    path = _write(tmp_path, "story.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert "PNG image" in _error(path)


def test_empty_and_blank_files(tmp_path):
    assert "empty" in _error(_write(tmp_path, "empty.txt", b""))
    assert "blank" in _error(_write(tmp_path, "blank.txt", b" \n\n\t \n"))


def test_undecodable_text(tmp_path):
    # Bytes that are neither UTF-8 nor defined in Windows-1252.
    path = _write(tmp_path, "mojibake.txt", b"Talks in \x81\x8d\x8f\x90\x9d " * 20)
    assert "not UTF-8" in _error(path)


def test_windows_1252_text_is_read(tmp_path):
    text = "Außenminister trafen sich in Bagdad zu Gesprächen über Handel und Energie."
    path = _write(tmp_path, "latin.txt", (text + "\n\n" + text).encode("cp1252"))
    (item,) = read_path(path)
    assert "Außenminister" in item.lead
    assert item.language == "de"


def test_fifty_megabytes_are_refused_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: no 50 MB written to disk

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened before its size was checked")

    monkeypatch.setattr(type(path), "open", no_reading)
    message = _error(path)
    assert "50.0 MB" in message and "limit" in message
    assert os.path.getsize(path) > MAX_BYTES


def test_oversized_bytes_are_refused():
    with pytest.raises(IngestError, match="upload.txt"):
        read_bytes(b"a" * (MAX_BYTES + 1), "upload.txt")


def test_json_list_of_items(tmp_path):
    items = [
        {
            "title": "Ministers meet in Baku",
            "body": "The two ministers discussed trade.\n\nThey also spoke of energy.",
            "author": "A. Reporter",
            "date": "2024-03-05T10:00:00Z",
            "source": "Example Wire",
            "language": "en",
        },
        {"headline": "Second item", "text": "<p>First.</p><p>Second paragraph.</p>"},
    ]
    path = _write(tmp_path, "feed.json", json.dumps(items).encode())
    first, second = read_path(path)
    assert first.title == "Ministers meet in Baku"
    assert first.byline == "A. Reporter"
    assert first.source_name == "Example Wire"
    assert first.published_on.isoformat() == "2024-03-05"
    assert first.body == "<p>They also spoke of energy.</p>"
    assert second.title == "Second item"


@pytest.mark.parametrize(
    "payload, expected",
    [
        (b"{not json", "not valid JSON"),
        (b"[]", "empty"),
        (b"[1, 2]", "expected an object"),
        (b'{"title": "No body"}', "no body"),
    ],
)
def test_bad_json(tmp_path, payload, expected):
    assert expected in _error(_write(tmp_path, "bad.json", payload))


def test_html_page(tmp_path):
    page = b"""<!doctype html><html lang="en"><head><title>Site</title>
    <meta name="author" content="Jane Writer">
    <meta property="article:published_time" content="2023-11-20T09:00:00+04:00">
    <meta property="og:site_name" content="Example News">
    <script>alert(1)</script></head><body><nav>Home | World</nav>
    <h1>Presidents sign documents</h1>
    <p>The presidents met in the capital and signed several documents.</p>
    <p onclick="x()">They agreed to <b>expand</b> trade.</p>
    <footer>Copyright</footer></body></html>"""
    (item,) = read_path(_write(tmp_path, "page.html", page))
    assert item.title == "Presidents sign documents"
    assert item.byline == "Jane Writer"
    assert item.source_name == "Example News"
    assert item.published_on.isoformat() == "2023-11-20"
    assert item.lead.startswith("The presidents met")
    assert "alert" not in item.body and "Home" not in item.body
    assert "onclick" not in item.body and "Copyright" not in item.body


def _control_share_over_limit(data):
    """The rule `_refuse_binary` applies, written out byte by byte."""
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in b"\t\n\r\f")
    return b"\x00" in head or controls > len(head) * 0.05


# Text, the control bytes text may hold, and ones it may not.
BYTES = st.sampled_from(
    [b"a", b"\xc3\xa9", b" ", b"\t", b"\n", b"\r", b"\f", b"\x01", b"\x1b"]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(BYTES, min_size=1, max_size=200).map(b"".join),
    st.integers(min_value=0, max_value=9000),
)
def test_control_bytes_are_counted_as_the_rule_says(sample, padding):
    # Padding past the 8 KiB head shifts what is counted.
    data = b"a" * padding + sample if padding % 2 else sample * (1 + padding // 50)
    refused = True
    try:
        _refuse_binary(data, "item")
    except IngestError:
        pass
    else:
        refused = False
    if not any(data.startswith(signature) for signature in BINARY_SIGNATURES):
        assert refused == _control_share_over_limit(data)
