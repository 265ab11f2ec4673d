"""The words alignaudit puts in front of people: the four foundations in plain words, the rule
of independent answers, and the files `init` and `collect` write.

One source of truth: the answer templates, the team README and the interview all take their
definitions from FOUNDATIONS here, so a manager reads the same explanation whichever way they
answer.
"""

from __future__ import annotations

import shlex
import textwrap
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import yaml

from ..core.text import file_stem
from ..core.types import Foundation, Ranking, TradeOff
from ..inputs.tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS

CONFIG_NAME = "alignaudit.yaml"
README_NAME = "README.md"
TEMPLATE_PREFIX = "_template-"  # '_' files are reserved: the loader and the audit skip them
DRAFT_PREFIX = "_draft-"
GENERIC_TEMPLATE = "_template.yaml"  # written when init is given no manager names


@dataclass(frozen=True)
class Definition:
    """One foundation explained for a manager who has never heard the word used this way."""

    foundation: Foundation
    title: str
    question: str  # what the manager answers
    meaning: str  # what it is
    not_: str  # what it is not
    is_list: bool  # values are answered as a list, the others as text


FOUNDATIONS: dict[Foundation, Definition] = {
    Foundation.VISION: Definition(
        Foundation.VISION,
        "Vision",
        "What do we want to be? Describe the end state we are working towards.",
        "The desired end state of the organisation, some years from now: what we want to be.",
        "Not a plan, not next year's targets, and not a description of what we do today.",
        is_list=False,
    ),
    Foundation.MISSION: Definition(
        Foundation.MISSION,
        "Mission",
        "Why do we exist? What is our purpose outside the company, beyond making a profit?",
        "The organisation's purpose in the world outside the company: what it does for "
        "customers, people or society, beyond profit.",
        "Not a financial goal, and not a list of our products or services.",
        is_list=False,
    ),
    Foundation.VALUES: Definition(
        Foundation.VALUES,
        "Values",
        "Which principles guide how we do business, whatever happens?",
        "The unwavering principles that guide how we do business and how we treat people, "
        "usually a short list. Add a few words on what each one means to you if you like.",
        "Not goals or wishes: a principle we would drop as soon as it costs us something is "
        "not a value.",
        is_list=True,
    ),
    Foundation.POSITIONING: Definition(
        Foundation.POSITIONING,
        "Positioning",
        "What long-term position do we hold that sets us apart? Why do customers choose us "
        "over the alternatives?",
        "The long-term, true and differentiating position of the firm or brand in the minds "
        "of its customers.",
        "Not a tagline or an advertising slogan, and not something we wish were true.",
        is_list=False,
    ),
}

RULE = (
    "Answer alone, in your own words. Do not copy the website, a brochure or a strategy "
    "document, and do not compare answers with colleagues before the audit: it measures "
    "whether the team agrees without having agreed beforehand. There are no right or wrong "
    "answers, and a few sentences per question are plenty."
)


# ---------------------------------------------------------------------------- file names


def answer_filename(name: str) -> str:
    """The file a manager's answers are saved as, named by file_stem so one manager has one file
    however their name is written."""
    return f"{file_stem(name)}.yaml"


def template_filename(name: str) -> str:
    """The template `init` writes for a manager to fill in by hand; its '_' prefix keeps the audit
    from reading it."""
    return f"{TEMPLATE_PREFIX}{file_stem(name)}.yaml"


def draft_filename(name: str) -> str:
    """The draft `collect` keeps while a manager's interview is under way; its '_' prefix keeps the
    audit from reading it."""
    return f"{DRAFT_PREFIX}{file_stem(name)}.yaml"


# ---------------------------------------------------------------------------- answer files

Answer = str | tuple[str, ...]  # a text answer, or a list (values)
Choice = TradeOff | Ranking
RatingValue = int | tuple[str, ...]  # a point of a trade-off's scale, or a ranking's order


class _Dumper(yaml.SafeDumper):  # type: ignore[misc]
    """Lists indented under their key; text with line breaks as a literal block."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def render_answers(
    manager: str,
    role: str | None,
    unit: str | None,
    answers: Mapping[Foundation, Answer],
    header: str,
    ratings: Mapping[str, RatingValue] | None = None,
) -> str:
    """An answer file (or draft) in the format the loader reads: only text and lists of text,
    quoted where YAML would read them as something else, foundations in report order, then
    the trade-off ratings."""
    data: dict[str, object] = {"manager": manager}
    if role:
        data["role"] = role
    if unit:
        data["unit"] = unit
    for foundation in Foundation:
        if foundation in answers:
            value = answers[foundation]
            data[foundation.value] = value if isinstance(value, str) else list(value)
    if ratings:
        data["tradeoffs"] = {
            id_: value if isinstance(value, int) else list(value) for id_, value in ratings.items()
        }
    body = str(
        yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=88, indent=2)
    )
    return _comment(header) + body


def final_header(manager: str, team: str) -> str:
    """The comment atop an answer file `collect` saves: whose answers they are, and a request to
    keep them to oneself until the audit."""
    return (
        f"Answers of {manager}, team {team}, collected by `alignaudit collect`. "
        "Given independently: please do not share them with colleagues before the audit."
    )


def draft_header(manager: str, team: str) -> str:
    """The comment atop an interview draft: what it is for, and that it goes once the answers are
    saved."""
    return (
        f"Interview draft of {manager}, team {team}: the answers so far, kept so that "
        "running `alignaudit collect` again for this manager resumes the interview. It is "
        f"removed when the answers are saved as {answer_filename(manager)}. The audit does "
        "not read it."
    )


def _comment(text: str, width: int = 92) -> str:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        hang = "  " if paragraph.startswith("- ") else ""
        wrapped = textwrap.wrap(paragraph, width - 2, subsequent_indent=hang) or [""]
        lines.extend(f"# {line}".rstrip() for line in wrapped)
    return "\n".join(lines) + "\n"


def choice_help(choice: Choice) -> str:
    """How to answer one trade-off or ranking, in the words every way of answering uses."""
    if isinstance(choice, TradeOff):
        if (choice.low + choice.high) % 2 == 0:
            middle = f"{(choice.low + choice.high) // 2} = both equally"
        else:  # an even number of points has no middle: the manager leans one way
            middle = "no middle point: pick the side the firm leans to"
        return (
            f"{choice.low} = {choice.left}; {choice.high} = {choice.right}; "
            f"{middle}. Where does the firm stand, as you see it?"
        )
    return (
        f"Order the options from the one the firm leads with to the one it leads with least: "
        f"{', '.join(choice.items)}."
    )


def _template_choices(choices: Sequence[Choice]) -> list[str]:
    if not choices:
        return []
    scales = [c for c in choices if isinstance(c, TradeOff)]
    ranks = [c for c in choices if not isinstance(c, TradeOff)]
    how = ["TRADE-OFFS:"]
    if scales:
        first = scales[0]
        how.append(
            "strategic choices between two poles. For each, write the number of the point where "
            f"you think the firm stands (after the colon, e.g. '{first.id}: {first.high - 1}')."
        )
    if ranks:
        items = ", ".join(ranks[0].items)
        how.append(f"For a ranking, list the options in your order, e.g. [{items}].")
    how.append("Leave one blank if you cannot say.")
    out = ["\n", _comment(" ".join(how)), "tradeoffs:\n"]
    for choice in choices:
        out.append(
            "\n".join(f"  {line}" for line in _comment(choice_help(choice), 90).splitlines()) + "\n"
        )
        out.append(f"  {choice.id}:\n")
    return out


def answer_template(
    manager: str | None,
    team: str,
    foundations: Sequence[Foundation],
    choices: Sequence[Choice] = (),
) -> str:
    """The file a manager fills in by hand. Unfilled, every question is empty, which the
    loader refuses with "'vision' is empty"; filled, it is a valid answer file (a trade-off
    left blank counts as not rated)."""
    who = f"{manager}, team {team}" if manager else f"team {team}"
    out = [
        _comment(
            f"alignaudit answer file: {who}\n\n{RULE}\n\n"
            "How to fill it in:\n"
            "- Write each answer on the lines under its question, indented by two spaces, in "
            "as many lines as you like.\n"
            "- Values: one per line, each line starting with two spaces, a dash and a space, "
            "the value in double quotes, as in the example: a colon in an unquoted value "
            "would make it something else than text.\n"
            "- A question you cannot answer: delete its line (such as 'vision: >').\n"
            + (
                "- Keep the 'manager:' line as it is.\n"
                if manager
                else "- Write your name after 'manager:'.\n"
            )
            + "- Save the file and give it back to the person running the audit."
        ),
        "\n",
        f"manager: {_scalar(manager)}\n" if manager else "manager:\n",
        _comment(
            "Optional: your role and your unit (line of business). Remove the '# ' to fill them in."
        ),
        "# role:\n# unit:\n",
    ]
    for foundation in foundations:
        d = FOUNDATIONS[foundation]
        out.append("\n")
        out.append(_comment(f"{d.title.upper()}: {d.question}\n{d.meaning}\n{d.not_}"))
        if d.is_list:
            out.append(_comment('Example:\n  - "Safety: nobody gets hurt in our work"'))
            out.append(f"{foundation.value}:\n")
        else:
            out.append(f"{foundation.value}: >\n  \n")
    out += _template_choices(choices)
    return "".join(out)


def _scalar(text: str) -> str:
    """A single YAML scalar on one line, quoted only when needed."""
    dumped = str(yaml.safe_dump(text, allow_unicode=True, width=10_000, default_style=None))
    return dumped.removesuffix("\n...\n").removesuffix("\n")


# ---------------------------------------------------------------------------- team files


def _definitions(tradeoffs: Sequence[TradeOff], rankings: Sequence[Ranking]) -> str:
    lines = ["tradeoffs:"]
    for t in tradeoffs:
        lines += [
            f"  - id: {t.id}",
            f"    foundation: {t.foundation.value}",
            f"    left: {_scalar(t.left)}",
            f"    right: {_scalar(t.right)}",
        ]
    lines.append("rankings:")
    for r in rankings:
        lines += [
            f"  - id: {r.id}",
            f"    foundation: {r.foundation.value}",
            "    items: [" + ", ".join(_scalar(i) for i in r.items) + "]",
        ]
    return "\n".join(lines) + "\n"


def config_text(managers: Sequence[str]) -> str:
    """alignaudit.yaml as `init` writes it: the keys `collect` and `status` read, and the
    trade-offs every manager rates."""
    roster = "".join(f"  - {_scalar(name)}\n" for name in managers)
    return (
        "# alignaudit team settings (YAML; lines starting with # are comments).\n"
        "#\n"
        "# The foundations each manager answers: `collect` asks these, in this order, and\n"
        "# `status` reports a manager as incomplete while one of them is unanswered.\n"
        "foundations: [" + ", ".join(f.value for f in Foundation) + "]\n"
        "#\n"
        "# The managers expected to answer, one per line ('  - Name'). `status` lists who has\n"
        "# not answered yet, and `collect --manager` only accepts these names.\n"
        + ("managers:\n" + roster if managers else "managers: []\n")
        + "#\n"
        "# The trade-offs each manager rates after the free text, and the ranking they order\n"
        "# (docs/tradeoffs.md): where the firm stands between two poles, 1 to 7. The audit\n"
        "# measures agreement on each and says where the ratings and the words disagree.\n"
        "# Edit the poles, add your own (scale: [1, 5] for a shorter one), or switch them off\n"
        "# with 'tradeoffs: []' and 'rankings: []'.\n"
        "# Porter's generic strategies, common strategy dilemmas, and Treacy & Wiersema's\n"
        "# value disciplines:\n" + _definitions(DEFAULT_TRADEOFFS, DEFAULT_RANKINGS)
    )


def team_readme(team: str, folder: str, managers: Sequence[str]) -> str:
    """README.md of a new team folder, for the consultant running the audit."""
    q = shlex.quote
    name = managers[0] if managers else "Dana Ortiz"
    lines = [
        f"# Alignment audit: {team}",
        "",
        "This folder holds one answer file per manager. alignaudit compares the answers and "
        "shows whether the management team agrees on its four foundations:",
        "",
        *(f"- **{d.title.lower()}**: {d.meaning} {d.not_}" for d in FOUNDATIONS.values()),
        "",
        "## The rule",
        "",
        "The audit only means something if every manager answers **independently**. Tell "
        "each manager:",
        "",
        f"> {RULE}",
        "",
        "Keep this folder where only you can read it until the audit is done.",
        "",
        "## Steps",
        "",
        "1. Each manager answers alone, in one of two ways:",
        "   - **Interview in the terminal.** The manager sits at a terminal on their own and "
        "runs the command below. It explains each foundation, takes the answers, lets them "
        "review and edit, and saves their file. Nobody else's answers are shown. Ctrl-C stops "
        "it; the answers so far are kept, and the same command resumes.",
        "",
        "     ```sh",
        f"     alignaudit collect {q(folder)} --manager {q(name)}",
        "     ```",
        "",
        "   - **Template by e-mail.** Send each manager their own `_template-<name>.yaml` "
        "(only theirs). When it comes back filled in, check and store it with:",
        "",
        "     ```sh",
        f"     alignaudit collect {q(folder)} --manager {q(name)} --from RETURNED_FILE.yaml",
        "     ```",
        "",
        "2. See who has answered and what is missing:",
        "",
        "   ```sh",
        f"   alignaudit status {q(folder)}",
        "   ```",
        "",
        "3. When everyone has answered, run the audit:",
        "",
        "   ```sh",
        f"   alignaudit audit {q(folder)}",
        "   ```",
        "",
        "## Files",
        "",
        "- `alignaudit.yaml`: the foundations asked and the roster of managers (`managers:`); "
        "add a name there when a manager joins the audit.",
        "- `<name>.yaml`: a manager's answers. These are what the audit reads.",
        "- `_template-<name>.yaml`: a blank answer file to send to that manager. Files "
        "starting with `_` are never read by the audit, so an unanswered template does no "
        "harm.",
        "- `_draft-<name>.yaml`: an interview in progress; removed when the answers are saved.",
        "",
    ]
    return "\n".join(lines)


def team_files(
    team: str,
    folder: str,
    managers: Sequence[str],
    foundations: Sequence[Foundation] | None = None,
    choices: Sequence[Choice] | None = None,
) -> list[tuple[str, str, str]]:
    """What `init` writes: (file name, text, what it is for), README and settings first.

    Templates ask every foundation and the default trade-offs, or what a kept alignaudit.yaml
    asks (`foundations`, `choices`), so that a template added later matches the questionnaire.
    """
    everything = tuple(Foundation) if foundations is None else tuple(foundations)
    if choices is None:
        choices = (*DEFAULT_TRADEOFFS, *DEFAULT_RANKINGS)
    files = [
        (README_NAME, team_readme(team, folder, managers), "how to run the audit"),
        (CONFIG_NAME, config_text(managers), "foundations asked and the roster of managers"),
    ]
    for name in managers:
        files.append(
            (
                template_filename(name),
                answer_template(name, team, everything, choices),
                f"answer template for {name}",
            )
        )
    if not managers:
        files.append(
            (
                GENERIC_TEMPLATE,
                answer_template(None, team, everything, choices),
                "answer template for anyone",
            )
        )
    return files
