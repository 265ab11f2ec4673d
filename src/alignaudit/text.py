"""Turning answer text into statements: the unit that gets embedded and matched."""

from __future__ import annotations

import re
import unicodedata

# Abbreviations whose full stop does not end a sentence in executive prose.
_ABBREVIATIONS = {
    "e.g",
    "i.e",
    "etc",
    "inc",
    "ltd",
    "co",
    "corp",
    "vs",
    "mr",
    "mrs",
    "ms",
    "dr",
    "st",
    "no",
    "approx",
    "u.s",
    "u.k",
    "e.u",
    "dept",
    "jr",
    "sr",
}
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"'“‘(\[]?[A-Z0-9À-Ý])")


# Invisible characters that change nothing a reader sees but can spoof what a terminal shows:
# zero-width spaces and joiners, word joiner, BOM, and the bidirectional embedding, override and
# isolate controls of "Trojan Source".
_INVISIBLE = set("\u200b\u200c\u200d\u2060\ufeff") | {chr(c) for c in range(0x202A, 0x202F)}
_INVISIBLE |= {chr(c) for c in range(0x2066, 0x206A)}


def clean(text: str) -> str:
    """Fold white space and drop control and invisible characters, so that two answers that
    look the same to a reader are the same text to the model and the cache, and no answer can
    move the cursor, recolour or reorder a terminal."""
    kept = []
    for ch in text:
        cat = unicodedata.category(ch)
        if ch in "\t\n\r" or ch.isspace():
            kept.append(" ")
        elif cat == "Cc" or ch in _INVISIBLE:
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def split_sentences(text: str) -> list[str]:
    """Split prose into sentences; a list answer is already split by its author."""
    text = clean(text)
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(text):
        candidate = text[start : m.end()].strip()
        last_word = candidate.rsplit(" ", 1)[-1].rstrip(".!?…\"'”’)]").lower()
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue  # "e.g. Acme" or an initial: not a sentence end
        if candidate:
            sentences.append(candidate)
        start = m.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
