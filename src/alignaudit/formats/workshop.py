"""`--format workshop`: the plan of the follow-up workshop (features/workshop.py) as Markdown a
consultant can print or paste. Every piece of text from the files (statements, names, trade-off
poles and ids, the team's name) is escaped as in the Markdown report: nothing in it formats the
page, links, mentions or references anything."""

from __future__ import annotations

from ..core.results import TeamReport
from ..features.workshop import WHOLE_TEAM, AgendaItem, Speakers, WorkshopPlan, workshop_plan
from .markdown import escape
from .summary import bands_caveat, language_warning_text, signature_line


def duration(minutes: int) -> str:
    """Minutes as a consultant writes them: "35 min", "1 h 40 min"."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" + (f" {rest:02d} min" if rest else "")


def _speakers(speakers: tuple[Speakers, ...]) -> str:
    parts = []
    for s in speakers:
        if s.label == WHOLE_TEAM and not s.managers:
            parts.append(WHOLE_TEAM)
        elif not s.managers:
            parts.append(escape(s.label))
        else:
            parts.append(f"{escape(s.label)}: {escape(_names(s.managers))}")
    return "; then ".join(parts)


NAMED = 12  # the most managers one side lists by name (a large team's camps hold hundreds)


def _names(names: tuple[str, ...]) -> str:
    if len(names) > NAMED:
        return ", ".join(names[:NAMED]) + f" and {len(names) - NAMED} others"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _wall(item: AgendaItem) -> list[str]:
    """The quotes grouped by the side they speak for, in the order the item gives them."""
    members = {s.label: s.managers for s in item.speakers}
    lines: list[str] = []
    side: str | None = None
    for q in item.quotes:
        if q.side != side:
            side = q.side
            shared = members.get(side, ())
            listed = f" ({escape(_names(shared))})" if len(shared) > 1 else ""
            lines.append(f"- {escape(q.side)}{listed}:")
        who = [escape(q.author)] if q.author is not None else []
        if q.note:
            who.append(escape(q.note))
        said = f" ({'; '.join(who)})" if who else ""
        lines.append(f"  - “{escape(q.text)}”{said}")
    return lines


def _item(n: int, item: AgendaItem) -> list[str]:
    lines = [
        f"## {n}. {escape(item.topic)} ({duration(item.minutes)})",
        "",
        f"**Why it is on the agenda.** {escape(' '.join(item.why))}",
        "",
    ]
    if item.quotes:
        lines += ["**On the wall:**", "", *_wall(item), ""]
    lines += [
        f"**Ask:** {escape(item.question)}",
        "",
        f"**Who speaks:** {_speakers(item.speakers)}",
        "",
    ]
    return lines


def render_plan(plan: WorkshopPlan, report: TeamReport) -> str:
    """A plan as Markdown: the agenda table, then each item; the report gives the caveat on
    what its findings are worth and the signature line."""
    count = f"{len(plan.items)} item{'s' if len(plan.items) != 1 else ''}"
    lines = [
        f"# Workshop plan: {escape(plan.team)}",
        "",
        f"The agenda of the follow-up workshop with the management team ({plan.managers} "
        f"managers): {count}, about {duration(plan.minutes)}. Items are ordered by what "
        "divides the team most and built from the audit's findings by fixed rules, with no "
        "model call (docs/workshop.md). Put the quotes on the wall, ask the question, let the "
        "managers named speak first.",
        "",
    ]
    warning = language_warning_text(report)
    if warning is not None:
        lines += [f"> [!WARNING]\n> **{escape(warning)}**", ""]
    if plan.anonymized:
        lines += [
            "Anonymised: managers appear under their aliases, and no camp, group or pair of "
            f"fewer than {plan.min_group} managers is broken out.",
            "",
        ]
    lines += ["| # | topic | time |", "| --- | --- | --- |"]
    lines += [
        f"| {n} | {escape(item.topic)} | {duration(item.minutes)} |"
        for n, item in enumerate(plan.items, 1)
    ]
    lines.append("")
    for n, item in enumerate(plan.items, 1):
        lines += _item(n, item)
    lines += [
        f"How far to trust the findings: {escape(bands_caveat(report.bands))}",
        "",
        f"<sub>{escape(signature_line(report.signature))}</sub>",
    ]
    return "\n".join(lines) + "\n"


def render(report: TeamReport) -> str:
    """The report's workshop plan as Markdown."""
    return render_plan(workshop_plan(report), report)
