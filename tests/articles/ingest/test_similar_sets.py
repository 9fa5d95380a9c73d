"""The candidate filter of the near-duplicate check never loses a similar set."""

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from articles.importing import (
    TITLE_OVERLAP,
    _Candidate,
    _SimilarSets,
    _WordOrder,
    jaccard,
)

WORDS = st.sampled_from([f"w{n}" for n in range(24)])
SETS = st.lists(st.frozensets(WORDS, max_size=14), min_size=1, max_size=30)


def indexed(sets):
    counts = Counter(word for found in sets for word in found)
    index = _SimilarSets(_WordOrder(counts))
    for number, found in enumerate(sets):
        index.add(found, number)
    return index


@settings(max_examples=300, deadline=None)
@given(SETS, st.frozensets(WORDS, max_size=14))
def test_every_similar_set_is_a_candidate(sets, probe):
    similar = {
        n for n, found in enumerate(sets) if jaccard(probe, found) >= TITLE_OVERLAP
    }
    assert similar <= indexed(sets).similar(probe)


def candidate(title, lead):
    found = _Candidate("", "")
    found.title, found.lead = set(title), set(lead)
    return found


@settings(max_examples=300, deadline=None)
@given(*[st.frozensets(WORDS, max_size=10) for _ in range(4)])
def test_is_close_is_the_jaccard_threshold_on_titles_or_leads(t1, l1, t2, l2):
    expected = jaccard(t1, t2) >= TITLE_OVERLAP or jaccard(l1, l2) >= TITLE_OVERLAP
    assert candidate(t1, l1).is_close(candidate(t2, l2)) == expected
