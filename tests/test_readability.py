"""The readability measurements, on examples counted by hand."""

from __future__ import annotations

import pytest

from policybuilder.readability import (
    Readability,
    Sentence,
    flesch_kincaid_grade,
    markdown_sentences,
    measure_markdown,
    split_sentences,
    syllables,
    words,
)


def test_the_grade_is_the_flesch_kincaid_formula():
    # 100 words in 5 sentences, 150 syllables: 0.39 * 20 + 11.8 * 1.5 - 15.59.
    assert flesch_kincaid_grade(100, 5, 150) == pytest.approx(9.91)
    assert flesch_kincaid_grade(0, 0, 0) == 0.0


def test_a_short_text_counted_by_hand():
    # "The cat sat on the mat." 6 words, 6 syllables; "It was happy." 3 words, 1 + 1 + 2 syllables.
    result = measure_markdown("The cat sat on the mat. It was happy.")
    assert [s.text for s in result.sentences] == ["The cat sat on the mat.", "It was happy."]
    assert (result.word_count, result.syllable_count) == (9, 10)
    assert result.grade == pytest.approx(0.39 * 9 / 2 + 11.8 * 10 / 9 - 15.59)
    assert result.longest == Sentence("The cat sat on the mat.")


def test_sentences_end_at_full_stops_question_and_exclamation_marks():
    assert split_sentences("We use cookies. Can you refuse them? Yes! (See below.) Then   no.") == [
        "We use cookies.",
        "Can you refuse them?",
        "Yes!",
        "(See below.)",
        "Then no.",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "We follow U.S. law, for example the rules of COPPA.",
        "Some cookies, e.g. the ones that keep you signed in, are needed.",
        "Some cookies, i.e. Essential ones, are needed.",
        "Cal. Civ. Code 1798.82 sets the deadline for California.",
        "Under Cal. Bus. & Prof. Code 22581 you may remove what you posted.",
        "Read Art. 13 of the GDPR and sec. 2 of the rules.",
        "Payments go to Stripe, Inc. and to Adyen N.V. under their policies.",
        "Our address is 1 Main St. in Springfield.",
        "Version 2.1 of section 1798.83 applies.",
        "Visit https://shop.example/a.b or write to a.b@shop.example for help.",
    ],
)
def test_abbreviations_citations_numbers_and_addresses_do_not_end_a_sentence(text):
    assert split_sentences(text) == [text]


def test_a_name_ending_in_an_abbreviation_can_still_end_a_sentence():
    assert split_sentences("Payments go to Stripe, Inc. They keep the card details.") == [
        "Payments go to Stripe, Inc.",
        "They keep the card details.",
    ]


def test_words_are_runs_holding_a_letter_or_digit_and_addresses_are_one_word():
    assert words("Write to privacy@shop.example or visit https://shop.example/a.b – today & 30 days.") == [
        "Write",
        "to",
        "privacy@shop.example",
        "or",
        "visit",
        "https://shop.example/a.b",
        "today",
        "30",
        "days.",
    ]


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("cat", 1),
        ("privacy", 3),
        ("information", 4),
        ("personal", 3),
        ("policy", 3),
        ("unsubscribe", 3),
        ("organization", 5),
        ("Happy,", 2),  # case and punctuation do not matter
        ("don't", 1),
        ("you", 1),  # too short for a hyphenation point: one vowel group
        ("make", 1),  # silent final "e"
        ("delete", 2),
        ("table", 2),  # "-le" is a syllable
        ("13", 2),  # numbers: one syllable per digit
        ("privacy@shop.example", 7),  # pri-va-cy, shop, ex-am-ple
    ],
)
def test_syllables_counted_by_hand(word, count):
    assert syllables(word) == count


def test_a_word_without_a_hyphenation_point_falls_back_to_vowel_groups():
    # The dictionary has no point in "area"; its vowel groups are "a" and "ea".
    assert syllables("area") == 2
    assert syllables("xyz") == 1  # never zero


def test_markdown_headings_and_run_in_headings_are_not_sentences_and_list_items_are():
    source = (
        "### Information you give us\n\n"
        "**Do Not Track.** We honor it. Read our [privacy policy](https://x.example/long/address).\n\n"
        "We use it:\n\n"
        "- to run our site\n"
        "- **Plausible**, provided by Plausible Insights OÜ\n"
        "- by post at: 1 Main St  \n  Springfield\n"
    )
    assert [s.text for s in markdown_sentences(source, "k")] == [
        "We honor it.",
        "Read our privacy policy.",  # the link's text, not its address
        "We use it:",
        "to run our site",
        "Plausible, provided by Plausible Insights OÜ",  # bold without a full stop is part of the sentence
        "by post at: 1 Main St Springfield",
    ]
    assert {s.clause_key for s in markdown_sentences(source, "k")} == {"k"}


def test_a_list_item_holding_two_sentences_counts_as_two():
    assert [s.text for s in markdown_sentences("- First part. Second part\n")] == [
        "First part.",
        "Second part",
    ]


def test_too_long_finds_the_sentences_over_the_limit():
    long_sentence = Sentence(" ".join(["word"] * 36) + ".", "clause.key")
    result = Readability((Sentence("Short one."), long_sentence))
    assert result.too_long() == [long_sentence]
    assert result.longest == long_sentence
    assert result.hardest(1) == [long_sentence]
