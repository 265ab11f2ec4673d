"""The team's `alignaudit.yaml`: what to audit and which thresholds a CI check enforces.

Validated like answer files (every problem at once, as file:line:column). Command-line flags
override it: `resolve` merges the two into the Settings a run uses.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .errors import InputError, Problem, UsageError
from .formats import Format
from .model import Foundation
from .yamlfile import MAP, SEQ, STR, compose, describe, fields, line_of, read_text

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
)
OVERALL = "overall"
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
    managers: tuple[str, ...] = ()  # the expected roster


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


def find_config(team_dir: str | os.PathLike[str]) -> Path | None:
    for name in CONFIG_NAMES:
        candidate = Path(team_dir) / name
        if candidate.is_file():
            return candidate
    return None


def load_config(path: str | os.PathLike[str]) -> Config:
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
        values["foundations"] = reader.foundations(found["foundations"], "foundations")
    if "required" in found:
        values["required"] = reader.foundations(found["required"], "required")
    if "thresholds" in found:
        values["thresholds"] = reader.thresholds(found["thresholds"])
    if "fail_on_missing" in found:
        values["fail_on_missing"] = reader.boolean(found["fail_on_missing"], "fail_on_missing")
    if "reference" in found:
        ref = reader.text(found["reference"], "reference")
        if ref is not None:
            resolved = file.parent / ref
            if not resolved.is_file():
                line, col = line_of(found["reference"])
                problems.append(
                    Problem(label, line, col, f"reference file {ref!r} not found next to {label}")
                )
            values["reference"] = str(resolved)
    if "themes" in found:
        values["themes"] = reader.texts(found["themes"], "themes")
    if "format" in found:
        values["format"] = reader.format(found["format"])
    if "managers" in found:
        values["managers"] = reader.texts(found["managers"], "managers")
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
    unchecked = [k for k in merged if k != OVERALL and Foundation(k) not in chosen]
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
    )


def settings_for(
    team_dir: str | os.PathLike[str], config_path: str | os.PathLike[str] | None, **flags: object
) -> Settings:
    """The team's config (given, or alignaudit.yaml in the team folder) under the flags."""
    path = config_path if config_path is not None else find_config(team_dir)
    config = load_config(path) if path is not None else Config()
    return resolve(config, **flags)  # type: ignore[arg-type]


def parse_threshold(text: str) -> tuple[str, float]:
    """`vision=0.6` from the command line, checked like the config's thresholds."""
    key, sep, value = text.partition("=")
    key = key.strip().lower()
    allowed = (OVERALL, *(f.value for f in Foundation))
    if not sep or key not in allowed:
        raise ValueError(f"expected FOUNDATION=INDEX with FOUNDATION one of {', '.join(allowed)}")
    number = float(value)
    if not 0.0 <= number <= 1.0:
        raise ValueError("thresholds are on the agreement index, from 0 to 1")
    return key, number


class _Reader:
    """Typed values out of config nodes, each problem recorded where it is."""

    def __init__(self, label: str, problems: list[Problem]) -> None:
        self.label, self.problems = label, problems

    def _bad(self, node: yaml.Node, message: str) -> None:
        line, col = line_of(node)
        self.problems.append(Problem(self.label, line, col, message))

    def text(self, node: yaml.Node, key: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == STR and node.value.strip():
            return str(node.value).strip()
        self._bad(node, f"'{key}' must be text, found {describe(node)}")
        return None

    def texts(self, node: yaml.Node, key: str) -> tuple[str, ...]:
        if not (isinstance(node, yaml.SequenceNode) and node.tag == SEQ):
            self._bad(node, f"'{key}' must be a list, e.g. {key}: [a, b]")
            return ()
        out = [self.text(item, f"each item of {key}") for item in node.value]
        return tuple(t for t in out if t is not None)

    def foundations(self, node: yaml.Node, key: str) -> tuple[Foundation, ...]:
        out = []
        items = node.value if isinstance(node, yaml.SequenceNode) and node.tag == SEQ else None
        if items is None:
            self._bad(node, f"'{key}' must be a list of foundations, e.g. [vision, mission]")
            return ()
        for item in items:
            name = self.text(item, f"each item of {key}")
            if name is None:
                continue
            try:
                out.append(Foundation(name.lower()))
            except ValueError:
                allowed = ", ".join(f.value for f in Foundation)
                self._bad(item, f"unknown foundation '{name}'; use {allowed}")
        return tuple(out)

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
        allowed = (OVERALL, *(f.value for f in Foundation))
        out = {}
        for key, value in fields(node, self.label, self.problems, allowed).items():
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
