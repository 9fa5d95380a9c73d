"""Text to search terms: one pipeline for indexing and querying on both engines.

Both engines receive the same terms, so a query behaves the same on SQLite and
PostgreSQL: words are folded (case, diacritics, Azerbaijani letters), stemmed with
Snowball in the article's language, and names get a spelling key on top.
"""

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Azerbaijani and Turkish letters that NFKD cannot reduce, mapped the way names
# are commonly romanised (Əliyev -> Aliyev, Məmmədov -> Mammadov). German ß too.
SEARCH_LETTERS = str.maketrans(
    {
        "Ə": "a",
        "ə": "a",
        "İ": "i",
        "ı": "i",
        "Ş": "s",
        "ş": "s",
        "Ç": "c",
        "ç": "c",
        "Ğ": "g",
        "ğ": "g",
        "Ö": "o",
        "ö": "o",
        "Ü": "u",
        "ü": "u",
        "ß": "ss",
        "ẞ": "ss",
        "Ø": "o",
        "ø": "o",
        "Æ": "ae",
        "æ": "ae",
        "Œ": "oe",
        "œ": "oe",
        "Đ": "d",
        "đ": "d",
        "Ł": "l",
        "ł": "l",
        # Apostrophes inside names (Ilham Aliyev`s, al-Khayrullah's) split words.
        "’": " ",
        "`": " ",
    }
)

WORD = re.compile(r"[^\W_]+")
MAX_WORD = 64
STEMMED_LANGUAGES = {"en": "english", "de": "german"}
QUERY_LANGUAGES = ("en", "de")

# Spelling key for names: transliterations differ in j/y/w/v, doubled letters and
# a y before a vowel (Aliyev, Aliev, Alijew; Khayrullah, Khairullah; Baghdad, Bagdad).
KEY_RULES = (("w", "v"), ("j", "y"), ("gh", "g"), ("kh", "h"), ("y", "i"))
DOUBLED = re.compile(r"(.)\1+")


def fold(text, schwa="a"):
    """Lower-case, mostly ASCII: Əliyev -> aliyev, Außenminister -> aussenminister.

    Ə is romanised both ways (Əliyev -> Aliyev, Azərbaycan -> Azerbaycan): `schwa`
    picks the letter; names and queries are indexed and matched with both.
    """
    if text.isascii() and "`" not in text:
        return text.lower()  # the common case, much faster than normalising
    text = text.replace("Ə", schwa).replace("ə", schwa)
    text = unicodedata.normalize("NFKC", text).translate(SEARCH_LETTERS).casefold()
    if text.isascii():
        # Nothing left to decompose: skips the per-character loop (most English text).
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text, schwa="a"):
    """Folded words of `text`, each at most MAX_WORD long (longer ones are noise)."""
    if text.isascii() and "`" not in text:
        return _short(WORD.findall(text.lower()))
    # Folding is per character in Python; text repeats its words, so fold each
    # space-separated token once (Zipf: most tokens are seen before).
    return [word for token in text.split() for word in _token_words(token, schwa)]


@lru_cache(maxsize=200_000)
def _token_words(token, schwa):
    return tuple(_short(WORD.findall(fold(token, schwa))))


def _short(found):
    return [word for word in found if len(word) <= MAX_WORD]


def name_words(text):
    """Folded words, plus the e-spelling of words written with Ə."""
    found = words(text)
    if "ə" in text.casefold():
        found += words(text, schwa="e")
    return list(dict.fromkeys(found))


@lru_cache(maxsize=8)
def _stemmer(language):
    return snowballstemmer.stemmer(STEMMED_LANGUAGES[language])


@lru_cache(maxsize=100_000)
def stem(word, language):
    """Snowball stem of a folded word; languages without a stemmer keep the word."""
    base = language.split("-")[0].lower()
    if base not in STEMMED_LANGUAGES:
        return word
    stemmed = _stemmer(base).stemWord(word)
    if base == "de" and stemmed.endswith("ium") and len(stemmed) > 5:
        # Latin loanwords: Ministerium/Ministerien, Studium/Studien share "ministeri".
        stemmed = stemmed[:-2]
    return stemmed


@lru_cache(maxsize=100_000)
def name_key(word):
    """A key shared by common transliterations of one name: aliyev, aliev, alijew."""
    for old, new in KEY_RULES:
        word = word.replace(old, new)
    return DOUBLED.sub(r"\1", word)


def document_terms(text, language):
    """Terms indexed for prose: each word stemmed in the article's language."""
    return [stem(word, language) for word in words(text)]


def name_terms(names):
    """Terms indexed for entity names: the word, its stems and its spelling key."""
    terms = []
    for word in name_words(" ".join(names)):
        variants = [word, name_key(word)]
        variants += [stem(word, language) for language in QUERY_LANGUAGES]
        terms.extend(dict.fromkeys(variants))
    return terms


def query_groups(text, max_words=16):
    """The query as groups of alternative terms: every group must match (AND).

    A word matches as itself, as its English or German stem, or by its name key, so
    the article's language need not be known. Returns at most `max_words` groups.
    """
    groups = []
    for token in dict.fromkeys(WORD.findall(text)):
        for word in words(token):
            if len(word) < 2:
                continue  # "s" of "Aliyev's", stray initials: too common to require
            spellings = [word] + [w for w in name_words(token) if w != word][:1]
            variants = [v for spelled in spellings for v in _variants(spelled)]
            groups.append(tuple(dict.fromkeys(variants)))
    return list(dict.fromkeys(groups))[:max_words]


def _variants(word):
    return [word, name_key(word)] + [stem(word, lang) for lang in QUERY_LANGUAGES]
