"""Warnings about input the figures cannot be trusted on."""

from __future__ import annotations

from itertools import combinations

from ..core.types import Answer, Foundation, Manager

LENGTH_RATIO = 10  # one answer ten times longer than another, in words
SHORT_WORDS = 2  # a one- or two-word answer ...
LONG_WORDS = 30  # ... compared with a paragraph


def _words(manager: Manager, foundation: Foundation) -> int:
    return sum(len(s.split()) for s in manager.answers[foundation].statements)


def length_warnings(managers: tuple[Manager, ...], foundation: Foundation) -> list[str]:
    """Pairs whose answers differ so much in length (a word or two against a paragraph, or
    LENGTH_RATIO times the words) that their score says little."""
    answered = [m for m in managers if foundation in m.answers]
    out = []
    for a, b in combinations(answered, 2):
        wa, wb = _words(a, foundation), _words(b, foundation)
        short, long_ = (a, b) if wa <= wb else (b, a)
        ws, wl = min(wa, wb), max(wa, wb)
        if ws <= SHORT_WORDS and wl >= LONG_WORDS:
            out.append(
                f"{short.name} answers in {ws} word{'s' if ws > 1 else ''} and "
                f"{long_.name} in a paragraph ({wl} words): their score says little"
            )
        elif wl >= LENGTH_RATIO * ws:
            out.append(
                f"{long_.name}'s answer is {wl // ws}x as long as {short.name}'s "
                f"({wl} vs {ws} words): compare them with care"
            )
    return out


def truncation_warnings(
    managers: tuple[Manager, ...], foundation: Foundation, counts: dict[str, int], limit: int
) -> list[str]:
    """Statements longer than the model reads: only their first `limit` tokens count."""
    out = []
    for m in managers:
        if foundation not in m.answers:
            continue
        for s in m.answers[foundation].statements:
            if counts.get(s, 0) > limit:
                out.append(
                    f"{m.name}: a statement of {counts[s]} tokens is cut to the model's "
                    f"{limit}: split it into sentences or shorten it"
                )
    return out


def one_line_note(who: str, foundation: Foundation, answer: Answer) -> str | None:
    """What the report says where a list answer was written as one line of text and read as
    its items (inputs/answers.py), so the reading is never silent; None for any other."""
    if not answer.one_line:
        return None
    items = answer.statements
    noun = foundation.value if foundation is Foundation.VALUES else "items"
    quoted = ", ".join(f"“{s}”" for s in items)
    return (
        f"{who} wrote {foundation.value} as one line, read as {len(items)} {noun}: {quoted} "
        "(a YAML list, one '- ' item a line, says exactly what is meant)"
    )


def one_line_warnings(
    managers: tuple[Manager, ...], foundation: Foundation, official: Manager | None = None
) -> list[str]:
    """The one_line_note of every manager (and of the official statement) on a foundation."""
    said = [(m.name, m.answers.get(foundation)) for m in managers]
    if official is not None:
        said.append(("the official statement", official.answers.get(foundation)))
    notes = (one_line_note(who, foundation, a) for who, a in said if a is not None)
    return [n for n in notes if n is not None]
