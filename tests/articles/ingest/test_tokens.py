"""An article's words as tagging reads them: `Tokens` keeps them as parallel
lists and makes a `Token` only when asked; what it hands out must be what one
Token per word, made the obvious way, would say."""

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.models import Article
from articles.tagging import (
    WORD_RE,
    NameCatalog,
    TextKeys,
    Token,
    Tokens,
    article_tokens,
    fold,
    names_in,
    remember_keys,
    tokenize,
)


def one_token_per_word(zoned_texts):
    """The reference: a Token per word with a key, offsets from the regex."""
    return [
        Token(match[0], fold(match[0]), zone, match.start())
        for zone, text in zoned_texts
        for match in WORD_RE.finditer(text)
        if fold(match[0])
    ]


ZONES = [
    ("title", "Aliyev meets al-Sudani in Baku"),
    ("lead", "Der Außenminister traf Fuad Hussein — ___ 2024 _ Ölgeschäft"),
    ("body", "Ilham   Aliyev said: “Ə ə”; 中文 and ____ then Iraq's Kurdistan."),
]


def test_tokens_hand_out_the_token_of_each_word():
    tokens = Tokens(ZONES)
    expected = one_token_per_word(ZONES)
    assert list(tokens) == expected
    assert len(tokens) == len(expected)
    assert tokens[3] == expected[3]
    assert tokens[-1] == expected[-1]
    assert tokens[2:6] == expected[2:6]


def test_words_without_a_key_are_left_out_and_offsets_stay_aligned():
    tokens = Tokens(ZONES)
    assert "___" not in tokens.texts and "_" not in tokens.texts
    # The offsets skip the same words the lists skip.
    body = ZONES[2][1]
    iraq = tokens.texts.index("Iraq")
    assert body[tokens.offsets()[iraq] :].startswith("Iraq")
    assert tokens.zones[iraq] == "body"


def test_lists_are_parallel():
    tokens = Tokens(ZONES)
    assert tokens.keys == [token.key for token in one_token_per_word(ZONES)]
    assert tokens.zones == [token.zone for token in one_token_per_word(ZONES)]
    assert len(tokens.texts) == len(tokens.keys) == len(tokens.zones)


def test_tokens_of_keys_spell_each_word_as_its_key():
    tokens = Tokens.of_keys(("ilham", "aliyev"))
    assert list(tokens) == [
        Token("ilham", "ilham", "body", 0),
        Token("aliyev", "aliyev", "body", 0),
    ]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=80))
def test_any_text_tokenizes_as_one_token_per_word(text):
    assert list(tokenize(text, "lead")) == one_token_per_word([("lead", text)])


def test_names_in_hands_back_only_the_words_it_had_to_fold():
    catalog = NameCatalog([])
    text = ("Qorvelunx met Zimbradakh", "", "<p>Qorvelunx again</p>")
    found, folded = names_in([text], catalog)
    words = ["Qorvelunx", "met", "Zimbradakh", "Qorvelunx", "again"]
    assert found[0].keys.split() == [fold(word) for word in words]
    assert ("Qorvelunx", fold("Qorvelunx")) in folded
    assert ("Zimbradakh", fold("Zimbradakh")) in folded
    # Known now: a second text with the same words folds nothing new.
    _found, again = names_in([text], catalog)
    assert again == []


def test_remembered_keys_are_used_for_their_words():
    # A key made elsewhere is taken as it is, not folded again.
    remember_keys([("Wqxzrtyplm", "kept-as-sent")])
    assert tokenize("Wqxzrtyplm").keys == ["kept-as-sent"]


def test_names_found_elsewhere_give_the_text_keys_of_the_article():
    article = Article(title="Talks in Bakı", lead="Bakı, Monday", body="<p>In BAKI</p>")
    text = (article.title, article.lead, article.body)
    (found,), _folded = names_in([text], NameCatalog([]))
    keys = found.text_keys(article)
    here = TextKeys.of(article_tokens(article))
    assert (keys.joined, keys.words) == (here.joined, here.words)
    # The first word with the key, as the article writes it.
    assert keys.spelling(fold("Bakı")) == here.spelling(fold("Bakı")) == "Bakı"
