"""The project's exceptions. Each carries the exit code the CLI maps it to, so the core
never decides how the process ends and the CLI catches them in one place."""

from __future__ import annotations

from dataclasses import dataclass

from .text import inert

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_INPUT = 2
EXIT_INTERNAL = 3


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located so a person can go and fix it."""

    file: str
    line: int | None
    column: int | None
    message: str

    def __post_init__(self) -> None:
        # File names and quoted keys or values come from files: shown inert wherever the
        # problem goes (terminal, CI annotation, JSON), however it was built.
        object.__setattr__(self, "file", inert(self.file))
        object.__setattr__(self, "message", inert(self.message))

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"


class AlignAuditError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = EXIT_INTERNAL

    def __str__(self) -> str:
        """The message, inert: it may quote a path, an option or a value from a file."""
        return inert(super().__str__())


class InputError(AlignAuditError):
    """The user's files or options are wrong; every problem is reported at once."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class UsageError(AlignAuditError):
    """A bad option or path given on the command line."""

    exit_code = EXIT_INPUT


class ModelError(AlignAuditError):
    """The embedding model is missing, damaged or not a model."""

    exit_code = EXIT_INTERNAL
