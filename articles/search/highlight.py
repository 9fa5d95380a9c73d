"""Highlights for the page shown: every piece of article text is escaped first.

Matching reuses the query's terms, so a search for "Aliev" marks "Aliyev" and a
search for "consultation" marks "consultations", the same on both engines.
"""

import re
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import text

TOKEN = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 30
WORDS_BEFORE = 8
SCAN_WORDS = 600


def term_set(groups):
    return {term for group in groups for term in group}


def is_match(token, terms, language):
    return bool(terms) and not terms.isdisjoint(token_terms(token, language))


@lru_cache(maxsize=50_000)
def token_terms(token, language):
    """Every form under which a word of the text could have been matched."""
    forms = set()
    for word in text.words(token):
        forms.update((word, text.stem(word, language), text.name_key(word)))
    return frozenset(forms)


def marked(source, terms, language):
    """`source` as safe HTML with matched words in <mark>."""
    parts, position = [], 0
    for found in TOKEN.finditer(source):
        parts.append(escape(source[position : found.start()]))
        word = escape(found.group())
        hit = is_match(found.group(), terms, language)
        parts.append(f"<mark>{word}</mark>" if hit else word)
        position = found.end()
    parts.append(escape(source[position:]))
    return mark_safe("".join(parts))


def snippet(source, terms, language):
    """About SNIPPET_WORDS words around the first match (or the opening words)."""
    tokens = list(TOKEN.finditer(source))
    if not tokens:
        return mark_safe("")
    # A match far into a long text (or only in the tags) is not worth a full scan.
    first = next(
        (
            i
            for i, tok in enumerate(tokens[:SCAN_WORDS])
            if is_match(tok.group(), terms, language)
        ),
        0,
    )
    start = max(0, first - WORDS_BEFORE)
    end = min(len(tokens), start + SNIPPET_WORDS)
    begin = tokens[start].start() if start else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(source)
    body = marked(source[begin:finish], terms, language)
    before = "… " if start else ""
    after = " …" if end < len(tokens) else ""
    return mark_safe(f"{before}{body}{after}")


def is_match_any(source, terms, language, limit=SCAN_WORDS):
    tokens = TOKEN.finditer(source)
    return any(
        is_match(tok.group(), terms, language)
        for _, tok in zip(range(limit), tokens, strict=False)
    )
