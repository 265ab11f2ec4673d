"""Which languages a team wrote in, and the warning for an English-only model."""

import pytest

from alignaudit.embedding.languages import identify, identify_each, language_report, plainly_english


def test_plain_english_needs_no_identifier():
    assert plainly_english("We want to be the most trusted carrier in the region.")
    assert not plainly_english("Wir wollen der vertrauenswürdigste Spediteur der Region sein.")
    assert not plainly_english("")


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Unsere Vision ist es, das vertrauenswürdigste Krankenhaus der Region zu sein.", "de"),
        ("Nous voulons être le transporteur le plus fiable de la région, pour tous.", "fr"),
        ("Queremos ser la empresa de transporte más fiable de la región.", "es"),
        ("We move freight for every customer on time and with care.", "en"),
    ],
)
def test_identify(text, code):
    assert identify(text) == code


def test_report_names_languages_and_warns_an_english_only_model():
    team = [
        ["We want to be the most trusted carrier in the region.", "Honesty"],
        ["Wir wollen der vertrauenswürdigste Spediteur der Region sein.", "Ehrlichkeit"],
        ["We keep supply chains running for the people who depend on them."],
    ]
    codes = identify_each(team)
    assert codes == ["en", "de", "en"]
    languages, warning = language_report(codes, multilingual=False)
    assert languages == ("en", "de")
    assert warning is not None and "de" in warning and "e5-small" in warning
    assert language_report(codes, multilingual=True) == (("en", "de"), None)


def test_an_english_team_gets_no_warning():
    team = [["We are the cheapest carrier in Europe."], ["Customers pay for certainty with us."]]
    assert language_report(identify_each(team), multilingual=False) == (("en",), None)
