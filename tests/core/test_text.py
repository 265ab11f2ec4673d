import pytest

from alignaudit.core.text import clean, split_list, split_sentences


def test_splits_sentences_and_keeps_punctuation():
    assert split_sentences("We build trust. We serve clients well! Do we grow?") == [
        "We build trust.",
        "We serve clients well!",
        "Do we grow?",
    ]


def test_abbreviations_initials_and_decimals_do_not_split():
    text = "We serve e.g. Acme Inc. and others. Growth of 3.5% matters. J. Smith leads."
    assert split_sentences(text) == [
        "We serve e.g. Acme Inc. and others.",
        "Growth of 3.5% matters.",
        "J. Smith leads.",
    ]


def test_closing_quote_stays_with_its_sentence():
    assert split_sentences('He said "Yes." Then we left.') == ['He said "Yes."', "Then we left."]


def test_one_sentence_without_full_stop():
    assert split_sentences("  the best bank  in town ") == ["the best bank in town"]


def test_clean_folds_space_and_removes_controls():
    assert clean("a\tb\r\nc\x1b[31m d\u200be") == "a b c[31m de"
    assert clean("   ") == ""


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("Honesty, Care", ["Honesty", "Care"]),
        ("Honesty,Care,Courage", ["Honesty", "Care", "Courage"]),
        ("Honesty, care, and courage.", ["Honesty", "care", "courage"]),
        ("Reliability, Safety.", ["Reliability", "Safety"]),
        ("Honesty,, Care,", ["Honesty", "Care"]),
        (
            "Customer first; integrity, always; teamwork",
            ["Customer first", "integrity, always", "teamwork"],
        ),
        (
            "Ownership, Customer obsession, Bias for action, Frugality",
            ["Ownership", "Customer obsession", "Bias for action", "Frugality"],
        ),
        ("We care, we deliver", ["We care", "we deliver"]),  # two words each: slogans
        ("  Honesty,\n  Care  ", ["Honesty", "Care"]),
    ],
)
def test_a_list_written_on_one_line_is_split(text: str, items: list[str]):
    assert split_list(text) == items


@pytest.mark.parametrize(
    "text",
    [
        "Honesty",  # one part
        "We value honesty, care and courage.",  # a sentence, full stop and all
        "We value honesty, care and courage",  # a clause that starts with its subject
        "Our people come first, then profit",
        "Quality comes first, then price follows.",  # ends like a sentence, a long part
        "Deliver on time, every time, for every customer we serve across Europe",  # 7 words
        "Revenue of 1,000,000 euros",  # commas between digits
        "Honesty, care. Courage, speed.",  # two sentences: already two statements
        ",,,",
    ],
)
def test_a_sentence_with_commas_is_not_split(text: str):
    assert split_list(text) is None
