"""Output formats: each module turns a TeamReport into a string and does no I/O."""

from __future__ import annotations

from enum import StrEnum


class Format(StrEnum):
    TERMINAL = "terminal"
    JSON = "json"
