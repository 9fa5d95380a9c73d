"""Slugs that read well in URLs, whatever script a title is written in."""

import hashlib
import unicodedata

from django.utils.text import slugify

# Letters NFKD cannot reduce to ASCII, or reduces wrongly for the languages we
# cover (Azerbaijani, Turkish, German). Editor aliases stay the ground truth for
# search; this map only has to give readable, stable URLs.
SPECIAL_LETTERS = str.maketrans(
    {
        "Ə": "E",
        "ə": "e",
        "ı": "i",
        "İ": "I",
        "ß": "ss",
        "ẞ": "SS",
        "Ä": "Ae",
        "ä": "ae",
        "Ö": "Oe",
        "ö": "oe",
        "Ü": "Ue",
        "ü": "ue",
        "Ø": "O",
        "ø": "o",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Đ": "D",
        "đ": "d",
        "Ł": "L",
        "ł": "l",
        "Þ": "Th",
        "þ": "th",
        "’": "",
        "'": "",
        "`": "",
    }
)


def transliterate(text):
    """Return an ASCII rendering of Latin-script text; other scripts drop out."""
    decomposed = unicodedata.normalize("NFKD", text.translate(SPECIAL_LETTERS))
    return decomposed.encode("ascii", "ignore").decode("ascii")


def slug_base(text, max_length=80):
    """A slug for `text`; text with no Latin letters gets a short stable id."""
    slug = slugify(transliterate(text))[:max_length].strip("-")
    if slug:
        return slug
    digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
    return f"item-{digest}"


def unique_slug(instance, text, field="slug", max_length=80):
    """First free slug for `instance` among its model's rows: base, base-2, base-3..."""
    base = slug_base(text, max_length - 6)
    queryset = type(instance)._default_manager.exclude(pk=instance.pk)
    candidate, number = base, 1
    while queryset.filter(**{field: candidate}).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate
