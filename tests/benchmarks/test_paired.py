"""The paired comparison: both sides answer every item, in fair turns."""

import pytest

from benchmarks.paired import Comparison, paired_ratio, turns


def recorder(name, log, times):
    def ask(item):
        log.append((name, item))
        return times[item]

    return ask


def test_each_side_answers_every_item_and_goes_first_half_the_time():
    log = []
    a, b = turns(
        6,
        recorder("a", log, [10, 20, 30, 10, 20, 30]),
        recorder("b", log, [5, 10, 15, 5, 10, 15]),
        period=3,
    )
    assert a == [10, 20, 30, 10, 20, 30] and b == [5, 10, 15, 5, 10, 15]
    firsts = [log[index] for index in range(0, len(log), 2)]
    assert [name for name, _ in firsts] == ["b", "a", "b", "a", "b", "a"]
    # Item 0 of the second round (item 3) is asked of the other side first.
    by_item = {item: name for name, item in firsts}
    assert by_item[0] != by_item[3] and by_item[1] != by_item[4]


def test_the_ratio_is_the_median_of_the_pairs_not_of_the_sides():
    # B is twice as fast on two items of three; one slow outlier does not count.
    assert paired_ratio([10, 10, 10], [5, 5, 40]) == 0.5
    assert paired_ratio([2, 4], [2, 4]) == 1.0


def test_unpaired_times_are_refused():
    with pytest.raises(ValueError):
        paired_ratio([1, 2], [1])
    with pytest.raises(ValueError):
        paired_ratio([], [])


def test_the_report_line_names_both_sides_and_the_ratio():
    line = Comparison("rare", [10.0, 20.0], [5.0, 10.0]).line()
    assert line.startswith("rare") and "B/A paired median 0.500 (n=2)" in line


def test_the_search_classes_are_the_benchmarks():
    from benchmarks.paired import SEARCH_CLASSES
    from benchmarks.querysets import CLASSES

    assert SEARCH_CLASSES == tuple(name for name, _ in CLASSES)
