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


# The longest statement read: the models read 256-512 tokens (about 1,000-3,000 characters), so
# anything near this is not a statement but a pasted document or an unclosed quote.
MAX_STATEMENT_CHARS = 10_000

# Invisible characters that are not format characters (category Cf) but are still "default
# ignorable": the combining grapheme joiner and the Hangul and Khmer fillers. Format characters
# (zero-width spaces and joiners, soft hyphen, word joiner, BOM, Mongolian vowel separator, tag
# characters, and every Bidi_Control: U+061C, U+200E/F, U+202A-E, U+2066-9) are all dropped.
_IGNORABLE = set("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
# Format characters that print a sign (Arabic number signs and the like): visible, so kept.
_VISIBLE_FORMAT = set("\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2")
_VISIBLE_FORMAT |= {"\U000110bd", "\U000110cd"}
_ZWJ = "\u200d"


def hidden(ch: str, category: str | None = None) -> bool:
    """A character that shows nothing, or rewrites what the terminal shows."""
    category = category or unicodedata.category(ch)
    if category in ("Cc", "Cs"):
        return True  # controls (ESC, BEL, C1) and lone surrogates
    if category == "Cf":
        return ch not in _VISIBLE_FORMAT
    return ch in _IGNORABLE


def _emoji_joiner(text: str, i: int) -> bool:
    """A zero-width joiner between two emoji (a family, a profession): part of what the
    reader sees, so kept; anywhere else it is invisible and dropped."""
    j = i - 1
    while j > 0 and (text[j] == "\ufe0f" or unicodedata.category(text[j]) == "Sk"):
        j -= 1  # step back over a variation selector or a skin tone
    if j < 0 or i + 1 >= len(text):
        return False
    return unicodedata.category(text[j]) == "So" and unicodedata.category(text[i + 1]) == "So"


def dropped(text: str, i: int) -> bool:
    """Whether clean() drops text[i]: hidden, unless it is a joiner inside an emoji."""
    ch = text[i]
    return hidden(ch) and not (ch == _ZWJ and _emoji_joiner(text, i))


def clean(text: str) -> str:
    """Fold white space and drop control, surrogate and invisible characters, so that two
    answers that look the same to a reader are the same text to the model and the cache, and
    no answer can move the cursor, recolour, reorder or hide text in a terminal."""
    kept = []
    for i, ch in enumerate(text):
        if ch.isspace():
            kept.append(" ")
        elif dropped(text, i):
            continue
        else:
            kept.append(ch)
    return " ".join("".join(kept).split())


def inert(text: str) -> str:
    """A name, key, path or option value as it may be shown anywhere: every character that
    is not plainly visible (controls, line breaks, bidi and other format characters, lone
    surrogates) becomes a visible escape such as \\x1b or \\u202e, so the string still names
    the same thing but cannot move the cursor, set the clipboard, start a new line (a forged
    CI annotation) or reorder what follows. Idempotent: escapes are plain characters."""
    if text.isprintable():  # the common case, and fast
        return text
    out = []
    for ch in text:
        if ch == " " or (ch.isprintable() and not hidden(ch, unicodedata.category(ch))):
            out.append(ch)
        elif ord(ch) < 0x100:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    return "".join(out)


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


# A list written on one line ("values: Honesty, Care, Courage"): items of at most this many
# words, separated by semicolons or else by commas (not a comma between digits, as in 1,000).
LIST_ITEM_WORDS = 5
_COMMA = re.compile(r"(?<!\d),|,(?!\d)")
# A part of three words or more that starts with one of these is a clause of a sentence
# ("We value honesty, care and courage"), not an item of a list.
_SUBJECTS = {"we", "i", "you", "they", "our", "my", "us", "it"}


def split_list(text: str) -> list[str] | None:
    """The items of a list answer written as one line of text ("Honesty, Care, Courage"), or
    None where the text is not clearly such a list: it must be one sentence of two or more
    parts separated by semicolons (or else commas), each at most LIST_ITEM_WORDS words. A text
    that reads as a sentence stays whole: one ending in a full stop, ! or ? with a part of three
    words or more, or with a part of three words or more that starts with a subject (we, our,
    I, ...), as in "We value honesty, care and courage." A closing full stop and a leading
    "and" of the last item are dropped ("Honesty, care, and courage." -> 3 items)."""
    text = clean(text)
    if len(split_sentences(text)) != 1:
        return None
    sentence_end = text.endswith(("!", "?", "."))
    body = text.rstrip(".").rstrip()
    parts = [p.strip() for p in (body.split(";") if ";" in body else _COMMA.split(body))]
    parts = [p for p in parts if p]
    if len(parts) < 2:
        return None
    head, _, rest = parts[-1].partition(" ")
    if head.lower() in ("and", "&", "or") and rest:
        parts[-1] = rest
    for part in parts:
        words = part.split()
        if len(words) > LIST_ITEM_WORDS:
            return None
        if len(words) >= 3 and (sentence_end or words[0].lower() in _SUBJECTS):
            return None
    return parts


def file_stem(name: str) -> str:
    """A manager's name as a file name: 'Zoë O'Neill' -> 'zoe-o-neill'. Letters of other
    scripts are kept; an empty result means the name has no letters or digits."""
    folded = unicodedata.normalize("NFKD", name.casefold())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return re.sub(r"[\W_]+", "-", folded).strip("-")
