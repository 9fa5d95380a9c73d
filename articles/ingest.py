"""Scraped text in, article fields out: pure functions, no database.

Input is untrusted and messy: page chrome before the title, repeated titles,
bylines, datelines, photo credits, closing source lines and lists of unrelated
headlines after the story. Every field that cannot be found stays empty for the
editor instead of being guessed.
"""

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .language_model import language_identifier
from .sanitize import sanitize_html

MAX_BYTES = 5 * 1024 * 1024
LANGUAGE_SAMPLE = 1000  # characters read to tell the language
TEXT_SUFFIXES = {".txt", ".text", ".md", ".html", ".htm", ".json", ""}


class IngestError(ValueError):
    """A file or text that cannot be imported; the message names the file."""


@dataclass
class Extracted:
    title: str = ""
    lead: str = ""
    body: str = ""  # sanitised HTML
    byline: str = ""
    dateline_place: str = ""
    published_on: datetime.date | None = None
    source_name: str = ""
    source_url: str = ""
    language: str = ""
    photo_credits: list = field(default_factory=list)
    name: str = ""  # the file (or "pasted text") it came from

    def plain_text(self):
        """Title, lead and body as plain text: what tagging and duplicates compare."""
        body = re.sub(r"<[^>]+>", " ", self.body)
        return "\n".join([self.title, self.lead, html.unescape(body)])


# ---------------------------------------------------------------- reading bytes

BINARY_SIGNATURES = {
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"PK\x03\x04": "a ZIP archive (or Office document)",
    b"\x7fELF": "a program",
    b"MZ": "a Windows program",
    b"\x1f\x8b": "a gzip archive",
}


def read_path(path):
    """Read and extract the items of one file; the size is checked before reading."""
    path = Path(path)
    name = str(path)
    try:
        size = path.stat().st_size
    except OSError as error:
        raise IngestError(f"{name}: cannot be read ({error.strerror}).") from error
    check_size(size, name)
    with path.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return read_bytes(data, name)


def check_size(size, name):
    if size > MAX_BYTES:
        raise IngestError(
            f"{name}: {size / 1024 / 1024:.1f} MB is over the "
            f"{MAX_BYTES // 1024 // 1024} MB limit for one file."
        )
    if size == 0:
        raise IngestError(f"{name}: the file is empty.")


def read_bytes(data, name):
    """Extract the items of `data` (plain text, HTML or JSON) read from `name`."""
    check_size(len(data), name)
    text = decode(data, name)
    if not text.strip():
        raise IngestError(f"{name}: the file holds only blank space.")
    return extract_any(text, name)


def decode(data, name):
    """UTF-8 (BOM or not), UTF-16 with a BOM, else cp1252 when it reads as text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _decode_or_fail(data, "utf-16", name)
    _refuse_binary(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _reads_as_text(text):
        return text
    raise IngestError(
        f"{name}: the text is not UTF-8 and does not read as Windows-1252 either; "
        "save it as UTF-8 and try again."
    )


def _decode_or_fail(data, encoding, name):
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        raise IngestError(f"{name}: not valid {encoding} text.") from error


# Bytes below 32 that text does not hold (tab, newlines and form feed it may).
CONTROL_BYTES = bytes(byte for byte in range(32) if byte not in b"\t\n\r\f")


def _refuse_binary(data, name):
    for signature, kind in BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise IngestError(f"{name}: this is {kind}, not text.")
    head = data[:8192]
    # Counted in C: the bytes left after deleting every control byte.
    controls = len(head) - len(head.translate(None, CONTROL_BYTES))
    if b"\x00" in head or controls > len(head) * 0.05:
        raise IngestError(f"{name}: this is a binary file, not text.")


def _reads_as_text(text):
    # cp1252 decodes almost any byte; accept it only when the non-ASCII
    # characters are mostly letters and rare, as in real Western text.
    special = [char for char in text if ord(char) > 127]
    if not special:
        return True
    letters = sum(1 for char in special if char.isalpha())
    return len(special) < len(text) * 0.1 and letters >= len(special) * 0.8


# ------------------------------------------------------------- format dispatch


def extract_any(text, name="pasted text"):
    """A list of Extracted items from text that is JSON, HTML or plain text."""
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        return extract_json(text, name)
    if re.match(r"(?is)\s*(<!doctype html|<html|<head|<body|<article|<p[ >])", text):
        return [extract_html(text, name)]
    return [extract_text(text, name)]


JSON_KEYS = {
    "title": ("title", "headline"),
    "body": ("body", "text", "content", "article"),
    "lead": ("lead", "summary", "description", "standfirst"),
    "byline": ("byline", "author", "authors"),
    "date": ("published_at", "date", "published", "datePublished", "pubdate"),
    "source": ("source", "publisher", "site_name"),
    "language": ("language", "lang"),
    "url": ("url", "source_url", "link"),
    "dateline": ("dateline", "dateline_place", "place"),
}


def extract_json(text, name):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise IngestError(
            f"{name}: not valid JSON (line {error.lineno}: {error.msg})."
        ) from error
    items = data if isinstance(data, list) else [data]
    if not items:
        raise IngestError(f"{name}: the JSON list is empty.")
    return [_json_item(item, f"{name}[{index}]") for index, item in enumerate(items)]


def _json_value(item, key):
    for candidate in JSON_KEYS[key]:
        value = item.get(candidate)
        if isinstance(value, dict):
            value = value.get("name", "")
        if isinstance(value, list):
            value = ", ".join(str(part) for part in value if part)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def _json_item(item, name):
    if not isinstance(item, dict):
        raise IngestError(f"{name}: expected an object with title and body.")
    body = _json_value(item, "body")
    if not body:
        raise IngestError(f"{name}: the object has no body (or text) to import.")
    is_html = bool(re.search(r"<(p|br|div|h\d)[\s>/]", body))
    extracted = extract_html(body, name) if is_html else extract_text(body, name)
    _json_overrides(extracted, item)
    return extracted


def _json_overrides(extracted, item):
    # Explicit keys win over what the text heuristics found.
    simple = {
        "title": "title",
        "lead": "lead",
        "byline": "byline",
        "source": "source_name",
        "url": "source_url",
        "dateline": "dateline_place",
    }
    for key, attribute in simple.items():
        value = _json_value(item, key)
        if value:
            setattr(extracted, attribute, value[:300])
    language = _json_value(item, "language")
    if len(language) <= 12 and re.fullmatch(
        r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*", language
    ):
        extracted.language = language.lower()
    extracted.published_on = parse_date(_json_value(item, "date")) or (
        extracted.published_on
    )


# ------------------------------------------------------------------------ HTML

SKIPPED_TAGS = {
    "script",
    "style",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "noscript",
}
BLOCK_TAGS = {
    "p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr",
    "section", "article", "blockquote", "figcaption", "title", "time",
}  # fmt: skip


class _TextCollector(HTMLParser):
    """Turns an HTML page into text lines and the metadata found in its head."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lines, self.current, self.skip_depth = [], [], 0
        self.meta, self.in_title, self.in_h1 = {}, False, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ""
            self.meta.setdefault(key.lower(), (attrs.get("content") or "").strip())
        elif tag == "html" and attrs.get("lang"):
            self.meta["lang"] = attrs["lang"]
        elif tag == "time" and attrs.get("datetime"):
            self.meta.setdefault("time", attrs["datetime"])
        self.in_title |= tag == "title"
        self.in_h1 |= tag == "h1"
        if tag in BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag):
        if tag in SKIPPED_TAGS and self.skip_depth:
            self.skip_depth -= 1
        if tag in BLOCK_TAGS:
            self._flush()
        if tag == "title":
            self.in_title = False
        if tag == "h1":
            self.in_h1 = False

    def handle_data(self, data):
        if self.in_title:
            self.meta.setdefault("title", data.strip())
            return
        if self.skip_depth:
            return
        if self.in_h1 and data.strip():
            self.meta.setdefault("h1", data.strip())
        self.current.append(data)

    def _flush(self):
        line = " ".join("".join(self.current).split())
        if line:
            self.lines.extend([line, ""])
        self.current = []


def extract_html(text, name="pasted text"):
    collector = _TextCollector()
    collector.feed(text)
    collector.close()
    collector._flush()
    meta = collector.meta
    extracted = extract_text("\n".join(collector.lines), name)
    title = meta.get("h1") or meta.get("og:title") or ""
    if title and not extracted.title:
        extracted.title = title
        extracted.lead, extracted.body = _drop_title_paragraph(extracted, title)
    extracted.byline = extracted.byline or meta.get("author", "")[:200]
    extracted.source_name = extracted.source_name or meta.get("og:site_name", "")
    extracted.source_url = meta.get("og:url", "")
    published = meta.get("article:published_time") or meta.get("time") or ""
    extracted.published_on = parse_date(published) or extracted.published_on
    return extracted


def _drop_title_paragraph(extracted, title):
    if extracted.lead.strip() == title.strip():
        paragraphs = re.findall(r"<p>(.*?)</p>", extracted.body, flags=re.S)
        lead = html.unescape(paragraphs[0]) if paragraphs else ""
        body = "".join(f"<p>{part}</p>" for part in paragraphs[1:])
        return lead, body
    return extracted.lead, extracted.body


# ------------------------------------------------------------------ plain text

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan", "januar", "jänner"),
            ("february", "feb", "februar"),
            ("march", "mar", "märz", "maerz"),
            ("april", "apr"),
            ("may", "mai"),
            ("june", "jun", "juni"),
            ("july", "jul", "juli"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct", "oktober", "okt"),
            ("november", "nov"),
            ("december", "dec", "dezember", "dez"),
        ],
        start=1,
    )
    for name in names
}
MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))

# "Baku, December 22, AZERTAC" / "BAKU, 22 Dec 2024 (Reuters) -" / "Bagdad, 21. April"
DATELINE_RE = re.compile(
    rf"^(?P<place>[A-Z][\w'.\- ]{{1,40}}?),\s+"
    rf"(?:(?P<month1>{MONTH_RE})\.?\s+(?P<day1>\d{{1,2}})"
    rf"|(?P<day2>\d{{1,2}})\.?\s+(?P<month2>{MONTH_RE})\.?)"
    rf"(?:,?\s+(?P<year>\d{{4}}))?"
    rf"(?:[,\s]+\(?(?P<agency>[A-Z][\w.\-]*(?: [A-Z][\w.\-]*)?)\)?)?"
    rf"\s*(?:[-–—:.]\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
ISO_DATE_RE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
LONG_DATE_RE = re.compile(
    rf"\b(?:(?P<month1>{MONTH_RE})\.?\s+(?P<day1>\d{{1,2}}),?\s+(?P<year1>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})\.?\s+(?P<month2>{MONTH_RE})\.?,?\s+(?P<year2>\d{{4}}))\b",
    re.IGNORECASE,
)
BYLINE_RE = re.compile(
    r"^(?:by|von|author:|autor:)\s+(?P<who>[^\s].{0,80})$", re.IGNORECASE
)
# "Iman ABDUYEV, political scientist": a closing signature with the surname in capitals.
SIGNATURE_RE = re.compile(
    r"^(?P<who>(?:[A-Z][a-z]+\s+){1,3}[A-Z]{2,}(?:-[A-Z]{2,})?)(?:,\s*(?P<role>.{2,60}))?$"
)
CREDIT_RE = re.compile(
    r"^(?:photos?|photo credit|fotos?|bild|image|credit)\s*:\s*(?P<who>.{2,150})$"
    r"|^©\s*(?P<who2>.{2,150})$",
    re.IGNORECASE,
)
SOURCE_LINE_RE = re.compile(
    r"^(?:source|quelle)\s*:\s*(?P<name>.{2,80})$", re.IGNORECASE
)
# Page widgets: font-size controls, print/share buttons, date stamps alone on a line.
CHROME_RE = re.compile(
    r"(?:\b\d{1,2}\s*px\b|[↺↻−＋]|^\s*(?:date|datum)\s+\d{4}-\d{2}-\d{2}"
    r"|^\s*(?:print|drucken|font size|schriftgröße|a\+|a-|listen|share)\s*$"
    r"|^\s*\d{1,2}[:.]\d{2}\s*$)",
    re.IGNORECASE,
)
# Where the story ends and the page's lists of other news, ads and prompts begin.
END_MARKER_RE = re.compile(
    r"^(?:share (?:news|this|on)|follow us|related (?:news|articles|stories)"
    r"|read (?:also|more)|more news|latest news|other news|most read|see also"
    r"|auch interessant|weitere nachrichten|mehr zum thema|teilen auf|lesen sie auch)",
    re.IGNORECASE,
)
AD_RE = re.compile(r"^(?:®|advertisement\b|anzeige\b|sponsored\b|werbung\b)", re.I)
TERMINAL = (".", "!", "?", "\u201d", '"', ":", ";", "\u2019", "'", ")")


def _is_chrome(line):
    # Widgets and stamps are short lines; long ones are never scanned for them.
    return len(line) <= 120 and CHROME_RE.search(line) is not None


def parse_date(value):
    """A date from ISO text or "Month Day, Year"; None when no full date is there."""
    if not value:
        return None
    iso = ISO_DATE_RE.search(value)
    if iso:
        return _safe_date(*iso.groups())
    long = LONG_DATE_RE.search(value)
    if long:
        parts = long.groupdict()
        month = MONTHS[(parts["month1"] or parts["month2"]).lower()]
        day = parts["day1"] or parts["day2"]
        return _safe_date(parts["year1"] or parts["year2"], month, day)
    return None


def _safe_date(year, month, day):
    try:
        found = datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None
    # A date far outside the plausible range is a stray number, not a date.
    return found if 1900 <= found.year <= datetime.date.today().year + 1 else None


def split_paragraphs(text):
    """Non-empty paragraphs; hard-wrapped lines inside a block are joined back."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    paragraphs = []  # each a list of lines, joined at the end (linear time)
    for block in re.split(r"\n[^\S\n]*\n", text):
        in_block = False
        for line in block.split("\n"):
            line = " ".join(line.split())
            if not line:
                continue
            if in_block and _continues(paragraphs[-1][-1], line):
                paragraphs[-1].append(line)
            else:
                paragraphs.append([line])
            in_block = True
    return [" ".join(lines) for lines in paragraphs]


def _continues(previous, line):
    # A wrapped line starts lower-case after a line that did not end a sentence.
    return line[0].islower() and not previous.endswith(TERMINAL)


def extract_text(text, name="pasted text"):
    """Fields of one plain-text news item."""
    found = Extracted(name=name)
    lines = split_paragraphs(text)
    lines = _cut_trailing_lists(lines)
    lines = _take_header(lines, found)
    lines = _take_footer(lines, found)
    lines = [line for line in lines if not _is_noise(line, found)]
    if not lines:
        raise IngestError(f"{name}: no article text was found.")
    _take_dateline(lines, found)
    found.lead, body_lines = (lines[0], lines[1:]) if len(lines) > 1 else ("", lines)
    found.body = paragraphs_to_html(body_lines)
    found.language = detect_language(found.plain_text())
    return found


def _cut_trailing_lists(lines):
    for index, line in enumerate(lines):
        if index > 2 and END_MARKER_RE.match(line):
            lines = lines[:index]
            break
    # A run of short lines without full stops at the end is a headline list.
    end = len(lines)
    while end > 0 and _looks_like_headline(lines[end - 1]):
        end -= 1
    return lines[:end] if len(lines) - end >= 3 else lines


def _looks_like_headline(line):
    return (
        len(line) < 160
        and not line.rstrip("”\"'’").endswith((".", "!", "?", ";"))
        and not CREDIT_RE.match(line)
        and not line.startswith(("-", "•", "*"))
    )


def _take_header(lines, found):
    """Chrome, the title (maybe repeated), bylines and a date stamp at the top."""
    top = lines[:8]
    repeated = [line for line in top if top.count(line) > 1 and _title_like(line)]
    start = 0
    if repeated:
        start = lines.index(repeated[0])
        found.title = repeated[0]
        _date_from_chrome(lines[:start], found)
        start += 1
        while start < len(lines) and lines[start] == found.title:
            start += 1
    return _header_lines(lines[start:], found)


def _header_lines(lines, found):
    index = 0
    while index < len(lines):
        line = lines[index]
        if _is_chrome(line):
            _date_from_chrome([line], found)
        elif (byline := BYLINE_RE.match(line)) and len(line) < 80:
            _take_byline(byline.group("who").strip(), found)
        elif not found.title and _title_like(line) and index + 1 < len(lines):
            found.title = line
        else:
            break
        index += 1
    return lines[index:]


def _take_byline(who, found):
    # "By Azernews" names the publisher; "By Sabina Mammadli" names a person.
    if len(who.split()) == 1 and not found.source_name:
        found.source_name = who
    elif not found.byline:
        found.byline = who[:200]


def _title_like(line):
    words = line.split()
    return (
        3 <= len(words) <= 30
        and len(line) <= 250
        and not line.endswith((".", ",", ";"))
        and not _is_chrome(line)
        and not DATELINE_RE.match(line)
        and not BYLINE_RE.match(line)
    )


def _date_from_chrome(lines, found):
    for line in lines:
        found.published_on = found.published_on or parse_date(line)


def _take_footer(lines, found):
    """Credits, signature and closing source lines at the end of the story."""
    end = len(lines)
    while end:
        line = lines[end - 1]
        if CREDIT_RE.match(line):
            _add_credit(line, found)
        elif signature := SIGNATURE_RE.match(line):
            found.byline = found.byline or _name_case(signature.group("who"))
        elif source := SOURCE_LINE_RE.match(line):
            found.source_name = found.source_name or source.group("name").strip()
        elif _looks_like_source_name(line):
            found.source_name = found.source_name or line
        else:
            break
        end -= 1
    return lines[:end]


def _looks_like_source_name(line):
    # "News.Az", "AZERTAC", "Trend.az": a short name, a domain or an acronym.
    words = line.split()
    return (
        len(words) <= 3
        and len(line) <= 40
        and (
            re.fullmatch(r"[\w\-]+(\.[A-Za-z]{2,})+", line) is not None
            or re.fullmatch(r"[A-Z][A-Z\-]{2,}", line) is not None
        )
    )


def _name_case(name):
    return " ".join(
        part if not part.isupper() else part.capitalize() for part in name.split()
    )


def _add_credit(line, found):
    match = CREDIT_RE.match(line)
    credit = (match.group("who") or match.group("who2")).strip()
    # A handful is all a page has; the cap keeps hostile input cheap.
    if len(found.photo_credits) < 20 and credit not in found.photo_credits:
        found.photo_credits.append(credit)


def _is_noise(line, found):
    if CREDIT_RE.match(line):
        _add_credit(line, found)
        return True
    return bool(AD_RE.match(line) or _is_chrome(line))


def _take_dateline(lines, found):
    match = DATELINE_RE.match(lines[0])
    if not match or len(match.group("place").split()) > 4:
        return
    parts = match.groupdict()
    found.dateline_place = parts["place"].strip()[:120]
    if parts["year"]:
        month = MONTHS[(parts["month1"] or parts["month2"]).lower()]
        day = parts["day1"] or parts["day2"]
        found.published_on = _safe_date(parts["year"], month, day)
    if parts["agency"] and not found.source_name:
        found.source_name = parts["agency"]
    rest = (parts["rest"] or "").strip()
    if rest:
        lines[0] = rest
    else:
        del lines[0]
    if not lines:
        raise IngestError(f"{found.name}: no article text after the dateline.")


def paragraphs_to_html(lines):
    """Paragraphs to sanitised HTML; runs of "- item" lines become a list."""
    parts, items = [], []
    for line in lines:
        if re.match(r"^[-•*]\s+", line):
            items.append(f"<li>{html.escape(line[1:].strip())}</li>")
            continue
        if items:
            parts.append("<ul>" + "".join(items) + "</ul>")
            items = []
        parts.append(f"<p>{html.escape(line)}</p>")
    if items:
        parts.append("<ul>" + "".join(items) + "</ul>")
    return sanitize_html("\n".join(parts))


def detect_language(text):
    """ISO 639-1 code of `text`, or "" when there is too little text to tell."""
    if len(text.strip()) < 40:
        return ""
    # The first 1,000 characters (about 150 words) tell the language as surely as
    # the whole text on the corpus and the seeds, at a fifth of the cost.
    language, _score = language_identifier().classify(text[:LANGUAGE_SAMPLE])
    return language
