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


@lru_cache(maxsize=50_000)
def token_terms(token, language):
    """Every form under which a word of the text could have been matched."""
    forms = set()
    for word in text.words(token):
        forms.update((word, text.stem(word, language), text.name_key(word)))
    return frozenset(forms)


def first_match(tokens, terms, language, limit=SCAN_WORDS):
    """Index of the first matching token among the first `limit`, or None."""
    if not terms:
        return None
    for index, token in enumerate(tokens[:limit]):
        if not terms.isdisjoint(token_terms(token.group(), language)):
            return index
    return None


def marked(source, terms, language, tokens=None):
    """`source` as safe HTML with matched words in <mark>."""
    if tokens is None:
        tokens = list(TOKEN.finditer(source))
    parts, position = [], 0
    if terms:
        for token in tokens:
            if terms.isdisjoint(token_terms(token.group(), language)):
                continue
            # Text between matches is escaped in one piece, not word by word.
            parts.append(escape(source[position : token.start()]))
            parts.append(f"<mark>{escape(token.group())}</mark>")
            position = token.end()
    parts.append(escape(source[position:]))
    return mark_safe("".join(parts))


def snippet(source, terms, language, tokens=None, first=None):
    """About SNIPPET_WORDS words around the first match (or the opening words).

    `tokens` and `first` may come from a caller that has already looked.
    """
    if tokens is None:
        tokens = list(TOKEN.finditer(source))
    if not tokens:
        return mark_safe("")
    if first is None:
        # A match far into a long text (or only in the tags) is not worth a full scan.
        first = first_match(tokens, terms, language) or 0
    start = max(0, first - WORDS_BEFORE)
    end = min(len(tokens), start + SNIPPET_WORDS)
    begin = tokens[start].start() if start else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(source)
    body = marked(source[begin:finish], terms, language)
    before = "… " if start else ""
    after = " …" if end < len(tokens) else ""
    return mark_safe(f"{before}{body}{after}")


def summary(parts, terms, language):
    """(text, its tokens, index of the first match) of the first of `parts`
    holding a match within its first SCAN_WORDS words, else of the first one
    that is not empty (index 0)."""
    found = []
    for part in parts:
        if part:
            tokens = list(TOKEN.finditer(part))
            first = first_match(tokens, terms, language)
            if first is not None:
                return part, tokens, first
            found.append((part, tokens, 0))
    return found[0] if found else ("", [], 0)
