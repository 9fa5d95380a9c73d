"""People's names and the other spellings real coverage uses for them."""

# Each rule turns one spelling into another seen in print: a simplified
# transliteration, the German one, or the Azerbaijani Latin alphabet.
SPELLING_RULES = [
    ("yev", "ev"),
    ("yev", "jew"),
    ("yeva", "eva"),
    ("ov", "ow"),
    ("zadeh", "zade"),
    ("Kh", "H"),
    ("kh", "h"),
    ("Kh", "Ch"),
    ("j", "dzh"),
    ("Sh", "Ş"),
    ("Ch", "Ç"),
    ("G", "Q"),
]


def surname(stem, suffix):
    """Stem plus suffix, written the way the stem's ending asks for."""
    if stem.endswith("y") and suffix in ("yev", "yeva"):
        return stem + suffix[1:]
    return stem + suffix


def spelling_variants(name):
    """Other spellings of `name`: one rule at a time, then an Azerbaijani Ə form."""
    variants = []
    for old, new in SPELLING_RULES:
        if old in name:
            variants.append(name.replace(old, new, 1))
    if name.startswith("A"):
        variants.append("Ə" + name[1:])
    return [v for v in dict.fromkeys(variants) if v != name]


def person_aliases(first, last):
    """Every other way a person's name appears: variants, initials, surname forms."""
    aliases = [f"{first} {variant}" for variant in spelling_variants(last)]
    aliases.append(f"{first[0]}. {last}")
    return list(dict.fromkeys(aliases))
