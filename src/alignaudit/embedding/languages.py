"""Which languages the managers wrote in, and whether the model can compare them.

A multilingual model compares a German answer with an English one; an English-only model
scores a faithful translation as unrelated, which would read as disagreement. So the report
names the languages it saw and warns when the model is English-only and the answers are not.
Each manager's answers are identified together (one statement is often too short to tell):
plainly English text is recognised by its function words at no cost, anything else by
py3langid (a naive Bayes identifier shipped with its model), loaded only then.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import cache
from typing import Any

# Languages a management team plausibly writes in; restricting the identifier to them keeps
# short texts from being read as a rare language.
CANDIDATES = (
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "fi", "pl", "cs", "sk", "hu",
    "ro", "el", "tr", "ru", "uk", "ar", "he", "hi", "zh", "ja", "ko", "id", "vi", "th",
)  # fmt: skip
_ENGLISH = frozenset(
    {
        "the",
        "a",
        "an",
        "and",
        "or",
        "of",
        "to",
        "in",
        "for",
        "our",
        "we",
        "us",
        "is",
        "are",
        "be",
        "by",
        "with",
        "on",
        "at",
        "as",
        "that",
        "this",
        "it",
        "every",
        "all",
        "who",
        "what",
        "where",
        "from",
        "into",
        "more",
        "than",
        "not",
        "their",
        "they",
        "you",
        "your",
        "its",
    }
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _identifier() -> Any:
    from py3langid.langid import MODEL_FILE, LanguageIdentifier

    identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=False)
    identifier.set_languages(list(CANDIDATES))
    return identifier


def plainly_english(text: str) -> bool:
    """ASCII text in which English function words are common: no identifier needed."""
    words = [w.lower() for w in _WORD.findall(text)]
    if not words or not text.isascii():
        return False
    return sum(w in _ENGLISH for w in words) / len(words) >= 0.15


def identify(text: str) -> str:
    """ISO 639-1 code of the language `text` is written in ("en" for plain English)."""
    if plainly_english(text):
        return "en"
    return str(_identifier().classify(text)[0])


def identify_each(managers_texts: Iterable[Iterable[str]]) -> list[str]:
    """The language of each manager's answers, all identified together."""
    return [identify(" ".join(texts)) for texts in managers_texts]


def language_report(
    codes: Iterable[str], *, multilingual: bool
) -> tuple[tuple[str, ...], str | None]:
    """The languages seen (most managers first, from identify_each) and a warning when an
    English-only model meets answers in another language."""
    seen = Counter(codes)
    languages = tuple(code for code, _ in seen.most_common())
    warning = None
    others = [c for c in languages if c != "en"]
    if others and not multilingual:
        warning = (
            f"answers in {', '.join(others)} as well as English: this model reads English "
            "only and scores a translation as a different idea; audit with --model e5-small"
        )
    return languages, warning
