from alignaudit.core.text import clean, split_sentences


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
