"""From vectors to figures: similarity, calibration, the baseline, the large-team statistics and
the auditor."""
