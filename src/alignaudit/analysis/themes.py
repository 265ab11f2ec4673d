"""Themes and coherence: is an idea really present where it should be?

A theme's presence in an answer is the calibrated score of the answer's closest statement to
the theme. Coherence asks the same of each manager's own values: does each value show up in
that manager's vision, mission and positioning?
"""

from __future__ import annotations

import numpy as np

from ..core.results import Coherence, ThemePresence
from ..core.types import Foundation
from ..scoring.answer_vectors import Answers, best_similarity
from ..scoring.calibration import Calibration

OTHER_FOUNDATIONS = (Foundation.VISION, Foundation.MISSION, Foundation.POSITIONING)
# A value "shows up" in a vision sentence when they at least share some details (STS >= 1.5):
# a one-word value and a sentence of another genre rarely reach "roughly equivalent".
PRESENT_AT = 1.5


def theme_presence(
    theme: str,
    vector: np.ndarray,
    names: tuple[str, ...],
    foundation: Foundation,
    answers: Answers,
    calibration: Calibration,
) -> ThemePresence:
    """How present one theme is in each manager's answer to a foundation: the calibrated score of
    their statement closest to it."""
    return ThemePresence(
        theme,
        {m: calibration.score_of(best_similarity(vector, answers[m, foundation])) for m in names},
    )


def coherence(
    managers: tuple[str, ...], answers: Answers, calibration: Calibration
) -> tuple[Coherence, ...]:
    """Whether each manager's own values show up in their vision, mission and positioning: mean
    presence per foundation, and the values found in none."""
    out = []
    for m in managers:
        values = answers.get((m, Foundation.VALUES))
        present = [f for f in OTHER_FOUNDATIONS if (m, f) in answers]
        if values is None or not present:
            continue
        per_value = {
            f: [calibration.score_of(best_similarity(v, answers[m, f])) for v in values.vectors]
            for f in present
        }
        absent = tuple(
            text
            for i, text in enumerate(values.statements)
            if all(per_value[f][i] < PRESENT_AT for f in present)
        )
        presence = {f: float(np.mean(s)) for f, s in per_value.items()}
        out.append(Coherence(m, presence, absent, len(values.statements)))
    return tuple(out)
