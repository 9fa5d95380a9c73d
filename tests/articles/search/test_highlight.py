"""Highlights: the candidate shortcut finds exactly the words a full scan finds."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.search import highlight, text
from articles.search.highlight import TOKEN, Matcher, marked, snippet, summary

# Letters whose spelling keys or folding change the first letter, non-ASCII
# letters, digits, fractions and punctuation, so the shortcut meets every case.
ALPHABET = "aeiouwvjykhgsdnt" + "WJYKHGA" + "əƏşŞßüÄçİı" + "0123²½" + " .,'’-<>&"
words_of = st.text(alphabet=ALPHABET, min_size=0, max_size=300)
languages = st.sampled_from(["en", "de", "az"])


def full_scan(source, terms, language):
    """Every word of `source`, each checked against the terms."""
    return [
        (word.start(), word.group())
        for word in TOKEN.finditer(source)
        if not terms.isdisjoint(highlight.token_terms(word.group(), language))
    ]


def reference_snippet(source, terms, language):
    """The snippet computed from the full list of words."""
    tokens = list(TOKEN.finditer(source))
    if not tokens:
        return ""
    matched = [
        index
        for index, token in enumerate(tokens)
        if not terms.isdisjoint(highlight.token_terms(token.group(), language))
    ]
    first = matched[0] if matched else 0
    start = max(0, first - highlight.WORDS_BEFORE)
    end = min(len(tokens), start + highlight.SNIPPET_WORDS)
    begin = tokens[start].start() if start else 0
    finish = tokens[end - 1].end() if end < len(tokens) else len(source)
    body = marked(source[begin:finish], Matcher(terms, language))
    return ("… " if start else "") + body + (" …" if end < len(tokens) else "")


@st.composite
def text_and_terms(draw):
    source = draw(words_of)
    language = draw(languages)
    # Query words taken from the text itself, so that matches are common.
    picked = draw(st.lists(st.sampled_from(TOKEN.findall(source) or ["x"]), max_size=3))
    extra = draw(
        st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=6), max_size=2)
    )
    groups = text.query_groups(" ".join(picked + extra))
    return source, highlight.term_set(groups), language


@settings(max_examples=400, deadline=None)
@given(text_and_terms())
def test_the_shortcut_finds_what_a_full_scan_finds(case):
    source, terms, language = case
    found = [(m.start(), m.group()) for m in Matcher(terms, language).matches(source)]
    assert found == full_scan(source, terms, language)


@settings(max_examples=300, deadline=None)
@given(text_and_terms())
def test_snippet_equals_the_one_computed_from_every_word(case):
    source, terms, language = case
    matcher = Matcher(terms, language)
    assert snippet(source, matcher, matcher.first(source)) == reference_snippet(
        source, terms, language
    )


def terms_for(query):
    return highlight.term_set(text.query_groups(query))


def test_a_spelling_whose_first_letter_differs_is_marked():
    matcher = Matcher(terms_for("Jusuf"), "en")
    assert marked("Yusuf and Jussuf met Wusuf", matcher) == (
        "<mark>Yusuf</mark> and <mark>Jussuf</mark> met Wusuf"
    )


def test_names_written_with_schwa_are_marked():
    matcher = Matcher(terms_for("Aliev"), "az")
    assert marked("Əliyev, Aliyev and Alijew", matcher) == (
        "<mark>Əliyev</mark>, <mark>Aliyev</mark> and <mark>Alijew</mark>"
    )


def test_text_around_marks_is_escaped():
    matcher = Matcher(terms_for("talks"), "en")
    assert marked("<b>Talks</b> & more", matcher) == (
        "&lt;b&gt;<mark>Talks</mark>&lt;/b&gt; &amp; more"
    )


def test_snippet_starts_a_few_words_before_a_match_deep_in_a_long_text():
    words = [f"w{number}" for number in range(2000)]
    words[1500] = "pipeline"
    source = " ".join(words)
    matcher = Matcher(terms_for("pipelines"), "en")
    result = snippet(source, matcher, matcher.first(source))
    assert result.startswith("… w1492 w1493")
    assert "<mark>pipeline</mark> w1501" in result
    assert result.endswith("w1521 …")


def test_summary_prefers_the_lead_then_the_body_then_the_lead_without_a_match():
    matcher = Matcher(terms_for("gas"), "en")
    lead, body = "Talks on trade.", "Later, gas was discussed."
    assert summary([lead, body], matcher)[0] == body
    assert summary(["Gas and trade.", body], matcher)[0] == "Gas and trade."
    assert summary([lead, "Nothing here."], matcher) == (lead, None)
    assert summary(["", ""], matcher) == ("", None)


def test_no_terms_mark_nothing_and_snippet_opens_the_text():
    matcher = Matcher(frozenset(), "en")
    source = " ".join(["word"] * 40)
    assert marked(source, matcher) == source
    assert snippet(source, matcher) == " ".join(["word"] * 30) + " …"
