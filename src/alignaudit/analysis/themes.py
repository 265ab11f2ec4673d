"""Themes: how present an idea given on the command line (--theme) is in each answer, as the
calibrated score of the answer's closest statement to it.

(Coherence, whether a manager's own values show up in their vision, mission and positioning,
was removed: a one-word value and a sentence of another genre are not comparable by statement
embeddings, and no threshold read it right on aligned teams.)
"""

from __future__ import annotations

import numpy as np

from ..core.results import ThemePresence
from ..core.types import Foundation
from ..scoring.answer_vectors import Answers, best_similarity
from ..scoring.calibration import Calibration


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
