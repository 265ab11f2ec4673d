"""The front half of an audit: `init`, `collect` and `status`.

Thin like every command: parse options, call templates / interview / status, map errors to
exit codes through common.errors_to_exit_codes.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from ..core.errors import EXIT_FINDINGS, EXIT_OK, InputError, Problem, UsageError
from ..core.types import Foundation

if TYPE_CHECKING:
    from ..collection.status import TeamStatus
    from ..collection.templates import Choice
    from ..core.types import Manager

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report Ctrl-C
NAME_MAX = 255  # bytes in one file name on the usual file systems (ext4, APFS, NTFS)


def register(app: typer.Typer) -> None:
    """Add init, collect and status to the alignaudit app."""
    app.command()(init)
    app.command()(collect)
    app.command()(status)


def _console(stderr: bool = False) -> Console:
    """Messages are printed as given (no markup, no highlighting) and never hard-wrapped."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


# ---------------------------------------------------------------------------- init


def init(
    team_dir: Annotated[Path, typer.Argument(help="The team folder to create.")],
    manager: Annotated[
        list[str] | None,
        typer.Option("--manager", "-m", help="A manager who will answer (repeatable)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace files that already exist.")
    ] = False,
) -> None:
    """Create a team folder: README, alignaudit.yaml and one answer template per manager."""
    from ..collection.status import read_config
    from ..collection.templates import (
        CONFIG_NAME,
        answer_filename,
        draft_filename,
        team_files,
        template_filename,
    )
    from ..core.text import file_stem
    from ..inputs.atomic import write_atomic
    from .common import errors_to_exit_codes

    file_names = (answer_filename, template_filename, draft_filename)
    from ..core.text import clean

    out = _console()
    with errors_to_exit_codes():
        names = [clean(n) for n in manager or ()]
        seen: dict[str, str] = {}
        for name in names:
            stem = file_stem(name)
            if not stem:
                raise UsageError(f"--manager {name!r}: a name needs letters or digits")
            longest = max(len(f(name).encode("utf-8")) for f in file_names)
            if longest > NAME_MAX:  # checked before anything is written
                raise UsageError(
                    f"--manager {name[:40]!r}...: too long for a file name ({longest} bytes, at "
                    f"most {NAME_MAX}); give a shorter name"
                )
            if stem in seen:
                raise UsageError(
                    f"--manager {name!r}: same person as {seen[stem]!r} (one file each); "
                    "give each manager once"
                )
            seen[stem] = name
        try:
            if team_dir.exists() and not team_dir.is_dir():
                raise UsageError(f"{team_dir}: is a file; give a folder to create")
            team_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise UsageError(f"{team_dir}: cannot create folder: {exc.strerror}") from None
        foundations, choices = None, None
        if not force and (team_dir / CONFIG_NAME).exists():
            # a kept questionnaire: new templates ask what it asks
            config = read_config(team_dir)
            foundations, choices = config.foundations, config.asked_choices
        files = team_files(team_dir.resolve().name, str(team_dir), names, foundations, choices)
        width = max(len(str(team_dir / filename)) for filename, _, _ in files)
        out.print(Text(f"Team folder {team_dir}:"))
        kept = False
        for filename, text, what in files:
            target = team_dir / filename
            if target.exists() and not force:
                out.print(Text(f"  kept    {target!s:<{width}}  exists; --force replaces it"))
                kept = True
                continue
            write_atomic(target, text)
            out.print(Text(f"  created {target!s:<{width}}  {what}"))
        if kept and names:
            with contextlib.suppress(InputError):
                roster = {file_stem(n) for n in read_config(team_dir).managers or ()}
                absent = [n for n in names if file_stem(n) not in roster]
                if absent:
                    out.print(
                        Text(
                            f"note: not on the roster in {team_dir / CONFIG_NAME}: "
                            + ", ".join(absent)
                            + "; add them under 'managers:' so status expects them"
                        )
                    )
        folder = shlex.quote(str(team_dir))
        example = shlex.quote(names[0]) if names else "NAME"
        out.print(
            Text(
                "\nNext, each manager answers alone, in an interview in the terminal:\n"
                f"  alignaudit collect {folder} --manager {example}\n"
                "or by filling in their own template, which you then store with:\n"
                f"  alignaudit collect {folder} --manager {example} --from FILE\n"
                f"Then: alignaudit status {folder}, and alignaudit audit {folder}"
            )
        )


# ---------------------------------------------------------------------------- collect


def collect(
    team_dir: Annotated[Path, typer.Argument(help="The team folder (made by init).")],
    manager: Annotated[
        str, typer.Option("--manager", "-m", help="The manager answering (their full name).")
    ],
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            metavar="FILE",
            help="Take the answers from a filled-in answer file ('-' reads stdin) instead "
            "of an interview.",
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace the manager's existing answers.")
    ] = False,
) -> None:
    """Interview one manager in the terminal (or take their file) and save their answers."""
    from .common import errors_to_exit_codes

    with errors_to_exit_codes():
        _collect(team_dir, manager, source, force)


def _collect(team_dir: Path, manager: str, source: str | None, force: bool) -> None:
    from ..collection.status import on_roster, read_config, team_folder
    from ..collection.templates import answer_filename, draft_filename
    from ..core.text import clean, file_stem

    folder = team_folder(team_dir)
    config = read_config(folder)
    name = clean(manager)
    if not file_stem(name):
        raise UsageError(f"--manager {manager!r}: give the manager's name")
    if config.managers is not None:
        listed = on_roster(name, config)
        if listed is None:
            import difflib

            close = difflib.get_close_matches(name, config.managers, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise UsageError(
                f"{name!r} is not on the roster in {config.file}; {hint}"
                "check the spelling, or add the name under 'managers:'"
            )
        name = listed
    target = folder / answer_filename(name)
    shown = Path(str(team_dir))
    _refuse_to_overwrite(folder, shown, name, target, force)
    draft = folder / draft_filename(name)
    if source is not None:
        _collect_from(source, name, target, draft, shown, folder)
        return
    if sys.stdin is None or sys.stdin.closed or not sys.stdin.isatty():
        raise UsageError(
            "collect interviews a manager in a terminal, and stdin is not one; for scripted "
            "collection give the answers with --from FILE (or --from - for stdin)"
        )
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{team_dir}: cannot write in this folder, so answers could not be saved")
    _interview(folder, shown, name, config.foundations, target, draft, config.asked_choices)


def _refuse_to_overwrite(folder: Path, shown: Path, name: str, target: Path, force: bool) -> None:
    from ..collection.status import peek_manager
    from ..core.text import file_stem
    from ..inputs.answers import answer_files

    if target.exists() and not force:
        raise UsageError(
            f"{shown / target.name}: {name} has already answered; use --force to replace "
            "these answers"
        )
    stem = file_stem(name)
    for file in answer_files(folder):
        if file.name != target.name and file_stem(peek_manager(file) or "") == stem:
            raise UsageError(
                f"{shown / file.name}: {name} has already answered in this file; remove or "
                f"rename it first (the answers go to {target.name})"
            )


def _collect_from(
    source: str, name: str, target: Path, draft: Path, shown: Path, folder: Path
) -> None:
    """Validate a filled-in answer file with the audit's own rules, then store it as is."""
    from ..core.text import file_stem
    from ..inputs.answers import load_manager
    from ..inputs.atomic import write_atomic
    from ..inputs.yaml_nodes import MAX_FILE_BYTES

    label = "<stdin>" if source == "-" else source
    try:
        if source == "-":
            if sys.stdin is None or sys.stdin.closed:  # started with stdin closed (<&-)
                raise InputError([Problem(label, None, None, "standard input is closed")])
            data = typer.get_binary_stream("stdin").read(MAX_FILE_BYTES + 1)
        else:
            path = Path(source)
            if not path.is_file():
                raise InputError([Problem(label, None, None, "no such file")])
            with path.open("rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError([Problem(label, None, None, f"cannot read: {exc.strerror}")]) from None
    problems: list[Problem] = []
    with tempfile.TemporaryDirectory(prefix="alignaudit-") as tmp:
        copy = Path(tmp) / "answer.yaml"
        copy.write_bytes(data)  # one read: what is checked is what is stored
        result = load_manager(copy, label, problems)
    if problems or result is None:
        raise InputError(problems)
    answered, line = result
    if file_stem(answered.name) != file_stem(name):
        raise InputError(
            [
                Problem(
                    label,
                    line,
                    None,
                    f"these are the answers of {answered.name!r}, not of {name!r}; "
                    "check --manager or the file",
                )
            ]
        )
    _check_ratings(answered, folder)
    write_atomic(target, data.decode("utf-8-sig"))
    err = _console(stderr=True)
    done = ", ".join(f.value for f in Foundation if f in answered.answers)
    err.print(Text(f"saved {shown / target.name}: {answered.name} ({done})"))
    if draft.exists():
        draft.unlink()
        err.print(Text(f"removed the interview draft {shown / draft.name}"))


def _check_ratings(answered: Manager, folder: Path) -> None:
    """A returned file's ratings checked against the team's trade-offs, as the audit will."""
    from ..collection.status import read_config
    from ..inputs.tradeoffs import check_ratings

    config = read_config(folder)
    problems = check_ratings((answered,), config.tradeoffs, config.rankings)
    if problems:
        raise InputError(problems)


def _interview(
    folder: Path,
    shown: Path,
    name: str,
    foundations: tuple[Foundation, ...],
    target: Path,
    draft: Path,
    choices: tuple[Choice, ...] = (),
) -> None:
    from ..collection.interview import Collected, Interview, read_draft
    from ..collection.templates import draft_header, final_header, render_answers
    from ..inputs.atomic import write_atomic

    # input() without the readline module: the terminal's own line editing (backspace,
    # Ctrl-U, Ctrl-W), pasted lines arrive as typed lines, and Ctrl-C always interrupts the
    # read (readline's select loop can miss a Ctrl-C pressed while it is echoing keys).
    team = folder.resolve().name
    draft_label = shown / draft.name
    resume = read_draft(draft, str(draft_label), name) if draft.exists() else None
    saved = resume is not None

    def save(collected: Collected) -> None:
        nonlocal saved
        text = render_answers(
            name,
            collected.role,
            collected.unit,
            collected.answers,
            draft_header(name, team),
            collected.ratings,
        )
        write_atomic(draft, text)
        saved = True

    out = Console(highlight=False)  # word-wrapped to the terminal
    interview = Interview(
        out, input, manager=name, team=team, foundations=foundations, save=save, choices=choices
    )
    try:
        collected = interview.run(resume)
    except (KeyboardInterrupt, EOFError):
        out.print()
        where = (
            f"your answers so far are kept in {draft_label}; run the same command to continue"
            if saved
            else "nothing was saved"
        )
        _console(stderr=True).print(Text(f"interrupted: {where}"))
        raise typer.Exit(EXIT_INTERRUPTED) from None
    text = render_answers(
        name,
        collected.role,
        collected.unit,
        collected.answers,
        final_header(name, team),
        collected.ratings,
    )
    write_atomic(target, text)
    with contextlib.suppress(FileNotFoundError):
        draft.unlink()
    out.print()
    out.print(Text(f"Saved {shown / target.name}. Thank you, {name}.", style="bold"))
    out.print(Text("Please keep your answers to yourself until the audit is done."))


# ---------------------------------------------------------------------------- status


def status(
    team_dir: Annotated[Path, typer.Argument(help="The team folder.")],
) -> None:
    """Who has answered, who has not, and which foundations are missing."""
    from ..collection.status import team_status
    from .common import errors_to_exit_codes

    with errors_to_exit_codes():
        result = team_status(team_dir)
        _print_status(result, _console())
    raise typer.Exit(EXIT_OK if result.complete else EXIT_FINDINGS)


def _print_status(st: TeamStatus, out: Console) -> None:
    from ..collection.status import State

    expected = len(st.managers)
    roster = (
        f"{len(st.config.managers)} on the roster"
        if st.config.managers is not None
        else "no roster (add 'managers:' to alignaudit.yaml)"
    )
    out.print(
        Text(
            f"Team {st.team}: {len(st.answered)} of {expected} managers have answered  ({roster})",
            style="bold",
        )
    )
    marks = {
        State.ANSWERED: "done",
        State.IN_PROGRESS: "busy",
        State.NOT_ANSWERED: "todo",
        State.PROBLEMS: "FIX ",
    }
    width = max((len(m.name) for m in st.managers), default=0)
    for m in st.managers:
        line = Text(f"  {marks[m.state]}  {m.name:<{width}}  ")
        if m.state is State.ANSWERED:
            if m.missing:
                line.append("answered; missing " + ", ".join(f.value for f in m.missing))
            else:
                line.append(f"answered all {len(st.config.foundations)}")
            if st.config.asked:
                rated = len(st.config.asked) - len(m.unrated)
                line.append(f"; rated {rated} of {len(st.config.asked)} trade-offs")
        elif m.state is State.IN_PROGRESS:
            done = ", ".join(f.value for f in m.answered) or "no foundation yet"
            line.append(f"interview in progress (so far: {done})")
        elif m.state is State.PROBLEMS:
            line.append("answer file has problems, see below")
        else:
            line.append("not answered")
            if m.note:
                line.append(f" ({m.note}: {m.file})")
        if m.file and m.state is State.ANSWERED:
            line.append(f"  [{Path(m.file).name}]")
        if st.config.managers is not None and not m.on_roster:
            line.append("  (not on the roster)")
        out.print(line)
    for problem in st.problems:
        out.print(Text(f"error: {problem}"))
    folder = shlex.quote(st.folder)
    if st.problems:
        verdict = "Not ready: fix the problems above; the audit refuses these files."
    elif st.complete:
        verdict = f"Complete: everyone has answered. Run: alignaudit audit {folder}"
    elif not st.managers:
        verdict = "Nobody has answered yet."
    else:
        waiting = [m.name for m in st.waiting]
        gaps = [m.name for m in st.answered if m.missing or m.unrated]
        parts = []
        if waiting:
            parts.append("waiting for " + ", ".join(waiting))
        if gaps:
            parts.append("incomplete answers from " + ", ".join(gaps))
        if len(st.answered) < 2:
            parts.append("an audit needs at least two managers' answers")
        verdict = "Not complete: " + "; ".join(parts) + "."
        if len(st.answered) >= 2:
            verdict += (
                f" The audit can already run on the {len(st.answered)} answers in "
                "(alignaudit audit), without the others."
            )
    out.print(Text(verdict))
