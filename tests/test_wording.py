import pytest

from policybuilder.wording import days_as_words, join_list, plural


@pytest.mark.parametrize(
    ("items", "expected"),
    [
        ([], ""),
        (["name"], "name"),
        (["name", "email address"], "name and email address"),
        (["name", "email address", "phone number"], "name, email address and phone number"),
        (["a", "b", "c", "d"], "a, b, c and d"),
        (["", "name", " "], "name"),
        (
            ["to remember settings, such as language", "b", "c"],
            "to remember settings, such as language, b, and c",
        ),
    ],
)
def test_join_list_reads_as_english(items, expected):
    assert join_list(items) == expected


def test_join_list_with_or():
    assert join_list(["post", "phone"], "or") == "post or phone"


def test_join_list_never_leaves_a_dangling_comma():
    for n in range(6):
        text = join_list([f"item{i}" for i in range(n)])
        assert ", and" not in text and not text.startswith(",") and not text.endswith(",")
        assert " ," not in text


@pytest.mark.parametrize(("count", "expected"), [(1, "1 day"), (0, "0 days"), (30, "30 days")])
def test_plural(count, expected):
    assert plural(count, "day") == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (1095, "3 years"),
        (365, "1 year"),
        (180, "6 months"),
        (30, "1 month"),
        (14, "2 weeks"),
        (45, "45 days"),
        (1, "1 day"),
    ],
)
def test_periods_read_in_the_unit_people_use(days, expected):
    assert days_as_words(days) == expected
