"""The team's `alignaudit.yaml`: what to audit and which thresholds a CI check enforces.

Validated like answer files (every problem at once, as file:line:column). Command-line flags
override it: `resolve` merges the two into the Settings a run uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..core.errors import InputError, Problem, UsageError
from ..core.text import clean, file_stem, inert
from ..core.types import Format, Foundation, Ranking, TradeOff
from .tradeoffs import DEFAULT_RANKINGS, DEFAULT_TRADEOFFS, DefinitionReader
from .yaml_nodes import MAP, SEQ, STR, compose, describe, fields, line_of, read_text

CONFIG_NAMES = ("alignaudit.yaml", "alignaudit.yml")
KEYS = (
    "model",
    "foundations",
    "required",
    "thresholds",
    "fail_on_missing",
    "reference",
    "themes",
    "format",
    "managers",
    "tradeoffs",
    "rankings",
)
OVERALL = "overall"
TRADEOFF_RWG = "tradeoff_rwg"  # the floor on every rated trade-off's r_wg
THRESHOLD_KEYS = (OVERALL, *(f.value for f in Foundation), TRADEOFF_RWG)
LINK_OUT = "is a link to a file outside the team folder; copy the file in instead"
_BOOL = "tag:yaml.org,2002:bool"
_NUMBER = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


@dataclass(frozen=True)
class Config:
    """What a config file says; None where it says nothing."""

    path: str | None = None
    model: str | None = None
    foundations: tuple[Foundation, ...] | None = None
    required: tuple[Foundation, ...] = ()
    thresholds: dict[str, float] = field(default_factory=dict)  # overall / foundation -> index
    fail_on_missing: bool | None = None
    reference: str | None = None  # resolved against the config file's folder
    themes: tuple[str, ...] = ()
    format: Format | None = None
    managers: tuple[str, ...] | None = None  # the expected roster; None: anyone may answer
    tradeoffs: tuple[TradeOff, ...] | None = None  # None: the defaults (inputs/tradeoffs.py)
    rankings: tuple[Ranking, ...] | None = None


@dataclass(frozen=True)
class Settings:
    """What a run uses: the config with the command line's flags on top."""

    model: str | None
    foundations: tuple[Foundation, ...]
    required: tuple[Foundation, ...]
    thresholds: dict[str, float]
    fail_on_missing: bool
    reference: str | None
    themes: tuple[str, ...]
    format: Format
    tradeoffs: tuple[TradeOff, ...] = DEFAULT_TRADEOFFS
    rankings: tuple[Ranking, ...] = DEFAULT_RANKINGS


def _inside(path: Path, folder: Path) -> bool:
    """Whether `path`, links followed, lies in `folder` (links followed too)."""
    try:
        return path.resolve().is_relative_to(folder.resolve())
    except (OSError, RuntimeError):  # a link loop
        return False


def find_config(team_dir: str | os.PathLike[str]) -> Path | None:
    """The team folder's alignaudit.yaml; refused when it is a link out of the folder (the
    folder is not trusted, and a link to /etc/passwd must not be read as settings)."""
    for name in CONFIG_NAMES:
        candidate = Path(team_dir) / name
        if candidate.is_file():
            if not _inside(candidate, Path(team_dir)):
                raise InputError([Problem(str(candidate), None, None, LINK_OUT)])
            return candidate
    return None


def load_config(path: str | os.PathLike[str]) -> Config:
    """One alignaudit.yaml read and validated into a Config; every problem at once in an InputError.
    An empty file is a valid config."""
    label = str(path)
    file = Path(path)
    if not file.is_file():
        raise InputError([Problem(label, None, None, "no such config file")])
    problems: list[Problem] = []
    text = read_text(file, label, problems)
    root = compose(text, label, problems, what="config") if text is not None else None
    if root is None:
        if not problems:  # an empty config is a valid one
            return Config(path=label)
        raise InputError(problems)
    found = fields(root, label, problems, KEYS)
    values: dict[str, object] = {"path": label}
    reader = _Reader(label, problems)
    if "model" in found:
        model = reader.text(found["model"], "model")
        values["model"] = None if model in (None, "default") else model
    if "foundations" in found:
        chosen = reader.foundations(found["foundations"], "foundations", empty=False)
        values["foundations"] = chosen or None
    if "required" in found:
        values["required"] = reader.foundations(found["required"], "required", empty=True)
    if "thresholds" in found:
        values["thresholds"] = reader.thresholds(found["thresholds"])
    if "fail_on_missing" in found:
        values["fail_on_missing"] = reader.boolean(found["fail_on_missing"], "fail_on_missing")
    if "reference" in found:
        ref = reader.text(found["reference"], "reference")
        if ref is not None:
            resolved = file.parent / ref
            line, col = line_of(found["reference"])
            if not _inside(resolved, file.parent):
                problems.append(
                    Problem(
                        label,
                        line,
                        col,
                        f"reference file {ref!r} is outside the config's folder; move it "
                        "there, or give it on the command line with --reference",
                    )
                )
            elif not resolved.is_file():
                problems.append(
                    Problem(label, line, col, f"reference file {ref!r} not found next to {label}")
                )
            values["reference"] = str(resolved)
    if "themes" in found:  # embedded like answers, so cleaned like answers
        values["themes"] = reader.texts(found["themes"], "themes")
    if "format" in found:
        values["format"] = reader.format(found["format"])
    if "managers" in found:
        values["managers"] = reader.managers(found["managers"])
    definitions = DefinitionReader(label, problems)
    if "tradeoffs" in found:
        values["tradeoffs"] = definitions.tradeoffs(found["tradeoffs"])
    if "rankings" in found:
        values["rankings"] = definitions.rankings(found["rankings"])
    if problems:
        raise InputError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Config(**values)  # type: ignore[arg-type]


def resolve(
    config: Config,
    *,
    model: str | None = None,
    foundations: tuple[Foundation, ...] = (),
    thresholds: dict[str, float] | None = None,
    fail_on_missing: bool | None = None,
    reference: str | None = None,
    themes: tuple[str, ...] = (),
    fmt: Format | None = None,
) -> Settings:
    """Flags given on the command line win over the config file, key by key. A threshold or
    required answer on a foundation that is not audited is refused: the gate would pass with
    no check at all."""
    merged = dict(config.thresholds)
    merged.update(thresholds or {})
    chosen = foundations or config.foundations or tuple(Foundation)
    unchecked = [
        k for k in merged if k not in (OVERALL, TRADEOFF_RWG) and Foundation(k) not in chosen
    ]
    unchecked += [f"required {f.value}" for f in config.required if f not in chosen]
    if unchecked:
        raise UsageError(
            f"{', '.join(unchecked)}: set for a foundation that is not audited "
            f"(audited: {', '.join(f.value for f in chosen)}); audit it or drop the check"
        )
    return Settings(
        model=model or config.model,
        foundations=chosen,
        required=config.required,
        thresholds=merged,
        fail_on_missing=bool(fail_on_missing or config.fail_on_missing),
        reference=reference or config.reference,
        themes=themes or config.themes,
        format=fmt or config.format or Format.TERMINAL,
        tradeoffs=DEFAULT_TRADEOFFS if config.tradeoffs is None else config.tradeoffs,
        rankings=DEFAULT_RANKINGS if config.rankings is None else config.rankings,
    )


def settings_for(
    team_dir: str | os.PathLike[str], config_path: str | os.PathLike[str] | None, **flags: object
) -> Settings:
    """The team's config (given, or alignaudit.yaml in the team folder) under the flags."""
    path = config_path if config_path is not None else find_config(team_dir)
    config = load_config(path) if path is not None else Config()
    return resolve(config, **flags)  # type: ignore[arg-type]


def choices_for(
    team_dir: str | os.PathLike[str],
) -> tuple[tuple[TradeOff, ...], tuple[Ranking, ...]]:
    """The trade-offs and rankings a team folder's answers may rate: its alignaudit.yaml's, or
    the defaults where it names none (commands that take no other setting from the config,
    such as `compare`, still read the ratings as the team defined them)."""
    path = find_config(team_dir)
    config = load_config(path) if path is not None else Config()
    return (
        DEFAULT_TRADEOFFS if config.tradeoffs is None else config.tradeoffs,
        DEFAULT_RANKINGS if config.rankings is None else config.rankings,
    )


def parse_threshold(text: str) -> tuple[str, float]:
    """`vision=0.6` (or `tradeoff_rwg=0.7`) from the command line, checked like the config's
    thresholds."""
    key, sep, value = text.partition("=")
    key = key.strip().lower()
    if not sep or key not in THRESHOLD_KEYS:
        raise ValueError(
            f"expected FOUNDATION=INDEX with FOUNDATION one of {', '.join(THRESHOLD_KEYS)}"
        )
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError("thresholds are on the agreement index (or r_wg), from 0 to 1")
    return key, number


class _Reader:
    """Typed values out of config nodes, each problem recorded where it is."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label, self.problems = label, problems

    def _bad(self, node: yaml.Node, message: str) -> None:
        line, col = line_of(node)
        self.problems.append(Problem(self.label, line, col, message))

    def text(self, node: yaml.Node, key: str) -> str | None:
        """A name, path or choice, as written but inert: it may be quoted back."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and node.value.strip():
            return inert(str(node.value).strip())
        self._bad(node, f"'{key}' must be text, found {describe(node)}")
        return None

    def words(self, node: yaml.Node, key: str) -> str | None:
        """Text that is read as words (a theme, a manager's name): cleaned like answers."""
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and clean(node.value):
            return clean(node.value)
        self._bad(node, f"'{key}' must be text, found {describe(node)}")
        return None

    def texts(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if not (isinstance(node, yaml.SequenceNode) and node.tag == SEQ):
            self._bad(node, f"'{key}' must be a list, e.g. {key}: [a, b]")
            return ()
        out = [self.words(item, f"each item of {key}") for item in node.value]
        return tuple(t for t in out if t is not None)

    def foundations(self, node: yaml.Node, key: str, *, empty: bool) -> tuple[Foundation, ...]:
        """A list of foundation names, each once; an empty list only where `empty` allows
        it (`foundations: []` would audit nothing)."""
        out: list[Foundation] = []
        items = node.value if isinstance(node, yaml.SequenceNode) and node.tag == SEQ else None
        allowed = ", ".join(f.value for f in Foundation)
        if items is None:
            self._bad(node, f"'{key}' must be a list of foundations, e.g. [vision, mission]")
            return ()
        if not items and not empty:
            self._bad(node, f"'{key}' is empty; list at least one of {allowed}")
        for item in items:
            name = self.text(item, f"each item of {key}")
            if name is None:
                continue
            try:
                foundation = Foundation(name.lower())
            except ValueError:
                self._bad(item, f"unknown foundation '{name}'; use {allowed}")
                continue
            if foundation in out:
                self._bad(item, f"'{name}' is listed twice in '{key}'; keep one")
                continue
            out.append(foundation)
        return tuple(out)

    def managers(self, node: yaml.Node) -> tuple[str, ...]:
        """The roster: names as answer files spell them, each once (compared as file names
        are, so 'Zoë' and 'Zoe' are one manager)."""
        names: list[str] = []
        seen: dict[str, str] = {}
        if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:null":
            return ()
        if not (isinstance(node, yaml.SequenceNode) and node.tag == SEQ):
            self._bad(node, "'managers' must be a list, e.g. managers: [Dana Ortiz, Ben Okafor]")
            return ()
        for item in node.value:
            name = self.words(item, "each item of managers")
            if name is None:
                continue
            stem = file_stem(name)
            if not stem:
                self._bad(item, "a manager's name needs letters; write the name")
            elif stem in seen:
                self._bad(item, f"{name!r} is listed twice (also as {seen[stem]!r}); keep one")
            else:
                seen[stem] = name
                names.append(name)
        return tuple(names)

    def number(self, node: yaml.Node, key: str) -> float | None:
        if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER:
            try:  # YAML's .inf, .nan, 0x1 and 1:30 are numbers too, but no index
                value = float(node.value)
            except ValueError:
                self._bad(node, f"threshold '{key}' must be a decimal from 0 to 1, e.g. 0.6")
                return None
            if 0.0 <= value <= 1.0:  # NaN fails both
                return value
            self._bad(node, f"threshold '{key}' is {value}; thresholds are on the index, 0 to 1")
            return None
        self._bad(node, f"threshold '{key}' must be a number from 0 to 1, found {describe(node)}")
        return None

    def thresholds(self, node: yaml.Node) -> dict[str, float]:
        if not (isinstance(node, yaml.MappingNode) and node.tag == MAP):
            self._bad(node, "'thresholds' must be a mapping, e.g. thresholds: {overall: 0.5}")
            return {}
        out = {}
        found = fields(node, self.label, self.problems, THRESHOLD_KEYS, whole_file=False)
        for key, value in found.items():
            number = self.number(value, key)
            if number is not None:
                out[key] = number
        return out

    def boolean(self, node: yaml.Node, key: str) -> bool | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _BOOL:
            return node.value.lower() in ("true", "yes", "on")
        self._bad(node, f"'{key}' must be true or false, found {describe(node)}")
        return None

    def format(self, node: yaml.Node) -> Format | None:
        name = self.text(node, "format")
        if name is None:
            return None
        try:
            return Format(name.lower())
        except ValueError:
            allowed = ", ".join(f.value for f in Format)
            self._bad(node, f"unknown format '{name}'; use {allowed}")
            return None
