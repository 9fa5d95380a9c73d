"""Find active content in a response: what a stored-XSS payload would turn into."""

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
# Control characters and whitespace browsers ignore inside a URL scheme.
IGNORED_IN_SCHEME = re.compile(r"[\x00-\x20]+")
# JSON keys whose values are HTML by design (bodies, search highlights).
HTML_JSON_KEYS = re.compile(r"(^body$|html|snippet|headline|highlight)", re.I)


class _ActiveContentFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self._in_script = tag == "script" and dict(attrs).get("type", "") in {
            "",
            "text/javascript",
            "module",
        }
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> event handler")
            scheme = IGNORED_IN_SCHEME.sub("", value or "").lower()
            if name in URL_ATTRIBUTES and scheme.startswith(
                ("javascript:", "vbscript:")
            ):
                self.problems.append(f"<{tag} {name}={value!r}> script URL")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script and "alert(" in data:
            self.problems.append(f"<script> running {data.strip()[:60]!r}")


def html_problems(text):
    finder = _ActiveContentFinder()
    finder.feed(text)
    finder.close()
    return finder.problems


def _xml_problems(text):
    problems = []
    root = ET.fromstring(text.encode())
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1].lower()
        if local in {"script", "img", "svg", "iframe"}:
            problems.append(f"XML element <{local}>")
        value = (element.text or "").strip()
        if local in {"link", "loc", "guid", "id"} and value.lower().startswith(
            "javascript:"
        ):
            problems.append(f"<{local}> holds a script URL")
        if local in {"item", "entry"}:
            problems += _feed_item_problems(element)
    return problems


def _feed_item_problems(item):
    """An item's description, summary or content is HTML to feed readers."""
    problems = []
    for child in item:
        local = child.tag.rsplit("}", 1)[-1].lower()
        if local in {"description", "summary", "content"}:
            text = (child.text or "").strip()
            problems += [f"feed <{local}>: {p}" for p in html_problems(text)]
    return problems


def _json_problems(data, key=""):
    if isinstance(data, dict):
        return [p for k, v in data.items() for p in _json_problems(v, k)]
    if isinstance(data, list):
        return [p for v in data for p in _json_problems(v, key)]
    if isinstance(data, str) and HTML_JSON_KEYS.search(key):
        return [f"JSON {key}: {p}" for p in html_problems(data)]
    return []


def response_problems(response, body):
    """Active content in a response body, judged by its content type."""
    content_type = response.get("Content-Type", "")
    text = body.decode(response.charset or "utf-8", errors="replace")
    if "json" in content_type:
        return _json_problems(json.loads(text)) if text.strip() else []
    if "xml" in content_type:
        return _xml_problems(text)
    if "html" in content_type:
        return html_problems(text)
    return []
