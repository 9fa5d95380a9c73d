"""Highlights for the page shown: every piece of article text is escaped first.

Matching reuses the query's terms, so a search for "Aliev" marks "Aliyev" and a
search for "consultation" marks "consultations", the same on both engines.

A word can only match if its first letter could start one of the terms, so a
regular expression picks those candidates out of the text first and Python
checks just them: most words of a long body are never looked at one by one.
Words holding a letter outside ASCII are always candidates (folding may turn
them into anything); a second expression finds those, only in text that has
such letters.
"""

import heapq
import re
import string
from functools import lru_cache

from django.utils.html import escape
from django.utils.safestring import mark_safe

from . import text

TOKEN = re.compile(r"[^\W_]+")
SNIPPET_WORDS = 30
WORDS_BEFORE = 8
# How far back to look for the words before a match, doubled until enough.
LOOK_BACK_CHARS = 200


def term_set(groups):
    return frozenset(term for group in groups for term in group)


@lru_cache(maxsize=50_000)
def token_terms(token, language):
    """Every form under which a word of the text could have been matched."""
    forms = set()
    for word in text.words(token):
        forms.update((word, text.stem(word, language), text.name_key(word)))
    return frozenset(forms)


def _key_starts():
    """First letter of a spelling key -> first letters of words having that key.

    Stems keep a word's first letter; a spelling key may change it (Jusuf and
    Yusuf share the key "iusuf"), which this table undoes.
    """
    starts = {}
    alphabet = string.ascii_lowercase + string.digits
    for first in alphabet:
        for second in ("", *alphabet):
            key = text.name_key(first + second)
            starts.setdefault(key[0], set()).add(first)
    return starts


KEY_STARTS = _key_starts()


@lru_cache(maxsize=1_000)
def candidate_pattern(terms):
    """A regular expression finding the words that start with a letter that can
    begin one of `terms`.

    The letter comes first and the check that it opens a word follows it, so
    the engine skips the other letters in C instead of trying every position.
    """
    starts = set()
    for term in terms:
        starts |= KEY_STARTS.get(term[0], set()) | {term[0]}
    letters = "".join(sorted(starts | {letter.upper() for letter in starts}))
    return re.compile(rf"[{re.escape(letters)}](?<![^\W_].)[^\W_]*")


# From a word's first letter outside ASCII to the word's end; what precedes it
# in the word is ASCII letters and digits.
NON_ASCII_TAIL = re.compile(r"[^\x00-\x7f\W][^\W_]*")
ASCII_WORD_CHARS = frozenset(string.ascii_letters + string.digits)


def _non_ascii_words(source, pattern):
    """The words of `source` holding a letter outside ASCII that `pattern`
    (a candidate_pattern) does not find, in order."""
    for tail in NON_ASCII_TAIL.finditer(source):
        begin = tail.start()
        while begin and source[begin - 1] in ASCII_WORD_CHARS:
            begin -= 1
        if begin == tail.start() or not pattern.match(source, begin):
            yield TOKEN.match(source, begin)


def _start(found):
    return found.start()


class Matcher:
    """Finds the words of a text matching any of `terms` in `language`."""

    def __init__(self, terms, language):
        self.terms = frozenset(terms)
        self.language = language
        self.pattern = candidate_pattern(self.terms) if self.terms else None
        # word -> whether it matches: the same words recur in a page's texts.
        self.verdicts = {}

    def candidates(self, source):
        """The words of `source` that could match, in order."""
        found = self.pattern.finditer(source)
        if source.isascii():
            return found
        return heapq.merge(found, _non_ascii_words(source, self.pattern), key=_start)

    def matches(self, source):
        """The matching words of `source`, as regular expression matches."""
        if self.pattern is None:
            return
        verdicts = self.verdicts
        for found in self.candidates(source):
            word = found.group()
            verdict = verdicts.get(word)
            if verdict is None:
                forms = token_terms(word, self.language)
                verdict = verdicts[word] = not self.terms.isdisjoint(forms)
            if verdict:
                yield found

    def first(self, source):
        """The first matching word of `source`, or None."""
        return next(self.matches(source), None)


def marked(source, matcher):
    """`source` as safe HTML with matched words in <mark>."""
    parts, position = [], 0
    for found in matcher.matches(source):
        # Text between matches is escaped in one piece, not word by word.
        parts.append(escape(source[position : found.start()]))
        parts.append(f"<mark>{escape(found.group())}</mark>")
        position = found.end()
    parts.append(escape(source[position:]))
    return mark_safe("".join(parts))


def _words_before(source, position, count):
    """(up to `count` words ending before `position`, whether more precede them)."""
    reach = LOOK_BACK_CHARS
    while True:
        start = max(0, position - reach)
        found = list(TOKEN.finditer(source, start, position))
        if start > 0 and found:
            found = found[1:]  # may be the tail of a longer word
        if start == 0 or len(found) > count:
            return found[-count:] if count else [], len(found) > count
        reach *= 2


def _words_from(source, position, count):
    """(up to `count` words from `position` on, whether more follow them)."""
    found = []
    for word in TOKEN.finditer(source, position):
        if len(found) == count:
            return found, True
        found.append(word)
    return found, False


def snippet(source, matcher, first=None):
    """About SNIPPET_WORDS words from WORDS_BEFORE words before the first match
    (`first`, a match of `matcher` in `source`), or the opening words."""
    before, more_before = [], False
    if first is not None:
        before, more_before = _words_before(source, first.start(), WORDS_BEFORE)
    begin = before[0].start() if before else (first.start() if first else 0)
    window, more_after = _words_from(source, begin, SNIPPET_WORDS)
    if not window:
        return mark_safe("")
    start = window[0].start() if more_before else 0
    finish = window[-1].end() if more_after else len(source)
    body = marked(source[start:finish], matcher)
    return mark_safe(
        ("… " if more_before else "") + body + (" …" if more_after else "")
    )


def summary(parts, matcher):
    """(text, its first match) of the first of `parts` holding a match, else
    (the first of them that is not empty, None)."""
    fallback = None
    for part in parts:
        if not part:
            continue
        first = matcher.first(part)
        if first is not None:
            return part, first
        if fallback is None:
            fallback = part
    return fallback or "", None
