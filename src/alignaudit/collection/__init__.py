"""Collecting answers: templates, the interview and who has answered (status)."""
